"""What a worker does with one file: read it, extract records, return plain data.

Workers never touch the database; the main process writes what they return.
The spaCy pipeline is built once per worker process and reused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from boardpapers.ingest.models import Document
from boardpapers.nlp import paper
from boardpapers.nlp.pipeline import build_nlp, extract
from boardpapers.nlp.records import Records

from .config import Options

_NLP = None


def get_nlp():
    """This process's spaCy pipeline (built on first use)."""
    global _NLP
    if _NLP is None:
        _NLP = build_nlp()
    return _NLP


@dataclass(frozen=True)
class Outcome:
    """A worker's answer for one file."""

    document: Document
    records: Records | None
    seconds: float


def interpret(doc: Document) -> Document:
    """``doc`` with what the paper says about itself interpreted (nlp.paper):
    board, meeting date, author, title, kind, month and their sources."""
    if doc.status not in ("ok", "partial"):
        return doc
    meta = paper.interpret(doc.meta, doc.paragraphs)
    added = tuple(w for w in meta.warnings if w not in doc.warnings)
    return replace(doc, meta=meta, warnings=doc.warnings + added)


def read_paper(path: str, **options) -> Document:
    """Read one file (``ingest.document.read_document``'s options) and interpret its metadata."""
    from boardpapers.ingest.document import read_document

    return interpret(read_document(path, **options))


def extract_document(doc: Document) -> Records | None:
    """Run the rules over a read document (None when it has no paragraphs)."""
    if doc.status not in ("ok", "partial") or not doc.paragraphs:
        return None
    return extract(get_nlp(), doc.meta, doc.paragraphs)


def process_file(path: str, options: Options) -> Outcome:
    """Read and extract one file. Bad input comes back as a Document with a
    status and reason; only a bug or a resource limit raises."""
    from boardpapers.ingest.document import read_document

    from . import guards

    started = time.perf_counter()
    doc = guards.read_with_passwords(
        read_document,
        path,
        guards.passwords_to_try(options.password, options.passwords),
        ocr=options.ocr,
        max_pages=options.max_pages,
        max_bytes=options.max_bytes,
    )
    doc = guards.cap_paragraphs(doc)
    doc = guards.kept_if_failing("interpret", interpret, doc)
    try:
        records = extract_document(doc)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001 - the paper is kept without records, with the reason
        records = None
        doc = replace(doc, warnings=(*doc.warnings, guards.failure_warning("extract", exc)))
    return Outcome(doc, records, time.perf_counter() - started)
