"""Which rule pack judges a year: the period's, else the newest pack not after that year."""

from __future__ import annotations

from archive.models import Period
from checklist import RulePack, available_rulepacks, load_rulepack

DEFAULT_PACK = "iid-2026"


async def rulepack_id_for_year(year: int) -> str:
    period = await Period.get_or_none(year=year)
    if period is not None:
        return period.rulepack
    packs = sorted(
        (int(pack.rsplit("-", 1)[1]), pack)
        for pack in available_rulepacks()
        if pack.rsplit("-", 1)[-1].isdigit()
    )
    earlier = [pack for pack_year, pack in packs if pack_year <= year]
    return earlier[-1] if earlier else (packs[0][1] if packs else DEFAULT_PACK)


async def rulepack_for_year(year: int) -> RulePack:
    return load_rulepack(await rulepack_id_for_year(year))


async def newest_period_year() -> int | None:
    """The year of the newest period, or None before the first one."""
    period = await Period.all().order_by("-year").first()
    return period.year if period else None
