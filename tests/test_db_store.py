"""Storing papers: migrations, one transaction per paper, round trips, FTS."""

from __future__ import annotations

import json

import pytest

from boardpapers.db import store
from boardpapers.db.schema import MIGRATIONS, open_db, schema_version
from boardpapers.ingest.models import Document, PaperMeta, Paragraph, Section, Span
from boardpapers.nlp.records import Figure, Records


def make_doc(sha="ab" * 32, text="Recorded crime fell by 5% in November.") -> Document:
    para = Paragraph(
        seq=0,
        kind="paragraph",
        text=text,
        page_start=1,
        page_end=1,
        x0=70,
        top=100,
        x1=500,
        bottom=112,
        number="4.2.5",
        section=0,
        spans=(Span(0, 8, 1, 70, 100, 120, 112), Span(23, 25, 1, 200, 100, 215, 112)),
    )
    return Document(
        path="/archive/p.pdf",
        sha256=sha,
        size=10,
        status="ok",
        pages=1,
        meta=PaperMeta(board="Business Coordination Board", meeting_date="2020-01-23", warnings=("w1",)),
        sections=(Section("4.0", "Performance", 1, 1),),
        paragraphs=(para,),
    )


def make_records() -> Records:
    fig = Figure(
        para=0,
        text="5%",
        value=5.0,
        unit="percent",
        page=1,
        char_start=23,
        char_end=25,
        rule_id="fig-percent",
        measure="recorded crime",
        metric_key="recorded_crime",
    )
    return Records(figures=(fig,), reporting_period_end="2019-11-30")


@pytest.fixture
def db(tmp_path):
    return open_db(str(tmp_path / "t.db"))


def test_migrations_reach_latest_version_and_are_idempotent(tmp_path):
    path = str(tmp_path / "m.db")
    db = open_db(path)
    assert schema_version(db.conn) == len(MIGRATIONS)
    db.close()
    db = open_db(path)  # re-opening applies nothing twice
    assert schema_version(db.conn) == len(MIGRATIONS)
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_save_round_trip_with_provenance(db):
    pid = store.save(db, make_doc(), make_records(), series="s1", rules_version="v1")
    paper = db["papers"].get(pid)
    assert paper["month"] == "2020-01" and paper["reporting_period_end"] == "2019-11-30"
    assert json.loads(paper["warnings"]) == ["w1"]
    (fig,) = db["figures"].rows
    (para,) = db["paragraphs"].rows
    assert fig["paragraph_id"] == para["id"] and fig["rule_id"] == "fig-percent"
    assert (fig["x0"], fig["x1"]) == (200, 215)  # the figure's own words' box
    (sec,) = db["sections"].rows
    assert para["section_id"] == sec["id"]
    loaded = store.load_paragraphs(db, pid)
    assert loaded[0].text == make_doc().paragraphs[0].text
    assert loaded[0].spans == make_doc().paragraphs[0].spans


def test_full_text_search_on_paragraphs(db):
    store.save(db, make_doc(), make_records())
    hits = list(db["paragraphs"].search("crime"))
    assert len(hits) == 1


def test_a_failed_write_leaves_no_partial_paper(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_insert_records", broken)
    with pytest.raises(RuntimeError):
        store.save(db, make_doc(), make_records())
    assert db["papers"].count == 0 and db["paragraphs"].count == 0


def test_resave_replaces_and_replace_records_keeps_paragraphs(db):
    pid = store.save(db, make_doc(), make_records())
    store.save(db, make_doc(), make_records())
    assert db["papers"].count == 1 and db["paragraphs"].count == 1 and db["figures"].count == 1
    para_id = next(db["paragraphs"].rows)["id"]
    store.replace_records(db, pid, Records(reporting_period_end="2019-10-31"), rules_version="v2")
    assert db["figures"].count == 0
    assert next(db["paragraphs"].rows)["id"] == para_id
    assert db["papers"].get(pid)["rules_version"] == "v2"
