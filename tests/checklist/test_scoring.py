"""The price of a fix equals the difference of two full projections of the index."""

import random

import pytest

from checklist import scoring
from checklist.index import project_index
from checklist.rulepack import load_rulepack

PACK = load_rulepack("iid-2026")


@pytest.mark.parametrize("seed", range(40))
def test_a_fix_is_priced_as_the_index_difference_it_makes(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    maturities = [float(rng.randint(0, 111)) for _ in range(n)]
    covered = rng.randint(0, 6)
    spd = float(rng.randint(0, 63))
    position = rng.randrange(n)
    points = rng.randint(1, 12)
    before = project_index(PACK.id, spd, maturities, covered, rulepack=PACK)
    raised = list(maturities)
    raised[position] = min(111, raised[position] + points)
    after = project_index(PACK.id, spd, raised, covered, rulepack=PACK)
    priced = scoring.price(
        PACK.formula, spd, sum(maturities), n, before["yandas_met"], maturities[position], points
    )
    assert priced == pytest.approx(round(after["iid"] - before["iid"], 2), abs=1e-9)


def test_fix_points_per_basis():
    row = {"weight": 3, "claimed_level": 2, "supported_level": 1, "status": "weak"}
    assert scoring.fix_points(row, "claimed") == 0
    assert scoring.fix_points(row, "supported") == 3
    assert scoring.fix_points(row, "verified") == 6
    unclaimed = {"weight": 2, "claimed_level": 0, "supported_level": None, "status": "missing"}
    assert scoring.fix_points(unclaimed, "claimed") == 6  # target is level 3
    assert scoring.fix_points(unclaimed, "supported") == 0  # only a person judges it
