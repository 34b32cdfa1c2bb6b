"""Chart data: one metric's values as a line chart, x spaced by date.

``line_chart(rows)`` lays out rows (each with ``date`` — an ISO date or
``YYYY-MM`` — ``value`` and ``label``) in pixels: points sit at their date's
distance along the x axis (a missing month leaves a gap), y ticks are round
numbers, and only as many x labels are printed as fit without overlapping.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

LABEL_PX = 64  # room one "Mar 2014" label needs at 12px
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the date, as printed on the axis
    value: float
    href: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    margin: int
    points: tuple[ChartPoint, ...]
    y_ticks: tuple[tuple[float, str], ...]  # (pixel y, label)
    x_labels: tuple[tuple[float, str], ...]  # (pixel x, label): the ones that fit
    unit: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def to_date(value: str | None) -> dt.date | None:
    """An ISO date, or the 15th of a ``YYYY-MM`` month (the middle, so months space evenly)."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 15)
    except ValueError:
        return None
    return None


def month_label(value: str | None) -> str:
    """``2014-03-31`` or ``2014-03`` as ``Mar 2014``."""
    day = to_date(value)
    return f"{MONTH_ABBR[day.month - 1]} {day.year}" if day else (value or "")


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``lo``..``hi``."""
    span = hi - lo or abs(hi) or 1.0
    raw = span / max(count - 1, 1)
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * step:
            step *= m
            break
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if len(ticks) < 2:
        ticks.append(round(start + step, 10))
    return ticks


def _x_positions(rows: list[dict], left: float, plot_w: float) -> list[float]:
    days = [to_date(r.get("date")) for r in rows]
    if all(days) and len({d.toordinal() for d in days}) > 1:
        first, last = min(days).toordinal(), max(days).toordinal()
        return [round(left + plot_w * (d.toordinal() - first) / (last - first), 1) for d in days]
    if len(rows) == 1:
        return [round(left + plot_w / 2, 1)]
    return [round(left + plot_w * i / (len(rows) - 1), 1) for i in range(len(rows))]


def _fitting_labels(points: list[ChartPoint], plot_w: float) -> tuple[tuple[float, str], ...]:
    """Every point's label when they fit, else every k-th one (always the last)."""
    if not points:
        return ()
    room = max(int(plot_w // LABEL_PX), 1)
    step = max(math.ceil(len(points) / room), 1)
    chosen = [p for i, p in enumerate(points) if i % step == 0]
    if points[-1] not in chosen:
        if chosen and points[-1].x - chosen[-1].x < LABEL_PX:
            chosen.pop()
        chosen.append(points[-1])
    return tuple((p.x, p.label) for p in chosen)


def line_chart(
    rows: list[dict], *, width: int = 720, height: int = 320, margin: int = 56, href=lambda row: ""
) -> Chart:
    """Lay out ``rows`` (in date order) as a line chart in pixels."""
    values = [float(r["value"]) for r in rows]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo >= 0 and lo < hi / 3:
        lo = 0.0
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def y_of(v: float) -> float:
        return round(margin + plot_h * (1 - (v - lo) / ((hi - lo) or 1.0)), 1)

    xs = _x_positions(rows, margin, plot_w)
    points = [
        ChartPoint(
            x=x, y=y_of(float(r["value"])), label=str(r["label"]), value=float(r["value"]), href=href(r)
        )
        for x, r in zip(xs, rows, strict=True)
    ]
    return Chart(
        width=width,
        height=height,
        margin=margin,
        points=tuple(points),
        y_ticks=tuple((y_of(t), f"{t:,.10g}") for t in ticks),
        x_labels=_fitting_labels(points, plot_w),
        unit=str(rows[0].get("unit") or "") if rows else "",
    )
