"""Bar charts drawn as inline SVG: geometry computed here, markup in ``templates/charts``.

No chart library and no script: the page stays readable without JavaScript and under the
CSP, and every chart sits beside a table with the same numbers (colour carries nothing alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PLOT_HEIGHT = 120  # the tallest bar
TOP = 22  # room for the value above the tallest bar
BOTTOM = 24  # room for the labels under the bars
BAR = 40
GAP = 18


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown ("-" when unknown)
    x: float
    y: float
    height: float
    known: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    width: float
    height: float
    baseline: float
    bar_width: float
    bars: list[Bar]


def bar_chart(
    title: str,
    points: list[tuple[str, float | None]],
    text: Callable[[float], str] = lambda v: f"{v:g}",
    *,
    scale_max: float | None = None,
) -> BarChart:
    """Bars scaled to the largest value (or ``scale_max``); unknown values draw no bar."""
    known = [value for _, value in points if value is not None]
    top = scale_max if scale_max is not None else max(known, default=0)
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for position, (label, value) in enumerate(points):
        x = GAP + position * (BAR + GAP)
        height = PLOT_HEIGHT * value / top if value is not None and top > 0 else 0.0
        shown = "-" if value is None else text(value)
        bars.append(Bar(label, shown, x, baseline - height, height, value is not None))
    width = GAP + len(points) * (BAR + GAP)
    return BarChart(title, width, baseline + BOTTOM, baseline, BAR, bars)
