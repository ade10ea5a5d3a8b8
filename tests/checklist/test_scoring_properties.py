"""One scoring core, checked on generated years: every view of a fix agrees with the others.

The engine's ``gain_if_fixed``, the next steps' ranking and the projected index each read
``checklist.scoring``; here Hypothesis builds years of innovations with any mix of statuses and
levels and checks that the views agree, and that applying a fix the projection promises raises
the index by exactly the promised gain.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist import scoring
from checklist.next_steps import rank_fixes
from checklist.projection import YearInnovation, project_year
from checklist.rulepack import load_rulepack
from checklist.summary import fixes, summarize

PACK = load_rulepack("iid-2026")
AFFAIRS = [*PACK.formula.yandas_affairs, "Pariwisata", None]
STATUSES = ["missing", "pending", "weak", "ok", "needs_review", "verified", "rejected"]


@st.composite
def indicator_row(draw, indicator) -> dict:
    status = draw(st.sampled_from(STATUSES))
    claimed = draw(st.integers(0, 3))
    person_only = status == "needs_review" or (draw(st.booleans()) and status != "weak")
    supported = None if person_only else draw(st.integers(0, 3))
    verified = draw(st.integers(1, 3)) if status == "verified" else None
    if status == "rejected":
        verified = 0
    row = {
        "code": indicator.code, "name": indicator.name, "mandatory": indicator.mandatory,
        "weight": indicator.weight, "claimed_level": claimed, "supported_level": supported,
        "verified_level": verified, "status": status, "findings": [],
    }  # fmt: skip
    row["gain_if_fixed"] = scoring.own_fix_points(row)
    return row


@st.composite
def checklist_result(draw, innovation_id: int) -> dict:
    rows = [draw(indicator_row(indicator)) for indicator in PACK.indicators]
    verified = sum(
        r["weight"] * (r["verified_level"] or 0) for r in rows if r["status"] == "verified"
    )
    return {
        "innovation_id": innovation_id,
        "rulepack": PACK.id,
        "maturity": {
            "claimed": sum(r["weight"] * r["claimed_level"] for r in rows),
            "supported": sum(r["weight"] * (r["supported_level"] or 0) for r in rows),
            "verified": verified,
            "max": PACK.max_maturity,
        },
        "indicators": rows,
        "profile": {"findings": []},
    }


@st.composite
def year(draw) -> tuple[list[dict], list[YearInnovation]]:
    n = draw(st.integers(1, 14))
    results = [draw(checklist_result(i + 1)) for i in range(n)]
    innovations = [
        YearInnovation(
            id=result["innovation_id"],
            name=f"Inovasi {result['innovation_id']}",
            rejected=draw(st.booleans()) and draw(st.booleans()),
            affairs=draw(st.sampled_from(AFFAIRS)),
            summary=summarize(result),
            **{basis: result["maturity"][basis] for basis in scoring.BASES},
        )
        for result in results
    ]
    return results, innovations


EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(year())
def test_the_views_of_one_indicator_agree(generated):
    results, _ = generated
    for result in results:
        for row in result["indicators"]:
            own = scoring.own_fix_points(row)
            # The unit's own step is the supported basis's while a machine reads the evidence,
            # and the verified basis's once a verifier turned it down.
            if row["status"] == "rejected":
                assert own == scoring.fix_points(row, "verified")
            elif row["status"] in ("verified", "needs_review"):
                assert own == 0 == scoring.fix_points(row, "supported")
            elif row["supported_level"] is not None:
                assert own == scoring.fix_points(row, "supported")
    n = len(results)
    ranked = [r for r in rank_fixes(results) if r["indicator"]]
    by_key = {(r["innovation_id"], r["code"]): r for res in results for r in [
        {**row, "innovation_id": res["innovation_id"]} for row in res["indicators"]]}  # fmt: skip
    for fix in ranked:
        row = by_key[fix["innovation_id"], fix["indicator"]]
        assert fix["gain"] == row["gain_if_fixed"] == scoring.own_fix_points(row) > 0
        assert fix["iid_gain"] == round(scoring.iid_estimate(PACK.formula, n, fix["gain"]), 3)


def _apply(innovations: list[YearInnovation], fix: dict, basis: str) -> list[YearInnovation]:
    """The year after the fix: one innovation's maturity raised, or one innovation added."""
    if fix["kind"] == "indicator":
        return [
            YearInnovation(
                **{
                    **vars(i),
                    basis: min(PACK.formula.sid_max, getattr(i, basis) + fix["maturity_gain"]),
                }
            )
            if i.id == fix["innovation_id"]
            else i
            for i in innovations
        ]
    added = YearInnovation(
        id=0, name="baru", rejected=False, affairs=fix.get("affair"), summary=None,
        **{b: fix["assumed_maturity"] if b == basis else 0 for b in scoring.BASES},
    )  # fmt: skip
    return [*innovations, added]


@EXAMPLES
@given(year(), st.sampled_from(scoring.BASES), st.floats(0, PACK.formula.spd_max))
def test_each_promised_gain_is_exactly_what_applying_the_fix_adds(generated, basis, spd):
    _, innovations = generated
    spd = round(spd, 2)
    before = project_year(PACK, 2026, innovations, spd, basis, limit=None)
    assert before["fixes_total"] == len(before["fixes"])
    gains = [fix["gain"] for fix in before["fixes"]]
    assert gains == sorted(gains, reverse=True) and all(gain > 0 for gain in gains)
    for fix in before["fixes"][:5]:
        after = project_year(PACK, 2026, _apply(innovations, fix, basis), spd, basis, limit=0)
        assert after["iid"] - before["iid"] == pytest.approx(fix["gain"], abs=1e-9)
        if fix["kind"] == "indicator":
            owner = next(i for i in innovations if i.id == fix["innovation_id"])
            stored = {f.code: f.points for f in fixes(owner.summary, basis)}
            assert fix["maturity_gain"] == stored[fix["indicator"]]
