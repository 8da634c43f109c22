"""Trend charts as plain server-rendered SVG: the same markup shows on screen and prints in PDFs.

No JavaScript. The SVG scales to its container (viewBox), so it fits a 375px-wide phone.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 420, 270
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 18, 84
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#6f72af")
DASHES = ("", "6 4", "2 3", "10 3 2 3")


@dataclass
class Series:
    label: str
    values: list  # one per year; None where there is no figure
    dashed: bool = False


def _fmt(value) -> str:
    if isinstance(value, Decimal):
        value = float(value)
    return f"{value:g}"


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low or 1.0
    raw = span / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step / 2:
        ticks.append(round(value, 6))
        value += step
    return ticks


def line_chart(*, title: str, years: list[str], series: list[Series], unit: str = "") -> SafeString:
    """A line chart of one measure over years; the description lists every figure for screen readers."""
    points = [float(v) for s in series for v in s.values if v is not None]
    if not points or not years:
        return mark_safe("")
    low, high = min(points + [0.0]) if unit != "%" else 0.0, max(points + [0.0])
    if unit == "%":
        high = max(100.0, high)
    if low == high:
        high = low + 1
    ticks = _ticks(low, high)
    low, high = min(ticks[0], low), max(ticks[-1], high)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / len(years))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = []
    for t in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{"#0b0c0c" if t == 0 else "#b1b4b6"}" stroke-width="{1.5 if t == 0 else 0.5}"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="15">{_fmt(t)}{unit}</text>')
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" font-size="15">{escape(year)}</text>'
        )
    described = []
    for n, s in enumerate(series):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[1 if s.dashed else n % len(DASHES)]
        segment: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                if len(segment) > 1:
                    parts.append(_path(segment, colour, dash))
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(float(v)):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="4" fill="{colour}"/>')
            parts.append(
                f'<text x="{x(i) + 6:.1f}" y="{y(float(v)) - 6:.1f}" font-size="14" fill="{colour}">{_fmt(v)}</text>'
            )
        if len(segment) > 1:
            parts.append(_path(segment, colour, dash))
        legend_y = HEIGHT - BOTTOM + 46 + (n // 2) * 20
        legend_x = 8 + (n % 2) * 205
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="3"{_dash(dash)}/>'
        )
        parts.append(f'<text x="{legend_x + 30}" y="{legend_y}" font-size="15">{escape(s.label)}</text>')
        figures = ", ".join(
            f"{year} {_fmt(v)}{unit}" if v is not None else f"{year} not published"
            for year, v in zip(years, s.values, strict=True)
        )
        described.append(f"{s.label}: {figures}")
    description = escape(". ".join(described))
    return mark_safe(
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{_id(title)}-t {_id(title)}-d">'
        f'<title id="{_id(title)}-t">{escape(title)}</title><desc id="{_id(title)}-d">{description}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def _path(points: list[str], colour: str, dash: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"{_dash(dash)}/>'


def _dash(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
