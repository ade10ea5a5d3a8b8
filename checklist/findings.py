"""Findings: small dicts {code, severity, message} with Indonesian messages for admins."""

from __future__ import annotations

from typing import Final

from checklist.types import Finding, Severity

ERROR: Final = "error"
WARNING: Final = "warning"
INFO: Final = "info"
SEVERITY_RANK: dict[str, int] = {ERROR: 0, WARNING: 1, INFO: 2}

# Every finding code the engine emits, with what it means (developer documentation).
CODES = {
    "MISSING": "no evidence uploaded for the indicator",
    "MISSING_MANDATORY": "no evidence for a mandatory indicator (blocks submission)",
    "NO_TEXT": "a scan without a text layer; its facts could not be read",
    "UNREADABLE": "an encrypted or broken file",
    "WRONG_KIND": "a document kind the indicator does not accept",
    "WRONG_FILE_TYPE": "a file format other than the ones the guidance asks for",
    "KIND_UNKNOWN": "the document kind was not recognised",
    "CLAIM_ABOVE_PROOF": "the claimed level is higher than the documents support",
    "OUT_OF_WINDOW": "a document dated outside the years the indicator counts",
    "NO_DATE": "a dated document without a readable date or budget year",
    "NOT_NAMED": "the document never names the innovation",
    "ISSUER_MISMATCH": "the document was issued by another region",
    "MISSING_PART": "a required companion document is missing (Perda without Perkada/SK, ...)",
    "TOO_FEW": "a count-based level is not reached",
    "COUNT_MISSING": "the count could not be read; a person counts",
    "VALUE_MISSING": "the measured value could not be read; a person judges",
    "BASIS_MISSING": "no or an unknown measurement basis was chosen; the default is used",
    "NEEDS_REVIEW": "only a person can judge this evidence (video, photo, link)",
    "UNCLAIMED": "the documents support a level that was not claimed",
    "PENDING": "files are still being read",
    "REJECTED": "a verifier judged the indicator 'tidak sesuai'",
    "FIELD_EMPTY": "a required profile field is empty",
    "INVALID_VALUE": "a profile field holds a value outside its list",
    "INVALID_DATE": "a profile date could not be read",
    "DESIGN_TOO_SHORT": "rancang bangun under the minimum word count",
    "DATE_ORDER": "trial date after implementation date",
    "STAGE_MISMATCH": "the stage contradicts the dates",
    "NOT_ELIGIBLE": "implementation outside the assessment year's window",
}


def finding(code: str, severity: Severity, message: str, field: str | None = None) -> Finding:
    """One finding; ``field`` names the profile field it is about."""
    made: Finding = {"code": code, "severity": severity, "message": message}
    if field is not None:
        made["field"] = field
    return made


def join_or(words: list[str], conjunction: str = "atau") -> str:
    """'a', 'a atau b', 'a, b atau c'."""
    words = [word for word in words if word]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop repeated findings (same code and message), keeping the first."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in findings:
        key = (item["code"], item["message"])
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
