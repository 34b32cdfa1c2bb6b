"""The generated fuzz family (tests/hostile/fuzz.py) through the real command.

Stands in for the external fuzz corpora, which cannot be fetched at test
time: every file must end as a ``papers`` row with a status (and a reason
unless ok), the batch must complete without a traceback, every original must
be unchanged and no process of the run may be left.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from boardpapers.ingest.models import PAPER_STATUSES
from tests.conftest import ROOT
from tests.hostile import fuzz


def test_the_generator_is_reproducible_and_damages_every_mutant():
    first, again = fuzz.mutants(30), fuzz.mutants(30)
    assert first == again
    parent = fuzz.base_paper()
    assert all(data != parent for data in first.values())
    assert len(set(first.values())) == len(first)
    assert len(fuzz.structured()) >= 30


@pytest.mark.slow
def test_every_fuzz_file_gets_a_status_and_the_batch_completes(tmp_path):
    cases = fuzz.write_corpus(tmp_path / "fuzz", n_mutants=60)
    before = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in cases.items()}
    db_path = tmp_path / "fuzz.db"
    command = [sys.executable, "-m", "boardpapers", "ingest", str(db_path), str(tmp_path / "fuzz"),
               "--workers", "2", "--timeout", "30", "--max-memory", "2048", "--no-ocr", "--silent"]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _, err = proc.communicate(timeout=500)
    finally:
        left = _group_alive(proc.pid)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not left, "processes of the run outlived it"
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err, err
    conn = sqlite3.connect(db_path)
    rows = {
        os.path.basename(p)[:-4]: (s, e) for p, s, e in conn.execute("SELECT path, status, error FROM papers")
    }
    assert set(rows) == set(cases), set(cases) ^ set(rows)
    for name, (status, error) in rows.items():
        assert status in PAPER_STATUSES, (name, status)
        assert (status == "ok") == (error is None), (name, status, error)
        assert error is None or "\n" not in error
    assert rows["parent"][0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for name, path in cases.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before[name], f"{name} was modified"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Members that are only zombies (reparented, not yet reaped) do not count.
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False
