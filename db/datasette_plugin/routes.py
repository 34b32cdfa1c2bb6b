"""The plugin's pages (all read-only, through Datasette's own connections):

    /-/source/{paper_id}/{page}?paragraph=ID&figure=ID   the page with the words highlighted
    /-/source/{paper_id}/{page}.png[?scale=S]            the page rendered (scale and pixels capped)
    /-/paragraph/{id}                                    redirect to its source page
    /-/chart?series=S&metric_key=KEY[&unit=U]            the metric picker: values by month, table and chart

Templates are the plugin's own (``templates/`` beside this module, found by
Datasette's loader, so ``--template-dir`` can override them).
"""

from __future__ import annotations

import asyncio
import json
import os

from datasette.utils.asgi import Response

from ..figure_kinds import period_type
from .chart import line_chart, month_label
from .geometry import furniture_bands, merge_lines, nearest_hit, paragraph_boxes, percent_style, wider_than
from .links import chart_url, source_url
from .page_images import SCALE, clamp_scale, find_text, pdf_available, render_page_png

PAPER_ID_RE = r"(?P<paper_id>[0-9A-Za-z_-]{1,64})"
PAGE_RE = r"(?P<page>[0-9]{1,5})"
A4 = (595.28, 841.89)


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


async def _all(db, sql: str, params) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


def _int_arg(request, name: str) -> int | None:
    raw = request.args.get(name)
    return int(raw) if raw and raw.isdigit() else None


# ---------------------------------------------------------------- the source view


def _figure_words(paper: dict, page: int, figure: dict, paragraph: dict | None) -> list:
    """Boxes of the figure's own words on ``page``. The stored box when it is the
    words' (ingest keeps word boxes for text); when it is wider — a table cell figure
    is stored with its row's box — the figure's text is found in the PDF near it."""
    if figure["page"] != page:
        return []
    stored = (
        (figure["x0"], figure["top"], figure["x1"], figure["bottom"]) if figure["x0"] is not None else None
    )
    if not (pdf_available(paper["path"]) and (figure.get("text") or "").strip()):
        return [stored] if stored else []
    near = stored or (paragraph and (paragraph["x0"], paragraph["top"], paragraph["x1"], paragraph["bottom"]))
    try:
        hits = find_text(paper["path"], os.path.getmtime(paper["path"]), page, figure["text"].strip())
    except (IndexError, OSError, ValueError):
        hits = ()
    found = nearest_hit([list(h) for h in hits], near)
    if stored and (not found or not wider_than(stored, found)):
        return [stored]
    return found


async def _highlights(db, request, paper: dict, page: int, size: tuple[float, float]):
    paragraph = figure = None
    if (pid := _int_arg(request, "paragraph")) is not None:
        paragraph = await _one(
            db, "SELECT * FROM paragraphs WHERE id = ? AND paper_id = ?", [pid, paper["id"]]
        )
    if (fid := _int_arg(request, "figure")) is not None:
        figure = await _one(db, "SELECT * FROM figures WHERE id = ? AND paper_id = ?", [fid, paper["id"]])
        if figure and paragraph is None:
            paragraph = await _one(db, "SELECT * FROM paragraphs WHERE id = ?", [figure["paragraph_id"]])
    boxes = [("paragraph", b) for b in merge_lines(paragraph_boxes(paragraph, page))] if paragraph else []
    if figure:
        boxes += [("figure", b) for b in _figure_words(paper, page, figure, paragraph)]
    highlights = [{"kind": k, "points": b, "style": percent_style(b, *size)} for k, b in boxes]
    return paragraph, figure, highlights


def _printed_furniture(paper: dict, page: int) -> list:
    """Boxes of the running lines ingest set aside as furniture (header, footer,
    letterhead), found where they are printed on ``page``."""
    try:
        texts = {t for _, t in json.loads(paper.get("furniture") or "[]") if t and t.strip()}
    except (ValueError, TypeError):
        return []
    if not texts or not pdf_available(paper["path"]):
        return []
    mtime = os.path.getmtime(paper["path"])
    boxes = []
    for text in sorted(texts):
        try:
            boxes += [b for hit in find_text(paper["path"], mtime, page, text.strip()) for b in hit]
        except (IndexError, OSError, ValueError):
            continue
    return boxes


async def _furniture(db, paper: dict, page: int, size: tuple[float, float]) -> list[str]:
    """Styles of the regions shown dimmed: bands outside every paragraph, and printed furniture lines."""
    rows = await _all(
        db,
        "SELECT spans, page_start, x0, top, x1, bottom FROM paragraphs WHERE paper_id = ? "
        "AND page_start <= ? AND page_end >= ?",
        [paper["id"], page, page],
    )
    boxes = [b for r in rows for b in paragraph_boxes(r, page)]
    regions = [(0.0, b[1], size[0], b[3]) for b in furniture_bands(boxes, size[1])]
    regions += [(b[0] - 2, b[1] - 2, b[2] + 2, b[3] + 2) for b in _printed_furniture(paper, page)]
    return [percent_style(r, *size) for r in regions]


async def source_view(datasette, request):
    db = await _papers_db(datasette, request)
    paper_id, page = request.url_vars["paper_id"], int(request.url_vars["page"])
    paper = await _one(db, "SELECT * FROM papers WHERE id = ?", [paper_id])
    if paper is None:
        raise Missing(f"No paper {paper_id}")
    pages = paper["pages"] or 0
    if pages and not 1 <= page <= pages:
        raise Missing(f"Paper {paper_id} has {pages} pages")
    dims = await _one(
        db, "SELECT width, height FROM pages WHERE paper_id = ? AND number = ?", [paper_id, page]
    )
    size = (dims["width"], dims["height"]) if dims and dims["width"] else A4
    paragraph, figure, highlights = await _highlights(db, request, paper, page, size)
    db_arg = request.args.get("_db")
    extra = {k: request.args.get(k) for k in ("paragraph", "figure") if request.args.get(k)}
    image_args = f"?_db={db_arg}" if db_arg else ""
    context = {
        "paper": paper,
        "page": page,
        "pages": pages,
        "paragraph": paragraph,
        "figure": figure,
        "highlights": highlights,
        "furniture": await _furniture(db, paper, page, size),
        "pdf_available": pdf_available(paper["path"]),
        "image_url": datasette.urls.path(f"/-/source/{paper_id}/{page}.png{image_args}"),
        "image_width": round(size[0] * SCALE),
        "image_height": round(size[1] * SCALE),
        "prev_url": source_url(datasette, paper_id, page - 1, db=db_arg, **extra) if page > 1 else None,
        "next_url": source_url(datasette, paper_id, page + 1, db=db_arg, **extra) if page < pages else None,
        "paper_url": datasette.urls.row(db.name, "papers", paper_id),
        "database": db.name,
    }
    html = await datasette.render_template("boardpapers_source.html", context, request=request)
    return Response.html(html)


async def source_image(datasette, request):
    db = await _papers_db(datasette, request)
    paper_id, page = request.url_vars["paper_id"], int(request.url_vars["page"])
    paper = await _one(db, "SELECT path FROM papers WHERE id = ?", [paper_id])
    if paper is None or not pdf_available(paper["path"]):
        raise Missing("The PDF for this paper is not available")
    try:
        scale = clamp_scale(float(request.args.get("scale", SCALE)))
    except ValueError:
        scale = SCALE
    path = paper["path"]
    try:
        png = await asyncio.to_thread(render_page_png, path, os.path.getmtime(path), page, scale)
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


# ---------------------------------------------------------------- the metric picker

SERIES_SQL = """
SELECT series, count(*) AS papers FROM papers
WHERE series IS NOT NULL AND status IN ('ok', 'partial') GROUP BY series ORDER BY series
"""
MEASURES_SQL = """
SELECT f.metric_key, min(coalesce(f.measure, f.metric_key)) AS measure, count(DISTINCT f.paper_id) AS papers,
       count(*) AS figures
FROM figures f JOIN papers p ON p.id = f.paper_id
WHERE f.metric_key IS NOT NULL AND f.value IS NOT NULL AND (:series = '' OR p.series = :series)
GROUP BY f.metric_key ORDER BY papers DESC, figures DESC, f.metric_key LIMIT 500
"""
CHART_SQL = """
SELECT f.id, f.value, f.unit, f.measure, f.text, f.period_start, f.period_end, f.as_of, f.page, f.comparison,
       f.paper_id, f.paragraph_id, p.month, p.meeting_date, p.series, p.title AS paper_title
FROM figures f JOIN papers p ON p.id = f.paper_id
WHERE f.metric_key = :metric_key AND (:series = '' OR p.series = :series) AND f.value IS NOT NULL
ORDER BY coalesce(f.period_end, p.reporting_period_end, p.month), f.id
"""


def _most_common(values: list[str]) -> str:
    return max(sorted(set(values)), key=values.count) if values else ""


def _one_per_month(rows: list[dict]) -> list[dict]:
    """One value per month: a headline figure (not a comparison), the first printed."""
    by_month: dict[str, dict] = {}
    for r in rows:
        month = (r["period_end"] or r["as_of"] or r["month"] or "")[:7]
        r["date"], r["label"] = month, month_label(month)
        if month and (month not in by_month or (by_month[month]["comparison"] and not r["comparison"])):
            by_month[month] = r
    return [by_month[m] for m in sorted(by_month)]


async def chart_view(datasette, request):
    db = await _papers_db(datasette, request)
    args = {k: request.args.get(k) or "" for k in ("metric_key", "series", "unit", "period")}
    rows = await _all(db, CHART_SQL, {"metric_key": args["metric_key"], "series": args["series"]})
    for r in rows:
        r["period_type"] = period_type(r)
    units = sorted({r["unit"] or "" for r in rows})
    unit = args["unit"] if args["unit"] in units else _most_common([r["unit"] or "" for r in rows])
    rows = [r for r in rows if (r["unit"] or "") == unit]  # one line per unit: never mix % with counts
    periods = sorted({r["period_type"] for r in rows})
    period = args["period"] if args["period"] in periods else _most_common([r["period_type"] for r in rows])
    rows = _one_per_month([r for r in rows if r["period_type"] == period])
    db_arg = request.args.get("_db")
    chart = line_chart(
        rows,
        href=lambda r: source_url(
            datasette, r["paper_id"], r["page"], paragraph=r["paragraph_id"], figure=r["id"], db=db_arg
        ),
    )

    def link(**kw):
        return chart_url(
            datasette, args["metric_key"], args["series"], db_arg, **{"unit": unit, "period": period, **kw}
        )

    context = {
        **args,
        "unit": unit,
        "period": period,
        "units": {u: link(unit=u, period="") for u in units},
        "periods": {p: link(period=p) for p in periods},
        "rows": rows,
        "chart": chart,
        "series_options": await _all(db, SERIES_SQL, []),
        "measure_options": await _all(db, MEASURES_SQL, {"series": args["series"]}),
        "database": db.name,
    }
    return Response.html(await datasette.render_template("boardpapers_chart.html", context, request=request))


def all_routes():
    return [
        (rf"^/-/source/{PAPER_ID_RE}/{PAGE_RE}\.png$", answers_404(source_image)),
        (rf"^/-/source/{PAPER_ID_RE}/{PAGE_RE}$", answers_404(source_view)),
        (r"^/-/paragraph/(?P<id>[0-9]{1,12})$", answers_404(paragraph_redirect)),
        (r"^/-/chart$", answers_404(chart_view)),
    ]
