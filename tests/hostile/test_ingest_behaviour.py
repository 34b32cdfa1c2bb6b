"""Ingest behaves on a real archive: every password line for every encrypted
paper, a progress line with files, pages, failures and a steady ETA, library
warnings in the log instead of the terminal."""

from __future__ import annotations

import io
import logging
import re
import sqlite3
import warnings

import pytest
from click.testing import CliRunner

from boardpapers import pool
from boardpapers.batch import FileResult
from boardpapers.cli import cli
from boardpapers.progress import Progress
from tests import hostile


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def encrypted_pdf(path, password: str, text: str):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.output(str(path))
    return path


def test_every_password_line_is_tried_on_every_encrypted_paper(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, password in enumerate(["alpha", "bravo", "charlie"]):
        encrypted_pdf(folder / f"locked-{i}.pdf", password, f"1.1 The board noted locked report {i}.")
    encrypted_pdf(folder / "locked-unknown.pdf", "zulu", "1.1 Nobody knows this one.")
    hostile.write_control(folder)
    passwords = tmp_path / "passwords.txt"
    passwords.write_text("charlie\n\nalpha\n  bravo  \n")
    result = invoke(
        "ingest", tmp_path / "p.db", folder, "--password-file", passwords, "--workers", "1", "--silent"
    )
    assert result.exit_code == 1  # the unknown one
    conn = sqlite3.connect(tmp_path / "p.db")
    rows = dict(conn.execute("SELECT substr(path, length(path) - 15), status FROM papers").fetchall())
    assert sorted(rows.values()) == ["failed", "ok", "ok", "ok", "ok"], rows
    (error,) = conn.execute("SELECT error FROM papers WHERE status = 'failed'").fetchone()
    assert "locked-unknown.pdf is encrypted" in error
    for word in ("alpha", "bravo", "charlie"):
        assert word not in result.output and word not in error


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_line_counts_files_pages_failures_and_gives_a_steady_eta():
    clock, out = Clock(), io.StringIO()
    progress = Progress(6, out, clock=clock, every=1)
    progress.update(FileResult("/a/known.pdf", "skipped"))  # hashing: not read
    sizes = [8_000_000, 4_000_000, 2_000_000, 1_000_000, 1_000_000]  # largest first, as batch reads them
    progress.plan(len(sizes), sum(sizes))
    etas = []
    for i, size in enumerate(sizes):
        clock.now += size / 1_000_000  # one MB a second
        status = "failed" if i == 2 else "ok"
        progress.update(FileResult(f"/a/p{i}.pdf", status, pages=3, size=size))
        etas.append(progress.eta())
    assert etas == [8.0, 4.0, 2.0, 1.0, 0.0]  # the true time left, every time
    last = out.getvalue().splitlines()[-1]
    assert last == "ingesting 6/6 files  15 pages  1 failed  ETA 0s"


def test_no_eta_before_there_is_something_to_go_on():
    clock = Clock()
    progress = Progress(3, io.StringIO(), clock=clock)
    progress.plan(3, 300)
    assert progress.eta() is None
    clock.now = 1.0
    progress.update(FileResult("/a/x.pdf", "ok", pages=1, size=100))
    assert progress.eta() is None  # under MIN_SECONDS_FOR_ETA
    assert "ETA --" in progress.line()


def noisy(real):
    """process_file that first logs and warns the way pdfminer and pypdfium2 do."""

    def process_file(path, options):
        for i in range(250):
            logging.getLogger("pdfminer.pdfinterp").warning(
                "Cannot set non-stroke color because %d components are specified but only 1 (grayscale)", i
            )
        warnings.warn("a pypdfium2-style UserWarning", UserWarning, stacklevel=1)
        return real(path, options)

    return process_file


@pytest.mark.parametrize("workers", ["0", "1"])
def test_library_warnings_go_to_the_log_and_are_counted(tmp_path, monkeypatch, capfd, workers):
    monkeypatch.setattr(pool, "process_file", noisy(pool.process_file))
    folder = tmp_path / "in"
    hostile.distinct_papers(folder, 2)
    log = tmp_path / "ingest.log"
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", workers, "--silent", "--log-file", log)
    assert result.exit_code == 0, result.output
    terminal = result.output + "".join(capfd.readouterr())
    assert "Cannot set non-stroke color" not in terminal and "UserWarning" not in terminal
    counted = re.search(r"(\d+) library warning\(s\) kept off the terminal \(written to ", result.output)
    assert counted and int(counted.group(1)) >= 2 * 250, result.output
    text = log.read_text()
    assert (
        "paper-00.pdf: warning pdfminer.pdfinterp: Cannot set non-stroke color because 0 components" in text
    )
    assert text.count("Cannot set non-stroke color") == 2 * 200  # the first 200 lines of each file are kept
    assert "paper-01.pdf: " in text and "more warnings not kept" in text


def test_verbose_shows_library_warnings_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "process_file", noisy(pool.process_file))
    folder = tmp_path / "in"
    hostile.distinct_papers(folder, 1)
    result = invoke("ingest", tmp_path / "p.db", folder, "--workers", "0", "--silent", "-v")
    assert result.exit_code == 0
    assert "Cannot set non-stroke color" in result.output
