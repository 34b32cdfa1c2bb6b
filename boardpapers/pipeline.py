"""What a worker does with one file: read it, extract records, return plain data.

Workers never touch the database; the main process writes what they return.
The spaCy pipeline is built once per worker process and reused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from boardpapers.ingest.models import Document
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


def extract_document(doc: Document) -> Records | None:
    """Run the rules over a read document (None when it has no paragraphs)."""
    if doc.status not in ("ok", "partial") or not doc.paragraphs:
        return None
    return extract(get_nlp(), doc.meta, doc.paragraphs)


def process_file(path: str, options: Options) -> Outcome:
    """Read and extract one file. Bad input comes back as a Document with a
    status and reason; only a bug or a resource limit raises."""
    from boardpapers.ingest.document import read_document

    started = time.perf_counter()
    doc = read_document(
        path,
        password=options.password,
        ocr=options.ocr,
        max_pages=options.max_pages,
        max_bytes=options.max_bytes,
    )
    records = extract_document(doc)
    return Outcome(doc, records, time.perf_counter() - started)
