"""Ready competition templates: the KIPP proposal and the IGA head-of-region presentation.

Sources (see ../shared/reference/iid-index.md §5-6, confidence in brackets):
- KIPP sections and word limits: the KIPP 2021-style form copied in the provincial KOVABLIK
  forms [C2]; the desk-evaluation weights per section from a 2026 KIPP-format draft [C3,
  unverified]; the passing grade of 85 from the 2025 competition [C1].
- KIPP presentation criteria: the KOVABLIK Jatim presentation stage [C3].
- IGA presentation criteria: kebaharuan 30, kemanfaatan 25, kewenangan daerah dan kolaborasi 15,
  replikasi dan aplikatif 20, penguasaan materi 10 [C1, bskdn.kemendagri.go.id, 2023].
Staff change any of it before a stage opens; the templates only save typing.
"""

from __future__ import annotations

from typing import Any

KIPP_SECTIONS: list[dict[str, Any]] = [
    {"key": "ringkasan", "title": "Ringkasan", "word_limit": 200},
    {"key": "ide_inovatif", "title": "Ide Inovatif", "word_limit": 600},
    {"key": "signifikansi", "title": "Signifikansi", "word_limit": 600},
    {"key": "kontribusi_tpb", "title": "Kontribusi terhadap Capaian TPB/SDGs", "word_limit": 200},
    {"key": "adaptabilitas", "title": "Adaptabilitas", "word_limit": 400},
    {"key": "keberlanjutan", "title": "Keberlanjutan", "word_limit": 600},
    {"key": "kolaborasi", "title": "Kolaborasi Pemangku Kepentingan", "word_limit": 200},
]

KIPP_DESK = [
    {"key": "ringkasan", "name": "Ringkasan", "weight": 5},
    {"key": "ide_inovatif", "name": "Ide Inovatif", "weight": 20},
    {"key": "signifikansi", "name": "Signifikansi", "weight": 25},
    {"key": "kontribusi_tpb", "name": "Kontribusi terhadap TPB/SDGs", "weight": 5},
    {"key": "adaptabilitas", "name": "Adaptabilitas", "weight": 20},
    {"key": "keberlanjutan", "name": "Keberlanjutan", "weight": 20},
    {"key": "kolaborasi", "name": "Kolaborasi Pemangku Kepentingan", "weight": 5},
]

KIPP_PRESENTATION = [
    {"key": "paparan", "name": "Paparan", "weight": 30},
    {"key": "materi", "name": "Penguasaan materi", "weight": 50},
    {"key": "video", "name": "Video", "weight": 10},
    {"key": "kehadiran_pimpinan", "name": "Kehadiran pimpinan", "weight": 10},
]

IGA_PRESENTATION = [
    {"key": "kebaharuan", "name": "Kebaharuan", "weight": 30},
    {"key": "kemanfaatan", "name": "Kemanfaatan", "weight": 25},
    {"key": "kewenangan_kolaborasi", "name": "Kewenangan daerah dan kolaborasi", "weight": 15},
    {"key": "replikasi", "name": "Replikasi dan aplikatif", "weight": 20},
    {"key": "penguasaan", "name": "Penguasaan materi dan kualitas penyajian", "weight": 10},
]

TEMPLATES: dict[str, dict[str, Any]] = {
    "kipp": {
        "label": "KIPP (proposal tertulis, lalu presentasi)",
        "eligible": ["verified", "published"],
        "sections": KIPP_SECTIONS,
        "stages": [
            {
                "name": "Evaluasi proposal",
                "kind": "desk",
                "blind": True,
                "passing_grade": 85.0,
                "criteria": KIPP_DESK,
            },
            {
                "name": "Presentasi dan wawancara",
                "kind": "presentasi",
                "blind": False,
                "passing_grade": 70.0,
                "criteria": KIPP_PRESENTATION,
            },
        ],
    },
    "iga": {
        "label": "IGA (presentasi kepala daerah)",
        "eligible": ["verified", "published"],
        "sections": [{"key": "ringkasan", "title": "Ringkasan", "word_limit": 300}],
        "stages": [
            {
                "name": "Presentasi kepala daerah",
                "kind": "presentasi",
                "blind": False,
                "passing_grade": 70.0,
                "criteria": IGA_PRESENTATION,
            },
        ],
    },
}
