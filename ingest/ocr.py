"""OCR for pages without a usable text layer: render with pypdfium2, read with Tesseract.

``ocr_page`` returns the same ``Line``/``Word`` values as a text page, with word
boxes in PDF points from the top-left of the page as pdfplumber reports it (the
MediaBox, page rotation applied), so paragraphs, provenance and highlights work
unchanged. Each word carries Tesseract's confidence (0-100).
"""

from __future__ import annotations

import math
import os
import shutil
from collections import defaultdict
from dataclasses import replace

from boardpapers.ingest.models import Line, Word


class OcrError(RuntimeError):
    """A page could not be rendered or OCR'd (the message says which and why)."""


INSTALL_HINT = (
    "Tesseract is not installed, so scanned pages cannot be read. Install it with "
    "`apt-get install tesseract-ocr tesseract-ocr-eng` (Debian/Ubuntu) or "
    "`brew install tesseract` (macOS), then ingest again."
)

LANG = "eng"
TESSERACT_CONFIG = "--psm 3"  # automatic page segmentation, no orientation detection
TESSERACT_TIMEOUT = 120  # seconds per page; a hung tesseract becomes an OcrError
MAX_PIXELS = 40_000_000  # a huge MediaBox is rendered at a lower resolution, not at 200 dpi


def ocr_available() -> bool:
    """True when the tesseract binary can be found and run."""
    try:
        import pytesseract
    except ImportError:
        return False
    cmd = pytesseract.pytesseract.tesseract_cmd
    if shutil.which(cmd) is None:
        return False
    try:
        pytesseract.get_tesseract_version()
    except Exception:
        return False
    return True


def ocr_page(
    path: str, page_number: int, *, password: str | None = None, dpi: int = 200
) -> tuple[tuple[Line, ...], float]:
    """OCR page ``page_number`` (1-based) of ``path``: its lines and mean word confidence."""
    image, width, height = _render(path, page_number, password=password, dpi=dpi)
    data = _tesseract(image, path, page_number)
    sx, sy = width / image.width, height / image.height
    return _to_lines(data, page_number, sx, sy, width, height)


def _render(path: str, page_number: int, *, password: str | None, dpi: int):
    """Render one page in grayscale: (PIL image, page width pt, page height pt)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path, password=password)
    except Exception as exc:
        raise OcrError(f"{path}: cannot open for OCR: {exc}") from exc
    try:
        if not 1 <= page_number <= len(pdf):
            raise OcrError(f"{path}: no page {page_number} to OCR (the file has {len(pdf)})")
        page = pdf[page_number - 1]
        try:
            # pdfplumber's coordinates are relative to the MediaBox; render all of it
            # (in memory only: the file is never written).
            page.set_cropbox(*page.get_mediabox())
            width, height = page.get_size()  # rotation applied, as pdfplumber reports it
            if width <= 0 or height <= 0:
                raise OcrError(f"{path}: page {page_number} has an empty MediaBox")
            scale = min(dpi / 72, 0.999 * math.sqrt(MAX_PIXELS / (width * height)))
            bitmap = page.render(scale=scale, grayscale=True)
            image = bitmap.to_pil()
        finally:
            page.close()
    except OcrError:
        raise
    except Exception as exc:
        raise OcrError(f"{path}: cannot render page {page_number} for OCR: {exc}") from exc
    finally:
        pdf.close()
    return image, float(width), float(height)


def _tesseract(image, path: str, page_number: int) -> dict:
    import pytesseract

    # One thread per tesseract: workers already run one file per core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        return pytesseract.image_to_data(
            image,
            lang=LANG,
            config=TESSERACT_CONFIG,
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrError(f"{path}: page {page_number} needs OCR. {INSTALL_HINT}") from exc
    except Exception as exc:  # TesseractError, or RuntimeError on pytesseract's timeout
        raise OcrError(f"{path}: tesseract failed on page {page_number}: {exc}") from exc


def _to_lines(
    data: dict, page_number: int, sx: float, sy: float, width: float, height: float
) -> tuple[tuple[Line, ...], float]:
    """Group Tesseract's word rows by (block, paragraph, line) into Lines in points."""
    grouped: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    confs: list[float] = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = (text or "").strip()
        if conf < 0 or not text:
            continue
        left, top = data["left"][i], data["top"][i]
        right, bottom = left + data["width"][i], top + data["height"][i]
        word = Word(
            text=text,
            x0=_clamp(left * sx, width),
            top=_clamp(top * sy, height),
            x1=_clamp(right * sx, width),
            bottom=_clamp(bottom * sy, height),
            conf=max(0.0, min(100.0, conf)),
        )
        grouped[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(word)
        confs.append(word.conf)
    lines = []
    for words in grouped.values():
        words.sort(key=lambda w: w.x0)
        size = round(max(w.bottom - w.top for w in words), 1)  # line height stands in for font size
        lines.append(Line(page=page_number, words=tuple(replace(w, size=size) for w in words)))
    mean = sum(confs) / len(confs) if confs else 0.0
    return _reading_order(lines), mean


def _reading_order(lines: list[Line]) -> tuple[Line, ...]:
    """Top to bottom; lines side by side on one row (their middles overlap) left to right.

    Tesseract puts columns of one printed row in separate blocks; a text layer
    gives them in row order, which is what the paragraph builder expects.
    """
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.top):
        middle = (line.top + line.bottom) / 2
        row = rows[-1] if rows else None
        if row and min(ln.top for ln in row) <= middle <= max(ln.bottom for ln in row):
            row.append(line)
        else:
            rows.append([line])
    return tuple(ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0))


def _clamp(value: float, limit: float) -> float:
    return max(0.0, min(limit, value))
