"""What a fix is worth: maturity points an indicator lacks on a basis, and their IID price.

Pure functions over the checklist rows (``checklist.engine``) and a year's formula; the
projected index (``archive.services.index_report``) prices each fix here in constant time
instead of recomputing the whole year's index per fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklist.index import iid_of, iid_points_per_maturity_point
from checklist.rulepack import LEVELS, Formula

BASES = ("claimed", "supported", "verified")


def target_level(row: Mapping[str, Any]) -> int:
    """The level a fix aims at: the claimed one, or the highest when nothing is claimed."""
    return row.get("claimed_level") or max(LEVELS)


def fix_points(row: Mapping[str, Any], basis: str) -> int:
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


def own_fix_points(row: Mapping[str, Any]) -> int:
    """Maturity points the unit itself can still add to an indicator (its ``gain_if_fixed``).

    From what its evidence already secures (the supported level; nothing after a 'tidak sesuai'
    review) up to the target; 0 while a person must judge it or once a verifier confirmed it,
    because then the next step is not the unit's. On the index's bases the same indicator is
    worth ``fix_points``: the two differ only for rejected indicators (the supported basis keeps
    the machine-read level) and those a person judges (the supported basis never counts them).
    """
    status = row.get("status")
    if status in ("verified", "needs_review"):
        return 0
    base = 0 if status == "rejected" else (row.get("supported_level") or 0)
    return (row.get("weight") or 0) * max(0, target_level(row) - base)


def iid_estimate(formula: Formula, n: int, points: float) -> float:
    """IID points ``points`` more maturity are worth among ``n`` innovations, before rounding.

    ``price`` is exact for a known year (the difference of two rounded projections); this is
    the same slope, for a unit that does not see the whole year.
    """
    return points * iid_points_per_maturity_point(formula, n)


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
