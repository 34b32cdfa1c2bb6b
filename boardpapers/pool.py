"""Worker processes that can be killed: one file at a time, with limits.

``concurrent.futures.ProcessPoolExecutor`` can neither stop a worker stuck in
a pathological PDF nor survive one that dies (every queued task fails), so we
use pebble's ``ProcessPool``: each file is a task with a wall-clock timeout;
a worker that times out or dies is replaced and only that file is marked;
workers are recycled every ``Limits.recycle_after`` files so memory stays
flat; each worker caps its own address space with ``RLIMIT_AS``.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import resource
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pebble

from .config import Limits, Options
from .pipeline import Outcome, get_nlp, process_file


@dataclass(frozen=True)
class Task:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no outcome: ``kind`` is timeout, resource_limit,
    worker_died or error."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def _init_worker(max_memory_mb: int) -> None:
    """Runs once in each new worker: cap memory, ignore Ctrl-C (the main
    process handles it), build the spaCy pipeline before the first file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory_mb > 0:
        cap = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    get_nlp()


def _guarded(path: str, options: Options) -> Outcome | Failure:
    """process_file, turning a MemoryError into a resource_limit failure
    (the worker is then recycled by the pool like any other)."""
    try:
        return process_file(path, options)
    except MemoryError:
        return Failure("resource_limit", "ran out of memory (worker memory cap, --max-memory)")
    except RecursionError:
        return Failure("resource_limit", "object nesting too deep to parse")


def _failure_for(exc: BaseException, limits: Limits) -> Failure:
    if isinstance(exc, concurrent.futures.TimeoutError | TimeoutError):
        return Failure(
            "timeout", f"not finished after {limits.timeout:g} s (--timeout); the worker was stopped"
        )
    if isinstance(exc, pebble.ProcessExpired):
        code = exc.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return Failure("worker_died", f"worker process died ({how}) while reading this file")
    if isinstance(exc, MemoryError):
        return Failure("resource_limit", "ran out of memory")
    return Failure("error", f"{type(exc).__name__}: {exc}")


def run(
    tasks: Iterable[Task], options: Options, limits: Limits, workers: int
) -> Iterator[tuple[Task, Outcome | None, Failure | None]]:
    """Process ``tasks``; yields each task with its outcome or failure as
    soon as it is done (completion order). ``workers=0`` runs in this process
    without isolation (debugging and benchmarks)."""
    if workers <= 0:
        for task in tasks:
            result = _guarded(task.path, options)
            if isinstance(result, Failure):
                yield task, None, result
            else:
                yield task, result, None
        return
    context = multiprocessing.get_context("fork")
    with pebble.ProcessPool(
        max_workers=workers,
        max_tasks=limits.recycle_after,
        initializer=_init_worker,
        initargs=(limits.max_memory_mb,),
        context=context,
    ) as pool:
        futures = {pool.submit(_guarded, limits.timeout, t.path, options): t for t in tasks}
        try:
            for future in concurrent.futures.as_completed(futures):
                task = futures.pop(future)
                try:
                    result = future.result()
                except BaseException as exc:  # noqa: BLE001 - every failure is reported per file
                    yield task, None, _failure_for(exc, limits)
                    continue
                if isinstance(result, Failure):
                    yield task, None, result
                else:
                    yield task, result, None
        finally:
            for future in futures:
                future.cancel()
            pool.stop()
            pool.join()
