"""Series keys, slugs, overrides, the stored month, ordering and listing."""

from __future__ import annotations

import json

import pytest

from boardpapers.db.series import (
    apply_overrides,
    assign_series,
    list_series,
    load_overrides,
    month_gaps,
    near_key,
    series_key,
    series_papers,
    slug,
)
from boardpapers.db.store import save
from boardpapers.ingest.models import Document, PaperMeta
from boardpapers.nlp.paper import series_title
from tests.brief_fixtures import add_paper, new_db


def _meta(title, board=None, author=None, kind="report") -> PaperMeta:
    return PaperMeta(
        title=title, board=board, author=author, kind=kind, series_title=series_title(title, board)
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # a month in the title, the board's spacing and case, a changed author
            _meta("Chief Officer's Update Report - January 2020", "Business Review Board", "Chief Officer"),
            _meta(
                "Chief Officer's update report  February 2020",
                "Business  Review Board",
                "Deputy Chief Officer",
            ),
        ),
        (
            _meta("XYZ Action Log – 14 May 2013", kind="action_log"),
            _meta("XYZ Action Log – 19 July 2013", kind="action_log"),
        ),
        (
            _meta("Performance Report Q3 2019/20", "Trust Board"),
            _meta("Performance Report 1st Quarter 2020/21", "Trust Board"),
        ),
        (  # one title names the board, the other only the kind
            _meta("Open Board Meeting Minutes", "Harbour Trust Board", kind="minutes"),
            _meta("Harbour Trust Board Minutes - Part A", "Harbour Trust Board", kind="minutes"),
        ),
    ],
)
def test_same_series(a, b):
    assert series_key(a) is not None
    assert series_key(a) == series_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            _meta("Update Report January 2020", "Business Review Board"),
            _meta("Update Report February 2020", "Audit Committee"),
        ),
        (_meta("Monthly Update", author="Chief Officer"), _meta("Monthly Update", author="Finance Director")),
        (_meta("XYZ Action Log May 2013", kind="action_log"), _meta("XYZ Minutes May 2013", kind="minutes")),
    ],
)
def test_different_series(a, b):
    assert series_key(a) != series_key(b)


def test_file_name_stands_in_for_a_paper_with_nothing_else():
    assert series_key(PaperMeta(), "/x/Quarterly_Review_of_Grants_v2.pdf") == "quarterly-review-of-grants"
    assert series_key(PaperMeta(), None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Comité de démolition", "comite-de-demolition"),
        ("DDaattaa SShheeeett", "data-sheet"),  # fake bold: every character printed twice
        ("Council’s 2023 Budget", "council-budget"),
        ("Board of Trustees", "board-of-trustees"),
    ],
)
def test_slug_is_readable_ascii(text, expected):
    assert slug(text) == expected


def test_near_key_joins_a_typo_of_the_same_kind():
    known = ["harbour-trust-board/minutes", "harbour-trust-board/agenda"]
    assert near_key("harbour-trust-baord/minutes", known) == "harbour-trust-board/minutes"
    assert near_key("harbour-trust-board/report", known) == "harbour-trust-board/report"


def test_overrides_merge_and_split(tmp_path):
    path = tmp_path / "series.yml"
    path.write_text(
        "rename:\n  old-board/minutes: new-board/minutes\npapers:\n  'minutes-2013-0*.pdf': new-board/minutes-2013\n",
        encoding="utf-8",
    )
    overrides = load_overrides(path)
    assert (
        apply_overrides("old-board/minutes", "p1", "/a/minutes-2014-01.pdf", overrides) == "new-board/minutes"
    )
    assert (
        apply_overrides("old-board/minutes", "p2", "/a/minutes-2013-05.pdf", overrides)
        == "new-board/minutes-2013"
    )
    assert apply_overrides("other/report", "p3", "/a/r.pdf", overrides) == "other/report"
    assert load_overrides(tmp_path / "none.yml") == {"rename": {}, "papers": {}}


def test_assign_series_applies_overrides():
    db = new_db()
    a = add_paper(db, "2020-01")
    b = add_paper(db, "2020-02", board="Audit Committee", path="/a/audit-2020-02.pdf")
    key_a = db["papers"].get(a)["series"]
    key_b = db["papers"].get(b)["series"]
    assert key_a != key_b
    assign_series(db, {"rename": {key_b: key_a}, "papers": {}})
    assert db["papers"].get(b)["series"] == key_a
    assign_series(db, {"rename": {}, "papers": {b: "audit/report"}})
    assert db["papers"].get(b)["series"] == "audit/report"


def test_month_gaps():
    assert month_gaps(["2019-11", "2020-02", "2019-12"]) == ["2020-01"]
    assert month_gaps(["2020-01"]) == []


def test_list_series_orders_by_date_and_reports_gaps():
    db = new_db()
    ids = {m: add_paper(db, m) for m in ("2020-03", "2020-01", "2019-12")}
    other = add_paper(db, "2020-01", board="Audit Committee", path="/a/audit-2020-01.pdf")
    listed = {s["series"]: s for s in list_series(db)}
    assert len(listed) == 2
    main = next(s for s in listed.values() if s["papers"] == 3)
    assert main["months"] == ["2019-12", "2020-01", "2020-03"]
    assert main["gaps"] == ["2020-02"]
    assert main["paper_ids"] == [ids["2019-12"], ids["2020-01"], ids["2020-03"]]
    assert [s["paper_ids"] for s in listed.values() if s["papers"] == 1] == [[other]]
    assert sum(s["papers"] for s in listed.values()) == db["papers"].count


def test_month_is_stored_once_from_the_paper_not_recomputed_from_its_name():
    """The month column holds the meeting month, else the paper's own month
    (nlp.paper's ``meta.month``); series order and listing read the column."""
    db = new_db()
    for name, month in (("/c/log-july.pdf", "2013-07"), ("/c/log-may.pdf", "2013-05")):
        meta = PaperMeta(title="XYZ Action Log", kind="action_log", month=month, series_title="xyz")
        doc = Document(path=name, sha256=name.encode().hex().ljust(64, "0"), size=1, status="ok", meta=meta)
        save(db, doc, None, series=series_key(meta, name))
    rows = list(db.query("SELECT path, month, series FROM papers ORDER BY path"))
    assert [r["month"] for r in rows] == ["2013-07", "2013-05"]
    [listed] = list_series(db)
    assert listed["months"] == ["2013-05", "2013-07"] and listed["kind"] == "action_log"
    assert [p["path"] for p in series_papers(db, listed["series"])] == ["/c/log-may.pdf", "/c/log-july.pdf"]


def test_store_keeps_kind_sources_and_furniture():
    db = new_db()
    meta = PaperMeta(
        title="Monthly Report",
        board="Harbour Trust Board",
        kind="report",
        meeting_date="2021-05-12",
        sources=(("board", "memo_header"), ("meeting_date", "title")),
        furniture=(("letterhead", "Harbour Trust"), ("sidebar", "A Trustee")),
    )
    doc = Document(path="/x/r.pdf", sha256="ab" * 32, size=1, status="ok", meta=meta)
    pid = save(db, doc, None, series=series_key(meta))
    row = db["papers"].get(pid)
    assert (row["kind"], row["month"]) == ("report", "2021-05")
    assert json.loads(row["meta_source"]) == {"board": "memo_header", "meeting_date": "title"}
    assert json.loads(row["furniture"]) == [["letterhead", "Harbour Trust"], ["sidebar", "A Trustee"]]


def test_assign_series_recomputes():
    db = new_db()
    pid = add_paper(db, "2020-01")
    db.conn.execute("UPDATE papers SET series = NULL")
    assert assign_series(db) == 1
    assert db["papers"].get(pid)["series"] is not None
    assert assign_series(db) == 0


def test_series_command_lists_counts_that_add_up_and_applies_overrides(tmp_path):
    from click.testing import CliRunner

    from boardpapers.cli import cli
    from boardpapers.db.schema import open_db

    path = tmp_path / "papers.db"
    db = open_db(str(path))
    for month in ("2020-01", "2020-03"):
        add_paper(db, month)
    add_paper(db, "2020-02", board="Audit Committee", path="/a/audit-2020-02.pdf")
    db.conn.close()
    got = CliRunner().invoke(cli, ["series", str(path)])
    assert got.exit_code == 0, got.output
    lines = got.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.isascii() for line in lines)
    main = next(line for line in lines if "2 paper(s)" in line)
    assert "2020-01..2020-03" in main and "missing: 2020-02" in main
    assert "3 paper(s): 3 in 2 series, 0 in none" in got.stderr
    main_key = main.split("\t")[0]
    audit_key = next(line.split("\t")[0] for line in lines if line != main)
    (tmp_path / "series.yml").write_text(f"rename:\n  {audit_key}: {main_key}\n", encoding="utf-8")
    got = CliRunner().invoke(cli, ["series", str(path)])
    assert got.exit_code == 0, got.output
    [line] = got.stdout.strip().splitlines()
    assert "3 paper(s)" in line and "missing: none" in line
    assert "3 paper(s): 3 in 1 series, 0 in none" in got.stderr


def test_reextraction_keeps_the_period_a_title_states():
    from boardpapers.db.store import replace_records
    from boardpapers.nlp.records import Records

    db = new_db()
    meta = PaperMeta(
        title="Spending v Budget 2021/22",
        kind="accounts",
        reporting_period_end="2022-03-31",
        sources=(("reporting_period_end", "title"),),
    )
    doc = Document(path="/x/accounts.pdf", sha256="cd" * 32, size=1, status="ok", meta=meta)
    pid = save(db, doc, Records())
    assert db["papers"].get(pid)["month"] == "2022-03"
    replace_records(db, pid, Records())
    assert (db["papers"].get(pid)["reporting_period_end"], db["papers"].get(pid)["month"]) == (
        "2022-03-31",
        "2022-03",
    )


def test_a_database_whose_name_is_not_utf8_lists_its_series(tmp_path):
    """A file name of bytes that are not UTF-8: the database still names its own
    file (so series.yml beside it is found), and `series` lists it."""
    import os

    from click.testing import CliRunner

    from boardpapers.cli import cli
    from boardpapers.db.schema import open_db
    from boardpapers.db.series import db_file, series_for

    path = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9-papers.db"))
    db = open_db(path)
    add_paper(db, "2020-01")
    assert db_file(db) == path
    (tmp_path / "series.yml").write_text("papers:\n  '*.pdf': harbour/report\n", encoding="utf-8")
    assert series_for(db, _meta("Finance Report", "Harbour Board"), "/a/x.pdf") == "harbour/report"
    db.conn.close()
    got = CliRunner().invoke(cli, ["series", path])
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith("harbour/report\t") and "1 paper(s): 1 in 1 series" in got.stderr
