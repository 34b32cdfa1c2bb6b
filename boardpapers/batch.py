"""An ingest run: find files, skip what is known, process the rest, store.

The main process hashes each file (so an unchanged archive costs only the
hashing), hands new files to the worker pool and writes each returned paper
in its own transaction as soon as it arrives. Every input file ends as
exactly one ``papers`` row (or one more path of a known row).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import pathlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlite_utils

from boardpapers.db import store
from boardpapers.ingest.models import Document, PaperMeta

from .config import Limits, Options, rules_version
from .errors import StorageError

if TYPE_CHECKING:  # the pool and the pipeline import pebble and spaCy: only when a file needs reading
    from . import pool
    from .pipeline import Outcome

STATUSES = ("ok", "partial", "failed", "rejected", "skipped")

# Reads tasks somewhere else than the local pool: (tasks, options, limits) -> what pool.run yields.
Runner = Callable[
    [list["pool.Task"], Options, Limits],
    Iterable[tuple["pool.Task", "Outcome | None", "pool.Failure | None"]],
]


@dataclass
class FileResult:
    path: str
    status: str  # ok/partial/failed/rejected/skipped
    reason: str | None = None
    paper_id: str | None = None
    pages: int = 0
    seconds: float = 0.0
    size: int = 0  # bytes read for it (0 when it was not read): drives the ETA


# SQLite's messages for a database that cannot take any more writes.
_FATAL = ("disk is full", "disk i/o error", "readonly database", "unable to open", "malformed")
_FATAL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}


def is_fatal(exc: BaseException) -> bool:
    """True for an error that will hit every later paper too."""
    if isinstance(exc, OSError):
        return exc.errno in _FATAL_ERRNOS
    return (
        isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError)
        and not isinstance(exc, sqlite3.IntegrityError)
        and any(m in str(exc).lower() for m in _FATAL)
    )


def display_path(path: str) -> str:
    """``path`` as text that can be stored and printed: bytes of a file name
    that is not UTF-8 (Python's surrogate escapes) shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class Summary:
    results: list[FileResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    @property
    def problems(self) -> list[FileResult]:
        return [r for r in self.results if r.status in ("partial", "failed", "rejected")]

    @property
    def failed(self) -> bool:
        return any(r.status in ("failed", "rejected") for r in self.results)


def find_files(paths: Iterable[str]) -> Iterator[str]:
    """Files named directly, and ``*.pdf`` files under named folders (sorted,
    recursive). A named file is taken whatever its name: content decides."""
    for raw in paths:
        p = pathlib.Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
            for q in found:
                yield str(q.resolve())
        else:
            yield str(p.resolve())


def sha256_file(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _failed_document(
    task: pool.Task, reason: str, status: str = "failed", path: str | None = None
) -> Document:
    return Document(
        path=path or display_path(task.path), sha256=task.sha256, size=task.size, status=status, error=reason
    )


def series_for(db: sqlite_utils.Database, meta: PaperMeta, path: str) -> str | None:
    """The series key of a paper, from db.series (None if it cannot tell)."""
    from boardpapers.db import series

    return series.series_for(db, meta, path)


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str],
    *,
    options: Options,
    limits: Limits,
    workers: int,
    force: bool = False,
    retry_failed: bool = False,
    progress: Callable[[FileResult], None] | None = None,
    runner: Runner | None = None,
    plan: Callable[[int, int], None] | None = None,
) -> Summary:
    """Ingest files into ``db``; returns what happened to each.

    ``runner`` reads the files instead of the local worker pool (the Dask
    client of boardpapers.distributed); it yields what ``pool.run`` yields.
    ``plan`` is told how many files will be read and their total bytes once
    hashing is done. Raises :class:`StorageError` when the database stops
    taking writes (the papers stored before stay)."""
    summary = Summary()
    version = rules_version()

    def report(result: FileResult) -> None:
        summary.results.append(result)
        if progress:
            progress(result)

    try:
        tasks, also = _plan(db, paths, force, retry_failed, report)
        if plan:
            plan(len(tasks), sum(t.size for t in tasks))
        _run_tasks(db, tasks, also, options, limits, workers, runner, version, report)
    except (sqlite3.Error, OSError) as exc:
        if not is_fatal(exc):
            raise
        raise StorageError(
            f"cannot write to the database ({exc}); the papers stored before this are kept "
            f"({len(summary.results)} file(s) handled). Free space or fix the database, then re-run "
            "the same command to continue",
            summary,
        ) from exc
    return summary


def _plan(
    db: sqlite_utils.Database,
    paths: Iterable[str],
    force: bool,
    retry_failed: bool,
    report: Callable[[FileResult], None],
) -> tuple[list[pool.Task], dict[str, list[str]]]:
    """Hash every file: the tasks to read, and the further names of each
    task's bytes met in this run (stored as its paths)."""
    tasks: list[pool.Task] = []
    also: dict[str, list[str]] = {}
    for path in find_files(paths):
        shown = display_path(path)
        if not os.path.isfile(path):
            report(FileResult(shown, "rejected", f"{os.path.basename(shown)}: no such file"))
            continue
        try:
            sha, size = sha256_file(path)
        except OSError as exc:
            report(FileResult(shown, "rejected", f"cannot read file: {exc.strerror or exc}"))
            continue
        known = store.known_paper(db, sha)
        if known and not force and not (retry_failed and known["status"] == "failed"):
            store.add_path(db, known["id"], shown)
            same = "" if known["path"] == shown else f" (same bytes as {known['path']})"
            report(FileResult(shown, "skipped", f"unchanged, already ingested{same}", known["id"]))
            continue
        if sha in also:
            also[sha].append(shown)
            report(
                FileResult(shown, "skipped", "same bytes as another file in this run", store.paper_id(sha))
            )
            continue
        also[sha] = []
        from . import pool  # imported only now that a file needs reading

        tasks.append(pool.Task(path, sha, size))
    return tasks, also


def _run_tasks(db, tasks, also, options, limits, workers, runner, version, report) -> None:
    """Read the tasks (pool or runner) and store each answer as it arrives."""
    # Largest first: a long file started last would leave the other workers
    # idle while it finishes (longest-processing-time-first scheduling).
    tasks.sort(key=lambda t: t.size, reverse=True)
    if not tasks:  # nothing to read: no pool, no spaCy
        return
    if runner is not None:
        results = runner(tasks, options, limits)
    else:
        from . import pool

        # Build the rules once here: forked workers inherit the pipeline
        # instead of each rebuilding it (and again after every recycle).
        pool.get_nlp()
        results = pool.run(tasks, options, limits, workers)
    for task, outcome, failure in results:
        if failure is not None:
            doc, records, seconds = _failed_document(task, str(failure)), None, 0.0
        else:
            assert outcome is not None
            doc, records, seconds = outcome.document, outcome.records, outcome.seconds
        result = _store(db, task, doc, records, version)
        result.seconds, result.size = seconds, task.size
        for path in also.get(task.sha256, ()) if result.paper_id else ():
            store.add_path(db, result.paper_id, path)
        report(result)


def _store(db: sqlite_utils.Database, task: pool.Task, doc: Document, records, version: str) -> FileResult:
    """Save one read file; any error but a fatal one marks it failed (with
    the reason) instead of stopping the batch."""
    shown = display_path(task.path)
    if not doc.sha256:  # the file vanished or became unreadable after it was hashed
        doc = dataclasses.replace(doc, sha256=task.sha256, size=task.size)
    doc = dataclasses.replace(doc, path=shown, error=display_path(doc.error) if doc.error else None)
    try:
        series = series_for(db, doc.meta, doc.path) if doc.status in ("ok", "partial") else None
        pid = store.save(db, doc, records, series=series, rules_version=version if records else None)
        return FileResult(shown, doc.status, doc.error, pid, doc.pages)
    except Exception as exc:  # noqa: BLE001 - one paper's error must not end the batch
        if is_fatal(exc):
            raise
        reason = f"{os.path.basename(shown)} could not be stored ({type(exc).__name__}: {exc})"
        reason = reason.replace("\n", " ")
    try:
        pid = store.save(db, _failed_document(task, reason, path=shown), None)
    except Exception as exc:  # noqa: BLE001
        if is_fatal(exc):
            raise
        pid = None
    return FileResult(shown, "failed", reason, pid)
