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


def _row(pdf: _Report, widths: list[float], values: list[Any], bold: bool = False) -> None:
    pdf.use_font(8.5, bold)
    for width, value in zip(widths, values, strict=True):
        text = pdf.safe(value)
        while text and pdf.get_string_width(text) > width - 2:
            text = text[:-1]
        align = "R" if isinstance(value, int | float) and not bold else "L"
        pdf.cell(width, 6, text, border=1, align=align)
    pdf.ln(6)


def _summary(pdf: _Report, data: dict[str, Any]) -> None:
    main = data["projections"][data["basis"]]
    pdf.line_text(data["title"], size=15, bold=True, height=8)
    pdf.line_text(f"{data['region']} - paket aturan {main['rulepack']}", size=10)
    pdf.line_text(f"Disusun {data['generated']}", size=9)
    pdf.ln(3)
    pdf.line_text("Proyeksi Indeks Inovasi Daerah (IID)", size=12, bold=True)
    widths = [60, 25, 40, 27, 28]
    _row(pdf, widths, ["Basis", "IID", "Predikat", "SID", "SPD"], bold=True)
    for basis, label in BASIS_LABELS.items():
        p = data["projections"][basis]
        _row(pdf, widths, [label, p["iid"], p["predicate"], p["sid"], p["spd"]])
    pdf.ln(3)
    required = main["yandas_required"]
    rule = f"syarat {required}" if required is not None else "tanpa syarat cakupan"
    pdf.line_text(
        f"Jumlah inovasi: {main['innovations']} (k = {main['k']}; kursi kosong: "
        f"{main['empty_seats']}; ditolak: {main['rejected']})."
    )
    pdf.line_text(
        f"Urusan pelayanan dasar tercakup: {main['yandas_covered']} dari "
        f"{len(main['affairs_covered']) + len(main['affairs_uncovered'])} ({rule}). "
        f"Belum tercakup: {', '.join(main['affairs_uncovered']) or '-'}."
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
    widths = [22, 58, 16, 20, 16, 18, 16, 14]
    header = ["Kode", "Unit", "Inovasi", "Lengkap", "Klaim", "Didukung", "Verif.", "Wajib-"]
    _row(pdf, widths, header, bold=True)
    for unit in units:
        _row(pdf, widths, [
            unit["unit"], unit["unit_name"], unit["innovations"],
            f"{unit['completeness_avg']:.0%}", unit["maturity_claimed"],
            unit["maturity_supported"], unit["maturity_verified"], unit["missing_mandatory"],
        ])  # fmt: skip
    if not units:
        pdf.line_text("Belum ada inovasi pada tahun ini.")
    pdf.line_text("Wajib-: jumlah indikator wajib yang belum ada buktinya.", size=8)


def _chart(pdf: _Report, units: list[dict[str, Any]]) -> None:
    """Horizontal bars of average completeness per unit, drawn with rectangles and lines."""
    pdf.ln(4)
    pdf.line_text("Grafik rata-rata kelengkapan per unit", size=12, bold=True)
    left, width, bar = pdf.l_margin + 40, pdf.epw - 55, 6
    if pdf.get_y() + 15 + bar * 1.5 * max(1, len(units)) > pdf.h - pdf.b_margin:
        pdf.add_page()
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
        pdf.use_font(8)
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
