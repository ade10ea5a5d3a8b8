"""Evaluate one innovation's claims and evidence against a rule pack into the checklist JSON.

Inputs are plain data; ``evaluate`` never raises on odd values, it reports them.

``profile``: dict with ``id``, ``year``, ``name``, ``made_by``, ``stage`` ('inisiatif' |
'uji coba' | 'penerapan'), ``initiator``, ``type`` ('digital' | 'non digital'), ``form``,
``affairs``, ``design``, ``goals``, ``benefits``, ``results``, ``trial_date``,
``implementation_date`` (ISO strings, dates or None), ``budget``; optional ``development_date``.

``claims``: ``{code: {"claimed_level": 0-3, "basis": str | None}}``; ``basis`` picks the
measurement basis where an indicator has several (kemanfaatan a-f).

``evidence``: list of ``{"id", "indicator", "media_type", "url", "filename",
"extraction_status", "facts"}``; ``extraction_status`` is one of 'pending', 'done', 'no_text',
'not_applicable', 'encrypted', 'failed'; ``facts`` is None or ``{"kind", "number", "date",
"title", "issuer", "names_innovation", "people_count", "count", "value"}`` (optional ``year``:
the year a budget or plan covers, else read from "Tahun (Anggaran) YYYY" in the title, else the
date's year).

``reviews``: ``{code: {"verified_level": int, "verdict": "sesuai" | "tidak_sesuai", "note"}}``.

Output: the contract's checklist (CONTRACT.md "The checklist"):
``{innovation_id, rulepack, year, maturity {claimed, supported, verified, max}, completeness,
indicators [{code, name, mandatory, weight, claimed_level, supported_level, verified_level,
status, findings [{code, severity, message}], gain_if_fixed}], profile {findings}}``.

Definitions:

* score of an indicator = weight x level; ``maturity.claimed`` / ``supported`` / ``verified`` sum
  the claimed, machine-supported and verifier-confirmed scores (a 'tidak_sesuai' review counts
  0). ``supported_level`` is None where only a person can judge (``verifier_only``).
* ``completeness`` = share of the pack's indicators whose status is ok, needs_review or verified.
* ``gain_if_fixed`` = maturity points the unit can still add by its own action
  (``checklist.scoring.own_fix_points``): from the supported level (0 after a 'tidak_sesuai'
  review) up to the target, the claimed level or 3 when nothing is claimed; 0 when verified or
  waiting for a person. One maturity point is worth 100 / (250 x MAX(k, n)) IID points
  (``checklist.scoring.iid_estimate``).
"""

from __future__ import annotations

from typing import Any

from checklist import scoring
from checklist.evidence import Item, group_by_indicator
from checklist.findings import ERROR, INFO, WARNING, dedupe, finding
from checklist.levels import Context, Outcome, derive, needs_review_message, screen
from checklist.profile import check_profile
from checklist.rulepack import LEVELS, Indicator, RulePack
from checklist.timeref import plausible_year
from checklist.types import ChecklistResult, Finding, IndicatorRow, Severity, Status

# Raise when a change to the engine changes verdicts: stored checklists of an older version are
# evaluated again when next read (archive.services.checklists).
ENGINE_VERSION = 1

STATUSES = ("missing", "pending", "weak", "needs_review", "ok", "verified", "rejected")
COMPLETE = {"ok", "needs_review", "verified"}


def _level(value: Any) -> int:
    """A level 0-3 from untrusted input; anything else is 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= max(LEVELS):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return _level(int(value.strip()))
    return 0


def _claim(claims: Any, code: str) -> tuple[int, str | None]:
    """The claimed level and basis of one indicator."""
    claim = claims.get(code) if isinstance(claims, dict) else None
    if isinstance(claim, int | str) and not isinstance(claim, bool):
        return _level(claim), None
    if not isinstance(claim, dict):
        return 0, None
    basis = claim.get("basis")
    return _level(claim.get("claimed_level")), basis.strip().lower() if isinstance(
        basis, str
    ) else None


def _review(reviews: Any, code: str) -> tuple[int, bool, str] | None:
    """(verified level, accepted?, note) of a verifier's review, or None."""
    review = reviews.get(code) if isinstance(reviews, dict) else None
    if not isinstance(review, dict):
        return None
    verdict = review.get("verdict")
    if verdict not in ("sesuai", "tidak_sesuai"):
        return None
    note = review.get("note")
    return (
        _level(review.get("verified_level")),
        verdict == "sesuai",
        note if isinstance(note, str) else "",
    )


def _missing(indicator: Indicator, claimed: int) -> Finding:
    """MISSING or MISSING_MANDATORY, saying what to upload."""
    level = claimed if claimed else 1
    what = f"Untuk tingkat {level} ({indicator.levels[level].option}) unggah: {indicator.evidence}"
    if indicator.mandatory:
        return finding(
            "MISSING_MANDATORY",
            ERROR,
            f"Belum ada bukti untuk {indicator.name}, indikator wajib; inovasi belum dapat "
            f"diajukan. {what}",
        )
    severity: Severity = ERROR if claimed else INFO
    return finding("MISSING", severity, f"Belum ada bukti untuk {indicator.name}. {what}")


def _machine_status(indicator: Indicator, items: list[Item], out: Outcome, claimed: int) -> Status:
    """Status from the evidence alone (before any verifier review)."""
    if not items:
        return "missing"
    if indicator.method == "verifier_only":
        if out.reviewable:
            return "needs_review"
        return "pending" if out.pending else "weak"
    supported = out.supported or 0
    if supported > 0 and supported >= claimed:
        return "needs_review" if indicator.review else "ok"
    if out.pending:
        return "pending"
    if out.reviewable:
        return "needs_review"
    return "weak"


def evaluate_indicator(
    indicator: Indicator,
    items: list[Item],
    claim: tuple[int, str | None],
    review: tuple[int, bool, str] | None,
    ctx: Context,
) -> IndicatorRow:
    """One indicator's entry of the checklist."""
    claimed, basis = claim
    if items:
        usable, out = screen(indicator, items, ctx, claimed)
        derive(indicator, usable, ctx, out, claimed, basis)
    else:
        out = Outcome(supported=None if indicator.method == "verifier_only" else 0)
        out.findings.append(_missing(indicator, claimed))
    status: Status = _machine_status(indicator, items, out, claimed)
    supported = out.supported
    has_error = any(f["severity"] == ERROR for f in out.findings)
    if status == "weak" and claimed > (supported or 0) and not out.explained and not has_error:
        # Nothing more specific explains the gap (e.g. only wrong kinds): still name the claim.
        out.add(
            "CLAIM_ABOVE_PROOF",
            ERROR,
            f"Klaim tingkat {claimed} ({indicator.levels[claimed].option}) belum didukung dokumen "
            f"yang sah. Unggah: {indicator.evidence}",
        )
    if status == "needs_review":
        out.add("NEEDS_REVIEW", INFO, needs_review_message(indicator, claimed))
    if status in ("ok", "needs_review") and claimed == 0 and supported:
        out.add(
            "UNCLAIMED",
            INFO,
            f"Dokumen mendukung tingkat {supported} ({indicator.levels[supported].option}), tetapi "
            f"tingkat belum diklaim. Isi klaim tingkat {supported}.",
        )
    if out.pending:
        out.add(
            "PENDING", INFO, f"{out.pending} berkas masih dibaca sistem; hasil akan diperbarui."
        )
    verified_level = None
    if review is not None:
        verified_level, accepted, note = review
        status = "verified" if accepted else "rejected"
        if not accepted:
            why = f": {note.strip()}" if note.strip() else ""
            out.add(
                "REJECTED",
                ERROR,
                f"Verifikator menilai bukti tidak sesuai{why}. Perbaiki lalu unggah kembali: "
                f"{indicator.evidence}",
            )
    severity_order = {ERROR: 0, WARNING: 1, INFO: 2}
    findings = sorted(dedupe(out.findings), key=lambda f: severity_order[f["severity"]])
    row: IndicatorRow = {
        "code": indicator.code,
        "name": indicator.name,
        "mandatory": indicator.mandatory,
        "weight": indicator.weight,
        "claimed_level": claimed,
        "supported_level": supported,
        "verified_level": verified_level,
        "status": status,
        "findings": findings,
        "gain_if_fixed": 0,
    }
    row["gain_if_fixed"] = scoring.own_fix_points(row)
    return row


def evaluate(
    profile: dict[str, Any],
    claims: dict[str, dict[str, Any]],
    evidence: list[dict[str, Any]],
    rulepack: RulePack,
    year: int,
    region: str | None = None,
    reviews: dict[str, dict[str, Any]] | None = None,
    unit_kind: str | None = None,
) -> ChecklistResult:
    """The checklist of one innovation (see the module docstring for shapes and definitions)."""
    profile = profile if isinstance(profile, dict) else {}
    year = plausible_year(year) or rulepack.year
    name = profile.get("name")
    ctx = Context(
        pack=rulepack,
        year=year,
        region=region if isinstance(region, str) and region.strip() else None,
        unit_kind=unit_kind if isinstance(unit_kind, str) else None,
        innovation_name=name.strip() if isinstance(name, str) and name.strip() else None,
    )
    groups = group_by_indicator(evidence)
    rows = [
        evaluate_indicator(
            indicator,
            groups.get(indicator.code, []),
            _claim(claims, indicator.code),
            _review(reviews, indicator.code),
            ctx,
        )
        for indicator in rulepack.indicators
    ]
    innovation_id = profile.get("id")
    return {
        "innovation_id": innovation_id if isinstance(innovation_id, int | str) else None,
        "rulepack": rulepack.id,
        "year": year,
        "maturity": {
            "claimed": sum(row["weight"] * row["claimed_level"] for row in rows),
            "supported": sum(row["weight"] * (row["supported_level"] or 0) for row in rows),
            "verified": sum(
                row["weight"] * (row["verified_level"] or 0)
                for row in rows
                if row["status"] == "verified"
            ),
            "max": rulepack.max_maturity,
        },
        "completeness": round(sum(row["status"] in COMPLETE for row in rows) / len(rows), 4),
        "indicators": rows,
        "profile": {"findings": check_profile(profile, year, rulepack)},
    }
