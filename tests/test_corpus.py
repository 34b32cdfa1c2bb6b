"""The whole shared corpus in one `boardpapers ingest` run, then again.

Every file gets exactly one papers row with a status; files with a text layer
(per the corpus MANIFEST) are ok or partial; the run ends despite broken,
encrypted, empty and scanned files; a second run skips every file. OCR is
off here (its own tests cover scanned pages), which keeps this under a few
minutes on two cores.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
import sqlite_utils

from tests.conftest import ROOT

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus_run(corpus, tmp_path_factory):
    real = corpus / "real"
    db_path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    cmd = [
        sys.executable,
        "-m",
        "boardpapers",
        "ingest",
        str(db_path),
        str(real),
        "--workers",
        "2",
        "--no-ocr",
        "--silent",
        "--timeout",
        "240",
    ]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    manifest = {row["path"]: row for row in csv.DictReader(open(real / "MANIFEST.tsv"), delimiter="\t")}
    return real, sqlite_utils.Database(db_path), first, second, manifest


def test_every_file_has_one_status(corpus_run):
    real, db, first, _, manifest = corpus_run
    assert "Traceback" not in first.stderr
    pdfs = sorted(p for p in real.rglob("*") if p.suffix.lower() == ".pdf")
    rows = {r["path"]: r for r in db["papers"].rows}
    assert len(pdfs) == len(rows) == len(manifest)
    assert {str(p.resolve()) for p in pdfs} == set(rows)
    for row in rows.values():
        assert row["status"] in ("ok", "partial", "failed", "rejected")
        if row["status"] != "ok":
            assert row["error"], row["path"]
    # broken and encrypted files make the run exit 1, with the summary printed
    assert first.returncode == 1
    assert "failed:" in first.stderr and "is encrypted" in first.stderr


def test_text_layer_files_are_ok_or_partial(corpus_run):
    real, db, _, _, manifest = corpus_run
    by_path = {r["path"]: r for r in db["papers"].rows}
    for rel, info in manifest.items():
        row = by_path[str((real / rel).resolve())]
        if info["text_layer"] == "yes":
            assert row["status"] in ("ok", "partial"), (rel, row["status"], row["error"])
        if info["text_layer"] == "no" and info["opens_ok"] == "yes" and info["kind"] == "scanned":
            assert row["status"] in ("partial", "failed") and "tesseract" in (row["error"] or ""), rel


def test_action_logs_yield_table_rows_with_status_cells(corpus_run):
    real, db, _, _, _ = corpus_run
    for name in (
        "ODUG_Action_Log_14_May_2013.pdf",
        "ODUG_Action_Log_July_13_final_10.pdf",
        "TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf",
        "TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf",
    ):
        (paper,) = db.query("SELECT id FROM papers WHERE path LIKE ?", [f"%/{name}"])
        rows = list(
            db.query("SELECT cells FROM paragraphs WHERE paper_id = ? AND kind = 'table_row'", [paper["id"]])
        )
        assert len(rows) >= 9, name
        actions = list(db.query("SELECT status, status_text FROM actions WHERE paper_id = ?", [paper["id"]]))
        assert sum(1 for a in actions if a["status"] != "unknown") >= 0.9 * len(rows), name


def test_second_run_skips_every_file(corpus_run):
    _, db, _, second, manifest = corpus_run
    assert f"skipped: {len(manifest)}" in second.stderr, second.stderr[-2000:]
    assert "ok: 0  partial: 0  failed: 0  rejected: 0" in second.stderr
    assert second.returncode == 0
