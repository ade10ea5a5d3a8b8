"""Property-style: random junk input never makes the engine raise, and the shape holds."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import pytest

from checklist.engine import STATUSES, evaluate
from checklist.rulepack import load_rulepack

KINDS = [*load_rulepack("iid-2026").kinds, "", "KEPUTUSAN", "???"]
CODES = [*load_rulepack("iid-2026").codes, "", "spd_visi_misi", "unknown"]


def _scalar(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            3,
            2**70,
            1.5,
            math.nan,
            math.inf,
            -math.inf,
            "",
            "  ",
            "2025-13-45",
            "2025-06-01",
            "2019",
            "tiga",
            "Kabupaten Tabalong",
            [],
            {},
            b"bytes",
            dt.date(2025, 1, 1),
            dt.datetime(2030, 1, 1),
            object(),
        ]
    )


def _maybe(rng: random.Random, good: Any) -> Any:
    return good if rng.random() < 0.6 else _scalar(rng)


def _facts(rng: random.Random) -> Any:
    if rng.random() < 0.15:
        return _scalar(rng)
    return {
        "kind": _maybe(rng, rng.choice(KINDS)),
        "number": _maybe(rng, "1 TAHUN 2025"),
        "date": _maybe(rng, f"{rng.randint(2015, 2028)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"),
        "title": _maybe(rng, f"Tahun Anggaran {rng.randint(2020, 2027)}"),
        "issuer": _maybe(rng, rng.choice(["Bupati Balangan", "Wali Kota Banjarmasin", None])),
        "names_innovation": _maybe(rng, rng.choice([True, False, None])),
        "people_count": _maybe(rng, rng.randint(0, 50)),
        "count": _maybe(rng, rng.randint(0, 8)),
        "value": _maybe(rng, rng.uniform(-10, 1000)),
        "year": _maybe(rng, None),
    }


def _evidence(rng: random.Random) -> Any:
    if rng.random() < 0.05:
        return _scalar(rng)
    items = []
    for index in range(rng.randint(0, 30)):
        if rng.random() < 0.05:
            items.append(_scalar(rng))
            continue
        items.append(
            {
                "id": _maybe(rng, index),
                "indicator": _maybe(rng, rng.choice(CODES)),
                "media_type": _maybe(
                    rng, rng.choice(["application/pdf", "image/jpeg", "video/mp4", None, "x/y"])
                ),
                "url": _maybe(rng, rng.choice([None, "https://youtu.be/x"])),
                "filename": _maybe(rng, rng.choice(["a.pdf", "b.JPG", "c", "d.docx"])),
                "extraction_status": _maybe(
                    rng,
                    rng.choice(
                        ["pending", "done", "no_text", "not_applicable", "encrypted", "failed"]
                    ),
                ),
                "facts": _facts(rng),
            }
        )
    return items


def _claims(rng: random.Random) -> Any:
    if rng.random() < 0.1:
        return _scalar(rng)
    return {
        rng.choice([*CODES, None, 3, ("tuple",)]): _maybe(
            rng, {"claimed_level": _maybe(rng, rng.randint(0, 3)), "basis": _maybe(rng, "c")}
        )
        for _ in range(rng.randint(0, 25))
    }


def _reviews(rng: random.Random) -> Any:
    if rng.random() < 0.3:
        return _scalar(rng)
    return {
        rng.choice(CODES): _maybe(
            rng,
            {
                "verified_level": _maybe(rng, rng.randint(0, 3)),
                "verdict": _maybe(rng, rng.choice(["sesuai", "tidak_sesuai"])),
                "note": _maybe(rng, "catatan"),
            },
        )
        for _ in range(rng.randint(0, 5))
    }


def _profile(rng: random.Random) -> Any:
    if rng.random() < 0.1:
        return _scalar(rng)
    keys = ["id", "name", "stage", "type", "design", "trial_date", "implementation_date"]
    return {key: _scalar(rng) for key in keys if rng.random() < 0.7}


@pytest.mark.parametrize("pack_id", ["iid-2024", "iid-2026"])
def test_random_junk_never_raises(pack_id):
    pack = load_rulepack(pack_id)
    rng = random.Random(20260427)
    for _ in range(300):
        result = evaluate(
            _profile(rng),
            _claims(rng),
            _evidence(rng),
            pack,
            _maybe(rng, pack.year),
            region=_maybe(rng, "Kabupaten Balangan"),
            reviews=_reviews(rng),
            unit_kind=_maybe(rng, rng.choice(["puskesmas", "blud", "skpd"])),
        )
        assert len(result["indicators"]) == 20
        assert 0 <= result["completeness"] <= 1
        assert 0 <= result["maturity"]["supported"] <= 111
        for entry in result["indicators"]:
            assert entry["status"] in STATUSES
            assert entry["gain_if_fixed"] >= 0
            assert entry["claimed_level"] in (0, 1, 2, 3)
            assert entry["supported_level"] in (None, 0, 1, 2, 3)
