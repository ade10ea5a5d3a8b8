"""Projected regional innovation index (IID) from SPD, innovation maturities and yandas coverage.

SID = sum(maturity) / MAX(k, n) + count score, count score = w x MIN(n, cap) when the coverage
rule of the basic-service affairs (yandas) is met, else 0; IID = (SPD + SID) / 250 x 100
(reference iid-index.md §2; constants per year from the rule pack).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from checklist.rulepack import Formula, RulePack, load_rulepack


def _number(name: str, value: Any, low: float, high: float) -> float:
    """A finite number within bounds, else ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
    return value


def predicate(formula: Formula, iid: float) -> str:
    """The predicate band the IID falls in (highest band whose minimum is reached)."""
    for band in formula.predicates:
        if iid >= band.min:
            return band.name
    return formula.predicates[-1].name


def project_index(
    pack_id: str,
    spd: float,
    maturities: Sequence[float],
    yandas_covered: int,
    *,
    rulepack: RulePack | None = None,
) -> dict[str, Any]:
    """The projected IID of a region; rejected innovations belong in ``maturities`` (as 0).

    ``maturities`` are the innovations' maturity scores (0-111), ``yandas_covered`` how many of
    the six basic-service affairs they cover. Raises ValueError on out-of-range input.
    """
    pack = rulepack or load_rulepack(pack_id)
    formula = pack.formula
    spd = _number("spd", spd, 0, formula.spd_max)
    if isinstance(maturities, str | bytes) or not isinstance(maturities, Sequence):
        raise ValueError("maturities must be a list of numbers")
    scores = [_number(f"maturities[{i}]", m, 0, formula.sid_max) for i, m in enumerate(maturities)]
    if isinstance(yandas_covered, bool) or not isinstance(yandas_covered, int):
        raise ValueError(f"yandas_covered must be an int, got {yandas_covered!r}")
    affairs = len(formula.yandas_affairs) or 6
    if not 0 <= yandas_covered <= affairs:
        raise ValueError(f"yandas_covered must be between 0 and {affairs}, got {yandas_covered}")
    n = len(scores)
    divisor = max(formula.k, n)
    maturity_sum = sum(scores)
    maturity_score = maturity_sum / divisor
    required = formula.yandas_required
    yandas_met = required is None or yandas_covered >= required
    count_score = formula.count_weight * min(n, formula.count_cap) if yandas_met else 0.0
    sid = maturity_score + count_score
    iid = iid_of(formula, spd, maturity_sum, n, yandas_met)
    return {
        "rulepack": pack.id,
        "year": pack.year,
        "iid": iid,
        "sid": round(sid, 2),
        "spd": spd,
        "k": formula.k,
        "n": n,
        "divisor": divisor,
        "maturity_sum": round(maturity_sum, 2),
        "maturity_score": round(maturity_score, 2),
        "count_score": round(count_score, 2),
        "count_max": round(formula.count_weight * formula.count_cap, 2),
        "yandas_covered": yandas_covered,
        "yandas_required": required,
        "yandas_met": yandas_met,
        "predicate": predicate(formula, iid),
        "empty_seats": max(0, formula.k - n),
        "max": {
            "spd": formula.spd_max,
            "sid_indicators": formula.sid_max,
            "total": formula.total_max,
        },
    }


def spd_score(
    pack_id: str, levels: dict[str, int], *, rulepack: RulePack | None = None
) -> dict[str, Any]:
    """SPD = sum of weight x level over the regional indicators; unknown codes are ignored.

    Returns ``{"spd", "max", "missing_mandatory"}``; a level outside 0-3 raises ValueError.
    """
    pack = rulepack or load_rulepack(pack_id)
    levels = levels if isinstance(levels, dict) else {}
    total = 0.0
    missing = []
    for indicator in pack.spd_indicators:
        level = levels.get(indicator.code, 0)
        _number(f"levels[{indicator.code!r}]", level, 0, 3)
        if int(level) != level:
            raise ValueError(f"levels[{indicator.code!r}] must be a whole level, got {level!r}")
        total += indicator.weight * level
        if indicator.mandatory and not level:
            missing.append(indicator.code)
    maximum = sum(indicator.weight for indicator in pack.spd_indicators) * 3
    return {"spd": round(total, 2), "max": maximum, "missing_mandatory": missing}


def iid_points_per_maturity_point(formula: Formula, n: int) -> float:
    """IID points one more maturity point of one innovation is worth when n are reported."""
    return 100 / (formula.total_max * max(formula.k, max(n, 0)))


def iid_of(formula: Formula, spd: float, maturity_sum: float, n: int, yandas_met: bool) -> float:
    """The IID from the sum of n maturities: the one formula every projection and price uses."""
    count_score = formula.count_weight * min(n, formula.count_cap) if yandas_met else 0.0
    sid = maturity_sum / max(formula.k, n) + count_score
    return round((spd + sid) / formula.total_max * 100, 2)
