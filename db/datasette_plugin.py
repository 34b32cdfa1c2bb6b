"""The project's Datasette plugin: source pages, metric charts, linked cells, safe CSV.

Routes (all read-only; the database is reached through Datasette's own
read-only or immutable connections):

    /-/source/{paper_id}/{page}?paragraph=ID&figure=ID   the page with boxes highlighted
    /-/source/{paper_id}/{page}.png                      the page rendered by pypdfium2
    /-/paragraph/{id}                                    redirect to its source page
    /-/chart?metric_key=KEY&series=NAME                  a metric's series as an SVG line chart

``render_cell`` turns ``paper_id``, ``paragraph_id``, ``page`` and ``metric_key``
cells into links to those views. Extracted text is only ever shown escaped.
CSV exports have formula-looking cells (``=``, ``+``, ``-``, ``@``) prefixed
with ``'`` so a spreadsheet shows them as text instead of running them.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlencode

import markupsafe
from datasette import hookimpl
from datasette.utils.asgi import Response

# Pixels per PDF point for page images (1.5 = 108 dpi: A4 is 893 px wide).
SCALE = 1.5
# Rendered page images kept in memory.
CACHE_PAGES = 64

PAPER_ID_RE = r"(?P<paper_id>[0-9A-Za-z_-]{1,64})"
PAGE_RE = r"(?P<page>[0-9]{1,5})"


# ---------------------------------------------------------------- geometry


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


def to_pixels(x0: float, top: float, x1: float, bottom: float, scale: float = SCALE) -> PixelBox:
    """Scale a box in PDF points (pdfplumber's top-left origin) to image pixels."""
    return PixelBox(
        left=round(x0 * scale, 1),
        top=round(top * scale, 1),
        width=round((x1 - x0) * scale, 1),
        height=round((bottom - top) * scale, 1),
    )


def paragraph_boxes(row: dict, page: int) -> list[tuple[float, float, float, float]]:
    """The boxes (points) where a paragraph was printed on ``page``: its spans
    there, or its overall box when it has no spans and starts on that page."""
    spans = json.loads(row.get("spans") or "[]")
    boxes = [tuple(s[3:7]) for s in spans if s[2] == page]
    if not boxes and row.get("page_start") == page and row.get("x0") is not None:
        boxes = [(row["x0"], row["top"], row["x1"], row["bottom"])]
    return boxes


def merge_lines(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
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


# ---------------------------------------------------------------- page images

_pdfium_lock = threading.Lock()  # pdfium is not thread-safe


@lru_cache(maxsize=CACHE_PAGES)
def render_page_png(path: str, mtime: float, page: int, scale: float = SCALE) -> bytes:
    """PNG bytes of 1-based ``page`` of the PDF at ``path``; ``mtime`` keys the cache."""
    import pypdfium2 as pdfium

    with _pdfium_lock:
        pdf = pdfium.PdfDocument(path)
        try:
            if not 1 <= page <= len(pdf):
                raise IndexError(f"{path} has {len(pdf)} pages, not {page}")
            pdf_page = pdf[page - 1]
            image = pdf_page.render(scale=scale).to_pil()
            pdf_page.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def pdf_available(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path)


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # period, as printed on the axis
    value: float
    href: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    y_ticks: tuple[tuple[float, str], ...]  # (pixel y, label)
    unit: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def line_chart(
    rows: list[dict], *, width: int = 720, height: int = 320, margin: int = 48, href=lambda row: ""
) -> Chart:
    """Lay out ``rows`` (each with ``label`` and ``value``, in order) as a line chart in pixels."""
    values = [float(r["value"]) for r in rows]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    lo = min(lo, 0.0) if lo >= 0 and lo < hi / 3 else lo
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def y_of(v: float) -> float:
        return round(margin + plot_h * (1 - (v - lo) / (hi - lo)), 1)

    step = plot_w / (len(rows) - 1) if len(rows) > 1 else 0
    points = tuple(
        ChartPoint(
            x=round(margin + (i * step if len(rows) > 1 else plot_w / 2), 1),
            y=y_of(float(r["value"])),
            label=str(r["label"]),
            value=float(r["value"]),
            href=href(r),
        )
        for i, r in enumerate(rows)
    )
    ticks = tuple((y_of(lo + (hi - lo) * k / 4), f"{lo + (hi - lo) * k / 4:g}") for k in range(5))
    return Chart(width, height, points, ticks, unit=str(rows[0].get("unit") or "") if rows else "")


# ---------------------------------------------------------------- helpers


def _template(name: str):
    return resources.files("templates").joinpath("datasette", name).read_text(encoding="utf-8")


async def _render(datasette, name: str, context: dict, request) -> Response:
    template = datasette.jinja_env.from_string(_template(name))
    return Response.html(await datasette.render_template(template, context, request=request))


class Missing(Exception):
    """Something the URL names is not in the database (answered with a 404 page)."""


async def not_found(datasette, request, message: str) -> Response:
    # Rendered here rather than raised: Datasette prints a traceback for every
    # exception a plugin route raises, which is slow and noisy for a plain 404.
    html = await datasette.render_template(
        "error.html", {"ok": False, "error": message, "status": 404, "title": "Not found"}, request=request
    )
    return Response.html(html, status=404)


def answers_404(view):
    async def wrapped(datasette, request):
        try:
            return await view(datasette, request)
        except Missing as e:
            return await not_found(datasette, request, str(e))

    wrapped.__name__ = wrapped.__qualname__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


async def _papers_db(datasette, request):
    """The database to read: ``?_db=NAME`` or the first one with a papers table."""
    wanted = request.args.get("_db")
    for name, db in datasette.databases.items():
        if name == "_internal" or (wanted and name != wanted):
            continue
        if await db.table_exists("papers"):
            return db
    raise Missing("No boardpapers database is being served")


async def _one(db, sql: str, params) -> dict | None:
    row = (await db.execute(sql, params)).first()
    return dict(row) if row else None


def _int_arg(request, name: str) -> int | None:
    raw = request.args.get(name)
    return int(raw) if raw and raw.isdigit() else None


def source_url(datasette, paper_id, page, *, paragraph=None, figure=None, db=None) -> str:
    args = {k: v for k, v in (("paragraph", paragraph), ("figure", figure), ("_db", db)) if v is not None}
    query = f"?{urlencode(args)}" if args else ""
    return datasette.urls.path(f"/-/source/{paper_id}/{int(page)}{query}")


def chart_url(datasette, metric_key, series=None, db=None) -> str:
    args = {"metric_key": metric_key}
    if series:
        args["series"] = series
    if db:
        args["_db"] = db
    return datasette.urls.path(f"/-/chart?{urlencode(args)}")


# ---------------------------------------------------------------- views


async def source_view(datasette, request):
    db = await _papers_db(datasette, request)
    paper_id, page = request.url_vars["paper_id"], int(request.url_vars["page"])
    paper = await _one(
        db, "SELECT id, path, title, month, series, pages, status FROM papers WHERE id = ?", [paper_id]
    )
    if paper is None:
        raise Missing(f"No paper {paper_id}")
    size = await _one(
        db, "SELECT width, height FROM pages WHERE paper_id = ? AND number = ?", [paper_id, page]
    )
    pages = paper["pages"] or 0
    if pages and not 1 <= page <= pages:
        raise Missing(f"Paper {paper_id} has {pages} pages")

    paragraph = figure = None
    highlights: list[dict] = []
    if (pid := _int_arg(request, "paragraph")) is not None:
        paragraph = await _one(db, "SELECT * FROM paragraphs WHERE id = ? AND paper_id = ?", [pid, paper_id])
    if (fid := _int_arg(request, "figure")) is not None:
        figure = await _one(db, "SELECT * FROM figures WHERE id = ? AND paper_id = ?", [fid, paper_id])
        if figure and paragraph is None:
            paragraph = await _one(db, "SELECT * FROM paragraphs WHERE id = ?", [figure["paragraph_id"]])
    if paragraph:
        for box in merge_lines(paragraph_boxes(paragraph, page)):
            highlights.append({"kind": "paragraph", "box": to_pixels(*box), "points": box})
    if figure and figure["page"] == page and figure["x0"] is not None:
        box = (figure["x0"], figure["top"], figure["x1"], figure["bottom"])
        highlights.append({"kind": "figure", "box": to_pixels(*box), "points": box})

    available = pdf_available(paper["path"])
    width = height = None
    if size and size["width"]:
        width, height = round(size["width"] * SCALE), round(size["height"] * SCALE)
    db_arg = request.args.get("_db")
    extra = {
        k: v
        for k, v in (("paragraph", request.args.get("paragraph")), ("figure", request.args.get("figure")))
        if v
    }
    return await _render(
        datasette,
        "source.html",
        {
            "paper": paper,
            "page": page,
            "pages": pages,
            "paragraph": paragraph,
            "figure": figure,
            "highlights": highlights,
            "pdf_available": available,
            "image_url": datasette.urls.path(
                f"/-/source/{paper_id}/{page}.png" + (f"?_db={db_arg}" if db_arg else "")
            ),
            "image_width": width,
            "image_height": height,
            "prev_url": source_url(datasette, paper_id, page - 1, db=db_arg, **extra) if page > 1 else None,
            "next_url": source_url(datasette, paper_id, page + 1, db=db_arg, **extra)
            if page < pages
            else None,
            "paper_url": datasette.urls.row(db.name, "papers", paper_id),
            "database": db.name,
        },
        request,
    )


async def source_image(datasette, request):
    db = await _papers_db(datasette, request)
    paper_id, page = request.url_vars["paper_id"], int(request.url_vars["page"])
    paper = await _one(db, "SELECT path FROM papers WHERE id = ?", [paper_id])
    if paper is None or not pdf_available(paper["path"]):
        raise Missing("The PDF for this paper is not available")
    path = paper["path"]
    try:
        png = await asyncio.to_thread(render_page_png, path, os.path.getmtime(path), page)
    except IndexError as e:
        raise Missing(str(e)) from None
    return Response(png, content_type="image/png", headers={"Cache-Control": "max-age=3600"})


async def paragraph_redirect(datasette, request):
    db = await _papers_db(datasette, request)
    row = await _one(
        db, "SELECT paper_id, page_start FROM paragraphs WHERE id = ?", [int(request.url_vars["id"])]
    )
    if row is None:
        raise Missing("No such paragraph")
    url = source_url(
        datasette,
        row["paper_id"],
        row["page_start"] or 1,
        paragraph=request.url_vars["id"],
        db=request.args.get("_db"),
    )
    return Response.redirect(url)


CHART_SQL = """
SELECT f.id, f.value, f.unit, f.measure, f.text, f.period_start, f.period_end, f.page,
       f.paper_id, f.paragraph_id, p.month, p.series
FROM figures f JOIN papers p ON p.id = f.paper_id
WHERE f.metric_key = :metric_key AND (:series = '' OR p.series = :series) AND f.value IS NOT NULL
ORDER BY coalesce(f.period_end, p.reporting_period_end, p.month), f.id
"""


async def chart_view(datasette, request):
    db = await _papers_db(datasette, request)
    metric_key = request.args.get("metric_key") or ""
    series = request.args.get("series") or ""
    rows = [dict(r) for r in (await db.execute(CHART_SQL, {"metric_key": metric_key, "series": series})).rows]
    units = sorted({r["unit"] or "" for r in rows})
    unit = request.args.get("unit") or (units[0] if units else "")
    rows = [r for r in rows if (r["unit"] or "") == unit]  # one line per unit: never mix % with counts
    for r in rows:
        r["label"] = r["period_end"] or r["month"] or ""
    db_arg = request.args.get("_db")
    chart = line_chart(
        rows,
        href=lambda r: source_url(
            datasette, r["paper_id"], r["page"], paragraph=r["paragraph_id"], figure=r["id"], db=db_arg
        ),
    )
    return await _render(
        datasette,
        "chart.html",
        {
            "metric_key": metric_key,
            "series": series,
            "unit": unit,
            "units": units,
            "rows": rows,
            "chart": chart,
            "database": db.name,
            "unit_urls": {
                u: chart_url(datasette, metric_key, series, db_arg) + "&" + urlencode({"unit": u})
                for u in units
            },
        },
        request,
    )


@hookimpl
def register_routes(datasette):
    return [
        (rf"^/-/source/{PAPER_ID_RE}/{PAGE_RE}\.png$", answers_404(source_image)),
        (rf"^/-/source/{PAPER_ID_RE}/{PAGE_RE}$", answers_404(source_view)),
        (r"^/-/paragraph/(?P<id>[0-9]{1,12})$", answers_404(paragraph_redirect)),
        (r"^/-/chart$", answers_404(chart_view)),
    ]


# ---------------------------------------------------------------- cells


def _cell(row, column: str):
    try:
        value = row[column]
    except (KeyError, IndexError):
        return None
    return value["value"] if isinstance(value, dict) else value


def _link(href: str, text) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Link provenance columns to the source view and metric keys to their chart."""
    raw = value["value"] if isinstance(value, dict) else value
    if raw in (None, ""):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    paper_id = (
        _cell(row, "paper_id") if "paper_id" in keys else (_cell(row, "id") if table == "papers" else None)
    )
    own_id = _cell(row, "id") if "id" in keys else None
    paragraph_id = (
        _cell(row, "paragraph_id") if "paragraph_id" in keys else (own_id if table == "paragraphs" else None)
    )
    figure_id = own_id if table == "figures" else (_cell(row, "figure_id") if "figure_id" in keys else None)
    page = None
    for name in ("page", "page_start"):
        if name in keys and _cell(row, name) is not None:
            page = _cell(row, name)
            break

    if table == "pages" and column == "number" and paper_id and isinstance(raw, int):
        return _link(source_url(datasette, paper_id, raw), raw)
    if column in ("page", "page_start") and paper_id and isinstance(raw, int):
        return _link(source_url(datasette, paper_id, raw, paragraph=paragraph_id, figure=figure_id), raw)
    if column == "paragraph_id" and isinstance(raw, int):
        if paper_id and page:
            href = source_url(datasette, paper_id, page, paragraph=raw, figure=figure_id)
        else:
            href = datasette.urls.path(f"/-/paragraph/{raw}")
        return _link(href, value["label"] if isinstance(value, dict) and value.get("label") else raw)
    if column == "paper_id" and isinstance(raw, str) and database:
        label = value.get("label") if isinstance(value, dict) else None
        row_link = _link(datasette.urls.row(database, "papers", raw), label or raw)
        pdf_link = _link(source_url(datasette, raw, page or 1), "page")
        return markupsafe.Markup("{} <small>({})</small>").format(row_link, pdf_link)
    if column == "metric_key" and isinstance(raw, str):
        series = _cell(row, "series") if "series" in keys else None
        return _link(chart_url(datasette, raw, series), raw)
    return None


# ---------------------------------------------------------------- CSV safety

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(cell: str) -> str:
    """Prefix a formula-looking cell with ``'`` so spreadsheets show it as text.
    Plain numbers (``-3.5``) are left alone."""
    if not cell.startswith(FORMULA_STARTS):
        return cell
    try:
        float(cell)
        return cell
    except ValueError:
        return "'" + cell


class CsvNeutraliser:
    """Rewrites a CSV byte stream record by record, holding back a partial record."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        text = self._pending + self._decoder.decode(chunk, final=final)
        cut = len(text) if final else _complete_records(text)
        self._pending = text[cut:]
        if not cut:
            return b""
        out = io.StringIO()
        writer = csv.writer(out)
        for record in csv.reader(io.StringIO(text[:cut], newline="")):
            writer.writerow([neutralise_cell(c) for c in record])
        return out.getvalue().encode("utf-8")


def _complete_records(text: str) -> int:
    """Length of the prefix of ``text`` made of whole CSV records."""
    inside, cut = False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "\n" and not inside:
            cut = i + 1
    return cut


def _is_csv_request(scope) -> bool:
    if scope.get("type") != "http":
        return False
    query = scope.get("query_string", b"")
    return scope.get("path", "").endswith(".csv") or b"_format=csv" in query


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def csv_safe_app(scope, receive, send):
            if not _is_csv_request(scope):
                await app(scope, receive, send)
                return
            state = {"csv": False, "neutraliser": CsvNeutraliser()}

            async def safe_send(message):
                if message["type"] == "http.response.start":
                    headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                    ctype = headers.get(b"content-type", b"")
                    state["csv"] = ctype.startswith((b"text/plain", b"text/csv"))
                    if state["csv"]:
                        message = dict(
                            message,
                            headers=[
                                (k, v)
                                for k, v in message.get("headers", [])
                                if k.lower() != b"content-length"
                            ],
                        )
                elif message["type"] == "http.response.body" and state["csv"]:
                    more = message.get("more_body", False)
                    message = dict(
                        message, body=state["neutraliser"].feed(message.get("body", b""), final=not more)
                    )
                await send(message)

            await app(scope, receive, safe_send)

        return csv_safe_app

    return wrap
