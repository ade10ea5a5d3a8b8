"""What a fix is worth: maturity points an indicator lacks on a basis, and their IID price.

Pure functions over the checklist rows (``checklist.engine``) and a year's formula; the
projected index (``archive.services.index_report``) prices each fix here in constant time
instead of recomputing the whole year's index per fix.
"""

from __future__ import annotations

from typing import Any

from checklist.index import iid_of
from checklist.rulepack import LEVELS, Formula

BASES = ("claimed", "supported", "verified")


def target_level(row: dict[str, Any]) -> int:
    """The level a fix aims at: the claimed one, or the highest when nothing is claimed."""
    return row.get("claimed_level") or max(LEVELS)


def fix_points(row: dict[str, Any], basis: str) -> int:
    """Maturity points an indicator adds on ``basis`` when brought to its target level."""
    weight = row.get("weight") or 0
    claimed = row.get("claimed_level") or 0
    status = row.get("status")
    if basis == "claimed":
        level = claimed
    elif basis == "supported":
        if row.get("supported_level") is None or status == "verified":
            return 0  # only a person can judge it, or a person already did
        level = row["supported_level"]
    else:
        level = (row.get("verified_level") or 0) if status == "verified" else 0
    return weight * max(0, target_level(row) - level)


def price(
    formula: Formula,
    spd: float,
    maturity_sum: float,
    n: int,
    yandas_met: bool,
    current: float,
    points: int,
) -> float:
    """IID points gained when one innovation at maturity ``current`` gains ``points``.

    The number of innovations stays the same, so only the maturity sum moves; the result
    equals the difference of two full projections (both go through ``iid_of``).
    """
    raised = min(formula.sid_max, current + points)
    before = iid_of(formula, spd, maturity_sum, n, yandas_met)
    after = iid_of(formula, spd, maturity_sum - current + raised, n, yandas_met)
    return round(after - before, 2)
