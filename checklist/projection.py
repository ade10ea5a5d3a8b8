"""The projected regional index (IID) of a year on one basis, and the fixes that raise it most.

Pure: plain data in (the rule pack, each innovation's stored maturities and checklist summary,
the SPD on the basis), plain data out; ``archive.services.index_report`` loads the year and adds
its notes. Formula (``checklist.index.project_index``, constants from the year's rule pack):
SID = sum(maturity) / MAX(k, n) + count score; count score = count_weight x MIN(n, count_cap)
when at least ``yandas_required`` of the pack's basic-service affairs (yandas) are covered, else
0; IID = (SPD + SID) / total_max x 100.

* n counts every innovation of the year, drafts included; a rejected innovation stays in n with
  maturity 0 (a rejected innovation still divides, iid-index.md §2).
* Yandas coverage: an affair of ``formula.yandas_affairs`` is covered when its name appears, as
  whole words and ignoring case and punctuation ("&" reads "dan"), in the ``affairs`` text of a
  non-rejected innovation of the year. Abbreviations (PUPR, Trantibum) are not recognised.
* Fixes, each priced by ``checklist.scoring.price`` as the exact difference of the IID before
  and after (as shown, to two decimals):
  (a) ``indicator``: one innovation's indicator brought to its target level, measured in
  maturity points per basis when its checklist was stored (``checklist.summary``,
  ``checklist.scoring.fix_points``): claimed basis: claim it; supported basis: upload evidence
  that a machine can read (indicators only a person judges are left out); verified basis: have
  a verifier confirm it.
  (b) ``new_innovation_affair``: while the coverage rule is not met, a new innovation in an
  uncovered affair: n + 1, coverage + 1 (unlocking the count score when that reaches the
  requirement), and the new innovation assumed to reach the average maturity, on the basis, of
  the year's non-rejected innovations (0 when there are none).
  (c) ``new_innovation``: while n < k, a new innovation (same estimate) filling an empty seat.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checklist import scoring, summary
from checklist.index import iid_points_per_maturity_point, project_index
from checklist.rulepack import Formula, RulePack

BASES = scoring.BASES
FIX_LIMIT = 20
_KIND_ORDER = {"indicator": 0, "new_innovation_affair": 1, "new_innovation": 2}


@dataclass(frozen=True)
class YearInnovation:
    """One innovation of the year as the projection reads it."""

    id: int
    name: str
    rejected: bool
    affairs: str | None
    claimed: float
    supported: float
    verified: float
    summary: Mapping[str, Any] | None  # checklist.summary.summarize of its stored result

    def maturity(self, basis: str) -> float:
        """Its maturity on ``basis``; 0 when rejected (it still counts in n)."""
        return 0 if self.rejected else getattr(self, basis)


def _comma(value: float, places: int = 2, *, trim: bool = False) -> str:
    """A number as written in Indonesian sentences: 0,30 (``trim``: 12,5 and 12)."""
    text = f"{value:.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, padded, '&' read as 'dan'."""
    text = text.lower().replace("&", " dan ")
    return " " + " ".join(re.findall(r"[0-9a-z]+", text)) + " "


def affairs_coverage(formula: Formula, texts: list[str | None]) -> tuple[list[str], list[str]]:
    """(covered, uncovered) basic-service affairs, in pack order (rule in the module docstring)."""
    joined = [_words(text) for text in texts if text]
    covered: list[str] = []
    uncovered: list[str] = []
    for affair in formula.yandas_affairs:
        name = _words(affair)
        (covered if any(name in text for text in joined) else uncovered).append(affair)
    return covered, uncovered


def _action(basis: str, name: str, target: int, option: str, claimed: bool) -> str:
    """What to do, in Bahasa Indonesia, for an indicator fix on a basis."""
    level = f"{name} tingkat {target} ({option})"
    prepare = "" if claimed else f"klaim {level} dan "
    if basis == "claimed":
        return f"klaim {level} dan siapkan buktinya"
    if basis == "supported":
        return f"{prepare}unggah bukti yang mendukung {level}"
    return f"{prepare}lengkapi buktinya, lalu minta verifikator memeriksa {level}"


class Projector:
    """Prices changes of the year's inputs as exact IID differences."""

    def __init__(self, pack: RulePack, spd: float, maturities: list[float], covered: int):
        self.pack, self.spd, self.maturities, self.covered = pack, spd, maturities, covered
        self.now = self.iid(maturities, covered)

    def iid(self, maturities: list[float], covered: int) -> float:
        projected = project_index(self.pack.id, self.spd, maturities, covered, rulepack=self.pack)
        return float(projected["iid"])

    def gain(self, maturities: list[float], covered: int) -> float:
        return round(self.iid(maturities, covered) - self.now, 2)


def _indicator_candidates(
    innovations: Sequence[YearInnovation], basis: str, projector: Projector
) -> list[tuple[tuple[float, int, bool, int], YearInnovation, summary.Fix, float]]:
    """(sort key, entry, fix, gain) of every indicator fix with a gain.

    Each fix was measured when the checklist was stored (``checklist.summary``); here it is
    only priced, and turned into a message only when shown: a year of 1,000 innovations has
    tens of thousands of candidates.
    """
    formula = projector.pack.formula
    maturity_sum = sum(projector.maturities)
    n = len(projector.maturities)
    required = formula.yandas_required
    met = required is None or projector.covered >= required
    prices: dict[tuple[float, int], float] = {}  # the price depends on these two only
    candidates: list[tuple[tuple[float, int, bool, int], YearInnovation, summary.Fix, float]] = []
    for position, innovation in enumerate(innovations):
        if innovation.rejected:
            continue
        current = projector.maturities[position]
        for fix in summary.fixes(innovation.summary, basis):
            points = fix.points
            gain = prices.get((current, points))
            if gain is None:
                gain = scoring.price(formula, projector.spd, maturity_sum, n, met, current, points)
                prices[current, points] = gain
            if gain <= 0:
                continue
            key = (-gain, _KIND_ORDER["indicator"], not fix.mandatory, len(candidates))
            candidates.append((key, innovation, fix, gain))
    return candidates


def _indicator_fix(
    pack: RulePack, basis: str, innovation: YearInnovation, fix: summary.Fix, gain: float
) -> dict[str, Any]:
    code, points, mandatory, target, claimed = fix
    spec = pack.indicator(code)
    option = spec.levels[target].option if spec else ""
    name = spec.name if spec else code
    action = _action(basis, name, target, option, claimed)
    return {
        "kind": "indicator",
        "innovation_id": innovation.id,
        "innovation_name": innovation.name,
        "indicator": code,
        "target_level": target,
        "mandatory": mandatory,
        "maturity_gain": points,
        "gain": gain,
        "message": f"{innovation.name}: {action}; indeks naik {_comma(gain)} poin.",
    }


def _new_innovation_fixes(
    innovations: Sequence[YearInnovation], basis: str, projector: Projector, uncovered: list[str]
) -> list[dict[str, Any]]:
    formula = projector.pack.formula
    counted = [i.maturity(basis) for i in innovations if not i.rejected]
    expected = round(sum(counted) / len(counted), 2) if counted else 0.0
    grown = [*projector.maturities, expected]
    n = len(projector.maturities)
    assumption = f"dengan kematangan rata-rata {_comma(expected, 2, trim=True)} poin"
    fixes = []
    required = formula.yandas_required
    if required is not None and projector.covered < required:
        unlocks = projector.covered + 1 >= required
        gain = projector.gain(grown, projector.covered + 1)
        for affair in uncovered if gain > 0 else []:
            effect = ("skor jumlah inovasi kembali dihitung" if unlocks else
                      f"masih perlu {required - projector.covered - 1} urusan lagi")  # fmt: skip
            fixes.append(
                {
                    "kind": "new_innovation_affair",
                    "affair": affair,
                    "assumed_maturity": expected,
                    "unlocks_count_score": unlocks,
                    "gain": gain,
                    "message": (
                        f"Daftarkan inovasi baru pada urusan {affair} ({assumption}): cakupan "
                        f"urusan pelayanan dasar menjadi {projector.covered + 1} dari "
                        f"{len(formula.yandas_affairs)} (syarat {required}), {effect}; indeks "
                        f"naik {_comma(gain)} poin."
                    ),
                }
            )
    if n < formula.k:
        gain = projector.gain(grown, projector.covered)
        if gain > 0:
            fixes.append(
                {
                    "kind": "new_innovation",
                    "assumed_maturity": expected,
                    "empty_seats": formula.k - n,
                    "gain": gain,
                    "message": (
                        f"Daftarkan inovasi baru ({assumption}): baru {n} inovasi, pembagi "
                        f"tetap k = {formula.k}, jadi ada {formula.k - n} kursi kosong; indeks "
                        f"naik {_comma(gain)} poin per inovasi."
                    ),
                }
            )
    return fixes


def rank_index_fixes(
    innovations: Sequence[YearInnovation],
    basis: str,
    projector: Projector,
    uncovered: list[str],
    limit: int | None,
) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` fixes with a positive gain (all when None) and how many there are.

    Highest gain first, then indicator fixes before new innovations, mandatory first, then
    the order of the year's innovations and indicators.
    """
    candidates: list[tuple[Any, ...]] = list(_indicator_candidates(innovations, basis, projector))
    for fix in _new_innovation_fixes(innovations, basis, projector, uncovered):
        key = (-fix["gain"], _KIND_ORDER[fix["kind"]], True, len(candidates))
        candidates.append((key, fix))
    total = len(candidates)
    chosen = sorted(candidates) if limit is None else heapq.nsmallest(limit, candidates)
    fixes = [
        item[1] if len(item) == 2 else _indicator_fix(projector.pack, basis, *item[1:])
        for item in chosen
    ]
    return fixes, total


def project_year(
    pack: RulePack,
    year: int,
    innovations: Sequence[YearInnovation],
    spd: float,
    basis: str,
    limit: int | None = FIX_LIMIT,
) -> dict[str, Any]:
    """The projected index of a year on one basis and its first ``limit`` fixes.

    ``spd`` is the region's SPD on ``basis``; ``limit=0`` skips pricing the fixes.
    """
    formula = pack.formula
    maturities = [innovation.maturity(basis) for innovation in innovations]
    texts = [i.affairs for i in innovations if not i.rejected]
    covered, uncovered = affairs_coverage(formula, texts)
    projected = project_index(pack.id, spd, maturities, len(covered), rulepack=pack)
    projector = Projector(pack, spd, maturities, len(covered))
    fixes, total = (
        rank_index_fixes(innovations, basis, projector, uncovered, limit) if limit != 0 else ([], 0)
    )
    return {
        "year": year,
        "rulepack": pack.id,
        "basis": basis,
        "innovations": len(maturities),
        "rejected": sum(innovation.rejected for innovation in innovations),
        "k": formula.k,
        "divisor": projected["divisor"],
        "empty_seats": projected["empty_seats"],
        "maturity_sum": projected["maturity_sum"],
        "maturity_score": projected["maturity_score"],
        "count_score": projected["count_score"],
        "sid": projected["sid"],
        "spd": projected["spd"],
        "spd_max": formula.spd_max,
        "iid": projected["iid"],
        "predicate": projected["predicate"],
        "yandas_covered": len(covered),
        "yandas_required": formula.yandas_required,
        "yandas_met": projected["yandas_met"],
        "affairs_covered": covered,
        "affairs_uncovered": uncovered,
        "iid_per_maturity_point": round(iid_points_per_maturity_point(formula, len(maturities)), 6),
        "fixes_total": total,
        "fixes": fixes,
    }
