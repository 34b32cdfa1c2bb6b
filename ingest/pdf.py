"""Reading pages: with ``ingest.ruling``, the only modules that import pdfplumber or pdfminer.

Characters, boxes and fonts come from PDFium (``ingest.pdfium``, ~20x faster
than pdfminer) on every page it reads, and so do the edges of ruled tables,
which pdfplumber's table algorithm then reads (``ingest.ruling``). pdfplumber
parses a page only where PDFium cannot open the file or the page, and as the
reference (``native=False``). Both give the same character dicts, so words are
built from either by one piece of code. Each page is parsed once and closed
after use. Words come back in the frame a reader sees: pages whose text runs
sideways are turned the right way up.
"""

from __future__ import annotations

import re
import statistics
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, resolve1
from pdfplumber.utils.exceptions import PdfminerException

from boardpapers.ingest import errors, pdfium, ruling
from boardpapers.ingest.models import Table, Word
from boardpapers.ingest.words import extract_words

CID = re.compile(r"\(cid:\d+\)")
BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
ITALIC = re.compile(r"italic|oblique|slant", re.I)
GLUED_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+\.?)[A-Z][a-z]")
CID_PAGE_RATIO = 0.3  # share of a page's characters that are (cid:NN) before the page is garbage
MIN_TABLE_ROWS = 2
MAX_CONTENT_BYTES = 64 << 20  # a page whose content inflates beyond this is left to pdfminer (a bomb)
SWALLOWED_SPACE = 0.5  # share of a space's width: a gap this wide where PDFium dropped a space
MIN_TABLE_COLS = 2
SUPERSCRIPT_SIZE = 0.8  # a footnote call is set at most this share of its word's size ...
SUPERSCRIPT_RISE = 0.15  # ... with its bottom raised by at least this share of that size
UNMAPPED_NEAR = 0.5  # points: pdfminer's character at an unmapped PDFium glyph's origin
RULING_OBJECTS = ("line", "rect_edge")  # pdfplumber looks for tables only where lines or rects are drawn


@dataclass
class RawPage:
    """One page's words and tables before layout, in reading frame."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chars: int = 0
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    drawn_only: bool = False  # no characters but images or many curves: a scan or outlined glyphs


class Source:
    """An open PDF: PDFium for characters, pdfplumber for tables and as the fallback.

    Either parser may be missing: pdfplumber when pdfminer rejects a file PDFium
    reads (a broken xref PDFium rebuilds), PDFium when it rejects a file pdfminer
    reads. ``pages`` counts pdfplumber's pages when it is open (PDFium trusts a
    lying ``/Count``), PDFium's otherwise.
    """

    def __init__(self, plumber, native):
        self.plumber = plumber
        self.native = native
        self.pages = len(plumber.pages) if plumber is not None else len(native)

    def page(self, index: int):
        """Page ``index`` (0-based) as a PdfiumPage, or a pdfplumber page where PDFium fails."""
        theirs = (
            self.plumber.pages[index]
            if self.plumber is not None and index < len(self.plumber.pages)
            else None
        )
        if theirs is not None and _inflates_beyond(theirs, MAX_CONTENT_BYTES):
            return theirs  # PDFium aborts the process when a bomb hits the memory cap; pdfminer raises MemoryError
        if self.native is not None and index < len(self.native):
            try:
                page = pdfium.load_page(self.native, index, _media_box(theirs))
            except pdfium.Error:
                if theirs is None:
                    raise
            else:
                page.plumber = theirs
                _fill_unmapped(page, theirs)
                return page
        if theirs is None:
            raise IndexError(f"no page {index + 1}")
        return theirs

    def close(self) -> None:
        if self.plumber is not None:
            self.plumber.close()
        if self.native is not None:
            self.native.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fill_unmapped(page: pdfium.PdfiumPage, theirs) -> None:
    """Give glyphs PDFium could not map to text ("(cid:NN)") pdfminer's text for the glyph
    drawn at the same place, where pdfminer mapped it (by its glyph name: a ligature "ff"
    without a ToUnicode entry). pdfminer parses only pages that have such glyphs."""
    if not page.unmapped:
        return
    # the prefix tested first: a regex call per character cost a pass of its own
    unmapped = [c for c in page.chars if c["text"].startswith("(cid:") and CID.fullmatch(c["text"])]
    if not unmapped or theirs is None or page.rotated:
        return
    known: dict[int, list[dict]] = {}
    for c in theirs.chars:
        if c.get("upright", True) and c["text"].strip() and not CID.search(c["text"]):
            known.setdefault(round(c["x0"]), []).append(c)
    for c in unmapped:
        cell = round(c["x0"])
        same = [
            o
            for key in (cell - 1, cell, cell + 1)
            for o in known.get(key, ())
            if abs(o["x0"] - c["x0"]) < UNMAPPED_NEAR and abs(o["top"] - c["top"]) < 2 * UNMAPPED_NEAR
        ]
        if same:
            c["text"] = same[0]["text"]


def _media_box(page) -> tuple[float, float, float, float] | None:
    """pdfminer's MediaBox of a pdfplumber page (inherited from the page tree where the
    page has none), or None when it is not four numbers."""
    if page is None:
        return None
    try:
        box = tuple(float(v) for v in page.page_obj.mediabox)
    except (TypeError, ValueError, AttributeError):
        return None
    return box if len(box) == 4 else None


def _inflates_beyond(page, limit: int) -> bool:
    """True when the page's Flate content streams inflate to more than ``limit`` bytes
    (counted in 1 MB pieces, nothing kept)."""
    try:
        streams = page.page_obj.contents
        total = 0
        for stream in streams:
            stream = resolve1(stream)
            filters = stream.get_filters()
            if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE or stream.rawdata is None:
                continue
            inflater, data = zlib.decompressobj(), stream.rawdata
            while data and total <= limit:
                total += len(inflater.decompress(data, 1 << 20))
                data = inflater.unconsumed_tail
        return total > limit
    except Exception:  # a stream pdfminer cannot resolve: let the readers report it
        return False


def open_pdf(path: str, name: str, password: str | None = None, *, native: bool = True) -> Source:
    """Open ``path`` read-only with both parsers, raising the package's errors.

    ``native=False`` reads with pdfplumber alone (the reference the PDFium path
    is tested against).
    """
    try:
        plumber = _open_plumber(path, name, password)
    except errors.Malformed:
        if not native:
            raise
        native = _open_native(path, password)
        if native is None or not pdfium.has_content(native):
            if native is not None:
                native.close()
            raise
        return Source(None, native)
    native = _open_native(path, password) if native else None
    if not len(plumber.pages) and native is not None and pdfium.has_content(native):
        plumber.close()  # pdfminer found no pages where PDFium did (an xref PDFium rebuilds)
        return Source(None, native)
    return Source(plumber, native)


def _open_native(path: str, password: str | None):
    try:
        return pdfium.open_pdf(path, password)
    except pdfium.Error:
        return None


def _open_plumber(path: str, name: str, password: str | None):
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise (errors.WrongPassword(name) if password else errors.Encrypted(name)) from None
        raise errors.Malformed(name, detail=_detail(cause)) from None
    except MemoryError:  # the worker's memory cap: the pool reports resource_limit
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise errors.Malformed(name, detail=_detail(exc)) from None


def _detail(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def page_count(source: Source) -> int:
    return source.pages


def read_pages(source: Source, *, limit: int | None = None) -> Iterator[RawPage]:
    """Each page's words and tables; a page that raises comes back flagged "error"."""
    for index in range(source.pages):
        if limit is not None and index >= limit:
            break
        number = index + 1
        page = None
        try:
            page = source.page(index)
            yield read_page(page, number)
        except MemoryError:  # the worker's memory cap: the pool reports resource_limit
            raise
        except Exception as exc:  # one bad page must not lose the others
            yield RawPage(
                number=number,
                width=float(getattr(page, "width", 0) or 0),
                height=float(getattr(page, "height", 0) or 0),
                flags=["error"],
                error=_detail(exc),
            )
        finally:
            if page is not None:
                page.close()


def read_page(page, number: int) -> RawPage:
    """One page from PDFium's characters and path objects, or from pdfplumber where PDFium failed."""
    if not isinstance(page, pdfium.PdfiumPage):
        return _read_plumber(page, number)
    raw = RawPage(number=number, width=page.width, height=page.height, chars=len(page.chars))
    if not _usable(raw, page.chars, page.unmapped):
        raw.drawn_only = not raw.flags and page.drawn_only
        return raw
    if page.rotated:
        raw.flags.append("rotated")
    tolerance = _x_tolerance(page.chars, swallowed_spaces=True)
    if any(e["object_type"] in RULING_OBJECTS for e in page.edges):  # as pdfplumber: lines or rects drawn
        found = ruling.find_tables(page.edges, page.chars, page.width, page.height)
        raw.tables = _find_tables(found, number, tolerance)
    raw.words = _words(page.chars, tolerance, [t.bbox for t in raw.tables])
    return raw


def page_words(page) -> list[Word]:
    """Every word on a page (PdfiumPage or pdfplumber page) as ingest reads it, table
    text included, in reading frame: the words a reader sees printed."""
    native = isinstance(page, pdfium.PdfiumPage)
    chars = page.chars
    if not native:
        chars = _upright_frame(_single_copies(chars), float(page.width), float(page.height))[0]
    if not any(c["text"].strip() for c in chars):
        return []
    return _words(chars, _x_tolerance(chars, swallowed_spaces=native), [])


def _single_copies(chars: list[dict]) -> list[dict]:
    """Fake-bold doubles collapsed (``pdfium.single_copies``; PDFium's characters already are)."""
    keep = pdfium.single_copies(chars)
    return chars if len(keep) == len(chars) else [chars[i] for i in keep]


def _read_plumber(page, number: int) -> RawPage:
    chars = _single_copies(page.chars)  # parsed once; words and tables reuse this list
    width, height = float(page.width), float(page.height)
    raw = RawPage(number=number, width=width, height=height, chars=len(chars))
    if not _usable(raw, chars):
        if not raw.flags:
            raw.drawn_only = bool(page.images) or len(page.curves) > 50
        return raw
    chars, width, height, rotated = _upright_frame(chars, width, height)
    if rotated:
        raw.flags.append("rotated")
        raw.width, raw.height = width, height
    tables = []
    if not rotated and (page.rects or page.lines):
        tables = _find_tables(page.find_tables(), number, _x_tolerance(chars))
    raw.tables = tables
    raw.words = _words(chars, _x_tolerance(chars), [t.bbox for t in tables])
    return raw


def _usable(raw: RawPage, chars: list[dict], unmapped: bool = True) -> bool:
    """False for a page without visible characters or whose text is (cid:NN) garbage (flagged).
    ``unmapped`` false: no character's text is "(cid:NN)", one visible character will do."""
    if not unmapped:
        return any(c["text"].strip() for c in chars)
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return False
    cid = sum(1 for c in visible if c["text"].startswith("(cid:") and CID.fullmatch(c["text"]))
    if cid / len(visible) >= CID_PAGE_RATIO:
        raw.flags.append("cid_garbage")
        return False
    return True


def _words(chars: list[dict], tolerance: float, boxes: list) -> list[Word]:
    """Characters -> Words, leaving out text inside table boxes (it becomes table rows).

    Words break where pdfplumber's ``extract_words`` breaks them: at gaps and
    spaces, never at a change of font or size (a superscript "th" stays in
    "26th", a full stop in another font stays on its word); a word takes the
    font of its first letter or digit.
    """
    words = extract_words(chars, x_tolerance=tolerance, y_tolerance=3)
    out = []
    styles: dict[str, tuple[bool, bool]] = {}  # font name -> (bold, italic)
    for w in [piece for word in words for piece in _split_word(word)]:
        text = w["text"]
        text = (CID.sub("", text) if "(cid:" in text else text).strip()
        if not text:
            continue
        if boxes:
            cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
            if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                continue
        font, size = _main_font(w["chars"])
        style = styles.get(font)
        if style is None:
            style = styles[font] = (bool(BOLD.search(font)), bool(ITALIC.search(font)))
        out.append(
            Word(
                text=text,
                x0=round(w["x0"], 2),
                top=round(w["top"], 2),
                x1=round(w["x1"], 2),
                bottom=round(w["bottom"], 2),
                fontname=font,
                size=round(size, 2),
                bold=style[0],
                italic=style[1],
            )
        )
    return out


def _main_font(chars: list[dict]) -> tuple[str, float]:
    """(fontname, size) of a word's first letter or digit: the word's type, not that of an
    opening bracket or a raised "th" after it."""
    if not chars:
        return "", 0.0
    c = next((c for c in chars if c["text"].isalnum()), chars[0])
    return c.get("fontname") or "", float(c.get("size") or 0.0)


def _split_word(word: dict) -> list[dict]:
    """Split what print separates but ``extract_words`` joins: a footnote call (raised small
    digits) ending a word, "Alcoa¹" -> "Alcoa", "1"; a paragraph number set flush against
    its text, "4.2.10Data" -> "4.2.10", "Data". A superscript "th" stays in "26th"."""
    chars = word.get("chars") or []
    cut = _footnote_call(chars)
    if cut is None:
        return _split_glued_number(word)
    head, tail = _piece(word, chars[:cut]), _piece(word, chars[cut:])
    head["text"] = word["text"][: len(word["text"]) - len(tail["text"])]  # as extract_words spelled it
    return [*_split_glued_number(head), tail]


def _footnote_call(chars: list[dict]) -> int | None:
    """Where a trailing run of digits set smaller than the word and raised above its baseline starts."""
    if len(chars) < 2 or not chars[-1]["text"].isdigit():
        return None
    size = max(float(c.get("size") or 0) for c in chars)
    bottom = max(c["bottom"] for c in chars)
    cut = len(chars)
    while cut > 0 and _raised_digit(chars[cut - 1], size, bottom):
        cut -= 1
    return cut if 0 < cut < len(chars) else None


def _raised_digit(c: dict, size: float, bottom: float) -> bool:
    small = float(c.get("size") or 0) <= SUPERSCRIPT_SIZE * size
    return c["text"].isdigit() and small and c["bottom"] < bottom - SUPERSCRIPT_RISE * size


def _split_glued_number(word: dict) -> list[dict]:
    """ "4.2.10Data" (a number set flush against its text) -> "4.2.10", "Data"."""
    m = GLUED_NUMBER.match(word["text"])
    chars = word.get("chars") or []
    if not m or len(chars) != len(word["text"]):
        return [word]
    cut = m.end(1)
    return [_piece(word, chars[:cut]), _piece(word, chars[cut:])]


def _piece(word: dict, chars: list[dict]) -> dict:
    """Part of a word: its characters, text and box."""
    return {
        **word,
        "chars": chars,
        "text": "".join(c["text"] for c in chars),
        "x0": min(c["x0"] for c in chars),
        "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars),
        "bottom": max(c["bottom"] for c in chars),
    }


def _x_tolerance(chars: list[dict], *, swallowed_spaces: bool = False) -> float:
    """Gap below which two characters belong to one word.

    Producers that write explicit spaces are safe at pdfplumber's default 3pt;
    producers that only position characters (cairo, some Quartz) leave word
    gaps of ~0.25em, so the tolerance is a fraction of the font size.
    PDFium drops a space that overlaps the character before it
    (``swallowed_spaces``): there a gap nearly a space wide is a word break.
    """
    spaces = [c for c in chars if c["text"] == " "]
    if len(spaces) >= 0.05 * len(chars):
        if not swallowed_spaces:
            return 3.0
        width = statistics.median(c["x1"] - c["x0"] for c in spaces)
        return max(0.8, min(3.0, SWALLOWED_SPACE * width))
    sizes = [c["size"] for c in chars if c["text"].strip()]
    size = statistics.median(sizes) if sizes else 10.0
    return max(0.8, min(3.0, 0.14 * size))


def _upright_frame(chars: list[dict], width: float, height: float):
    """Turn sideways text the right way up when most characters are not upright."""
    sideways = [c for c in chars if not c.get("upright", True)]
    if len(sideways) < 0.5 * len(chars):
        return [c for c in chars if c.get("upright", True)], width, height, False
    clockwise = sum(1 for c in sideways if c["matrix"][1] < 0) >= len(sideways) / 2
    turned = []
    for c in sideways:
        if clockwise:  # text runs down the page; lines advance leftwards
            x0, x1, top, bottom = c["top"], c["bottom"], width - c["x1"], width - c["x0"]
        else:  # text runs up the page; lines advance rightwards
            x0, x1, top, bottom = height - c["bottom"], height - c["top"], c["x0"], c["x1"]
        # pdfminer sizes a sideways character by its advance; upright, its size is its em height
        size = c["x1"] - c["x0"]
        turned.append(
            {
                **c,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "upright": True,
                "doctop": top,
                "size": size,
            }
        )
    return turned, height, width, True


def _find_tables(candidates, number: int, x_tolerance: float) -> list[Table]:
    """Ruled tables only (pdfplumber's, or ``ingest.ruling``'s from PDFium), cleaned up."""
    found = []
    for t in candidates:
        fills = ruling.cell_fills(t)
        rows, boxes = _merge_continuations(
            t.extract(x_tolerance=x_tolerance), [r.bbox for r in t.rows], fills
        )
        if len(rows) < MIN_TABLE_ROWS or max((len(r) for r in rows), default=0) < MIN_TABLE_COLS:
            continue
        cleaned = tuple(tuple(_cell(c) for c in row) for row in rows)
        filled = [r for r in cleaned if sum(1 for c in r if c) >= 1]
        if len(filled) < MIN_TABLE_ROWS:
            continue
        if max(sum(1 for c in r if c) for r in cleaned) < MIN_TABLE_COLS:
            continue  # a box drawn round text, not a table
        row_boxes = tuple(tuple(round(v, 2) for v in b) for b in boxes)
        found.append(
            Table(
                page=number,
                bbox=tuple(round(v, 2) for v in t.bbox),
                rows=cleaned,
                row_boxes=row_boxes,
                fills=tuple(tuple(f) for f in fills) if any(any(r) for r in fills) else (),
            )
        )
    return found


def _merge_continuations(
    rows: list[list], boxes: list, fills: list[list] | None = None
) -> tuple[list[list], list]:
    """Drop columns empty in every row; fold a row whose first cell is empty into the row above
    (a cell's text wrapped onto ruled sub-rows), when the first column is otherwise filled.
    ``fills`` (the colour behind each cell) is updated in place to match."""
    if not rows:
        return rows, boxes
    width = max(len(r) for r in rows)
    rows = [list(r) + [None] * (width - len(r)) for r in rows]
    colours = (
        [list(f) + [None] * (width - len(f)) for f in fills] if fills else [[None] * width for _ in rows]
    )
    keep = [i for i in range(width) if any((r[i] or "").strip() for r in rows)]
    rows = [[r[i] for i in keep] for r in rows]
    colours = [[f[i] for i in keep] for f in colours]
    if not keep:
        return [], []
    firsts = sum(1 for r in rows if (r[0] or "").strip())
    out, out_boxes, out_colours = rows, boxes, colours
    if firsts >= 0.5 * len(rows):
        out, out_boxes, out_colours = [], [], []
        for r, b, f in zip(rows, boxes, colours, strict=True):
            if out and not (r[0] or "").strip():
                prev = out[-1]
                out[-1] = [" ".join(x for x in (p, c) if x) or None for p, c in zip(prev, r, strict=True)]
                pb = out_boxes[-1]
                out_boxes[-1] = (min(pb[0], b[0]), min(pb[1], b[1]), max(pb[2], b[2]), max(pb[3], b[3]))
                out_colours[-1] = [p or c for p, c in zip(out_colours[-1], f, strict=True)]
            else:
                out.append(r)
                out_boxes.append(b)
                out_colours.append(f)
    if fills is not None:
        fills[:] = out_colours
    return out, out_boxes


def _cell(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(CID.sub("", text).split())
    return text or None
