"""The competition scoring core: weighted scores, mean, spread, rank, pass and ties (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from archive.competitions.ranking import Criterion, EntryScores, rank, weighted

CRITERIA = [Criterion("ide", "Ide", 40), Criterion("manfaat", "Manfaat", 35),
            Criterion("replikasi", "Replikasi", 25)]  # fmt: skip


def at(minute: int) -> datetime:
    return datetime(2026, 5, 1, 9, minute, tzinfo=UTC)


def test_weighted_score_is_the_weighted_sum_over_100() -> None:
    # 40*80 + 35*70 + 25*90 = 3200 + 2450 + 2250 = 7900 -> 79.0
    assert weighted(CRITERIA, {"ide": 80, "manfaat": 70, "replikasi": 90}) == 79
    assert weighted(CRITERIA, {"ide": 80, "manfaat": 70}) is None


def test_mean_spread_rank_and_pass_match_a_hand_calculation() -> None:
    entries = [
        EntryScores(1, "P-AAAA", at(1), {
            "j1": {"ide": 80, "manfaat": 70, "replikasi": 90},   # 79.0
            "j2": {"ide": 60, "manfaat": 60, "replikasi": 60},   # 60.0
        }),
        EntryScores(2, "P-BBBB", at(2), {
            "j1": {"ide": 90, "manfaat": 90, "replikasi": 90},   # 90.0
            "j2": {"ide": 70, "manfaat": 80, "replikasi": 50},   # 28 + 28 + 12.5 = 68.5
            "j3": {"ide": 70},                                   # incomplete: not counted
        }),
        EntryScores(3, "P-CCCC", at(3), {"j1": {}}),              # nothing scored yet
    ]  # fmt: skip
    out = rank(CRITERIA, 75, entries)
    assert [r.entry_id for r in out] == [2, 1, 3]
    best, second, unscored = out
    assert best.score == 79.25 and best.rank == 1 and best.passed  # (90 + 68.5) / 2
    assert best.spread == 21.5 and best.stdev == 10.75
    assert best.complete_judges == 2
    assert [(j.judge, j.weighted, j.complete) for j in best.judges] == [
        ("j1", 90.0, True),
        ("j2", 68.5, True),
        ("j3", None, False),
    ]
    assert second.score == 69.5 and second.rank == 2 and not second.passed
    assert unscored.score is None and unscored.rank is None and not unscored.passed


def test_passing_grade_is_inclusive_and_exact() -> None:
    # 40*75 + 35*75 + 25*75 = 75.00 exactly: passes a grade of 75, fails 75.01.
    entry = EntryScores(1, "P-AAAA", at(1), {"j": {"ide": 75, "manfaat": 75, "replikasi": 75}})
    assert rank(CRITERIA, 75, [entry])[0].passed
    assert not rank(CRITERIA, 75.01, [entry])[0].passed


def test_ties_go_to_the_heaviest_criterion_then_the_earlier_entry() -> None:
    # Both 70.0: A has ide 70, B has ide 85 (heaviest criterion) -> B first.
    a = EntryScores(1, "P-AAAA", at(1), {"j": {"ide": 70, "manfaat": 70, "replikasi": 70}})
    b = EntryScores(2, "P-BBBB", at(2), {"j": {"ide": 85, "manfaat": 60, "replikasi": 60}})
    assert [r.code for r in rank(CRITERIA, 0, [a, b])] == ["P-BBBB", "P-AAAA"]
    # Same scores everywhere: the earlier submission wins, whatever the input order.
    c = EntryScores(3, "P-CCCC", at(0), {"j": {"ide": 70, "manfaat": 70, "replikasi": 70}})
    assert [r.code for r in rank(CRITERIA, 0, [a, c])] == ["P-CCCC", "P-AAAA"]
    assert [r.rank for r in rank(CRITERIA, 0, [a, c])] == [1, 2]
