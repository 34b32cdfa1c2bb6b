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
import ctypes
import gc
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pebble

from . import logs
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


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (however it
    dies: SIGKILL included), and exit now if the parent is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


class _PopenDyingWithWorker(subprocess.Popen):
    """``subprocess.Popen`` whose child is killed when the worker dies (tesseract
    started by pytesseract for OCR would otherwise outlive a timed-out worker)."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("preexec_fn") is None and sys.platform.startswith("linux"):
            worker = os.getpid()
            kwargs["preexec_fn"] = lambda: die_with_parent(worker)
        super().__init__(*args, **kwargs)


def _init_worker(max_memory_mb: int, parent_pid: int) -> None:
    """Runs once in each new worker: die with the main process (and have its
    own child processes die with it), stop at once on SIGTERM (pebble's
    timeout; its default handler runs only between Python bytecodes, so a
    worker inside C code would linger), cap memory, ignore Ctrl-C (the main
    process handles it), build the spaCy pipeline before the first file and
    move it, with everything else alive by then, out of the cyclic garbage
    collector's passes (``gc.freeze``: it lives as long as the worker)."""
    die_with_parent(parent_pid)
    subprocess.Popen = _PopenDyingWithWorker  # type: ignore[misc]  # this worker process only
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory_mb > 0:
        cap = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    get_nlp()
    gc.freeze()


def _guarded(path: str, options: Options) -> tuple[Outcome | Failure, list[str], int]:
    """process_file, turning a MemoryError into a resource_limit failure
    (the worker is then recycled by the pool like any other) and any other
    error into a failure of this file; with the third-party log lines it
    emitted (at most ``logs.KEEP_PER_FILE``) and their count."""
    with logs.captured() as capture:
        try:
            result: Outcome | Failure = process_file(path, options)
        except MemoryError:
            result = Failure("resource_limit", "ran out of memory (worker memory cap, --max-memory)")
        except RecursionError:
            result = Failure("resource_limit", "object nesting too deep to parse")
        except Exception as exc:  # noqa: BLE001 - a bug on one file fails that file only
            result = Failure("error", f"{type(exc).__name__}: {exc}")
    return result, capture.lines, capture.count


def _answer(task: Task, answer) -> tuple[Task, Outcome | None, Failure | None]:
    result, lines, count = answer
    logs.replay(task.path, lines, count)
    if isinstance(result, Failure):
        return task, None, result
    return task, result, None


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
            yield _answer(task, _guarded(task.path, options))
        return
    context = multiprocessing.get_context("fork")
    with pebble.ProcessPool(
        max_workers=workers,
        max_tasks=limits.recycle_after,
        initializer=_init_worker,
        initargs=(limits.max_memory_mb, os.getpid()),
        context=context,
    ) as pool:
        futures = {pool.submit(_guarded, limits.timeout, t.path, options): t for t in tasks}
        try:
            for future in concurrent.futures.as_completed(futures):
                task = futures.pop(future)
                try:
                    answer = future.result()
                except BaseException as exc:  # noqa: BLE001 - every failure is reported per file
                    yield task, None, _failure_for(exc, limits)
                    continue
                yield _answer(task, answer)
        finally:
            for future in futures:
                future.cancel()
            pool.stop()
            pool.join()
