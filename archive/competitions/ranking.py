"""A stage's results from its scores: plain data in, plain data out, exact arithmetic.

A judge's weighted score of an entry is sum(weight x score) / 100 over the stage's criteria
(weights are whole percents summing to 100, scores 0 to 100), counted only when the judge has
scored every criterion. An entry's score is the mean of its judges' weighted scores; the spread
(standard deviation and range) shows staff where judges disagree. Entries pass at or above the
stage's passing grade. Ties are broken, in order, by:

1. the higher mean score on the heaviest criterion (the first listed among equals),
2. the earlier submission of the entry,
3. the entry's code.

Fractions keep the comparisons exact, so a ranking always matches a hand calculation; floats
appear only in the output, rounded to two decimals.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

TIE_RULE = (
    "Nilai sama diurutkan menurut rata-rata nilai kriteria berbobot terbesar, lalu waktu "
    "pengajuan yang lebih awal, lalu kode peserta."
)


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: int


@dataclass(frozen=True)
class EntryScores:
    """One entry's scores in a stage: judge -> criterion key -> score (missing = not yet)."""

    entry_id: int
    code: str
    submitted_at: datetime | None
    judges: Mapping[str, Mapping[str, int]]


@dataclass
class JudgeResult:
    judge: str
    weighted: float | None  # None while the judge has not scored every criterion
    complete: bool


@dataclass
class EntryResult:
    entry_id: int
    code: str
    judges: list[JudgeResult]
    score: float | None
    stdev: float | None
    spread: float | None  # highest minus lowest weighted score
    rank: int | None
    passed: bool
    complete_judges: int
    criteria_means: dict[str, float] = field(default_factory=dict)


def weighted(criteria: Sequence[Criterion], scores: Mapping[str, int]) -> Fraction | None:
    """sum(weight x score) / 100, or None when a criterion is not scored yet."""
    if any(c.key not in scores for c in criteria):
        return None
    return Fraction(sum(c.weight * scores[c.key] for c in criteria), 100)


def _r(value: Fraction | float) -> float:
    return round(float(value), 2)


def rank(
    criteria: Sequence[Criterion], passing_grade: float, entries: Sequence[EntryScores]
) -> list[EntryResult]:
    """Results of every entry, best first; entries with no complete judge come last, unranked."""
    heaviest = max(criteria, key=lambda c: c.weight) if criteria else None
    grade = Fraction(str(passing_grade))
    keyed: list[tuple[tuple, EntryResult]] = []
    for entry in entries:
        judges: list[JudgeResult] = []
        totals: list[Fraction] = []
        complete_scores: list[Mapping[str, int]] = []
        for judge, scores in sorted(entry.judges.items()):
            value = weighted(criteria, scores)
            judges.append(
                JudgeResult(judge, None if value is None else _r(value), value is not None)
            )
            if value is not None:
                totals.append(value)
                complete_scores.append(scores)
        mean = sum(totals, Fraction(0)) / len(totals) if totals else None
        means = {
            c.key: _r(Fraction(sum(s[c.key] for s in complete_scores), len(complete_scores)))
            for c in criteria
            if complete_scores
        }
        heavy = (
            Fraction(sum(s[heaviest.key] for s in complete_scores), len(complete_scores))
            if heaviest and complete_scores
            else Fraction(0)
        )
        result = EntryResult(
            entry_id=entry.entry_id,
            code=entry.code,
            judges=judges,
            score=None if mean is None else _r(mean),
            stdev=_r(statistics.pstdev([float(t) for t in totals])) if totals else None,
            spread=_r(max(totals) - min(totals)) if totals else None,
            rank=None,
            passed=mean is not None and mean >= grade,
            complete_judges=len(totals),
            criteria_means=means,
        )
        submitted = entry.submitted_at.timestamp() if entry.submitted_at else float("inf")
        order = (mean is None, -(mean or 0), -heavy, submitted, entry.code)
        keyed.append((order, result))
    keyed.sort(key=lambda pair: pair[0])
    out = [result for _, result in keyed]
    for position, result in enumerate(out, start=1):
        if result.score is not None:
            result.rank = position
    return out
