"""The worker pool stops, replaces and reports misbehaving workers per file.

The file-reading function is replaced by stand-ins that spin, die or eat
memory, so these tests exercise the pool itself; tests/test_hostile.py drives
real hostile PDFs through it.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from boardpapers import pool
from boardpapers.config import Limits, Options
from boardpapers.ingest.models import Document
from boardpapers.pipeline import Outcome


def _fake_process(path: str, options: Options) -> Outcome:
    name = os.path.basename(path)
    if name.startswith("spin"):
        while True:
            pass
    if name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("hog"):
        blocks = []
        while True:
            blocks.append(bytearray(64 * 1024 * 1024))
    if name.startswith("pid"):
        time.sleep(0.05)
    if name.startswith("pdeath"):  # what the worker asked Linux to send it when its parent dies
        import ctypes

        sig = ctypes.c_int(0)
        ctypes.CDLL(None).prctl(2, ctypes.byref(sig), 0, 0, 0)  # PR_GET_PDEATHSIG
        return Outcome(
            Document(path=path, sha256="0" * 64, size=0, status="ok", error=f"signal {sig.value}"), None, 0.0
        )
    doc = Document(path=path, sha256="0" * 64, size=0, status="ok", error=str(os.getpid()))
    return Outcome(doc, None, 0.0)


@pytest.fixture
def fake_pool(monkeypatch):
    monkeypatch.setattr(pool, "process_file", _fake_process)
    monkeypatch.setattr(pool, "get_nlp", lambda: None)


def _run(names, limits, workers=2):
    tasks = [pool.Task(f"/nonexistent/{n}", n, 0) for n in names]
    return {os.path.basename(t.path): (o, f) for t, o, f in pool.run(tasks, Options(), limits, workers)}


def test_spinning_worker_is_stopped_and_others_complete(fake_pool):
    got = _run(["spin.pdf", "a.pdf", "b.pdf", "c.pdf"], Limits(timeout=2, max_memory_mb=0))
    assert got["spin.pdf"][1].kind == "timeout"
    assert str(got["spin.pdf"][1]).startswith("timeout: not finished after 2 s")
    assert all(got[n][0].document.status == "ok" for n in ("a.pdf", "b.pdf", "c.pdf"))


def test_killed_worker_is_replaced_and_only_its_file_marked(fake_pool):
    got = _run(["kill.pdf", "a.pdf", "b.pdf"], Limits(timeout=20, max_memory_mb=0))
    failure = got["kill.pdf"][1]
    assert failure.kind == "worker_died"
    assert "killed by signal 9" in failure.message
    assert got["a.pdf"][0].document.status == "ok"
    assert got["b.pdf"][0].document.status == "ok"


def test_memory_cap_gives_resource_limit(fake_pool):
    got = _run(["hog.pdf", "a.pdf"], Limits(timeout=30, max_memory_mb=600))
    failure = got["hog.pdf"][1]
    assert failure is not None and failure.kind in ("resource_limit", "worker_died"), failure
    assert got["a.pdf"][0].document.status == "ok"


def test_workers_are_recycled(fake_pool):
    names = [f"pid{i}.pdf" for i in range(6)]
    got = _run(names, Limits(timeout=20, max_memory_mb=0, recycle_after=1), workers=1)
    pids = {got[n][0].document.error for n in names}
    assert len(pids) == 6  # one fresh worker per file


def test_in_process_mode_runs_without_workers(fake_pool):
    got = _run(["a.pdf", "b.pdf"], Limits(), workers=0)
    assert {n: o.document.status for n, (o, f) in got.items()} == {"a.pdf": "ok", "b.pdf": "ok"}


def _stuck_in_c(path: str, options: Options) -> Outcome:
    """One builtin call that runs for hours inside C code, where Python
    signal handlers never run (as a parser's C loop does)."""
    import itertools

    sum(itertools.repeat(1, 10**14))
    raise AssertionError("unreachable")


def test_a_worker_stuck_in_c_code_stops_at_the_timeout(monkeypatch):
    """pebble stops a worker with SIGTERM and a Python-level handler that cannot
    run inside C code (then SIGKILL after 3 s more): the worker must die at once."""
    monkeypatch.setattr(pool, "process_file", _stuck_in_c)
    monkeypatch.setattr(pool, "get_nlp", lambda: None)
    started = time.monotonic()
    got = _run(["stuck.pdf"], Limits(timeout=1, max_memory_mb=0), workers=1)
    elapsed = time.monotonic() - started
    assert got["stuck.pdf"][1].kind == "timeout"
    assert elapsed < 3.0, f"the timed-out worker took {elapsed:.1f} s to stop"


def test_workers_ask_to_die_with_their_parent(fake_pool):
    names = [f"pdeath{i}.pdf" for i in range(2)]
    got = _run(names, Limits(timeout=20, max_memory_mb=0), workers=1)
    assert {got[n][0].document.error for n in names} == {"signal 9"}


def _starts_a_child_then_spins(path: str, options: Options) -> Outcome:
    """Like OCR: a helper process (here ``sleep``) started by the worker, then a hang."""
    import subprocess

    child = subprocess.Popen(["sleep", "120"])
    with open(path + ".child", "w") as fh:
        fh.write(str(child.pid))
    while True:
        pass


def test_a_timed_out_workers_own_child_process_dies_too(monkeypatch, tmp_path):
    monkeypatch.setattr(pool, "process_file", _starts_a_child_then_spins)
    monkeypatch.setattr(pool, "get_nlp", lambda: None)
    task = pool.Task(str(tmp_path / "ocr.pdf"), "x", 0)
    ((_, _, failure),) = list(pool.run([task], Options(), Limits(timeout=2, max_memory_mb=0), 1))
    assert failure.kind == "timeout"
    pid = int((tmp_path / "ocr.pdf.child").read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(pid):
        time.sleep(0.1)
    still = _running(pid)
    if still:
        os.kill(pid, signal.SIGKILL)
    assert not still, "the worker's child outlived it"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False
