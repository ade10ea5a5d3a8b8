"""The printable report for the head of region (fpdf2): a one-page summary, a unit table, a chart.

Text is set in DejaVu Sans when the font is installed (any Unicode); otherwise in the core
Helvetica, whose Latin-1 alphabet the text is folded into.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
BASIS_LABELS = {
    "claimed": "Klaim (diisi unit)",
    "supported": "Didukung dokumen",
    "verified": "Terverifikasi",
}
BAR = (46, 110, 180)
GRID = (200, 200, 200)


class _Report(FPDF):
    """A4 portrait with a page-number footer and a font that fits the text."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.face = "Helvetica"
        regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            self.face = "DejaVu"
        self.report_title = title
        self.set_title(self.safe(title))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def safe(self, value: Any) -> str:
        """The value as text the current font can show."""
        text = str(value)
        if self.face == "DejaVu":
            return text
        folded = unicodedata.normalize("NFKD", text)
        return folded.encode("latin-1", "ignore").decode("latin-1")

    def use_font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.face, "B" if bold else "", size)

    def line_text(self, value: Any, size: float = 10, bold: bool = False, height: float = 6):
        self.use_font(size, bold)
        self.multi_cell(0, height, self.safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def footer(self) -> None:
        self.set_y(-12)
        self.use_font(8)
        self.cell(0, 6, self.safe(f"{self.report_title} | halaman {self.page_no()}"), align="C")


def _table(
    pdf: _Report, widths: list[float], header: list[str], rows: list[list[Any]], size: float = 8.5
) -> None:
    """A bordered table whose cells wrap long text onto more lines, never cut it."""
    pdf.use_font(size)
    aligns = ["RIGHT" if all(isinstance(r[i], int | float) for r in rows) and rows else "LEFT"
              for i in range(len(widths))]  # fmt: skip
    with pdf.table(
        col_widths=widths, width=sum(widths), align="LEFT", line_height=5,
        text_align=aligns, headings_style=FontFace(emphasis="BOLD"), repeat_headings=1,
    ) as table:  # fmt: skip
        table.row([pdf.safe(h) for h in header])
        for values in rows:
            table.row([pdf.safe(v) for v in values])
    pdf.ln(2)


def _summary(pdf: _Report, data: dict[str, Any]) -> None:
    main = data["projections"][data["basis"]]
    pdf.line_text(data["title"], size=15, bold=True, height=8)
    pdf.line_text(f"{data['region']} - paket aturan {main['rulepack']}", size=10)
    pdf.line_text(f"Disusun {data['generated']}", size=9)
    pdf.ln(3)
    pdf.line_text("Proyeksi Indeks Inovasi Daerah (IID)", size=12, bold=True)
    rows = [
        [label, f"{p['iid']:.2f}", p["predicate"], f"{p['sid']:.2f}", f"{p['spd']:.2f}"]
        for basis, label in BASIS_LABELS.items()
        for p in [data["projections"][basis]]
    ]
    _table(pdf, [55, 22, 50, 26, 27], ["Basis", "IID", "Predikat", "SID", "SPD"], rows, 9.5)
    pdf.line_text(
        "IID: Indeks Inovasi Daerah (0-100); SID: skor Satuan Inovasi Daerah, dari inovasi "
        "unit-unit; SPD: skor Satuan Pemerintah Daerah, dari indikator milik daerah. "
        "Klaim: tingkat yang diisi unit; didukung dokumen: tingkat yang terbukti dari berkas; "
        "terverifikasi: tingkat yang ditetapkan verifikator.",
        size=8, height=4,
    )  # fmt: skip
    pdf.ln(2)
    required = main["yandas_required"]
    covered = main["yandas_covered"]
    pdf.line_text(
        f"Jumlah inovasi dinilai: {main['innovations']}; ditolak: {main['rejected']}. "
        f"Rumus menilai {main['k']} inovasi terbaik (k); {main['empty_seats']} dari k itu "
        "masih kosong karena inovasinya belum ada, dan setiap yang kosong bernilai nol."
    )
    total_affairs = len(main["affairs_covered"]) + len(main["affairs_uncovered"])
    rule = (
        f"{covered} / {required}: {covered} urusan tercakup dari {required} yang disyaratkan"
        if required is not None else f"{covered} urusan tercakup (tanpa syarat cakupan)"
    )  # fmt: skip
    pdf.line_text(
        f"Urusan pelayanan dasar (yandas) tercakup {rule}; ada {total_affairs} urusan "
        f"pelayanan dasar. Belum tercakup: {', '.join(main['affairs_uncovered']) or '-'}."
    )
    for note in main["notes"]:
        pdf.line_text(f"Catatan: {note}", size=9)
    pdf.ln(3)
    label = BASIS_LABELS[data["basis"]].lower()
    pdf.line_text(f"Lima langkah yang paling menaikkan indeks (basis {label})", 12, True)
    if not main["fixes"]:
        pdf.line_text("Tidak ada langkah perbaikan yang menaikkan indeks.")
    for number, fix in enumerate(main["fixes"][:5], start=1):
        pdf.line_text(f"{number}. (+{fix['gain']:.2f}) {fix['message']}", size=9.5, height=5)


def _unit_table(pdf: _Report, units: list[dict[str, Any]]) -> None:
    pdf.add_page()
    pdf.line_text("Kelengkapan data dukung per unit", size=12, bold=True)
    widths = [64, 16, 18, 14, 22, 26, 20]
    header = ["Unit", "Inovasi", "Lengkap", "Klaim", "Didukung dokumen", "Terverifikasi",
              "Wajib kosong"]  # fmt: skip
    rows = [
        [
            f"{unit['unit_name']} ({unit['unit']})",
            unit["innovations"],
            f"{unit['completeness_avg']:.0%}",
            unit["maturity_claimed"],
            unit["maturity_supported"],
            unit["maturity_verified"],
            unit["missing_mandatory"],
        ]
        for unit in units
    ]
    _table(pdf, widths, header, rows)
    if not any(unit["innovations"] for unit in units):
        pdf.line_text("Belum ada inovasi pada tahun ini.")
    pdf.line_text(
        "Lengkap: rata-rata kelengkapan data dukung inovasi unit. Klaim, didukung dokumen, "
        "terverifikasi: jumlah skor kematangan inovasi unit pada tiap basis. Wajib kosong: "
        "jumlah indikator wajib yang belum ada buktinya. Unit tanpa inovasi tercantum dengan nol.",
        size=8, height=4,
    )  # fmt: skip


def _chart(pdf: _Report, units: list[dict[str, Any]]) -> None:
    """Horizontal bars of average completeness per unit, drawn with rectangles and lines."""
    units = [unit for unit in units if unit["innovations"]]
    pdf.add_page()
    pdf.line_text("Grafik rata-rata kelengkapan per unit", size=12, bold=True)
    pdf.line_text("Unit yang mengirim inovasi, dengan kodenya (nama lengkap di tabel).", size=8)
    room = pdf.h - pdf.b_margin - pdf.get_y() - 15
    left, width = pdf.l_margin + 40, pdf.epw - 55
    bar = min(6.0, room / (1.5 * max(1, len(units))))
    top = pdf.get_y() + 7  # room for the scale labels above the grid
    pdf.set_draw_color(*GRID)
    pdf.use_font(7)
    for step in range(0, 101, 25):
        x = left + width * step / 100
        pdf.line(x, top, x, top + bar * 1.5 * max(1, len(units)))
        pdf.set_xy(x - 5, top - 5)
        pdf.cell(10, 4, f"{step}%", align="C")
    pdf.set_fill_color(*BAR)
    for index, unit in enumerate(units):
        y = top + index * bar * 1.5 + bar * 0.25
        pdf.set_xy(pdf.l_margin, y)
        pdf.use_font(min(8, bar * 1.8))
        name = pdf.safe(unit["unit"])
        pdf.cell(38, bar, name, align="R")
        share = max(0.0, min(1.0, unit["completeness_avg"]))
        if share > 0:
            pdf.rect(left, y, width * share, bar, style="F")
        pdf.set_xy(left + width * share + 1, y)
        pdf.cell(14, bar, f"{share:.0%}")
    pdf.set_y(top + bar * 1.5 * max(1, len(units)) + 4)


def render_summary(data: dict[str, Any]) -> bytes:
    """The PDF of ``data``: title, region, generated, basis, projections, units."""
    pdf = _Report(data["title"])
    pdf.add_page()
    _summary(pdf, data)
    _unit_table(pdf, data["units"])
    _chart(pdf, data["units"])
    return bytes(pdf.output())
