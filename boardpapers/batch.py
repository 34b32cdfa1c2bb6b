"""An ingest run: find files, skip what is known, process the rest, store.

The main process hashes each file (so an unchanged archive costs only the
hashing), hands new files to the worker pool and writes each returned paper
in its own transaction as soon as it arrives. Every input file ends as
exactly one ``papers`` row (or one more path of a known row).
"""

from __future__ import annotations

import hashlib
import os
import pathlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import sqlite_utils

from boardpapers.db import store
from boardpapers.ingest.models import Document, PaperMeta

from . import pool
from .config import Limits, Options, rules_version
from .pipeline import get_nlp

STATUSES = ("ok", "partial", "failed", "rejected", "skipped")


@dataclass
class FileResult:
    path: str
    status: str  # ok/partial/failed/rejected/skipped
    reason: str | None = None
    paper_id: str | None = None
    pages: int = 0
    seconds: float = 0.0


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


def _failed_document(task: pool.Task, reason: str, status: str = "failed") -> Document:
    return Document(path=task.path, sha256=task.sha256, size=task.size, status=status, error=reason)


def series_for(db: sqlite_utils.Database, meta: PaperMeta, path: str) -> str | None:
    """The series key of a paper, from db.series (None if it cannot tell)."""
    from boardpapers.db import series

    return series.series_key(meta, path)


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
) -> Summary:
    """Ingest files into ``db``; returns what happened to each."""
    summary = Summary()
    version = rules_version()

    def report(result: FileResult) -> None:
        summary.results.append(result)
        if progress:
            progress(result)

    tasks: list[pool.Task] = []
    queued: set[str] = set()
    for path in find_files(paths):
        if not os.path.isfile(path):
            report(FileResult(path, "rejected", f"{path}: no such file"))
            continue
        try:
            sha, size = sha256_file(path)
        except OSError as exc:
            report(FileResult(path, "rejected", f"cannot read file: {exc.strerror or exc}"))
            continue
        known = store.known_paper(db, sha)
        if known and not force and not (retry_failed and known["status"] == "failed"):
            store.add_path(db, known["id"], path)
            same = "" if known["path"] == path else f" (same bytes as {known['path']})"
            report(FileResult(path, "skipped", f"unchanged, already ingested{same}", known["id"]))
            continue
        if sha in queued:
            report(FileResult(path, "skipped", "same bytes as another file in this run", store.paper_id(sha)))
            continue
        queued.add(sha)
        tasks.append(pool.Task(path, sha, size))

    # Largest first: a long file started last would leave the other workers
    # idle while it finishes (longest-processing-time-first scheduling).
    tasks.sort(key=lambda t: t.size, reverse=True)
    if tasks:
        # Build the rules once here: forked workers inherit the pipeline
        # instead of each rebuilding it (and again after every recycle).
        get_nlp()
    for task, outcome, failure in pool.run(tasks, options, limits, workers):
        if failure is not None:
            doc, records, seconds = _failed_document(task, str(failure)), None, 0.0
        else:
            assert outcome is not None
            doc, records, seconds = outcome.document, outcome.records, outcome.seconds
        series = series_for(db, doc.meta, doc.path) if doc.status in ("ok", "partial") else None
        pid = store.save(db, doc, records, series=series, rules_version=version if records else None)
        report(FileResult(doc.path, doc.status, doc.error, pid, doc.pages, seconds))
    return summary
