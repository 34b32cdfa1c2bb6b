"""Processes: workers die with the main process, ingests share a new database,
a full disk keeps what was stored, ``serve`` takes its Datasette child down.

Each test starts the real command in its own session (so a leftover process
can be found and is always killed afterwards) and looks at ``/proc``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from boardpapers.db.schema import open_db
from tests import hostile
from tests.conftest import ROOT
from tests.test_crash import ingest_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie waiting for its reaper is dead)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def wait_for(predicate, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@contextlib.contextmanager
def started(args, **kwargs):
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs
    )
    seen: set[int] = set()
    try:
        yield proc, seen
    finally:
        for pid in seen:  # never leave a spinning worker behind, whatever the test found
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def spin_ingest(db_path, folder):
    return [sys.executable, "-m", "tests.hostile.spin_ingest", "ingest", str(db_path), str(folder),
            "--workers", "2", "--timeout", "600", "--max-memory", "0", "--silent"]  # fmt: skip


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_workers_die_with_the_main_process(tmp_path, how):
    hostile.distinct_papers(tmp_path / "in", 3)
    with started(spin_ingest(tmp_path / "p.db", tmp_path / "in")) as (proc, seen):
        workers = wait_for(lambda: len(children(proc.pid)) >= 2 and children(proc.pid), 60)
        assert workers and len(workers) >= 2, proc.stderr.read1().decode() if proc.poll() is not None else ""
        seen.update(workers)
        time.sleep(0.5)  # let them settle into the endless file
        os.kill(proc.pid, how)
        proc.wait(30)
        survivors = wait_for(lambda: not any(alive(w) for w in workers), 10) or [
            w for w in workers if alive(w)
        ]
        assert survivors is True, f"workers still running after {how.name} of the main process: {survivors}"
        if how == signal.SIGTERM:
            err = proc.stderr.read().decode()
            assert "Traceback" not in err and "interrupted" in err, err
            assert proc.returncode == 1


def test_two_ingests_at_once_on_a_new_database(tmp_path):
    for round_ in range(2):
        db_path = tmp_path / f"new-{round_}.db"
        folders = []
        for n in range(2):
            folders.append(tmp_path / f"in-{round_}-{n}")
            hostile.distinct_papers(folders[-1], 6, stem=f"r{round_}-{n}")
        command = [sys.executable, "-m", "boardpapers", "ingest", str(db_path)]
        procs = [
            subprocess.Popen([*command, str(f), "--workers", "0", "--silent"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for f in folders
        ]  # fmt: skip
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err.decode()
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT count(*) FROM papers WHERE status = 'ok'").fetchone()[0] == 12
        conn.close()


def test_disk_full_keeps_the_papers_stored_so_far(tmp_path):
    """The disk is "full" through RLIMIT_FSIZE: past the limit every write of the
    ingest process fails (EFBIG, which SQLite reports as a disk I/O error)."""
    folder = tmp_path / "in"
    hostile.distinct_papers(folder, 12)
    db_path = tmp_path / "p.db"
    open_db(str(db_path)).close()  # schema written without the limit
    limit = os.path.getsize(db_path) + 64 * 1024

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = ingest_command(db_path, folder)
    full = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=small_disk
    )
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr
    assert "Error: cannot write to the database" in full.stderr and "re-run" in full.stderr, full.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    conn.close()
    assert 1 <= stored < 12
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped: {stored}" in rerun.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, host: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        return conn.getresponse().status
    finally:
        conn.close()


def up(port: int) -> bool:
    try:
        return get(port, "/-/versions.json", f"127.0.0.1:{port}") == 200
    except OSError:
        return False


@pytest.mark.parametrize(
    "how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["sigterm", "sigint", "sigkill"]
)
def test_serve_stops_its_datasette_child(tmp_path, how):
    db_path = tmp_path / "p.db"
    open_db(str(db_path)).close()
    port = free_port()
    command = [sys.executable, "-m", "boardpapers", "serve", str(db_path), "--port", str(port)]
    with started(command) as (proc, seen):
        assert wait_for(lambda: up(port), 60), proc.stderr.read1().decode() if proc.poll() is not None else ""
        kids = children(proc.pid)
        seen.update(kids)
        assert kids
        assert get(port, "/p/papers.json", "evil.example") == 403  # DNS rebinding
        assert get(port, "/p/papers.json", f"localhost:{port}") == 200
        os.kill(proc.pid, how)
        proc.wait(30)
        assert wait_for(lambda: not any(alive(k) for k in kids), 15), f"Datasette child left after {how.name}"
        assert not up(port)
