"""Page images and word positions read with pypdfium2, bounded and cached.

A page renders at ``scale`` pixels per point (1.5 by default, clamped to
``MIN_SCALE``..``MAX_SCALE``) and never above ``MAX_PIXELS`` pixels in all: a
page with an enormous media box is rendered smaller rather than allocating
gigabytes. Rendered PNGs are kept in a bounded LRU cache keyed by file, its
modification time, page and scale, so a page opened twice renders once.
pdfium is not thread-safe: every call holds one lock.
"""

from __future__ import annotations

import io
import math
import os
import threading
from functools import lru_cache

SCALE = 1.5  # 108 dpi: A4 is 893 px wide
MIN_SCALE = 0.25
MAX_SCALE = 3.0
MAX_PIXELS = 6_000_000  # about A4 at 3x; a bigger page renders smaller
CACHE_PAGES = 32

_pdfium_lock = threading.Lock()


def pdf_available(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path)


def clamp_scale(scale: float | None) -> float:
    """A requested scale brought within the allowed range (the default when not a number)."""
    if scale is None or not math.isfinite(scale):
        return SCALE
    return min(max(scale, MIN_SCALE), MAX_SCALE)


def capped_scale(width_pt: float, height_pt: float, scale: float) -> float:
    """``scale`` lowered so that the rendered page has at most ``MAX_PIXELS`` pixels."""
    pixels = width_pt * scale * height_pt * scale
    if pixels <= MAX_PIXELS or pixels <= 0:
        return scale
    return scale * math.sqrt(MAX_PIXELS / pixels)


def _open_page(path: str, page: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    if not 1 <= page <= len(pdf):
        count = len(pdf)
        pdf.close()
        raise IndexError(f"{os.path.basename(path)} has {count} pages, not {page}")
    return pdf, pdf[page - 1]


@lru_cache(maxsize=CACHE_PAGES)
def render_page_png(path: str, mtime: float, page: int, scale: float = SCALE) -> bytes:
    """PNG bytes of 1-based ``page`` of the PDF at ``path``; ``mtime`` keys the cache."""
    scale = clamp_scale(scale)
    with _pdfium_lock:
        pdf, pdf_page = _open_page(path, page)
        try:
            width, height = pdf_page.get_size()
            image = pdf_page.render(scale=capped_scale(width, height, scale)).to_pil()
            pdf_page.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _found_boxes(textpage, searcher, height: float) -> list[list[tuple[float, float, float, float]]]:
    hits = []
    while (found := searcher.get_next()) is not None:
        index, count = found
        boxes = []
        for i in range(textpage.count_rects(index, count)):
            left, bottom, right, top = textpage.get_rect(i)
            boxes.append((left, height - top, right, height - bottom))
        hits.append(boxes)
    return hits


@lru_cache(maxsize=256)
def find_text(path: str, mtime: float, page: int, text: str) -> tuple[tuple[tuple[float, ...], ...], ...]:
    """Every place ``text`` is printed on ``page``: per hit, its boxes in points (top-left origin)."""
    if not text.strip():
        return ()
    with _pdfium_lock:
        pdf, pdf_page = _open_page(path, page)
        try:
            height = pdf_page.get_height()
            textpage = pdf_page.get_textpage()
            searcher = textpage.search(text, match_case=True, match_whole_word=False)
            hits = _found_boxes(textpage, searcher, height)
            searcher.close()
            textpage.close()
            pdf_page.close()
        finally:
            pdf.close()
    return tuple(tuple(tuple(round(v, 2) for v in b) for b in boxes) for boxes in hits)
