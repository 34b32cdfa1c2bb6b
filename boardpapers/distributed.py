"""Ingest on a Dask cluster: workers parse and extract, this process writes.

``boardpapers ingest DB archive/ --scheduler tcp://HOST:8786`` hashes and
skips files here exactly as a local ingest does (``batch.ingest``); each
changed file's bytes (or, with ``--shared-path``, its path) go to a Dask
task, which reads and extracts the file with the local limits by running it
through :func:`boardpapers.pool.run` on the worker machine (a killable child
process with the wall-clock timeout, the ``RLIMIT_AS`` memory cap and the
page and size limits). Results come back in completion order and the caller
stores each in its own transaction, so the database keeps one writer.

A Dask worker that dies mid-task is replaced by its nanny and the scheduler
reruns the task elsewhere; after ``distributed.scheduler.allowed-failures``
deaths (Dask's default: 3) the scheduler gives up on it with ``KilledWorker``
and the file is marked ``failed: worker_died``. Only this module imports
Dask, and only ``--scheduler`` imports this module.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pathlib
import socket
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator

import distributed
from distributed.scheduler import KilledWorker

from . import pool
from .config import Limits, Options, rules_version
from .pipeline import Outcome, get_nlp

Result = tuple[Outcome | None, pool.Failure | None]

_NLP_LOCK = threading.Lock()


class ClusterError(RuntimeError):
    """The scheduler cannot be reached or dropped the run (not a file's fault)."""


def _allow_children() -> None:
    """Let this Dask worker start the child process each file is read in.

    Nanny-managed workers are daemonic processes (``distributed.worker.daemon``),
    which multiprocessing forbids to start children. ``pool.run`` stops and
    joins its child itself, so the flag only stands in the way; clearing it
    here spares every worker machine the DASK_DISTRIBUTED__WORKER__DAEMON=False
    setting.
    """
    multiprocessing.current_process()._config["daemon"] = False  # noqa: SLF001


def _read_here(task: pool.Task, options: Options, limits: Limits) -> Result:
    """One file through the local worker pool (one child, every limit)."""
    _allow_children()
    with _NLP_LOCK:
        get_nlp()  # built once per Dask worker; each forked child inherits it
    for _, outcome, failure in pool.run([task], options, limits, workers=1):
        return outcome, failure
    raise AssertionError("pool.run gave no result")  # pragma: no cover


def process_remote(
    task: pool.Task, data: bytes | None, options: Options, limits: Limits, rules: str | None = None
) -> Result:
    """The Dask task: read one file on a worker and return plain data.

    ``data`` is the file's bytes, written to a private temporary folder under
    the file's own name (messages name the file), or None when every worker
    sees ``task.path`` (``--shared-path``). ``rules`` is the client's rules
    version: a worker with other rule files refuses the file rather than
    store rows the database would label with the client's rules."""
    if rules is not None and rules != rules_version():
        reason = (
            f"worker {socket.gethostname()} has rules {rules_version()}, the client {rules}: "
            "install the same boardpapers on every machine, then re-run with --retry-failed"
        )
        return None, pool.Failure("error", reason)
    if data is None:
        if not os.path.isfile(task.path):
            where = socket.gethostname()
            reason = f"{task.path} is not visible on worker {where}; drop --shared-path to send the bytes"
            return None, pool.Failure("error", reason)
        return _read_here(task, options, limits)
    with tempfile.TemporaryDirectory(prefix="boardpapers-") as folder:
        local = pathlib.Path(folder) / pathlib.Path(task.path).name
        local.write_bytes(data)
        outcome, failure = _read_here(dataclasses.replace(task, path=str(local)), options, limits)
    if outcome is not None:
        doc = dataclasses.replace(outcome.document, path=task.path)
        outcome = dataclasses.replace(outcome, document=doc)
    return outcome, failure


def _killed(exc: KilledWorker) -> pool.Failure:
    return pool.Failure(
        "worker_died",
        "Dask workers died while reading this file, more often than the scheduler's "
        f"allowed-failures setting permits ({exc})",
    )


class DaskRunner:
    """Feeds tasks to a Dask cluster; a drop-in for ``pool.run`` in ``batch.ingest``.

    At most ``window`` files are in flight at once (default: twice the
    threads of the workers connected, looked up again every few seconds as
    workers come and go), so the client and the scheduler hold only that many
    files' bytes however large the archive is.
    """

    def __init__(
        self,
        scheduler: str,
        *,
        shared_path: bool = False,
        window: int | None = None,
        task_fn: Callable[..., Result] = process_remote,
        connect_timeout: float = 30.0,
    ) -> None:
        try:
            self.client = distributed.Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        self.shared_path = shared_path
        self.task_fn = task_fn
        self._fixed_window = window
        self._window, self._window_at = 4, -1.0
        self._owners: dict = {}  # future -> task, for the files in flight
        self._rules: str | None = None

    @property
    def window(self) -> int:
        if self._fixed_window:
            return self._fixed_window
        if time.monotonic() - self._window_at > 5.0:
            self._window = max(4, 2 * sum(self.client.nthreads().values()))
            self._window_at = time.monotonic()
        return self._window

    def close(self) -> None:
        self._cancel()
        self.client.close()

    def _cancel(self) -> None:
        """Withdraw the files in flight (an interrupted or finished run)."""
        if self._owners and self.client.status == "running":
            self.client.cancel(list(self._owners))
        self._owners.clear()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _submit(self, task: pool.Task, options: Options, limits: Limits):
        data = None
        if not self.shared_path:
            data = pathlib.Path(task.path).read_bytes()
        key = f"boardpapers-read-{task.sha256[:16]}-{uuid.uuid4().hex[:8]}"
        with warnings.catch_warnings():
            # The bytes travel inside the task on purpose: the scheduler keeps
            # them, so it can rerun the task if its worker dies (a scattered
            # copy would die with the worker).
            warnings.filterwarnings("ignore", message=".*[Ll]arge graph.*")
            return self.client.submit(
                self.task_fn, task, data, options, limits, self._rules, key=key, pure=False
            )

    def _result(self, future) -> Result:
        try:
            return future.result()
        except KilledWorker as exc:
            return None, _killed(exc)
        except Exception as exc:  # noqa: BLE001 - a task's own error is that file's failure
            if future.status == "error":
                return None, pool.Failure("error", f"{type(exc).__name__}: {exc}")
            raise ClusterError(f"the Dask cluster dropped the run: {type(exc).__name__}: {exc}") from exc

    def __call__(
        self, tasks: Iterable[pool.Task], options: Options, limits: Limits
    ) -> Iterator[tuple[pool.Task, Outcome | None, pool.Failure | None]]:
        pending = iter(tasks)
        self._rules = rules_version()
        running = distributed.as_completed(loop=self.client.loop)
        owners = self._owners
        unreadable: list[tuple[pool.Task, None, pool.Failure]] = []

        def top_up() -> None:
            while len(owners) < self.window and (task := next(pending, None)) is not None:
                try:
                    future = self._submit(task, options, limits)
                except OSError as exc:
                    unreadable.append((task, None, pool.Failure("error", f"cannot read file: {exc}")))
                    continue
                owners[future] = task
                running.add(future)

        try:
            top_up()
            yield from unreadable
            unreadable.clear()
            for future in running:
                task = owners.pop(future)
                outcome, failure = self._result(future)
                future.release()
                top_up()
                yield task, outcome, failure
                yield from unreadable
                unreadable.clear()
        finally:
            self._cancel()
