"""What the fast paths avoid doing (behaviour, never timings).

- a second ``boardpapers ingest`` over unchanged files imports neither spaCy
  nor the worker pool (pebble, ``boardpapers.pool``, ``boardpapers.pipeline``):
  hashing and a database lookup are all it needs;
- ``boardpapers extract`` re-runs the rules on stored paragraphs: it reads no
  PDF (the file may be gone) and imports no PDF library.

Imports are read from ``python -X importtime`` in a subprocess, as a user
runs the command.
"""

from __future__ import annotations

import pathlib
import shutil
import sqlite3
import subprocess
import sys

import pytest

from .conftest import ROOT


def _boardpapers(*args: str, importtime: bool = False) -> subprocess.CompletedProcess:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "boardpapers", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _imported(stderr: str) -> set[str]:
    """Module names listed by ``-X importtime``."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":
                names.add(name)
    return names


def _top_levels(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, seed_pdf) -> tuple[pathlib.Path, pathlib.Path]:
    """A database holding one paper, and the folder its PDF was read from."""
    folder = tmp_path_factory.mktemp("papers")
    shutil.copy(seed_pdf, folder / seed_pdf.name)
    db = folder.parent / "speed.db"
    first = _boardpapers("ingest", str(db), str(folder), "--workers", "1", "--silent", "--no-ocr")
    assert first.returncode == 0, first.stderr
    assert "ok: 1" in first.stderr
    return db, folder


def test_first_ingest_imports_the_pipeline(tmp_path, seed_pdf):
    """The check below can fail: a run with a file to read does import spaCy and the pool."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_pdf, folder / seed_pdf.name)
    run = _boardpapers(
        "ingest",
        str(tmp_path / "a.db"),
        str(folder),
        "--workers",
        "0",
        "--silent",
        "--no-ocr",
        importtime=True,
    )
    assert run.returncode == 0, run.stderr
    names = _imported(run.stderr)
    assert "spacy" in _top_levels(names)
    assert "boardpapers.pipeline" in names


def test_unchanged_reingest_imports_no_spacy_and_no_pool(ingested):
    db, folder = ingested
    again = _boardpapers(
        "ingest", str(db), str(folder), "--workers", "1", "--silent", "--no-ocr", importtime=True
    )
    assert again.returncode == 0, again.stderr
    assert "skipped: 1" in again.stderr
    names = _imported(again.stderr)
    assert "boardpapers.batch" in names  # the listing is real: the command did run
    tops = _top_levels(names)
    assert not tops & {"spacy", "thinc", "pebble", "pdfplumber", "pypdfium2"}, sorted(tops)
    assert not names & {"boardpapers.pool", "boardpapers.pipeline", "boardpapers.nlp.pipeline"}


def test_extract_reads_no_pdf(ingested, tmp_path):
    db, folder = ingested
    copy = tmp_path / "moved.db"
    shutil.copy(db, copy)
    for extra in ("-wal", "-shm"):
        side = pathlib.Path(f"{db}{extra}")
        if side.exists():
            shutil.copy(side, f"{copy}{extra}")
    gone = tmp_path / "gone"
    shutil.move(str(folder), gone)  # the PDF is no longer where it was ingested from
    try:
        run = _boardpapers("extract", str(copy), importtime=True)
    finally:
        shutil.move(str(gone), folder)
    assert run.returncode == 0, run.stderr
    assert "re-extracted 1 paper(s)" in run.stderr
    tops = _top_levels(_imported(run.stderr))
    assert "spacy" in tops  # the rules did run
    assert not tops & {"pdfplumber", "pdfminer", "pypdfium2"}, sorted(tops)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] > 0
