"""Crash safety: SIGKILL mid-batch leaves only whole papers; readers never block.

Distinct papers are made from the seed by appending a comment after its
``%%EOF`` (the same pages, different bytes, so each is a new paper).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def make_copies(seed_pdf, folder, n):
    data = seed_pdf.read_bytes()
    folder.mkdir()
    for i in range(n):
        (folder / f"paper-{i:02d}.pdf").write_bytes(data + f"\n%copy {i}\n".encode())
    return folder


def ingest_command(db_path, folder):
    return [
        sys.executable,
        "-m",
        "boardpapers",
        "ingest",
        str(db_path),
        str(folder),
        "--workers",
        "1",
        "--silent",
    ]


def start_ingest(db_path, folder):
    return subprocess.Popen(
        ingest_command(db_path, folder),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def read_only(db_path):
    """Open the way Datasette does: read-only URI, short busy timeout."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.5)
    return conn


def paper_counts(conn):
    return conn.execute(
        "SELECT p.id, p.status, (SELECT count(*) FROM paragraphs g WHERE g.paper_id = p.id) FROM papers p"
    ).fetchall()


def test_sigkill_mid_batch_then_rerun(tmp_path, seed_pdf):
    folder = make_copies(seed_pdf, tmp_path / "in", 8)
    db_path = tmp_path / "papers.db"
    proc = start_ingest(db_path, folder)
    errors, seen = [], []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            if not db_path.exists():
                time.sleep(0.05)
                continue
            try:
                conn = read_only(db_path)
                seen.append(paper_counts(conn))
                conn.close()
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    errors.append(str(exc))
            time.sleep(0.02)

    thread = threading.Thread(target=reader)
    thread.start()
    deadline = time.time() + 180
    try:
        while time.time() < deadline:
            if db_path.exists():
                try:
                    conn = read_only(db_path)
                    done = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    done = 0
                if done >= 2:
                    break
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        stop.set()
        thread.join()

    assert not errors, errors[:3]  # never "database is locked"
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = paper_counts(conn)
    assert 2 <= len(rows) < 8, rows
    sizes = {n for _, _, n in rows}
    assert len(sizes) == 1 and sizes.pop() > 0  # only whole papers, all alike
    for snapshot in seen:  # a reader never saw a half-written paper
        assert all(n == rows[0][2] for _, _, n in snapshot), snapshot
    conn.close()

    rerun = subprocess.run(
        ingest_command(db_path, folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped: {len(rows)}" in rerun.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM papers").fetchone() == (8, 8)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
