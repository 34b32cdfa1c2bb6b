"""Datasette serving: canned queries, the plugin's views, safe output, publish.

The test database holds one real PDF (typeset here with fpdf2, its words and
boxes read back with pdfplumber, so highlight boxes are real) and a short
hand-built series around it: four months of one metric, an action whose
status moves, priority areas, a failed and a partial paper, and a paper whose
paragraph text is hostile.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import pathlib
import re
from html.parser import HTMLParser

import pdfplumber
import pytest
from datasette.app import Datasette

from boardpapers import serve
from boardpapers.db import datasette_plugin as plugin
from boardpapers.db.schema import open_db
from boardpapers.db.store import save
from boardpapers.ingest.models import Document, Page, PaperMeta, Paragraph, Span
from boardpapers.nlp.records import Action, Figure, PriorityArea, Records

SERIES = "bcb-communities"
OTHER = "trust-board"
HOSTILE = (
    '<script>alert("x")</script> see <a href="javascript:alert(1)">here</a> javascript:alert(2) '
    '=HYPERLINK("http://evil.example","click")'
)
PDF_PARAGRAPHS = [
    "1.1 Burglary offences fell by 12.5% in January 2020 compared with December 2019.",
    "1.2 Response times improved and the Force answered most emergency calls on time.",
]


# ---------------------------------------------------------------- building the database


def make_pdf(path: pathlib.Path) -> pathlib.Path:
    """A two-page A4 PDF: two numbered paragraphs on page 1, one on page 2."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.set_xy(72, 100)
    pdf.cell(text="Chief Constable's Update Report")
    y = 160
    for text in PDF_PARAGRAPHS:
        pdf.set_xy(72, y)
        pdf.multi_cell(w=300, h=14, text=text)
        y = pdf.get_y() + 30
    pdf.add_page()
    pdf.set_xy(72, 200)
    pdf.multi_cell(w=400, h=14, text="2.1 Priority areas this month are Domestic Abuse and Rural Crime.")
    pdf.output(str(path))
    return path


def paragraphs_from_pdf(path: pathlib.Path) -> tuple[list[Paragraph], list[Page]]:
    """Numbered paragraphs with word spans, grouped by vertical gaps (a stand-in
    for ingest until read_document exists)."""
    paragraphs: list[Paragraph] = []
    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(Page(number=number, width=float(page.width), height=float(page.height)))
            groups: list[list[dict]] = []
            for w in page.extract_words():
                if groups and w["top"] - groups[-1][-1]["bottom"] < 10:
                    groups[-1].append(w)
                else:
                    groups.append([w])
            for words in groups:
                text, spans = "", []
                for w in words:
                    if text:
                        text += " "
                    spans.append(
                        Span(
                            len(text),
                            len(text) + len(w["text"]),
                            number,
                            w["x0"],
                            w["top"],
                            w["x1"],
                            w["bottom"],
                        )
                    )
                    text += w["text"]
                first = text.split()[0]
                paragraphs.append(
                    Paragraph(
                        seq=len(paragraphs),
                        kind="paragraph" if re.fullmatch(r"\d+(\.\d+)+", first) else "heading",
                        text=text,
                        page_start=number,
                        page_end=number,
                        x0=min(s.x0 for s in spans),
                        top=min(s.top for s in spans),
                        x1=max(s.x1 for s in spans),
                        bottom=max(s.bottom for s in spans),
                        number=first if re.fullmatch(r"\d+(\.\d+)+", first) else None,
                        spans=tuple(spans),
                    )
                )
    return paragraphs, pages


def figure_in(
    para: Paragraph,
    surface: str,
    value: float,
    unit: str,
    key: str,
    period: tuple[str, str],
    measure: str | None = None,
) -> Figure:
    start = para.text.index(surface)
    return Figure(
        para=para.seq,
        text=surface,
        value=value,
        unit=unit,
        page=para.page_at(start),
        char_start=start,
        char_end=start + len(surface),
        rule_id="test-figure",
        measure=measure or key.replace("_", " "),
        metric_key=key,
        period_start=period[0],
        period_end=period[1],
    )


def hand_paper(
    name: str,
    month: str,
    texts: list[str],
    *,
    status: str = "ok",
    error: str | None = None,
    warnings: tuple[str, ...] = (),
    records=lambda paras: Records(),
    path: str | None = None,
) -> tuple[Document, Records]:
    paras = tuple(
        Paragraph(
            seq=i,
            kind="paragraph",
            text=t,
            page_start=1,
            page_end=1,
            x0=72,
            top=100 + 40 * i,
            x1=500,
            bottom=130 + 40 * i,
            number=f"1.{i + 1}",
        )
        for i, t in enumerate(texts)
    )
    doc = Document(
        path=path or f"/nonexistent/archive/{name}.pdf",
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        size=1000,
        status=status,
        error=error,
        pages=1 if paras else 0,
        meta=PaperMeta(
            title=f"Update {name}", board="Business Coordination Board", meeting_date=f"{month}-20"
        ),
        paragraphs=paras,
        page_info=(Page(number=1, width=595.28, height=841.89),) if paras else (),
        warnings=warnings,
    )
    return doc, records(paras)


def month_end(month: str) -> tuple[str, str]:
    import calendar

    y, m = map(int, month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(y, m)[1]:02d}"


def series_paper(
    month: str, value: float, status: str, areas: list[str], extra_text: str = ""
) -> tuple[Document, Records]:
    texts = [
        f"1.1 Burglary offences fell to {value}% of recorded crime in the month.",
        "1.2 Action A1 Roll out body worn cameras to all response officers is progressing.",
        "1.3 Priority areas: " + ", ".join(areas) + ".",
    ] + ([extra_text] if extra_text else [])

    def records(paras):
        return Records(
            figures=(figure_in(paras[0], f"{value}%", value, "percent", "burglary_share", month_end(month)),),
            actions=(
                Action(
                    para=1,
                    title="Roll out body worn cameras to all response officers",
                    status=status,
                    page=1,
                    rule_id="test-action",
                    ref="A1",
                    status_text="is progressing",
                ),
            ),
            priority_areas=tuple(
                PriorityArea(para=2, name=a, key=a.lower().replace(" ", "_"), rule_id="test-priority", page=1)
                for a in areas
            ),
            reporting_period_end=month_end(month)[1],
        )

    return hand_paper(f"{SERIES}-{month}", month, texts, records=records)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(db_path, pdf_path, ids) for the test database."""
    tmp = tmp_path_factory.mktemp("serve")
    pdf_path = make_pdf(tmp / "bcb-2020-01.pdf")
    db_path = tmp / "papers.db"
    db = open_db(str(db_path))

    for month, value, status, areas, extra in [
        ("2019-10", 14.0, "planned", ["Domestic Abuse", "Road Safety"], ""),
        ("2019-11", 13.1, "in_progress", ["Domestic Abuse", "Rural Crime"], ""),
        ("2019-12", 15.2, "on_track", ["Rural Crime"], HOSTILE),
    ]:
        doc, records = series_paper(month, value, status, areas, extra)
        save(db, doc, records, series=SERIES)

    paragraphs, pages = paragraphs_from_pdf(pdf_path)
    pdf_doc = Document(
        path=str(pdf_path),
        sha256=hashlib.sha256(pdf_path.read_bytes()).hexdigest(),
        size=pdf_path.stat().st_size,
        status="ok",
        pages=len(pages),
        meta=PaperMeta(title="Chief Constable's Update Report", meeting_date="2020-01-23"),
        paragraphs=tuple(paragraphs),
        page_info=tuple(pages),
    )
    burglary = next(p for p in paragraphs if p.text.startswith("1.1"))
    priorities = next(p for p in paragraphs if p.text.startswith("2.1"))
    pdf_records = Records(
        figures=(figure_in(burglary, "12.5%", 12.5, "percent", "burglary_share", month_end("2020-01")),),
        actions=(
            Action(
                para=burglary.seq,
                title="Roll out body worn cameras to all response officers",
                status="completed",
                page=1,
                rule_id="test-action",
                ref="A1",
                status_text="has been completed",
            ),
        ),
        priority_areas=tuple(
            PriorityArea(
                para=priorities.seq, name=a, key=a.lower().replace(" ", "_"), rule_id="test-priority", page=2
            )
            for a in ("Domestic Abuse", "Rural Crime")
        ),
        reporting_period_end="2020-01-31",
    )
    pdf_pid = save(db, pdf_doc, pdf_records, series=SERIES)

    other, other_records = hand_paper(
        "trust-2020-01",
        "2020-01",
        ["3.1 Bed occupancy was 93% in January."],
        records=lambda paras: Records(
            figures=(
                figure_in(
                    paras[0], "93%", 93.0, "percent", "bed_occupancy", month_end("2020-01"), "bed occupancy"
                ),
                figure_in(paras[0], "93%", 93.0, "percent", "burglary_share", month_end("2020-01")),
            ),
        ),
    )
    save(db, other, other_records, series=OTHER)
    failed, _ = hand_paper("broken", "2020-02", [], status="failed", error="not a PDF (starts with <html>)")
    save(db, failed, None)
    partial, _ = hand_paper(
        "partial", "2020-02", ["4.1 Text."], status="partial", warnings=("page 3: no text layer",)
    )
    save(db, partial, None, series=OTHER)
    db.conn.close()

    with pdfplumber.open(pdf_path) as pdf:
        words = [w for w in pdf.pages[0].extract_words() if w["text"] == "12.5%"]
    return {"db": db_path, "pdf": pdf_path, "pdf_paper": pdf_pid, "word": words[0], "name": "papers"}


@pytest.fixture
async def ds(built):
    ds = Datasette(
        [str(built["db"])],
        metadata=serve.metadata_for(built["db"]),
        settings=serve.settings_for(public=False),
    )
    await ds.invoke_startup()
    yield ds
    for db in ds.databases.values():
        db.close()


async def query(ds, name: str, **params) -> list[dict]:
    response = await ds.client.get(f"/papers/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    "box, scale, expected",
    [
        ((72, 100, 172, 112), 1.5, (108.0, 150.0, 150.0, 18.0)),
        ((0, 0, 595.28, 841.89), 1.0, (0.0, 0.0, 595.3, 841.9)),
        ((10.2, 20.4, 30.6, 40.8), 2.0, (20.4, 40.8, 40.8, 40.8)),
    ],
)
def test_to_pixels_scales_points(box, scale, expected):
    b = plugin.to_pixels(*box, scale=scale)
    assert (b.left, b.top, b.width, b.height) == expected


def test_merge_lines_joins_words_on_a_line_only():
    words = [(72, 100, 90, 111), (95, 100.5, 120, 111.2), (72, 114, 100, 125)]
    assert plugin.merge_lines(words) == [(72, 100, 120, 111.2), (72, 114, 100, 125)]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("-12.5", "-12.5"),
        ("12.5", "12.5"),
        ("Burglary fell", "Burglary fell"),
        ("", ""),
    ],
)
def test_neutralise_cell(cell, expected):
    assert plugin.neutralise_cell(cell) == expected


def test_csv_neutraliser_is_independent_of_chunking():
    rows = [["id", "text"], ["1", '=HYPERLINK("x")'], ["2", 'multi\nline "quoted", =1+1'], ["3", "é -4"]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode()
    whole = plugin.CsvNeutraliser().feed(data, final=True)
    expected = [
        ["id", "text"],
        ["1", '\'=HYPERLINK("x")'],
        ["2", 'multi\nline "quoted", =1+1'],
        ["3", "é -4"],
    ]
    assert list(csv.reader(io.StringIO(whole.decode(), newline=""))) == expected
    for cut in range(1, len(data)):
        n = plugin.CsvNeutraliser()
        assert n.feed(data[:cut]) + n.feed(data[cut:], final=True) == whole


def test_line_chart_places_points_in_order_and_scale():
    rows = [{"label": m, "value": v, "unit": "percent"} for m, v in [("a", 10), ("b", 20), ("c", 15)]]
    chart = plugin.line_chart(rows, width=400, height=200, margin=40)
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] == 40 and xs[-1] == 360
    top = min(chart.points, key=lambda p: p.y)
    assert top.label == "b" and top.y == 40  # the largest value touches the top margin
    assert [p.label for p in chart.points] == ["a", "b", "c"]
    assert chart.polyline.count(",") == 3


# ---------------------------------------------------------------- metadata and settings


async def test_metadata_and_settings_are_applied(ds):
    meta = (await ds.client.get("/-/metadata.json")).json()
    assert set(meta["databases"]) == {"papers"}
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] == serve.SETTINGS["sql_time_limit_ms"]
    assert settings["max_returned_rows"] == serve.SETTINGS["max_returned_rows"]
    queries = {q["name"] for q in (await ds.client.get("/papers.json")).json()["queries"]}
    assert queries == set(serve.metadata_for("papers.db")["databases"]["papers"]["queries"])
    plugins = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert "boardpapers" in plugins  # the entry point in pyproject.toml


def test_every_canned_query_is_exercised():
    """Each canned query in db/metadata.yml has a test here named after it."""
    names = set(serve.metadata_for("papers.db")["databases"]["papers"]["queries"])
    tests = {name for name in globals() if name.startswith("test_")}
    assert {n for n in names if f"test_{n}" not in tests} == set()


async def test_table_descriptions_and_fts(ds):
    html = (await ds.client.get("/papers/figures")).text
    assert "metric_key is a stable key" in html
    rows = (
        await ds.client.get("/papers/paragraphs.json", params={"_search": "burglary", "_shape": "array"})
    ).json()
    assert rows and all("urglary" in r["text"] for r in rows)
    rows = (
        await ds.client.get("/papers/figures.json", params={"_search": "burglary", "_shape": "array"})
    ).json()
    assert {r["metric_key"] for r in rows} == {"burglary_share"}


async def test_papers_are_faceted_by_kind_and_their_path_is_described_truly(ds):
    data = (await ds.client.get("/papers/papers.json")).json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # the shape differs between Datasette versions
    assert {"board", "series", "kind", "status", "month"} <= set(facets)
    columns = serve.metadata_for("papers.db")["databases"]["papers"]["tables"]["papers"]["columns"]
    assert "kind" in columns
    assert "absolute path in the database ingest writes" in columns["path"]
    assert "relative to the archive folder in a snapshot" in columns["path"]


# ---------------------------------------------------------------- canned queries


async def test_metric_over_time(ds):
    rows = await query(ds, "metric_over_time", metric_key="burglary_share", series=SERIES)
    assert [(r["period_end"], r["value"]) for r in rows] == [
        ("2019-10-31", 14.0),
        ("2019-11-30", 13.1),
        ("2019-12-31", 15.2),
        ("2020-01-31", 12.5),
    ]
    assert all(r["series"] == SERIES and r["page"] == 1 and r["paragraph_id"] for r in rows)
    everywhere = await query(ds, "metric_over_time", metric_key="burglary_share")
    assert len(everywhere) == 5 and {r["series"] for r in everywhere} == {SERIES, OTHER}
    assert await query(ds, "metric_over_time", metric_key="no_such_metric") == []


async def test_metric_by_month(ds):
    rows = await query(ds, "metric_by_month", metric_key="burglary_share", series=SERIES)
    assert [(r["month"], r["value"], r["unit"]) for r in rows] == [
        ("2019-10", 14.0, "percent"),
        ("2019-11", 13.1, "percent"),
        ("2019-12", 15.2, "percent"),
        ("2020-01", 12.5, "percent"),
    ]
    assert all(r["page"] == 1 and r["figure_id"] for r in rows)
    assert await query(ds, "metric_by_month", metric_key="burglary_share", series="no-such-series") == []


async def test_latest_metrics(ds):
    rows = await query(ds, "latest_metrics", series=SERIES)
    assert [(r["metric_key"], r["value"], r["period_end"]) for r in rows] == [
        ("burglary_share", 12.5, "2020-01-31")
    ]
    other = await query(ds, "latest_metrics", series=OTHER)
    assert {(r["metric_key"], r["value"]) for r in other} == {
        ("bed_occupancy", 93.0),
        ("burglary_share", 93.0),
    }


@pytest.mark.parametrize(
    "params",
    [{"ref": "A1"}, {"title": "body cameras"}, {"title": "ROLL OUT"}, {"ref": "A1", "title": "cameras"}],
)
async def test_action_history(ds, params):
    rows = await query(ds, "action_history", **params)
    assert [(r["month"], r["status"]) for r in rows] == [
        ("2019-10", "planned"),
        ("2019-11", "in_progress"),
        ("2019-12", "on_track"),
        ("2020-01", "completed"),
    ]


async def test_action_history_needs_a_ref_or_title(ds):
    assert await query(ds, "action_history") == []
    assert await query(ds, "action_history", ref="A1", title="custody suites") == []


async def test_priority_areas_by_month(ds):
    rows = await query(ds, "priority_areas_by_month", series=SERIES)
    by_month: dict[str, list[str]] = {}
    for r in rows:
        by_month.setdefault(r["month"], []).append(r["name"])
    assert by_month == {
        "2019-10": ["Domestic Abuse", "Road Safety"],
        "2019-11": ["Domestic Abuse", "Rural Crime"],
        "2019-12": ["Rural Crime"],
        "2020-01": ["Domestic Abuse", "Rural Crime"],
    }
    jan = [r for r in rows if r["month"] == "2020-01"]
    assert {r["page"] for r in jan} == {2}


async def test_papers_with_problems(ds):
    rows = await query(ds, "papers_with_problems")
    assert [(r["status"], r["error"]) for r in rows] == [
        ("failed", "not a PDF (starts with <html>)"),
        ("partial", None),
    ]
    assert "page 3: no text layer" in rows[1]["warnings"]
    assert [r["status"] for r in await query(ds, "papers_with_problems", status="partial")] == ["partial"]


@pytest.mark.parametrize(
    "q, expected_start",
    [
        ("burglary december", "1.1 Burglary offences fell by 12.5%"),
        ('"emergency calls"', "1.2 Response times"),
    ],
)
async def test_search_paragraphs(ds, built, q, expected_start):
    rows = await query(ds, "search_paragraphs", q=q)
    assert len(rows) == 1 and rows[0]["paper_id"] == built["pdf_paper"] and rows[0]["page"] == 1
    text = (
        await ds.client.get(f"/papers/paragraphs/{rows[0]['paragraph_id']}.json", params={"_shape": "array"})
    ).json()
    assert text[0]["text"].startswith(expected_start)
    assert "[" in rows[0]["snippet"]


async def test_search_tolerates_fts_syntax(ds):
    assert await query(ds, "search_paragraphs", q='AND OR "unbalanced') == []


# ---------------------------------------------------------------- links and views


def links(html: str) -> list[str]:
    class P(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.found.append(dict(attrs).get("href") or "")

    p = P()
    p.found = []
    p.feed(html)
    return p.found


async def test_figure_rows_link_to_their_source(ds, built):
    fig = (
        await ds.client.get(
            "/papers/figures.json", params={"paper_id": built["pdf_paper"], "_shape": "array"}
        )
    ).json()[0]
    html = (await ds.client.get("/papers/figures", params={"paper_id": built["pdf_paper"]})).text
    expected = f"/-/source/{built['pdf_paper']}/1?paragraph={fig['paragraph_id']}&amp;figure={fig['id']}"
    assert expected in html
    hrefs = links(html)
    assert "/-/chart?metric_key=burglary_share" in hrefs
    assert f"/papers/papers/{built['pdf_paper']}" in hrefs


@pytest.mark.parametrize(
    "table, column_link",
    [
        ("pages", "/-/source/{paper}/2"),
        ("paragraphs", "/-/source/{paper}/2?paragraph="),
        ("priority_areas", "/-/source/{paper}/2?paragraph="),
        ("actions", "/-/source/{paper}/1?paragraph="),
    ],
)
async def test_provenance_columns_link_to_the_page(ds, built, table, column_link):
    html = (await ds.client.get(f"/papers/{table}", params={"paper_id": built["pdf_paper"]})).text
    assert column_link.format(paper=built["pdf_paper"]) in html


async def test_canned_query_rows_link_to_source(ds, built):
    html = (
        await ds.client.get(
            "/papers/metric_over_time", params={"metric_key": "burglary_share", "series": SERIES}
        )
    ).text
    assert f"/-/source/{built['pdf_paper']}/1?paragraph=" in html
    assert "/-/chart?metric_key=burglary_share&amp;series=" + SERIES in html


async def test_source_view_highlights_the_figure(ds, built):
    fig = (
        await ds.client.get(
            "/papers/figures.json", params={"paper_id": built["pdf_paper"], "_shape": "array"}
        )
    ).json()[0]
    r = await ds.client.get(
        f"/-/source/{built['pdf_paper']}/1", params={"paragraph": fig["paragraph_id"], "figure": fig["id"]}
    )
    assert r.status_code == 200
    box = re.search(
        r'data-kind="figure"\s+data-points="[^"]*" style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%',
        r.text,
    )
    assert box, r.text
    page_w, page_h = 595.28, 841.89  # boxes are placed in percentages of the page
    left, width = (float(v) * page_w / 100 for v in box.groups()[0::2])
    top, height = (float(v) * page_h / 100 for v in box.groups()[1::2])
    word = built["word"]
    assert left == pytest.approx(word["x0"], abs=0.2) and top == pytest.approx(word["top"], abs=0.2)
    assert left + width == pytest.approx(word["x1"], abs=0.2) and top + height == pytest.approx(
        word["bottom"], abs=0.2
    )
    para = (
        await ds.client.get(f"/papers/paragraphs/{fig['paragraph_id']}.json", params={"_shape": "array"})
    ).json()[0]
    lines = {round(s[4]) for s in json.loads(para["spans"])}
    assert len(lines) == 2 and r.text.count('data-kind="paragraph"') == len(lines)  # one box per printed line
    assert "1.1 Burglary offences fell by 12.5%" in r.text
    assert f"/-/source/{built['pdf_paper']}/1.png" in r.text
    # the page outside its paragraphs (here: above the title, below the last paragraph) is dimmed
    bands = re.findall(r'data-kind="furniture" style="left:[\d.]+%;top:([\d.]+)%', r.text)
    assert len(bands) == 2 and float(bands[0]) == 0.0


async def test_page_image_is_a_png_of_the_page_size(ds, built):
    r = await ds.client.get(f"/-/source/{built['pdf_paper']}/1.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    from PIL import Image

    image = Image.open(io.BytesIO(r.content))
    assert abs(image.width - 595.28 * plugin.SCALE) <= 1 and abs(image.height - 841.89 * plugin.SCALE) <= 1
    assert (await ds.client.get(f"/-/source/{built['pdf_paper']}/9.png")).status_code == 404
    plugin.render_page_png.cache_clear()
    await ds.client.get(f"/-/source/{built['pdf_paper']}/1.png")
    await ds.client.get(f"/-/source/{built['pdf_paper']}/1.png")
    assert plugin.render_page_png.cache_info().hits >= 1


async def test_source_view_without_the_pdf_shows_text(ds):
    para = (
        await ds.client.get("/papers/paragraphs.json", params={"text__contains": "14.0%", "_shape": "array"})
    ).json()[0]
    r = await ds.client.get(f"/-/source/{para['paper_id']}/1", params={"paragraph": para["id"]})
    assert r.status_code == 200
    assert "The PDF is not available" in r.text and "14.0% of recorded crime" in r.text
    assert "bp-page-image" not in r.text
    path = next(
        p["path"]
        for p in (await ds.client.get("/papers/papers.json", params={"_shape": "array"})).json()
        if p["id"] == para["paper_id"]
    )
    assert path.rsplit("/", 1)[-1] in r.text and (
        "/" not in path or path not in r.text
    )  # the file name, not the path
    assert (await ds.client.get(f"/-/source/{para['paper_id']}/1.png")).status_code == 404


async def test_paragraph_redirect_and_unknown_paper(ds, built):
    para = (
        await ds.client.get(
            "/papers/paragraphs.json",
            params={"paper_id": built["pdf_paper"], "_shape": "array", "page_start": 2},
        )
    ).json()[0]
    r = await ds.client.get(f"/-/paragraph/{para['id']}")
    assert (
        r.status_code == 302
        and r.headers["location"] == f"/-/source/{built['pdf_paper']}/2?paragraph={para['id']}"
    )
    assert (await ds.client.get("/-/source/ffffffffffffffff/1")).status_code == 404
    assert (await ds.client.get(f"/-/source/{built['pdf_paper']}/7")).status_code == 404


async def test_chart_view(ds):
    r = await ds.client.get("/-/chart", params={"metric_key": "burglary_share", "series": SERIES})
    assert r.status_code == 200
    points = re.search(r'<polyline class="line" points="([^"]+)"', r.text).group(1).split()
    assert len(points) == 4
    xs = [float(p.split(",")[0]) for p in points]
    ys = [float(p.split(",")[1]) for p in points]
    assert xs == sorted(xs)
    assert ys.index(min(ys)) == 2  # 15.2 in 2019-12 is the highest point
    assert r.text.index("Oct 2019") < r.text.index("Jan 2020")  # x labels are months, in date order
    assert xs[1] - xs[0] == pytest.approx(xs[3] - xs[2], rel=0.05)  # a month apart, spaced by date
    assert 'id="bp-series"' in r.text and f'value="{SERIES}" selected' in r.text  # the picker
    assert 'value="burglary_share" selected' in r.text
    assert "http://" not in r.text.replace("http://www.w3.org/2000/svg", "")  # no network


# ---------------------------------------------------------------- hostile text


HOSTILE_MARKERS = ("<script>alert", 'href="javascript:', "href='javascript:")


async def hostile_pages(ds) -> dict[str, str]:
    para = (
        await ds.client.get(
            "/papers/paragraphs.json", params={"text__contains": "<script>", "_shape": "array"}
        )
    ).json()[0]
    return {
        "table": (await ds.client.get("/papers/paragraphs", params={"text__contains": "javascript"})).text,
        "row": (await ds.client.get(f"/papers/paragraphs/{para['id']}")).text,
        "search": (await ds.client.get("/papers/search_paragraphs", params={"q": "alert"})).text,
        "sql": (await ds.client.get("/papers", params={"sql": "select text from paragraphs"})).text,
        "source": (
            await ds.client.get(f"/-/source/{para['paper_id']}/1", params={"paragraph": para["id"]})
        ).text,
        "chart": (await ds.client.get("/-/chart", params={"metric_key": "<script>alert(1)</script>"})).text,
    }


async def test_hostile_text_is_inert_in_every_html_view(ds):
    pages = await hostile_pages(ds)
    for name, html in pages.items():
        for marker in HOSTILE_MARKERS:
            assert marker not in html, (name, marker)
        assert not any(h.lower().startswith("javascript:") for h in links(html)), name
    assert "&lt;script&gt;alert" in pages["source"] and "&lt;script&gt;alert" in pages["row"]


@pytest.mark.parametrize(
    "path, params",
    [
        ("/papers/paragraphs.csv", {"text__contains": "HYPERLINK"}),
        ("/papers/paragraphs.csv", {"text__contains": "HYPERLINK", "_stream": "1", "_dl": "1"}),
        (
            "/papers.csv",
            {
                "sql": "select '=HYPERLINK(\"http://evil.example\")' as a, text from paragraphs where text like '%HYPERLINK%'"
            },
        ),
    ],
)
async def test_csv_export_neutralises_formulas(ds, path, params):
    r = await ds.client.get(path, params=params)
    assert r.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(r.text, newline="")) for c in row]
    assert cells and not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK(") or "=HYPERLINK(" in c for c in cells)


async def test_csv_keeps_negative_numbers(ds):
    r = await ds.client.get("/papers.csv", params={"sql": "select -12.5 as change, 'x' as t"})
    assert list(csv.reader(io.StringIO(r.text)))[1] == ["-12.5", "x"]


# ---------------------------------------------------------------- serve and publish


def test_live_database_is_served_read_only_on_localhost(built, tmp_path):
    args = serve.serve_command_args(built["db"], 8123, metadata_path=tmp_path / "m.json")
    assert "-i" not in args and args[1] == str(built["db"])
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert "--cors" not in args
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert settings["sql_time_limit_ms"] == "2000" and settings["allow_download"] == "off"


def test_serve_passes_a_users_template_dir_to_datasette(built, tmp_path):
    args = serve.serve_command_args(built["db"], metadata_path=tmp_path / "m.json", template_dir=tmp_path)
    assert args[args.index("--template-dir") + 1] == str(tmp_path.resolve())
    assert "--template-dir" not in serve.serve_command_args(built["db"], metadata_path=tmp_path / "m.json")


def test_public_mode_refuses_the_live_database(built, tmp_path):
    with pytest.raises(serve.SnapshotError, match="live database, not a snapshot"):
        serve.serve_command_args(built["db"], public=True, metadata_path=tmp_path / "m.json")


def test_publish_writes_an_immutable_snapshot(built, tmp_path):
    out = serve.publish(built["db"], tmp_path / "snapshot.db")
    assert serve.is_snapshot(out) and not serve.is_snapshot(built["db"])
    assert not (tmp_path / "snapshot.db-wal").exists()
    import sqlite3

    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("select count(*) from figures").fetchone()[0] == 6
    conn.close()
    args = serve.serve_command_args(out, 8123, public=True, metadata_path=tmp_path / "m.json")
    assert args[1:3] == ["-i", str(out)]
    assert args[args.index("--host") + 1] == "127.0.0.1"
    with pytest.raises(serve.SnapshotError, match="already exists"):
        serve.publish(built["db"], out)


async def test_snapshot_serves_immutable(built, tmp_path):
    out = serve.publish(built["db"], tmp_path / "snap.db")
    ds = Datasette(
        immutables=[str(out)], metadata=serve.metadata_for(out), settings=serve.settings_for(public=True)
    )
    await ds.invoke_startup()
    rows = (
        await ds.client.get(
            "/snap/metric_over_time.json", params={"metric_key": "burglary_share", "_shape": "array"}
        )
    ).json()
    assert len(rows) == 5
    assert (await ds.client.get("/-/settings.json")).json()["suggest_facets"] is False
    for db in ds.databases.values():
        db.close()


# ---------------------------------------------------------------- the seed paper, ingested for real


@pytest.fixture(scope="module")
def seed_db(seed_pdf, nlp, tmp_path_factory):
    from boardpapers.ingest import document
    from boardpapers.nlp.pipeline import extract

    doc = document.read_document(str(seed_pdf), ocr=False)
    assert doc.status in ("ok", "partial"), doc.error
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    db = open_db(str(path))
    pid = save(db, doc, extract(nlp, doc.meta, doc.paragraphs), series="seed")
    db.conn.close()
    return path, pid


@pytest.mark.corpus
@pytest.mark.slow
async def test_seed_paper_figures_open_on_their_words(seed_db):
    path, pid = seed_db
    ds = Datasette([str(path)], metadata=serve.metadata_for(path))
    await ds.invoke_startup()
    figures = (
        await ds.client.get(
            "/seed/figures.json", params={"_shape": "array", "_size": "max", "x0__notblank": "1"}
        )
    ).json()
    assert figures, "no figure with a box in the seed paper"
    keyed = [f for f in figures if f["metric_key"]]
    for f in keyed[:5]:
        rows = await query_db(ds, "seed", "metric_over_time", metric_key=f["metric_key"], series="seed")
        assert f["id"] in {r["figure_id"] for r in rows}
    for f in figures[:10]:
        r = await ds.client.get(
            f"/-/source/{pid}/{f['page']}", params={"paragraph": f["paragraph_id"], "figure": f["id"]}
        )
        box = re.search(r'data-kind="figure"\s+data-points="([^"]+)"', r.text)
        assert box, f
        x0, top, x1, bottom = map(float, box.group(1).split(","))
        para = (
            await ds.client.get(f"/seed/paragraphs/{f['paragraph_id']}.json", params={"_shape": "array"})
        ).json()[0]
        spans = [s for s in json.loads(para["spans"]) if s[2] == f["page"]]
        # the figure's box is made of the paragraph's own word boxes on that page
        assert any(abs(s[3] - x0) < 0.2 for s in spans) and any(abs(s[5] - x1) < 0.2 for s in spans)
        assert 0 <= x0 < x1 and 0 <= top < bottom
    for f in figures[:3]:
        assert (await ds.client.get(f"/-/source/{pid}/{f['page']}.png")).status_code == 200
    word = next(w for w in figures[0]["measure"].split() if len(w) > 4) if figures[0]["measure"] else "police"
    hits = await query_db(ds, "seed", "search_paragraphs", q=word)
    assert hits and all(h["paper_id"] == pid for h in hits)


async def query_db(ds, database: str, name: str, **params) -> list[dict]:
    response = await ds.client.get(f"/{database}/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------- page images: bounded and cached


async def test_page_image_scale_is_capped(ds, built):
    from PIL import Image

    r = await ds.client.get(f"/-/source/{built['pdf_paper']}/1.png", params={"scale": "100"})
    assert r.status_code == 200
    image = Image.open(io.BytesIO(r.content))
    assert image.width <= round(595.28 * plugin.MAX_SCALE) + 1
    for bad in ("nan", "-5", "abc"):
        assert (
            await ds.client.get(f"/-/source/{built['pdf_paper']}/1.png", params={"scale": bad})
        ).status_code == 200


def test_a_huge_page_renders_within_the_pixel_cap(tmp_path):
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="pt", format=(14400, 14400))  # the largest page PDF allows: 200 inches square
    pdf.add_page()
    pdf.set_font("Helvetica", size=400)
    pdf.text(100, 1000, "big")
    path = tmp_path / "huge.pdf"
    pdf.output(str(path))
    png = plugin.render_page_png(str(path), 0.0, 1, plugin.MAX_SCALE)
    image = Image.open(io.BytesIO(png))
    assert image.width * image.height <= plugin.MAX_PIXELS * 1.01
    assert image.width > 1000  # smaller, not blank


def test_rendered_pages_are_kept_in_a_bounded_cache(built):
    plugin.render_page_png.cache_clear()
    path = str(built["pdf"])
    first = plugin.render_page_png(path, 1.0, 1)
    assert plugin.render_page_png(path, 1.0, 1) is first
    info = plugin.render_page_png.cache_info()
    assert info.hits == 1 and info.maxsize == plugin.CACHE_PAGES


# ---------------------------------------------------------------- templates through Datasette's loader


async def test_a_users_template_dir_overrides_the_plugins_templates(built, tmp_path):
    (tmp_path / "boardpapers_chart.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="mine">my picker for {{ metric_key }}</p>{% endblock %}'
    )
    ds = Datasette([str(built["db"])], metadata=serve.metadata_for(built["db"]), template_dir=str(tmp_path))
    await ds.invoke_startup()
    mine = (await ds.client.get("/-/chart", params={"metric_key": "burglary_share"})).text
    assert '<p id="mine">my picker for burglary_share</p>' in mine
    source = (await ds.client.get(f"/-/source/{built['pdf_paper']}/1")).text
    assert 'id="bp-page-image"' in source  # the templates not overridden still come from the plugin
    css = await ds.client.get("/-/static-plugins/boardpapers/boardpapers.css")
    assert css.status_code == 200 and ".bp-box-figure" in css.text
    assert "/-/static-plugins/boardpapers/boardpapers.css" in source


async def test_index_and_database_pages_list_tables_in_working_order(ds):
    index = (await ds.client.get("/")).text
    assert re.findall(r'<a href="/papers/([a-z_]+)">', index)[:4] == [
        "papers",
        "figures",
        "actions",
        "priority_areas",
    ]
    page = (await ds.client.get("/papers")).text
    tables = re.findall(r'<h3><a href="/papers/([a-z_]+)">', page)
    assert tables[:4] == ["papers", "figures", "actions", "priority_areas"]
    assert tables.index("paragraphs") > tables.index("trends")


async def test_table_pages_hide_internal_columns_unless_asked(ds):
    html = (await ds.client.get("/papers/figures")).text
    head = re.findall(r'<th [^>]*data-column="([a-z_0-9]+)"', html)
    assert head[:5] == ["id", "text", "value", "unit", "measure"]
    assert not {"char_start", "char_end", "rule_id", "x0", "top", "x1", "bottom"} & set(head)
    rows = (await ds.client.get("/papers/figures.json", params={"_shape": "array"})).json()
    assert "char_start" in rows[0]  # JSON keeps every column
    every = (await ds.client.get("/papers/figures", params={"_bp_all": "1"})).text
    assert "char_start" in re.findall(r'<th [^>]*data-column="([a-z_0-9]+)"', every)


def test_line_chart_spaces_months_by_date_and_keeps_labels_apart():
    months = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)]
    rows = [{"date": d, "label": d, "value": i} for i, d in enumerate(months) if d != "2020-06"]  # a gap
    chart = plugin.line_chart(rows, width=720, margin=56)
    xs = [p.x for p in chart.points]
    step = xs[1] - xs[0]
    gap = xs[months.index("2020-07") - 1] - xs[months.index("2020-05")]
    assert gap == pytest.approx(2 * step, rel=0.1)  # the missing month leaves its room
    label_xs = [x for x, _ in chart.x_labels]
    assert len(label_xs) < len(rows) and all(
        b - a >= plugin.chart.LABEL_PX for a, b in zip(label_xs, label_xs[1:], strict=False)
    )
    assert chart.x_labels[-1][1] == rows[-1]["label"]  # the latest month is always labelled
