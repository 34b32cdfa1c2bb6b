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
