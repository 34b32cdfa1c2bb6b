"""The command line through click's CliRunner: ingest, re-ingest, extract, rules."""

from __future__ import annotations

import json
import shutil

import pytest
import sqlite_utils
from click.testing import CliRunner

from boardpapers.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_pdf):
    folder = tmp_path_factory.mktemp("seeddb")
    db_path = folder / "papers.db"
    result = invoke("ingest", db_path, seed_pdf, "--workers", "0", "--silent")
    assert result.exit_code == 0, result.output
    return db_path


def test_help_and_version():
    assert "ingest" in invoke("--help").output
    assert invoke("--version").output.startswith("boardpapers, version ")


def test_ingest_records_the_seed(seed_db):
    db = sqlite_utils.Database(seed_db)
    (paper,) = list(db["papers"].rows)
    assert paper["status"] == "ok"
    assert paper["id"] == paper["sha256"][:16]
    assert db["paragraphs"].count > 50
    assert json.loads(paper["warnings"])  # the printed-date conflict


def test_reingest_skips_and_same_bytes_add_a_path(seed_db, seed_pdf, tmp_path):
    result = invoke("ingest", seed_db, seed_pdf, "--workers", "0", "--silent")
    assert result.exit_code == 0
    assert "skipped: 1" in result.output
    copy = tmp_path / "renamed.pdf"
    shutil.copy(seed_pdf, copy)
    result = invoke("ingest", seed_db, copy, "--workers", "0", "--silent")
    assert "skipped: 1" in result.output
    db = sqlite_utils.Database(seed_db)
    assert db["papers"].count == 1
    assert {r["path"] for r in db["paper_paths"].rows} == {str(seed_pdf.resolve()), str(copy.resolve())}


def test_bad_files_are_recorded_and_exit_nonzero(tmp_path, seed_pdf):
    (tmp_path / "notes.pdf").write_text("minutes of the meeting, not a PDF")
    (tmp_path / "empty.pdf").write_bytes(b"")
    shutil.copy(seed_pdf, tmp_path / "good.pdf")
    db_path = tmp_path / "out.db"
    result = invoke("ingest", db_path, tmp_path, "--workers", "1", "--silent")
    assert result.exit_code == 1
    assert "ok: 1" in result.output and "rejected: 2" in result.output
    db = sqlite_utils.Database(db_path)
    statuses = {r["path"].rsplit("/", 1)[-1]: (r["status"], r["error"]) for r in db["papers"].rows}
    assert statuses["good.pdf"][0] == "ok"
    assert statuses["notes.pdf"][0] == "rejected" and statuses["notes.pdf"][1]
    assert statuses["empty.pdf"][0] == "rejected" and statuses["empty.pdf"][1]


def test_force_reprocesses(seed_db, seed_pdf):
    result = invoke("ingest", seed_db, seed_pdf, "--workers", "0", "--silent", "--force")
    assert result.exit_code == 0 and "ok: 1" in result.output


def test_extract_reruns_rules_without_reading_pdfs(seed_db, monkeypatch):
    from boardpapers.ingest import document

    def boom(*a, **k):
        raise AssertionError("extract must not read PDFs")

    monkeypatch.setattr(document, "read_document", boom)
    db = sqlite_utils.Database(seed_db)
    before = db["figures"].count
    result = invoke("extract", seed_db)
    assert result.exit_code == 0, result.output
    assert "re-extracted 1 paper(s)" in result.output
    assert db["figures"].count == before


FINANCE_MEMO = [
    "To: Harbour Trust Board",
    "From: Director of Finance",
    "Date: 03/12/2025",
    "Subject: Finance Report Month 8 2025/26",
    "1. Spending to date is £4.2m against a budget of £4.5m.",
    "2. The forecast outturn is on budget for the year.",
]


@pytest.fixture
def memo_db(tmp_path):
    from tests.pdfgen import make_pdf

    pdf = make_pdf(tmp_path / "finance-memo.pdf", [FINANCE_MEMO])
    db_path = tmp_path / "papers.db"
    result = invoke("ingest", db_path, pdf, "--workers", "0", "--silent", "--no-ocr")
    assert result.exit_code == 0, result.output
    return db_path


def test_extract_reinterprets_paper_metadata_without_reading_pdfs(memo_db, monkeypatch):
    """Improving nlp/vocab/paper.yml and running extract updates papers and their series."""
    import copy

    from boardpapers.ingest import document
    from boardpapers.nlp import paper

    def boom(*a, **k):
        raise AssertionError("extract must not read PDFs")

    db = sqlite_utils.Database(memo_db)
    (row,) = db["papers"].rows
    assert (row["board"], row["meeting_date"], row["kind"]) == ("Harbour Trust Board", "2025-12-03", "report")
    assert (row["reporting_period_end"], row["month"]) == ("2025-11-30", "2025-12")
    assert "/report" in row["series"]
    # The body's financial year starts in July, and its finance reports are accounts.
    changed = copy.deepcopy(paper.vocab())
    changed["financial_year"]["by_currency"]["gbp"] = 7
    changed["kinds"]["accounts"].append("finance report")
    monkeypatch.setattr(paper, "vocab", lambda: changed)
    monkeypatch.setattr(document, "read_document", boom)
    result = invoke("extract", memo_db)
    assert result.exit_code == 0, result.output
    (row,) = db["papers"].rows
    assert (row["kind"], row["reporting_period_end"], row["meeting_date"]) == (
        "accounts",
        "2026-02-28",
        "2025-12-03",
    )
    assert row["series"] == "harbour-trust-board/accounts"  # "finance" now names the kind
    assert json.loads(row["meta_source"])["kind"] == "title"


def test_extract_keeps_the_metadata_of_a_paper_stored_without_its_raw_places(memo_db, monkeypatch):
    from boardpapers.nlp import paper

    db = sqlite_utils.Database(memo_db)
    db.execute("UPDATE papers SET meta_raw = NULL")
    db.conn.commit()
    monkeypatch.setattr(paper, "interpret", lambda *a: pytest.fail("nothing to interpret"))
    result = invoke("extract", memo_db)
    assert result.exit_code == 0, result.output
    assert "1 paper(s) were ingested before boardpapers kept their raw metadata" in result.output
    (row,) = db["papers"].rows
    assert (row["kind"], row["reporting_period_end"]) == ("report", "2025-11-30")


def test_extract_unknown_paper_is_a_clear_error(seed_db):
    result = invoke("extract", seed_db, "--paper", "nosuchpaper")
    assert result.exit_code == 1
    assert "Error: no ingested paper with id nosuchpaper in" in result.output


def test_rules_check_passes_on_shipped_rules():
    result = invoke("rules", "check")
    assert result.exit_code == 0, result.output


def test_rules_check_validates_the_paper_vocabulary(tmp_path):
    from boardpapers.nlp.rules import RULES_DIR

    shutil.copytree(RULES_DIR / "vocab", tmp_path / "vocab")
    path = tmp_path / "vocab" / "paper.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    gbp: 4", "    gbp: 13"), encoding="utf-8")
    result = invoke("rules", "check", tmp_path)
    assert result.exit_code == 1
    assert "key financial_year.by_currency.gbp must be a month number 1-12 or null" in result.output


def test_rules_check_names_file_and_line(tmp_path):
    (tmp_path / "patterns").mkdir()
    (tmp_path / "vocab").mkdir()
    (tmp_path / "patterns" / "bad.jsonl").write_text(
        '{"label": "X", "id": "ok-rule", "pattern": [{"LOWER": "fine"}]}\n'
        '{"label": "X", "id": "bad-rule", "pattern": [{"LOWR": "typo"}]}\n'
    )
    result = invoke("rules", "check", tmp_path)
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output
