from fastapi import APIRouter

from archive.api.deps import ActorDep, SettingsDep, StaffUser
from archive.errors import NotFound
from archive.models import Period
from archive.schemas.innovations import InnovationOut
from archive.schemas.periods import PeriodCreate, PeriodOut, PeriodUpdate
from archive.schemas.workflow import CarryForwardIn
from archive.services import carry_forward as carry
from archive.services import innovations, periods

router = APIRouter(prefix="/periods", tags=["periods"])


@router.get("")
async def list_periods(settings: SettingsDep) -> list[PeriodOut]:
    return [periods.period_out(p, settings.tz) for p in await Period.all()]


@router.get("/{year}")
async def get_period(year: int, settings: SettingsDep) -> PeriodOut:
    period = await Period.get_or_none(year=year)
    if period is None:
        raise NotFound(f"Periode tahun {year} tidak ditemukan.")
    return periods.period_out(period, settings.tz)


@router.post("", status_code=201)
async def create_period(
    body: PeriodCreate, staff: StaffUser, actor: ActorDep, settings: SettingsDep
) -> PeriodOut:
    return periods.period_out(await periods.create_period(body, actor), settings.tz)


@router.patch("/{year}")
async def update_period(
    year: int, body: PeriodUpdate, staff: StaffUser, actor: ActorDep, settings: SettingsDep
) -> PeriodOut:
    return periods.period_out(await periods.update_period(year, body, actor), settings.tz)


@router.post("/{year}/carry-forward", status_code=201)
async def carry_forward(
    year: int, body: CarryForwardIn, staff: StaffUser, actor: ActorDep
) -> list[InnovationOut]:
    """Carry chosen innovations into this year as drafts, their evidence linked, not copied."""
    created = await carry.carry_forward(year, body.innovations, actor)
    return [await innovations.innovation_out(row) for row in created]
