"""A checklist result cut down to what year-wide reports read, so a year loads in milliseconds.

A stored result (``checklist.engine.evaluate``) is about 13 KB of JSON per innovation; the
reports over a whole year (per unit, per indicator, the projected index and its fixes) need only
each indicator's status, the mandatory gaps, the first error findings and what fixing each
indicator is worth in maturity points on each basis (``checklist.scoring``), measured here once
when the checklist is stored. Fixes are kept as short strings because decoding a year of small
JSON lists costs more than the rest of a report page (measured in ``docs/benchmarks-pages.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from checklist import scoring

VERSION = 2
TOP_FINDINGS = 3


class Fix(NamedTuple):
    """One indicator brought to its target level on one basis."""

    code: str
    points: int  # maturity points gained (weight x levels)
    mandatory: bool
    target_level: int
    claimed: bool  # whether a level is claimed already


def _encode(fix: Fix) -> str:
    return f"{fix.code} {fix.points} {int(fix.mandatory)} {fix.target_level} {int(fix.claimed)}"


def decode_fix(text: str) -> Fix:
    code, points, mandatory, target, claimed = text.split(" ")
    return Fix(code, int(points), mandatory == "1", int(target), claimed == "1")


def summarize(result: Mapping[str, Any]) -> dict[str, Any]:
    """The compact summary of one evaluated innovation (plain JSON-able data)."""
    indicators = result.get("indicators", [])
    findings = [
        finding["message"]
        for row in indicators
        for finding in row.get("findings", [])
        if finding.get("severity") == "error"
    ]
    profile_findings = result.get("profile", {}).get("findings", [])
    findings += [finding["message"] for finding in profile_findings]
    fixes: dict[str, list[str]] = {basis: [] for basis in scoring.BASES}
    for row in indicators:
        for basis in scoring.BASES:
            points = scoring.fix_points(row, basis)
            if points > 0:
                fix = Fix(row["code"], points, bool(row.get("mandatory")),
                          scoring.target_level(row), bool(row.get("claimed_level")))  # fmt: skip
                fixes[basis].append(_encode(fix))
    return {
        "v": VERSION,
        "statuses": {row["code"]: row["status"] for row in indicators},
        "fixes": fixes,
        "missing_mandatory": [
            row["code"] for row in indicators if row.get("mandatory") and row["status"] == "missing"
        ],
        "profile_errors": sum(1 for f in profile_findings if f.get("severity") == "error"),
        "top_findings": findings[:TOP_FINDINGS],
    }


def is_current(summary: dict[str, Any] | None) -> bool:
    """Whether a stored summary was written by this version (else the result is re-evaluated)."""
    return isinstance(summary, dict) and summary.get("v") == VERSION


def fixes(summary: Mapping[str, Any] | None, basis: str) -> list[Fix]:
    """The indicator fixes of one innovation on ``basis``, in the pack's indicator order."""
    return [decode_fix(text) for text in (summary or {}).get("fixes", {}).get(basis, [])]
