"""Boxes on a page: PDF points to image pixels, paragraph and word boxes, page furniture.

Boxes are ``(x0, top, x1, bottom)`` in PDF points with a top-left origin (as
pdfplumber and the database store them). The source view places highlights in
percentages of the page so they stay on their words at any display width.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

Box = tuple[float, float, float, float]
# A band of the page outside every paragraph this tall or taller is shown dimmed as furniture.
MIN_FURNITURE_PT = 8.0


@dataclass(frozen=True)
class PixelBox:
    """A highlight rectangle in image pixels, top-left origin."""

    left: float
    top: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return f"left:{self.left}px;top:{self.top}px;width:{self.width}px;height:{self.height}px"


def to_pixels(x0: float, top: float, x1: float, bottom: float, scale: float = 1.5) -> PixelBox:
    """Scale a box in PDF points (pdfplumber's top-left origin) to image pixels."""
    return PixelBox(
        left=round(x0 * scale, 1),
        top=round(top * scale, 1),
        width=round((x1 - x0) * scale, 1),
        height=round((bottom - top) * scale, 1),
    )


def percent_style(box: Box, width: float, height: float) -> str:
    """CSS placing ``box`` (points) in percentages of a ``width`` x ``height`` page."""
    x0, top, x1, bottom = box
    return (
        f"left:{100 * x0 / width:.3f}%;top:{100 * top / height:.3f}%;"
        f"width:{100 * (x1 - x0) / width:.3f}%;height:{100 * (bottom - top) / height:.3f}%"
    )


def paragraph_boxes(row: dict, page: int) -> list[Box]:
    """The boxes (points) where a paragraph was printed on ``page``: its spans
    there, or its overall box when it has no spans and starts on that page."""
    spans = json.loads(row.get("spans") or "[]")
    boxes = [tuple(s[3:7]) for s in spans if s[2] == page]
    if not boxes and row.get("page_start") == page and row.get("x0") is not None:
        boxes = [(row["x0"], row["top"], row["x1"], row["bottom"])]
    return boxes


def merge_lines(boxes: list[Box]) -> list[Box]:
    """Join word boxes that share a line into one box per line (fewer, calmer rectangles)."""
    lines: list[list[float]] = []
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
        for line in lines:
            overlap = min(line[3], bottom) - max(line[1], top)
            if overlap > 0.5 * min(line[3] - line[1], bottom - top):
                line[0], line[1] = min(line[0], x0), min(line[1], top)
                line[2], line[3] = max(line[2], x1), max(line[3], bottom)
                break
        else:
            lines.append([x0, top, x1, bottom])
    return [tuple(line) for line in lines]


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def _distance(a: Box, b: Box) -> float:
    return abs((a[0] + a[2]) - (b[0] + b[2])) + abs((a[1] + a[3]) - (b[1] + b[3]))


def nearest_hit(hits: list[list[Box]], near: Box | None) -> list[Box]:
    """Of several places a text was found (each a list of boxes), the one inside or
    nearest ``near`` (the figure's stored box, or its paragraph's)."""
    if not hits:
        return []
    if near is None:
        return hits[0]

    def score(boxes: list[Box]) -> tuple[float, float]:
        inside = sum(_overlap(b, near) for b in boxes)
        return (-inside, min(_distance(b, near) for b in boxes))

    return min(hits, key=score)


def wider_than(box: Box, words: list[Box], slack: float = 6.0) -> bool:
    """True when ``box`` is over twice as wide as ``words`` (a row or cell box, not
    the words' own, which may take in a bracket or a neighbouring symbol)."""
    width = max(b[2] for b in words) - min(b[0] for b in words)
    return (box[2] - box[0]) > 2 * width + slack


def furniture_bands(boxes: list[Box], page_height: float) -> list[Box]:
    """Bands above the first and below the last paragraph of a page (running
    headers, footers, page numbers), to be shown dimmed; ``(x0, top, x1, bottom)``
    with x as fractions of 1 (full width)."""
    if not boxes:
        return []
    top = min(b[1] for b in boxes)
    bottom = max(b[3] for b in boxes)
    bands = []
    if top - 2 >= MIN_FURNITURE_PT:
        bands.append((0.0, 0.0, 1.0, top - 2))
    if page_height - (bottom + 2) >= MIN_FURNITURE_PT:
        bands.append((0.0, bottom + 2, 1.0, page_height))
    return bands
