"""Bar charts as SVG geometry: scaled to the data, unknown values shown as a dash, no bar."""

from __future__ import annotations

from archive.web.charts import PLOT_HEIGHT, bar_chart


def test_bars_are_scaled_to_the_largest_value_and_stand_on_one_baseline():
    chart = bar_chart("Inovasi", [("2020", 18), ("2021", 32), ("2022", 112)])
    heights = [bar.height for bar in chart.bars]
    assert heights[2] == PLOT_HEIGHT
    assert heights[0] == PLOT_HEIGHT * 18 / 112
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert [bar.text for bar in chart.bars] == ["18", "32", "112"]
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs) and xs[-1] + chart.bar_width < chart.width


def test_an_unknown_value_is_a_dash_without_a_bar_and_a_fixed_scale_is_kept():
    chart = bar_chart("IID", [("2021", None), ("2026", 50.0)], lambda v: f"{v:.1f}", scale_max=100)
    unknown, known = chart.bars
    assert (unknown.known, unknown.height, unknown.text) == (False, 0, "-")
    assert known.height == PLOT_HEIGHT / 2 and known.text == "50.0"


def test_no_data_draws_nothing_without_dividing_by_zero():
    chart = bar_chart("Kosong", [("2026", 0)])
    assert chart.bars[0].height == 0 and chart.bars[0].known
    assert bar_chart("Kosong", []).bars == []
