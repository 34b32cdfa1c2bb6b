"""Reading pages with pypdfium2: characters, boxes and fonts from PDFium's text page.

PDFium reads a page's characters about twenty times faster than pdfminer. This
module turns them into the same character dicts pdfplumber gives
(``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``fontname``, ``size``, ...),
in pdfplumber's frame: origin at the top-left of the page as displayed
(``/Rotate`` applied, MediaBox offsets handled exactly as pdfplumber does), so
``ingest.pdf`` builds words from either source with one piece of code.

Boxes follow pdfminer's convention: a character spans its advance width and,
vertically, from the font's descent to descent + font size. Text drawn
sideways is turned the right way up here, where the character matrices are
known. On pages whose path objects could form a ruled table the edges are read
too (``ingest.ruling``), for pdfplumber's table finder to run on.
"""

from __future__ import annotations

import ctypes
import math
import struct
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from boardpapers.ingest import fastcall, ruling

PATH = pdfium_c.FPDF_PAGEOBJ_PATH
IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
FORM = pdfium_c.FPDF_PAGEOBJ_FORM
MAX_FORM_DEPTH = 8
RULE_THICKNESS = 2.0  # a path thinner than this in one direction is a ruling line
RULE_MIN_LENGTH = 3.0  # pdfplumber's edge_min_length
TABLE_EDGES = 3  # a 2x2 table needs three horizontal and three vertical edges
DRAWN_PATHS = 50  # more path objects than this on a page without characters: outlined glyphs
HYPHEN = 0x02  # PDFium's code for a hyphen that ends a line
LINE_BREAKS = (0x0A, 0x0D)
PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD,)
DOUBLED = 1.0  # points: a glyph drawn again this close to itself is fake bold, shown once
CELL = 2 * DOUBLED  # side of the grid cells fake-bold copies are looked up in

Error = pdfium.PdfiumError


def open_pdf(path: str, password: str | None = None) -> pdfium.PdfDocument:
    """Open ``path`` read-only; raises ``pdfium.PdfiumError`` (``err_code`` says why)."""
    return pdfium.PdfDocument(path, password=password or None)


def is_password_error(exc: BaseException) -> bool:
    return getattr(exc, "err_code", None) in PASSWORD_ERRORS


def has_content(doc: pdfium.PdfDocument, pages: int = 3) -> bool:
    """True when one of the first ``pages`` pages draws anything (PDFium invents an empty
    page for a file whose page tree is empty)."""
    for index in range(min(pages, len(doc))):
        try:
            page = doc[index]
        except pdfium.PdfiumError:
            continue
        try:
            if pdfium_c.FPDFPage_CountObjects(page.raw) > 0:
                return True
        finally:
            page.close()
    return False


@dataclass
class PdfiumPage:
    """One page's characters in pdfplumber's frame, and what else the page draws."""

    number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    rotated: bool = False  # characters were turned from sideways to upright
    images: int = 0
    paths: int = 0
    ruled: bool = False  # enough straight horizontal and vertical edges for a table
    edges: list[dict] = field(default_factory=list)  # pdfplumber's page.edges, read on ruled upright pages
    plumber: object = None  # the same page in pdfplumber, when the caller opened one
    # Whether a character's text may be "(cid:NN)" (a glyph without Unicode); ``load_page``
    # knows when none is, which spares the callers a look at every character.
    unmapped: bool = True

    @property
    def drawn_only(self) -> bool:
        """Images or many paths but no characters: a scan or outlined glyphs."""
        return self.images > 0 or self.paths > DRAWN_PATHS

    def close(self) -> None:
        if self.plumber is not None:
            self.plumber.close()


def load_page(doc: pdfium.PdfDocument, index: int, mediabox: tuple | None = None) -> PdfiumPage:
    """Read page ``index`` (0-based) of ``doc``.

    ``mediabox`` is the page's MediaBox as another parser resolved it, used when
    the page dictionary has none of its own (see ``media_box``).
    """
    page = doc[index]
    try:
        frame = _Frame(page, mediabox)
        textpage = page.get_textpage()
        try:
            chars, angle, unmapped = _read_chars(textpage, frame)
        finally:
            textpage.close()
        images, paths, ruled = _drawing(page)
        edges = ruling.page_edges(page.raw, frame.point) if ruled and angle == 0 else []
    finally:
        page.close()
    width, height = (frame.height, frame.width) if angle in (90, 270) else (frame.width, frame.height)
    return PdfiumPage(
        number=index + 1,
        width=width,
        height=height,
        chars=chars,
        rotated=angle != 0,
        images=images,
        paths=paths,
        ruled=ruled,
        edges=edges,
        unmapped=unmapped,
    )


class _Frame:
    """User space -> pdfplumber's top-left frame, as pdfminer's page CTM and pdfplumber's
    MediaBox adjustment compute it (pdfminer.pdfinterp.process_page, pdfplumber.page)."""

    def __init__(self, page, mediabox: tuple | None = None):
        x0, y0, x1, y1 = media_box(page, mediabox)
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rotation = page.get_rotation() % 360
        if rotation == 90:
            self.ctm = (0, -1, 1, 0, -y0, x1)
        elif rotation == 180:
            self.ctm = (-1, 0, 0, -1, x1, y1)
        elif rotation == 270:
            self.ctm = (0, 1, -1, 0, y1, -x0)
        else:
            self.ctm = (1, 0, 0, 1, -x0, -y0)
        n0, n1, n2, n3 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
        self.height = n3 - n1
        self.width = n2 - n0
        self.left = n0  # pdfplumber adds the MediaBox's x0 ...
        self.top = -n1  # ... and its inverted top
        self.rotation = rotation

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        dx, dy = a * x + c * y + e, b * x + d * y + f
        return dx + self.left, self.height - dy + self.top

    def direction(self, a: float, b: float) -> int:
        """Display angle (0, 90, 180, 270; clockwise, y down) of a text advance vector (a, b)."""
        ca, cb, cc, cd = self.ctm[:4]
        dx, dy = ca * a + cc * b, -(cb * a + cd * b)
        return round(math.degrees(math.atan2(dy, dx)) / 90) % 4 * 90


def media_box(page, inherited: tuple | None = None) -> tuple[float, float, float, float]:
    """The page's MediaBox, inherited from the page tree when the page has none.

    ``FPDFPage_GetMediaBox`` reads only the page's own dictionary (pypdfium2
    then falls back to US Letter, which put every box on an inherited A4 page
    49.9 pt too low). Without an own box: ``inherited`` (the page tree's box, as
    pdfminer resolves it) when given, else PDFium's effective page box (the
    inherited MediaBox, or its intersection with an inherited CropBox).
    """
    own = page.get_mediabox(fallback_ok=False)
    if own is not None:
        return own
    if inherited is not None:
        return inherited
    return page.get_bbox()


@dataclass
class _Font:
    name: str
    a: float
    b: float
    size: float
    angle: int = 0  # display direction of its text (``_Frame.direction``)


_get_unicode = fastcall.plain(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
# FPDFText_GetTextObject returning the object's address as a plain int (or None), a font's key.
_text_object = fastcall.plain(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_loose_box = fastcall.plain(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_char_origin = fastcall.plain(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int)
_map_error = fastcall.plain(pdfium_c.FPDFText_HasUnicodeMapError, ctypes.c_int)
_BOX_AND_ORIGIN = struct.Struct("=4f2d")


def _read_chars(textpage, frame: _Frame, main: int = 0) -> tuple[list[dict], int, bool]:
    """Characters in pdfplumber's frame, turned upright when most run sideways.

    Returns the characters, the angle the page was turned by (the ``main``
    direction) and whether a character's text may be "(cid:NN)": false when no
    glyph lacked Unicode and none were joined (only a join could spell it).
    Generated characters and fake-bold copies (``_Copies``) are skipped, and
    so are characters whose direction differs from the page's main one, as the
    pdfplumber path drops non-upright characters. Each
    character becomes its dict as it is read; the direction is first taken to
    be upright (nearly every page), and a page whose text mostly runs another
    way is read again in that direction.
    """
    textpage = getattr(textpage, "raw", textpage)
    handle = fastcall.handle(textpage)
    count = pdfium_c.FPDFText_CountChars(textpage)
    fonts: dict[int, _Font] = {}
    # One buffer for both results, read by one struct call: an FS_RECTF (four floats:
    # left, top, right, bottom) then the origin's two doubles. Reading ctypes fields
    # one by one cost more than the calls that fill them.
    buffer = (ctypes.c_double * 4)()
    box_ref, x_ref, y_ref = ctypes.byref(buffer), ctypes.byref(buffer, 16), ctypes.byref(buffer, 24)
    unpack = _BOX_AND_ORIGIN.unpack_from
    get_unicode, text_object, loose_box, origin, map_error = (
        _get_unicode,
        _text_object,
        _loose_box,
        _char_origin,
        _map_error,
    )
    copies = _Copies()
    first, second, floor = copies.first, copies.second, math.floor
    # frame.point written out in the loop (the same arithmetic, in the same order):
    # method calls per character were a third of the time of this step.
    a, b, c, d, e, f = frame.ctm
    shift_x, shift_y, height = frame.left, frame.top, frame.height
    turn = _turner(main, frame.width, frame.height)
    direction = frame.direction
    chars: list[dict] = []
    append = chars.append
    aside: list[list] = []  # [text, angle] of the characters running another way
    last_key = None
    # The last character read: its dict (a list in ``aside`` when it runs another way),
    # text, and box in user space and origin (as unpacked from ``buffer``), for a ligature to extend.
    last = None
    last_text = ""
    last_box = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    before = None  # the last character kept and its baseline, for the overhang trim below
    before_baseline = 0.0
    unmapped = False
    for i in range(count):
        code = get_unicode(handle, i)
        if code in LINE_BREAKS:
            continue  # PDFium generates these between lines; its generated spaces stand for swallowed ones
        key = text_object(handle, i)
        if not key:
            continue
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _font_of(textpage, i)
            font.angle = direction(font.a, font.b)
        if not loose_box(handle, i, box_ref) or not origin(handle, i, x_ref, y_ref):
            continue
        if map_error(handle, i) == 1:
            text = f"(cid:{code})"
            unmapped = True
        elif code == HYPHEN:
            text = "-"
        elif code in (0xFFFE, 0xFEFF) or code < 0x20 and code not in (0x09,):
            continue
        else:
            try:
                text = chr(code)
            except (ValueError, OverflowError):
                continue
        box = unpack(buffer)
        left, top, right, bottom, x, y = box
        if (
            key == last_key
            and last is not None
            and last_box[4] == x
            and last_box[5] == y
            and " " not in (text, last_text)
        ):
            # one glyph for several letters (a ligature "ffi"): one character, as pdfminer gives it
            last_text += text
            last_left, last_top, last_right, last_bottom = last_box[:4]
            last_right = max(last_right, right)
            last_box = (last_left, last_top, last_right, last_bottom, x, y)
            unmapped = True
            if isinstance(last, dict):
                last.update(
                    _box(last_text, last_left, last_bottom, last_right, last_top, font.size, frame, turn)
                )
            else:
                last[0] = last_text
            continue
        last_key = key
        if text != " ":
            # ``_Copies.seen`` written out for its common case, no glyph in either cell
            # (a call per character was a tenth of the read); the rest asks it.
            cell_a = (text, floor(x / CELL), floor(y / CELL))
            cell_b = (text, floor((x + DOUBLED) / CELL), floor((y + DOUBLED) / CELL))
            if cell_a not in first and cell_b not in second:
                first[cell_a] = second[cell_b] = (x, y, font)
            elif copies.seen(text, x, y, font, font.size):
                continue
        last_text, last_box = text, box
        if font.angle != main:
            last = [text, font.angle]
            aside.append(last)
            continue
        xa = a * left + c * bottom + e + shift_x
        ya = height - (b * left + d * bottom + f) + shift_y
        xb = a * right + c * top + e + shift_x
        yb = height - (b * right + d * top + f) + shift_y
        start = a * x + c * y + e + shift_x
        baseline = height - (b * x + d * y + f) + shift_y
        if main:
            (xa, ya), (xb, yb), (start, baseline) = turn(xa, ya), turn(xb, yb), turn(start, baseline)
        # max(ya, yb), the descent edge: pdfminer's box is descent .. descent + size
        lower = yb if yb > ya else ya
        size = font.size
        last = {
            "text": text,
            "x0": start,  # the origin, not the glyph's ink (a "J" reaches left of it)
            "x1": xb if xb > xa else xa,  # max(xa, xb)
            "top": (head := lower - size),
            "bottom": lower,
            "doctop": head,
            "upright": True,
            "fontname": font.name,
            "size": size,
        }
        if (
            before is not None
            and abs(before_baseline - baseline) < 0.5
            and before["x0"] < start < before["x1"]
        ):
            # End a character where the next one on its baseline starts, if sooner.
            # PDFium's loose box reaches to the ink of a glyph that overhangs its advance
            # (an italic "f"); pdfminer's box ends at the advance, which is where the next
            # character's origin is when nothing but the advance separates them.
            before["x1"] = start
        append(last)
        before, before_baseline = last, baseline
    if aside and not main:
        turned = _main_angle([(char["text"], 0) for char in chars] + aside)
        if turned:
            return _read_chars(textpage, frame, turned)
    return chars, main, unmapped


def _box(text, left, bottom, right, top, size: float, frame: _Frame, turn) -> dict:
    """A character's text and the box fields that follow from its box in user space,
    computed as ``_read_chars`` computes them (for a ligature's grown box; the loop
    writes ``frame.point`` out, this rare path calls it)."""
    xa, ya = turn(*frame.point(left, bottom))
    xb, yb = turn(*frame.point(right, top))
    lower = yb if yb > ya else ya
    return {
        "text": text,
        "x1": xb if xb > xa else xa,
        "top": lower - size,
        "bottom": lower,
        "doctop": lower - size,
    }


class _Copies:
    """Glyphs already drawn on a page, to skip the second copy fake bold draws.

    A glyph with the same text and font (name and size) as an earlier one, its
    origin within ``DOUBLED`` points of that one's and within a tenth of an em
    (less than half the narrowest glyph, so a real "ll" never collapses), is
    the same glyph printed again. Decided by position, never by the text. Two
    points that close share a cell of side 2 x ``DOUBLED`` in one of two grids
    offset by ``DOUBLED`` along both axes (fake bold shifts its copy along the
    line), so one look-up per grid finds the candidate.
    """

    def __init__(self):
        self.first: dict[tuple, tuple] = {}
        self.second: dict[tuple, tuple] = {}

    def seen(self, text: str, x: float, y: float, font, size: float) -> bool:
        """Record a glyph at origin (x, y); True when it copies one recorded before.
        ``font`` is anything that compares equal for the same font and size."""
        # floor(v / CELL) is v // CELL (CELL is a power of two, so the division is
        # exact) at a third of the cost of float floor division.
        floor = math.floor
        a = (text, floor(x / CELL), floor(y / CELL))
        b = (text, floor((x + DOUBLED) / CELL), floor((y + DOUBLED) / CELL))
        first, second = self.first.get(a), self.second.get(b)
        if first is None and second is None:
            here = (x, y, font)
            self.first[a] = self.second[b] = here
            return False
        if self._copies(first, second, x, y, font, min(DOUBLED, 0.1 * size)):
            return True
        here = (x, y, font)
        self.first.setdefault(a, here)
        self.second.setdefault(b, here)
        return False

    @staticmethod
    def _copies(first, second, x: float, y: float, font, near: float) -> bool:
        return any(
            o is not None and abs(o[0] - x) <= near and abs(o[1] - y) <= near and o[2] == font
            for o in (first, second)
        )


def _font_of(textpage, index: int) -> _Font:
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), flags)
    if length > len(buffer):
        buffer = ctypes.create_string_buffer(length)
        pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), flags)
    name = buffer.value.decode("utf-8", "replace")
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(textpage, index, matrix):
        matrix.a, matrix.b, matrix.c, matrix.d = 1.0, 0.0, 0.0, 1.0
    size = pdfium_c.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.c, matrix.d)
    return _Font(name=name, a=matrix.a, b=matrix.b, size=size)


def single_copies(chars: list[dict]) -> list[int]:
    """Indices of the character dicts to keep when fake bold draws a glyph twice (for
    pdfplumber's characters; PDFium's are collapsed as they are read): see ``_Copies``."""
    copies = _Copies()
    keep = []
    for i, c in enumerate(chars):
        size = float(c.get("size") or 0)
        if c["text"].strip() and copies.seen(
            c["text"], c["x0"], c["top"], (c.get("fontname"), round(size, 1)), size
        ):
            continue
        keep.append(i)
    return keep


def _main_angle(chars) -> int:
    """The direction most visible characters run in, from (text, angle) pairs; 0 when
    half of them are upright."""
    angles = [angle for _, angle in chars]
    if len(set(angles)) == 1:
        return angles[0]
    visible = [angle for text, angle in chars if text.strip()] or angles
    main = max(set(visible), key=visible.count)
    if visible.count(0) >= 0.5 * len(visible):
        main = 0
    return main


def _turner(angle: int, width: float, height: float):
    if angle == 90:  # text runs down the page; lines advance leftwards
        return lambda x, y: (y, width - x)
    if angle == 270:  # text runs up the page; lines advance rightwards
        return lambda x, y: (height - y, x)
    if angle == 180:
        return lambda x, y: (width - x, height - y)
    return lambda x, y: (x, y)


def _drawing(page) -> tuple[int, int, bool]:
    """(image objects, path objects, whether the paths hold enough straight edges for a table)."""
    counts = {"images": 0, "paths": 0, "h": 0, "v": 0}
    _walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, counts, 0)
    ruled = counts["h"] >= TABLE_EDGES and counts["v"] >= TABLE_EDGES
    return counts["images"], counts["paths"], ruled


def _walk(parent, count_objects, get_object, counts: dict, depth: int) -> None:
    for i in range(count_objects(parent)):
        obj = get_object(parent, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == PATH:
            counts["paths"] += 1
            if counts["h"] < TABLE_EDGES or counts["v"] < TABLE_EDGES:
                _count_edges(obj, counts)
        elif kind == IMAGE:
            counts["images"] += 1
        elif kind == FORM and depth < MAX_FORM_DEPTH:
            _walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, counts, depth + 1)


def _count_edges(obj, counts: dict) -> None:
    """Add the straight horizontal and vertical edges of one path object to ``counts``."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return
    w, h = right.value - left.value, top.value - bottom.value
    if h < RULE_THICKNESS and w >= RULE_MIN_LENGTH:
        counts["h"] += 1
        return
    if w < RULE_THICKNESS and h >= RULE_MIN_LENGTH:
        counts["v"] += 1
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    n = pdfium_c.FPDFPath_CountSegments(obj)
    start = prev = None
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = (x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            _add_edge(prev, point, counts)
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(point, start, counts)
            prev = start
        if counts["h"] >= TABLE_EDGES and counts["v"] >= TABLE_EDGES:
            return


def _add_edge(p, q, counts: dict) -> None:
    dx, dy = abs(p[0] - q[0]), abs(p[1] - q[1])
    if dy < 0.5 and dx >= RULE_MIN_LENGTH:
        counts["h"] += 1
    elif dx < 0.5 and dy >= RULE_MIN_LENGTH:
        counts["v"] += 1
