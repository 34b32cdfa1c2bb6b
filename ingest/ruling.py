"""Ruled tables from PDFium's path objects, by pdfplumber's own table algorithm.

pdfplumber finds ruled tables from the page's edges (lines, rectangle sides and
straight curve segments) with ``TableFinder``; reading those edges costs a full
pdfminer parse of the page. Here the same edges are built from PDFium's path
objects instead: each painted path is split into subpaths and classified as
pdfminer's ``paint_path`` classifies it (a line, a rectangle, or a curve), its
points mapped into pdfplumber's top-left frame. pdfplumber's ``TableFinder``
then runs unchanged on those edges (same default "lines" settings: snap, join,
edge length and intersection tolerances), and each cell is filled with the
characters whose centre lies in it, found through a sorted index instead of
testing every character against every cell.
"""

from __future__ import annotations

import bisect
import colorsys
import ctypes
import struct
from collections.abc import Callable

import pypdfium2.raw as pdfium_c
from pdfplumber import utils
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections

from boardpapers.ingest import fastcall, words

PATH = pdfium_c.FPDF_PAGEOBJ_PATH
FORM = pdfium_c.FPDF_PAGEOBJ_FORM
MAX_FORM_DEPTH = 8
PLACES = 3  # coordinates are rounded so that float32 noise does not split a line's two ends
MOVETO, LINETO, BEZIERTO = (
    pdfium_c.FPDF_SEGMENT_MOVETO,
    pdfium_c.FPDF_SEGMENT_LINETO,
    pdfium_c.FPDF_SEGMENT_BEZIERTO,
)

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# ---------------------------------------------------------------- edges


def page_edges(page_raw, to_frame: Callable[[float, float], Point]) -> list[dict]:
    """Every edge pdfplumber's ``page.edges`` would hold, from the page's path objects.

    ``to_frame`` maps a point in page user space to pdfplumber's top-left frame.
    """
    edges: list[dict] = []
    _walk(page_raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, IDENTITY, to_frame, edges, 0)
    return edges


def _walk(parent, count_objects, get_object, outer: Matrix, to_frame, edges: list[dict], depth: int) -> None:
    matrix = pdfium_c.FS_MATRIX()
    for i in range(count_objects(parent)):
        obj = get_object(parent, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (PATH, FORM) or not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == FORM:
            if depth < MAX_FORM_DEPTH:
                _walk(
                    obj,
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    m,
                    to_frame,
                    edges,
                    depth + 1,
                )
        elif _painted(obj):
            fill = _fill_name(obj)
            for shape, points in _subpaths(obj, m, to_frame):
                found = _edges_of(shape, points)
                if fill and len(found) == 4 and all(e["object_type"] == "rect_edge" for e in found):
                    box = (found[0]["x0"], found[0]["top"], found[0]["x1"], found[1]["bottom"])
                    for edge in found:  # the rectangle's fill: a RAG rating printed as a coloured cell
                        edge["fill"], edge["fill_box"] = fill, box
                edges.extend(found)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _painted(obj) -> bool:
    """Stroked or filled: pdfminer records a path only when it is painted."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return False
    return bool(fill.value) or bool(stroke.value)


def _fill_name(obj) -> str | None:
    """The colour name of a filled path's fill (None when not filled, or
    white/black)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not fill.value:
        return None
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) or a.value == 0:
        return None
    return colour_name(r.value / 255, g.value / 255, b.value / 255)


# Hue (degrees) up to which a saturated colour takes each name.
COLOUR_HUES = (("red", 15), ("amber", 48), ("yellow", 70), ("green", 170), ("blue", 260), ("purple", 330))


def colour_name(r: float, g: float, b: float) -> str | None:
    """A fill colour's everyday name from RGB in 0..1: red, amber, yellow,
    green, blue, purple or grey; None for white and black (no rating)."""
    hue, light, saturation = colorsys.rgb_to_hls(r, g, b)
    if light > 0.95 or light < 0.08:
        return None
    if saturation < 0.2:
        return "grey"
    degrees = hue * 360
    return next((name for name, upto in COLOUR_HUES if degrees < upto), "red")


def cell_fills(table) -> list[list[str | None]]:
    """The colour behind each cell of a found table (pdfplumber's or ours),
    row by row: the smallest filled rectangle holding the cell's centre."""
    rects = _filled_rects(table.page)
    out = []
    for row in table.rows:
        out.append([_fill_at(cell, rects) if cell else None for cell in row.cells])
    return out


def _filled_rects(page) -> list[tuple[tuple[float, float, float, float], str]]:
    if isinstance(page, _Page):
        return list({e["fill_box"]: e["fill"] for e in page.edges if e.get("fill")}.items())
    out = []
    for r in getattr(page, "rects", ()):
        colour = _plumber_colour(r.get("non_stroking_color")) if r.get("fill") else None
        if colour:
            out.append(((r["x0"], r["top"], r["x1"], r["bottom"]), colour))
    return out


def _plumber_colour(value) -> str | None:
    """pdfplumber's ``non_stroking_color`` (grey, RGB or CMYK in 0..1) named."""
    if isinstance(value, (int, float)):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(isinstance(v, (int, float)) for v in value):
        return None
    if len(value) == 1:
        return colour_name(value[0], value[0], value[0])
    if len(value) == 3:
        return colour_name(*value)
    if len(value) == 4:
        c, m, y, k = value
        return colour_name((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _fill_at(cell, rects) -> str | None:
    x, y = (cell[0] + cell[2]) / 2, (cell[1] + cell[3]) / 2
    holding = [(box, colour) for box, colour in rects if box[0] <= x <= box[2] and box[1] <= y <= box[3]]
    if not holding:
        return None
    box, colour = min(holding, key=lambda bc: (bc[0][2] - bc[0][0]) * (bc[0][3] - bc[0][1]))
    return colour


_segment_at = fastcall.plain(pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDF_PATHSEGMENT)
_segment_point = fastcall.plain(pdfium_c.FPDFPathSegment_GetPoint, ctypes.c_int)
_segment_type = fastcall.plain(pdfium_c.FPDFPathSegment_GetType, ctypes.c_int)
_segment_closes = fastcall.plain(pdfium_c.FPDFPathSegment_GetClose, ctypes.c_int)
_POINT = struct.Struct("=2f")


def _subpaths(obj, m: Matrix, to_frame) -> list[tuple[str, list[Point]]]:
    """The path's subpaths as pdfminer sees them: operator letters ("m", "l", "c", "h")
    and each operator's end point, in pdfplumber's frame."""
    a, b, c, d, e, f = m
    xy = (ctypes.c_float * 2)()
    x_ref, y_ref = ctypes.byref(xy), ctypes.byref(xy, 4)
    unpack = _POINT.unpack_from
    out: list[tuple[str, list[Point]]] = []
    ops: list[str] = []
    points: list[Point] = []
    bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = _segment_at(obj, i)
        if not seg or not _segment_point(seg, x_ref, y_ref):
            continue
        kind = _segment_type(seg)
        x, y = unpack(xy)
        px, py = to_frame(a * x + c * y + e, b * x + d * y + f)
        point = (round(px, PLACES), round(py, PLACES))
        if kind == MOVETO:
            if ops:
                out.append(("".join(ops), points))
            ops, points, bezier = ["m"], [point], 0
        elif kind == LINETO:
            ops.append("l")
            points.append(point)
        elif kind == BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point; pdfminer keeps only the end point of "c"
            ops.append("c")
            points.append(point)
        else:
            continue
        if _segment_closes(seg) and points:
            ops.append("h")
            points.append(points[0])
    if ops:
        out.append(("".join(ops), points))
    return [(s, p) for s, p in out if len(s) > 1]  # a lone moveto draws nothing


def _edges_of(shape: str, pts: list[Point]) -> list[dict]:
    """pdfminer.converter.paint_path's classification, then pdfplumber's edges of it."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        return [_line(pts[0], pts[1])]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            return _rect(pts[0], pts[2])
    return [_segment(p, q) for p, q in zip(pts, pts[1:], strict=False)]


def _box(p: Point, q: Point) -> tuple[float, float, float, float]:
    return min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])


def _line(p: Point, q: Point) -> dict:
    """A line as pdfplumber.utils.line_to_edge has it: horizontal when flat, vertical otherwise."""
    x0, top, x1, bottom = _box(p, q)
    return _edge("line", x0, top, x1, bottom, "h" if top == bottom else "v")


def _rect(p: Point, q: Point) -> list[dict]:
    x0, top, x1, bottom = _box(p, q)
    return [
        _edge("rect_edge", x0, top, x1, top, "h"),
        _edge("rect_edge", x0, bottom, x1, bottom, "h"),
        _edge("rect_edge", x0, top, x0, bottom, "v"),
        _edge("rect_edge", x1, top, x1, bottom, "v"),
    ]


def _segment(p: Point, q: Point) -> dict:
    x0, top, x1, bottom = _box(p, q)
    orientation = "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None)
    return _edge("curve_edge", x0, top, x1, bottom, orientation)


def _edge(kind: str, x0: float, top: float, x1: float, bottom: float, orientation: str | None) -> dict:
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


# ---------------------------------------------------------------- tables


class _Page:
    """What ``TableFinder`` reads of a page: its edges, box and characters."""

    def __init__(self, edges: list[dict], chars: list[dict], width: float, height: float):
        self.edges = edges
        self.chars = chars
        self.bbox = (0.0, 0.0, width, height)
        self._centres: _Centres | None = None

    @property
    def centres(self) -> _Centres:
        """The characters' centres, computed once for all the page's tables."""
        if self._centres is None:
            self._centres = _Centres(self.chars)
        return self._centres


class RuledTable(PlumberTable):
    """pdfplumber's Table with ``extract`` over an index of characters by their centres, each
    cell's text made by ``ingest.words`` (pdfplumber's ``extract_text``, for upright characters)."""

    def extract(self, x_tolerance: float = words.DEFAULT_TOLERANCE) -> list[list[str | None]]:
        centres = self.page.centres
        out = []
        for row in self.rows:
            across = centres.row(row.bbox)
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append(None)
                    continue
                chars = centres.cell(across, cell)
                cells.append(words.extract_text(chars, x_tolerance) if chars else "")
            out.append(cells)
        return out


class _Centres:
    """A page's characters by their centres, to pick those inside a row, then a cell.

    A character is inside a box when its centre is, right and bottom sides open
    (pdfplumber's ``char_in_bbox``); the characters of a box come in their
    original order. Rows are found through the characters sorted by their
    centre's y, cells through the row's characters sorted by their centre's x.
    """

    def __init__(self, chars: list[dict]):
        self.chars = chars
        self.x = [(c["x0"] + c["x1"]) / 2 for c in chars]
        self.y = [(c["top"] + c["bottom"]) / 2 for c in chars]
        keyed = sorted(zip(self.y, range(len(chars)), strict=True))
        self.ys = [k for k, _ in keyed]
        self.by_y = [i for _, i in keyed]

    def row(self, bbox) -> tuple[list[float], list[int]]:
        """The characters inside a row: (their centres' x, sorted; their indices in that order)."""
        lo = bisect.bisect_left(self.ys, bbox[1])
        hi = bisect.bisect_left(self.ys, bbox[3])
        keyed = sorted([(self.x[i], i) for i in self._inside(self.by_y[lo:hi], bbox)])
        return [k for k, _ in keyed], [i for _, i in keyed]

    def cell(self, row: tuple[list[float], list[int]], bbox) -> list[dict]:
        """The characters of ``row`` (from ``row``) inside ``bbox``."""
        xs, order = row
        lo = bisect.bisect_left(xs, bbox[0])
        hi = bisect.bisect_left(xs, bbox[2])
        chars = self.chars
        return [chars[i] for i in self._inside(order[lo:hi], bbox)]

    def _inside(self, indices: list[int], bbox) -> list[int]:
        x0, top, x1, bottom = bbox
        x, y = self.x, self.y
        return [i for i in sorted(indices) if x0 <= x[i] < x1 and top <= y[i] < bottom]


def find_tables(edges: list[dict], chars: list[dict], width: float, height: float) -> list[RuledTable]:
    """pdfplumber's default ("lines") table finding over given edges and characters.

    The steps of ``TableFinder.__init__``, with ``intersections_to_cells`` replaced
    by an equivalent that looks up the points below and to the right of each
    point instead of scanning all the points after it.
    """
    page = _Page(edges, chars, width, height)
    finder = TableFinder.__new__(TableFinder)
    finder.page = page  # type: ignore[assignment]  # get_edges reads only .edges and .bbox
    finder.settings = settings = TableSettings.resolve(None)
    found = edges_to_intersections(
        finder.get_edges(), settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    return [RuledTable(page, cells) for cells in cells_to_tables(_cells(found))]  # type: ignore[arg-type]


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber.table.intersections_to_cells, in the same order, without its quadratic scan."""
    vertical = {p: {utils.obj_to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {utils.obj_to_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connects(p, q) -> bool:
        if p[0] == q[0] and not vertical[p].isdisjoint(vertical[q]):
            return True
        return p[1] == q[1] and not horizontal[p].isdisjoint(horizontal[q])

    points = sorted(intersections)
    column: dict[float, list] = {}
    line: dict[float, list] = {}
    place = {}
    for p in points:  # sorted by x then y: each column runs down, each line runs right
        down, across = column.setdefault(p[0], []), line.setdefault(p[1], [])
        place[p] = (len(down), len(across))
        down.append(p)
        across.append(p)
    cells = []
    for pt in points[:-1]:
        down, across = place[pt]
        cell = _smallest_cell(
            pt, column[pt[0]][down + 1 :], line[pt[1]][across + 1 :], intersections, connects
        )
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt, below, right, intersections, connects):
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None
