"""Ingest never crashes on a name or a string; one bad paper never loses the others.

Each case is a small generated PDF (or a file name) ingested next to a
control paper; the batch must complete with both stored.
"""

from __future__ import annotations

import os
import sqlite3
import time

import pytest
from click.testing import CliRunner

from boardpapers import batch, guards, pipeline
from boardpapers.cli import cli
from boardpapers.config import Limits, Options
from boardpapers.db import store
from boardpapers.db.schema import open_db
from boardpapers.ingest.models import Document, Paragraph, Span
from tests import hostile


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def papers(db_path) -> dict[str, dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    rows = {os.path.basename(r["path"]): dict(r) for r in conn.execute("SELECT * FROM papers")}
    conn.close()
    return rows


def test_a_lone_surrogate_in_text_and_footer_is_stored_as_a_replacement_character(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile._write(folder / "lone.pdf", hostile.surrogate_pdf())
    hostile.write_control(folder)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "1", "--silent")
    assert result.exit_code == 0, result.output
    rows = papers(tmp_path / "p.db")
    assert rows["lone.pdf"]["status"] == "ok" and rows["control.pdf"]["status"] == "ok"
    conn = sqlite3.connect(tmp_path / "p.db")
    texts = [
        t for (t,) in conn.execute("SELECT text FROM paragraphs WHERE paper_id = ?", [rows["lone.pdf"]["id"]])
    ]
    assert any("\ufffd" in t for t in texts), texts
    assert not any("\ud800" in t for t in texts)


def test_scrub_keeps_offsets_and_leaves_clean_values_alone():
    para = Paragraph(
        seq=0, kind="paragraph", text="a\ud800b", page_start=1, page_end=1, x0=0, top=0, x1=1, bottom=1,
        spans=(Span(0, 3, 1, 0, 0, 1, 1),),
    )  # fmt: skip
    doc = Document(path="/x/\udcff.pdf", sha256="a" * 64, size=1, status="ok", paragraphs=(para,))
    clean = store.scrub(doc)
    assert clean.paragraphs[0].text == "a\ufffdb" and len(clean.paragraphs[0].text) == 3
    assert clean.paragraphs[0].spans == para.spans
    assert clean.path == "/x/\ufffd.pdf"
    fine = Document(path="/x/a.pdf", sha256="a" * 64, size=1, status="ok")
    assert store.scrub(fine) is fine


def test_a_file_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"minutes-\xff\xfe-2020.pdf")
    with open(raw, "wb") as fh:
        fh.write(hostile.text_pdf("1.1 The board noted the report of 4 May 2020."))
    with open(os.path.join(os.fsencode(folder), b"broken-\xfe.pdf"), "wb") as fh:
        fh.write(b"<html>not a pdf</html>")
    hostile.write_control(folder)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "1", "--silent")
    assert result.exit_code == 1, result.output  # the broken one
    assert "broken-\\xfe.pdf: broken-\\xfe.pdf is not a PDF" in result.output
    rerun = invoke("ingest", tmp_path / "p.db", folder, "--workers", "1", "--silent")
    assert rerun.exit_code == 0 and "skipped: 3" in rerun.output, rerun.output
    rows = papers(tmp_path / "p.db")
    assert set(rows) == {"minutes-\\xff\\xfe-2020.pdf", "broken-\\xfe.pdf", "control.pdf"}
    assert rows["minutes-\\xff\\xfe-2020.pdf"]["status"] == "ok"
    assert rows["broken-\\xfe.pdf"]["status"] == "rejected"


def test_an_error_while_storing_one_paper_marks_it_failed_and_the_batch_goes_on(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    hostile.distinct_papers(folder, 3)
    real = store._insert_paragraphs

    def broken(conn, pid, paragraphs, section_ids):
        if any("paper number 2." in p.text for p in paragraphs):
            raise ValueError("cannot store this paragraph")
        return real(conn, pid, paragraphs, section_ids)

    monkeypatch.setattr(store, "_insert_paragraphs", broken)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "0", "--silent")
    assert result.exit_code == 1
    rows = papers(tmp_path / "p.db")
    assert [rows[f"paper-{i:02d}.pdf"]["status"] for i in range(3)] == ["ok", "failed", "ok"]
    assert "could not be stored (ValueError: cannot store this paragraph)" in rows["paper-01.pdf"]["error"]
    assert "paper-01.pdf: paper-01.pdf could not be stored" in result.output


def test_split_paragraph_rebases_spans_and_keeps_every_character():
    words = [f"w{i:04d}" for i in range(3000)]
    text = " ".join(words)
    spans, at = [], 0
    for i, w in enumerate(words):
        spans.append(Span(at, at + len(w), 1 + i // 1000, 10.0, float(i % 1000), 20.0, float(i % 1000) + 1))
        at += len(w) + 1
    para = Paragraph(
        seq=0, kind="paragraph", text=text, page_start=1, page_end=3, x0=0, top=0, x1=1, bottom=1,
        number="4.1", spans=tuple(spans),
    )  # fmt: skip
    parts = guards.split_paragraph(para, 5000)
    assert all(len(p.text) <= 5000 for p in parts) and len(parts) == 4
    assert " ".join(p.text for p in parts) == text  # cut at spaces only
    assert parts[0].number == "4.1" and parts[1].number is None
    for part in parts:
        for s in part.spans:
            assert part.text[s.start : s.end].startswith("w")
    assert parts[-1].page_end == 3 and parts[0].page_start == 1


def test_cap_paragraphs_renumbers_and_warns():
    long = Paragraph(
        seq=0, kind="paragraph", text="x " * 6000, page_start=2, page_end=2, x0=0, top=0, x1=1, bottom=1
    )
    short = Paragraph(
        seq=1, kind="paragraph", text="end.", page_start=2, page_end=2, x0=0, top=0, x1=1, bottom=1
    )
    doc = Document(path="/x/a.pdf", sha256="a" * 64, size=1, status="ok", paragraphs=(long, short))
    capped = guards.cap_paragraphs(doc, 5000)
    assert [p.seq for p in capped.paragraphs] == [0, 1, 2, 3]
    assert capped.paragraphs[-1].text == "end."
    assert capped.warnings == (
        "paragraph on page 2 is 12,000 characters long; split into 3 parts of at most 5,000",
    )


@pytest.mark.slow
def test_a_paragraph_over_a_million_characters_keeps_its_paper(monkeypatch):
    """Past spaCy's max_length (1,000,000) extraction refused the whole paper."""
    from boardpapers.ingest import document

    text = ("lorem ipsum dolor sit amet " * 45_000)[:1_100_000]
    para = Paragraph(
        seq=0, kind="paragraph", text=text, page_start=1, page_end=1, x0=0, top=0, x1=1, bottom=1
    )
    doc = Document(path="/x/long.pdf", sha256="a" * 64, size=1, status="ok", pages=1, paragraphs=(para,))
    monkeypatch.setattr(document, "read_document", lambda path, **kw: doc)
    pipeline.get_nlp()
    started = time.monotonic()
    outcome = pipeline.process_file("/x/long.pdf", Options(ocr=False))
    assert outcome.document.status == "ok" and outcome.records is not None
    assert len(outcome.document.paragraphs) == 220
    assert any("1,100,000 characters long" in w for w in outcome.document.warnings)
    assert time.monotonic() - started < 120


@pytest.mark.parametrize(
    "lines",
    [
        ["Report to the Board", "Meeting date: May 0000", "1.1 Recorded crime fell by 5% in May 0000."],
        [
            "Report to the Board",
            "Date of meeting: 31 February 2020",
            "1.1 Crime fell in the year to 31 February 2020.",
        ],
        [
            "Board meeting 00/00/0000",
            "Printed 30 February 2021",
            "1.1 12 actions completed by 0 January 2020.",
        ],
        [
            "Board meeting 31 Feb 0000",
            "1.1 The period to 29 February 2021 saw 12 incidents (May 0000 to 9999).",
        ],
    ],
    ids=["may-0000", "31-february", "zero-dates", "year-zero-and-29-feb"],
)
def test_impossible_dates_never_fail_a_valid_paper(tmp_path, lines):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile._write(folder / "dates.pdf", hostile.lines_pdf(lines))
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "0", "--silent")
    assert result.exit_code == 0, result.output
    assert papers(tmp_path / "p.db")["dates.pdf"]["status"] == "ok"


def test_a_stage_that_raises_after_reading_keeps_the_paper(tmp_path, monkeypatch):
    """Whatever a date (or any string) does to the metadata or the rules, the text is kept."""

    def bad_date(*args, **kwargs):
        raise ValueError("day is out of range for month")

    monkeypatch.setattr(pipeline, "interpret", bad_date)
    monkeypatch.setattr(pipeline, "extract", bad_date)
    folder = tmp_path / "in"
    hostile.distinct_papers(folder, 2)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "0", "--silent")
    assert result.exit_code == 0, result.output
    rows = papers(tmp_path / "p.db")
    assert {r["status"] for r in rows.values()} == {"ok"}
    warnings = rows["paper-00.pdf"]["warnings"]
    assert "interpret: failed on this paper (ValueError: day is out of range for month)" in warnings
    assert "extract: failed on this paper" in warnings
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("SELECT count(*) FROM paragraphs").fetchone()[0] >= 2


# --- paths -----------------------------------------------------------------------------------------


def test_resaving_a_paper_keeps_its_paths(tmp_path):
    db = open_db(str(tmp_path / "p.db"))
    doc = Document(path="/a/one.pdf", sha256="c" * 64, size=1, status="ok")
    pid = store.save(db, doc, None)
    store.add_path(db, pid, "/b/two.pdf")
    store.save(db, doc, None)  # --force, --retry-failed, extract of the same bytes
    paths = {r["path"] for r in db["paper_paths"].rows}
    assert paths == {"/a/one.pdf", "/b/two.pdf"}


def test_same_bytes_under_two_names_in_one_run_keep_both_names(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = hostile.text_pdf()
    for name in ("a-original.pdf", "b-copy.pdf", "c-another-copy.pdf"):
        hostile._write(folder / name, data)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "1", "--silent")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 1
    names = {os.path.basename(p) for (p,) in conn.execute("SELECT path FROM paper_paths")}
    assert names == {"a-original.pdf", "b-copy.pdf", "c-another-copy.pdf"}


def test_a_file_that_vanishes_mid_run_fails_cleanly(tmp_path):
    folder = tmp_path / "in"
    paths = hostile.distinct_papers(folder, 2)
    db = open_db(str(tmp_path / "p.db"))

    def vanish(files, size):  # after hashing, before reading
        paths[0].unlink()

    summary = batch.ingest(
        db, [str(folder)], options=Options(ocr=False), limits=Limits(), workers=0, plan=vanish
    )
    statuses = {os.path.basename(r.path): (r.status, r.reason) for r in summary.results}
    assert statuses["paper-01.pdf"][0] == "ok"
    status, reason = statuses["paper-00.pdf"]
    assert status == "failed" and "could not be opened" in reason
    ids = [r["id"] for r in db["papers"].rows]
    assert "" not in ids and len(ids) == 2


@pytest.mark.slow
def test_a_run_on_pdf_is_read_split_and_kept_in_reasonable_time(tmp_path):
    """40 pages of type with no paragraph break: about 500,000 characters in one
    paragraph. Building it was quadratic in its length and so was extraction."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile._write(folder / "run-on.pdf", hostile.run_on_pdf(40))
    started = time.monotonic()
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "1", "--silent", "--timeout", "240")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    row = papers(tmp_path / "p.db")["run-on.pdf"]
    assert row["status"] == "ok" and "characters long; split into" in row["warnings"]
    conn = sqlite3.connect(tmp_path / "p.db")
    longest = conn.execute("SELECT max(length(text)) FROM paragraphs").fetchone()[0]
    assert longest <= guards.MAX_PARAGRAPH_CHARS
    assert elapsed < 120, f"{elapsed:.0f} s"
