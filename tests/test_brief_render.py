"""Rendering briefs: golden files, escaping of hostile text, filters, overrides."""

from __future__ import annotations

import html
import pathlib
import re

import pytest

from boardpapers import templates
from boardpapers.briefs import BriefError, latest_pair, list_series, write_brief
from boardpapers.db.compare import compare
from boardpapers.db.schema import open_db
from tests.brief_fixtures import Act, Fig, add_paper, new_db

GOLDEN = pathlib.Path(__file__).parent / "golden"
ROOT = pathlib.Path(__file__).parent.parent
HOSTILE = "<script>alert(1)</script> a | b ](javascript:alert(2)) `x` [y](z)"


def build(db):
    """Three months of a small series with every kind of change, one hostile action title."""
    add_paper(
        db,
        "2020-01",
        figures=[
            Fig("victim_satisfaction", 80.0, "percent", "2019-12-31", "victim satisfaction"),
            Fig("recorded_crime", 1000, "count", "2019-12-31", "recorded crime"),
        ],
        actions=[Act("Review the estate strategy", "planned", ref="A1")],
    )
    add_paper(
        db,
        "2020-02",
        figures=[
            Fig("victim_satisfaction", 81.0, "percent", "2020-01-31", "victim satisfaction"),
            Fig("recorded_crime", 1100, "count", "2020-01-31", "recorded crime"),
            Fig("overtime_cost", 25000, "gbp", "2020-01-31", "overtime cost"),
        ],
        actions=[
            Act("Review the estate strategy", "in_progress", ref="A1"),
            Act("Launch the new public website", "in_progress"),
            Act("Close the old custody suite", "planned"),
        ],
        priorities=["Knife Crime", "Burglary"],
        trends=[("burglary", "up")],
        operations=["Operation Heron"],
    )
    return add_paper(
        db,
        "2020-03",
        figures=[
            Fig("victim_satisfaction", 83.5, "percent", "2020-02-29", "victim satisfaction"),
            Fig("recorded_crime", 990, "count", "2020-02-29", "recorded crime"),
            Fig("recorded_crime", 1080, "count", "2020-01-31", "recorded crime", comparison="last month"),
            Fig("calls_999_answered", 92.0, "percent", "2020-02-29", "999 calls answered"),
        ],
        actions=[
            Act("Review the estate strategy", "completed", ref="A1"),
            Act("Launch the new public web site", "delayed", due="2020-02-28"),
            Act(HOSTILE, "planned", owner="Head of | IT"),
        ],
        priorities=["Knife Crime", "Drugs"],
        trends=[("burglary", "down")],
        operations=["Operation Heron", "Operation Kestrel"],
        warnings=["date conflict: the paper is dated 2020-03-20, its footer 2020-03-19"],
    )


@pytest.fixture(scope="module")
def comparison():
    db = new_db()
    pid = build(db)
    return compare(db, pid, better={"victim_satisfaction": "up", "recorded_crime": "down"})


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden(comparison, fmt, update_golden):
    text = templates.render(f"brief.{fmt}.j2", comparison)
    path = GOLDEN / f"brief_fixture.{fmt}"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_markdown_numbers_and_citations(comparison):
    text = templates.render("brief.md.j2", comparison)
    # each value dated with the period it is for
    assert (
        "| victim satisfaction | unstated | 81% (2020-01-31)[^" in text and "| 83.5% (2020-02-29)[^" in text
    )
    assert "+2.5 pp | up (good)" in text
    assert (
        "| recorded crime | unstated | 1,100 (2020-01-31)[^" in text and "−110 (−10.0%) | down (good)" in text
    )
    assert "| overtime cost | unstated | £25,000[^" in text  # no longer reported
    # every footnote used is defined, and names a paragraph and page
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", text, re.M))
    assert used <= set(defined)
    assert all(re.search(r"paragraph 4\.\d+, page \d+", defined[n]) for n in used)


def test_markdown_hostile_text_is_inert(comparison):
    text = templates.render("brief.md.j2", comparison)
    assert not re.search(r"(?<!\\)[<>]", text), "an unescaped angle bracket could open raw HTML"
    assert "](javascript" not in text and "[y](z)" not in text and "\\<script\\>" in text
    row = next(line for line in text.splitlines() if "alert\\(1\\)" in line and line.startswith("|"))
    # the table row keeps its columns: unescaped pipes are only the cell separators
    assert len(re.findall(r"(?<!\\)\|", row)) == 7


def test_html_hostile_text_is_inert(comparison):
    html = templates.render("brief.html.j2", comparison)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "Head of | IT" in html


def test_html_self_contained(comparison):
    html = templates.render("brief.html.j2", comparison)
    links = re.findall(r'<a class="source-view" href="([^"]+)"', html)
    assert links and all(h.startswith("http://127.0.0.1:8001/-/source/") for h in links)
    loaded = re.sub(r'<a class="source-view" href="[^"]+"', "", html)  # links to the source view load nothing
    assert not re.search(r"(?:https?:)?//|src=|@import|url\(", loaded)
    assert html.count("<svg") == html.count("<polyline") == len(comparison.metrics)
    ids = set(re.findall(r'id="src-(\d+)"', html))
    assert set(re.findall(r'href="#src-(\d+)"', html)) <= ids
    assert "@media print" in html


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", r"a \| b"),
        ("[x](javascript:y)", r"\[x\]\(javascript:y\)"),
        ("<b>bold</b>", r"\<b\>bold\</b\>"),
        ("two\nlines", "two lines"),
        ("`code`", r"\`code\`"),
        ("back\\slash", r"back\\slash"),
        (None, ""),
        ("82.5% of 1,000", "82.5% of 1,000"),
    ],
)
def test_md_filter(raw, escaped):
    assert templates.md(raw) == escaped


LINKY = [
    "[x](http://evil.example/a)",
    "<http://evil.example>",
    "see https://evil.example/x now",
    "visit www.evil.com today",
    "write to bob@evil.com",
    "evil.com/path",
]


@pytest.mark.parametrize("text", LINKY)
def test_md_quoted_text_makes_no_link(text):
    """A Markdown renderer with GFM-style autolinks (markdown-it with linkify) links
    the raw text but not the text passed through |md, which still reads the same."""
    from markdown_it import MarkdownIt

    pytest.importorskip("linkify_it")
    renderer = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
    assert "<a " in renderer.render(text)
    rendered = renderer.render(templates.md(text))
    assert "<a " not in rendered
    assert html.unescape(re.sub(r"</?p>", "", rendered)).strip() == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (82.5, "percent", "82.5%"),
        (1234, "count", "1,234"),
        (1234.5, "gbp", "£1,234.5"),
        (-20, "gbp", "-£20"),
        (3, "hours", "3 hours"),
        (None, "percent", "—"),
        (2.25, "percentage_points", "2.25 pp"),
    ],
)
def test_num_filter(value, unit, text):
    assert templates.num(value, unit) == text


def test_sparkline_scales_and_skips_gaps():
    s = templates.sparkline([1, None, 3], width=100, height=20, pad=0)
    assert s["dots"] == [(0.0, 20.0), (100.0, 0.0)]
    assert templates.sparkline([None])["points"] == ""


def test_template_dir_overrides_one_template(comparison, tmp_path):
    (tmp_path / "brief.md.j2").write_text("custom {{ c.current.id }} {{ c.summary.actions_new }}\n")
    assert templates.render("brief.md.j2", comparison, template_dir=str(tmp_path)) == (
        f"custom {comparison.current.id} {comparison.summary['actions_new']}\n"
    )
    assert "<!DOCTYPE html>" in templates.render("brief.html.j2", comparison, template_dir=str(tmp_path))


def test_write_brief_and_list_series(tmp_path):
    path = str(tmp_path / "papers.db")
    db = open_db(path)
    pid = build(db)
    db.close()
    [s] = list_series(path)
    assert s["months"] == ["2020-01", "2020-02", "2020-03"] and s["gaps"] == []
    by_month = write_brief(path, series=s["series"][:12], month="2020-03")
    assert by_month == write_brief(path, paper=pid) == write_brief(path)
    assert write_brief(path, paper=pid, fmt="html").startswith("<!DOCTYPE html>")
    assert "2020-01" in write_brief(path, paper=pid, against="2020-01")
    assert latest_pair(path) == (pid, s["paper_ids"][1])
    with pytest.raises(BriefError, match="unknown format"):
        write_brief(path, paper=pid, fmt="pdf")
    with pytest.raises(BriefError, match="no such database"):
        write_brief(str(tmp_path / "missing.db"))
