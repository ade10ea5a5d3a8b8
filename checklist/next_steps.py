"""What to do next: open findings across innovations, ranked by the index points a fix gains."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from checklist import scoring
from checklist.findings import SEVERITY_RANK
from checklist.rulepack import Formula, RulePackError, load_rulepack

_OPEN = {"missing", "pending", "weak", "rejected", "ok"}


def _formula(rulepack: Any, n: int) -> tuple[Formula, int] | None:
    """The checklist's rule pack formula and its n, None if the pack is unknown."""
    try:
        return load_rulepack(rulepack).formula, n
    except RulePackError:
        return None


def _headline(findings: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most severe finding of a list (first of equals)."""
    ranked = sorted(
        (f for f in findings if isinstance(f, dict)),
        key=lambda f: SEVERITY_RANK.get(str(f.get("severity")), 3),
    )
    return ranked[0] if ranked else None


def rank_fixes(checklists: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per fixable indicator or profile finding, highest gain first.

    Each row: ``innovation_id, indicator (code or None for the profile), name, status,
    mandatory, claimed_level, supported_level, gain`` (maturity points), ``iid_gain`` (IID points
    when the indicator is fixed, with MAX(k, n) over the innovations of the same rule pack),
    ``code``, ``severity`` and ``message`` of the headline finding, ``findings`` (all of them),
    ``blocks_submission`` (mandatory indicator missing, or a profile error).
    """
    valid = [c for c in checklists if isinstance(c, dict)] if isinstance(checklists, list) else []
    per_pack = Counter(str(c.get("rulepack")) for c in valid)
    formulas = {pack: _formula(pack, n) for pack, n in per_pack.items()}
    rows: list[dict[str, Any]] = []
    for order, checklist in enumerate(valid):
        formula = formulas.get(str(checklist.get("rulepack")))
        indicators = checklist.get("indicators")
        for position, row in enumerate(indicators if isinstance(indicators, list) else []):
            if not isinstance(row, dict):
                continue
            gain = row.get("gain_if_fixed")
            gain = gain if isinstance(gain, int | float) and not isinstance(gain, bool) else 0
            if gain <= 0 or row.get("status") not in _OPEN:
                continue
            findings = [f for f in row.get("findings") or [] if isinstance(f, dict)]
            head = _headline(findings) or {}
            rows.append(
                {
                    "innovation_id": checklist.get("innovation_id"),
                    "indicator": row.get("code"),
                    "name": row.get("name"),
                    "status": row.get("status"),
                    "mandatory": bool(row.get("mandatory")),
                    "claimed_level": row.get("claimed_level"),
                    "supported_level": row.get("supported_level"),
                    "gain": gain,
                    "iid_gain": round(scoring.iid_estimate(*formula, gain), 3) if formula else None,
                    "code": head.get("code"),
                    "severity": head.get("severity"),
                    "message": head.get("message"),
                    "findings": findings,
                    "blocks_submission": any(
                        f.get("code") == "MISSING_MANDATORY" for f in findings
                    ),
                    "_order": (order, position),
                }
            )
        profile = checklist.get("profile")
        profile_findings = profile.get("findings") if isinstance(profile, dict) else None
        for position, item in enumerate(profile_findings or []):
            if not isinstance(item, dict) or item.get("severity") != "error":
                continue
            rows.append(
                {
                    "innovation_id": checklist.get("innovation_id"),
                    "indicator": None,
                    "name": "Profil inovasi",
                    "status": None,
                    "mandatory": True,
                    "claimed_level": None,
                    "supported_level": None,
                    "gain": 0,
                    "iid_gain": 0.0,
                    "code": item.get("code"),
                    "severity": item.get("severity"),
                    "message": item.get("message"),
                    "findings": [item],
                    "blocks_submission": True,
                    "_order": (order, 1000 + position),
                }
            )
    # Highest gain first; among equals, what blocks submission, then mandatory, then input order.
    rows.sort(
        key=lambda r: (-r["gain"], not r["blocks_submission"], not r["mandatory"], r["_order"])
    )
    for row in rows:
        del row["_order"]
    return rows
