from fastapi import APIRouter

from archive.api.deps import ActorDep, StaffUser
from archive.models import Unit
from archive.schemas.units import UnitCreate, UnitOut, UnitUpdate
from archive.services import units

router = APIRouter(prefix="/units", tags=["units"])


def _out(unit: Unit) -> UnitOut:
    return UnitOut(code=unit.code, name=unit.name, kind=unit.kind)


@router.get("")
async def list_units() -> list[UnitOut]:
    """Units are public: the catalogue is filtered by them."""
    return [_out(unit) for unit in await Unit.all()]


@router.post("", status_code=201)
async def create_unit(body: UnitCreate, staff: StaffUser, actor: ActorDep) -> UnitOut:
    return _out(await units.create_unit(body, actor))


@router.patch("/{code}")
async def update_unit(code: str, body: UnitUpdate, staff: StaffUser, actor: ActorDep) -> UnitOut:
    return _out(await units.update_unit(code, body, actor))
