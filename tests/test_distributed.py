"""Ingest through a Dask cluster: same rows as a local ingest, one writer.

A ``distributed.LocalCluster`` of two worker processes runs in the test
process's machine; the client (this process) hashes, skips, and writes.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys

import pytest

distributed = pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402

from boardpapers.batch import ingest  # noqa: E402
from boardpapers.cli import cli  # noqa: E402
from boardpapers.config import Limits, Options  # noqa: E402
from boardpapers.db.schema import open_db  # noqa: E402
from boardpapers.distributed import DaskRunner, process_remote  # noqa: E402
from tests.test_merge import EXAMPLES, db_content, ingest_files  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster():
    import dask

    # One task per worker at a time, and a task whose worker dies three times is
    # given up (KilledWorker): the test cluster's version of a real setup. Not
    # fewer: on a loaded machine a slow heartbeat can count as one death, and the
    # worker killed on purpose is another.
    with dask.config.set(
        {"distributed.scheduler.allowed-failures": 2, "distributed.scheduler.worker-saturation": 1.0}
    ):
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as lc:
            yield lc


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The example papers, one of them under a second name, and a non-PDF."""
    folder = tmp_path_factory.mktemp("archive")
    for pdf in EXAMPLES:
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(EXAMPLES[0], folder / "copy-of-first.pdf")
    (folder / "notes.pdf").write_text("not a PDF at all\n")
    return folder


@pytest.fixture(scope="module")
def local_db(archive, tmp_path_factory):
    path = tmp_path_factory.mktemp("local") / "local.db"
    ingest_files(path, [archive])
    return path


def _dask_ingest(db_path, paths, cluster, **kwargs):
    db = open_db(str(db_path))
    runner_args = {k: kwargs.pop(k) for k in ("shared_path", "task_fn") if k in kwargs}
    with DaskRunner(cluster.scheduler_address, **runner_args) as runner:
        summary = ingest(
            db,
            [str(p) for p in paths],
            options=kwargs.pop("options", Options()),
            limits=Limits(),
            workers=0,
            runner=runner,
            **kwargs,
        )
    db.close()
    return summary


def test_cli_ingest_through_the_cluster_stores_what_a_local_ingest_stores(
    cluster, archive, local_db, tmp_path
):
    out = tmp_path / "dask.db"
    args = ["ingest", str(out), str(archive), "--scheduler", cluster.scheduler_address, "--silent"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output  # notes.pdf is rejected, as locally
    assert "ok: 3" in result.output and "rejected: 1" in result.output and "skipped: 1" in result.output
    assert db_content(out) == db_content(local_db)
    # Unchanged files are skipped by the client: nothing is sent again.
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "ok: 0" in again.output and "skipped: 5" in again.output
    assert db_content(out) == db_content(local_db)


def test_shared_path_mode_and_limits_apply_on_the_workers(cluster, archive, tmp_path):
    shared = tmp_path / "shared.db"
    _dask_ingest(shared, [archive], cluster, shared_path=True)
    bytes_db = tmp_path / "bytes.db"
    _dask_ingest(bytes_db, [archive], cluster)
    assert db_content(shared) == db_content(bytes_db)
    # The page limit is enforced on the worker with the local wording.
    capped = Options(max_pages=2)
    local = tmp_path / "local-capped.db"
    db = open_db(str(local))
    ingest(db, [str(EXAMPLES[0])], options=capped, limits=Limits(), workers=0)
    db.close()
    remote = tmp_path / "dask-capped.db"
    summary = _dask_ingest(remote, [EXAMPLES[0]], cluster, options=capped)
    assert summary.results[0].status == "rejected"
    assert db_content(remote) == db_content(local)


def test_a_worker_killed_mid_run_loses_no_paper(cluster, archive, local_db, tmp_path):
    out = tmp_path / "killed.db"
    killed: list[int] = []

    def kill_a_busy_worker(result):
        if killed:
            return
        client = runner.client
        busy = [addr for addr, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    db = open_db(str(out))
    with DaskRunner(cluster.scheduler_address) as runner:
        summary = ingest(
            db,
            [str(archive)],
            options=Options(),
            limits=Limits(),
            workers=0,
            runner=runner,
            progress=kill_a_busy_worker,
        )
    db.close()
    assert killed, "no worker was busy after the first paper: nothing was tested"
    assert summary.counts["ok"] == 3
    assert db_content(out) == db_content(local_db)
    cluster.wait_for_workers(2)


def poison_or_read(task, *args):
    """A task that kills its Dask worker for one file and reads the others."""
    if pathlib.Path(task.path).name.startswith("poison"):
        os.kill(os.getpid(), signal.SIGKILL)
    return process_remote(task, *args)


def test_a_file_that_kills_workers_repeatedly_is_failed_worker_died(cluster, tmp_path):
    poison = tmp_path / "poison.pdf"
    poison.write_bytes(EXAMPLES[1].read_bytes() + b"\n%")
    out = tmp_path / "poison.db"
    summary = _dask_ingest(out, [poison, EXAMPLES[0], EXAMPLES[2]], cluster, task_fn=poison_or_read)
    by_name = {pathlib.Path(r.path).name: r for r in summary.results}
    assert by_name["poison.pdf"].status == "failed"
    assert by_name["poison.pdf"].reason.startswith("worker_died")
    assert by_name[EXAMPLES[0].name].status == by_name[EXAMPLES[2].name].status == "ok"
    cluster.wait_for_workers(2)


def test_an_interrupted_client_run_completes_on_rerun_without_duplicates(
    cluster, archive, local_db, tmp_path
):
    out = tmp_path / "interrupted.db"

    def interrupt(result):
        if result.status != "skipped":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _dask_ingest(out, [archive], cluster, progress=interrupt)
    stored = open_db(str(out)).execute("SELECT count(*) FROM papers").fetchone()[0]
    assert 1 <= stored < 4
    _dask_ingest(out, [archive], cluster)
    assert db_content(out) == db_content(local_db)


def test_dask_is_not_imported_without_scheduler(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from boardpapers.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['ingest', {str(tmp_path / 'x.db')!r}, {str(EXAMPLES[0])!r},"
        " '--workers', '0', '--silent'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_a_worker_with_other_rules_or_without_the_file_refuses_it():
    from boardpapers.pool import Task

    task = Task("/nowhere/paper.pdf", "0" * 64, 10)
    _, failure = process_remote(task, b"%PDF-1.4", Options(), Limits(), "not-these-rules")
    assert failure.kind == "error" and "install the same boardpapers" in failure.message
    _, failure = process_remote(task, None, Options(), Limits())
    assert failure.kind == "error" and "is not visible on worker" in failure.message
