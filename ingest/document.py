"""The entry point: one PDF file -> one Document, whatever the file holds.

``read_document`` never raises for bad input: every file comes back with a
status (ok / partial / failed / rejected) and, when not ok, a one-line reason
from ``ingest.errors``. The original is only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Iterator
from dataclasses import replace

from boardpapers.ingest import errors, layout, meta, pdf
from boardpapers.ingest.models import Document, Line, Page
from boardpapers.ingest.paragraphs import PageBody, to_paragraphs

CHUNK = 1 << 20
CHARACTER_SOURCES = ("pdfium", "pdfplumber")
LOW_CONFIDENCE = 60.0


def read_document(
    path: str,
    *,
    password: str | None = None,
    ocr: bool = True,
    max_pages: int | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Read ``path`` the way a reader sees it; never raises for bad input."""
    return read_document_from(
        path, characters="pdfium", password=password, ocr=ocr, max_pages=max_pages, max_bytes=max_bytes
    )


def read_document_from(
    path: str,
    *,
    characters: str,
    password: str | None = None,
    ocr: bool = True,
    max_pages: int | None = None,
    max_bytes: int | None = None,
) -> Document:
    """``read_document`` with the character source chosen: ``"pdfium"`` (PDFium where it
    reads, pdfplumber for ruled pages and as the fallback) or ``"pdfplumber"`` (alone)."""
    if characters not in CHARACTER_SOURCES:
        raise ValueError(f"characters must be one of {CHARACTER_SOURCES}, not {characters!r}")
    name = os.path.basename(path)
    try:
        sha, size, head = _fingerprint(path)
    except OSError as exc:
        reason = f"{name} could not be opened ({exc.strerror or exc}); check the path and its permissions"
        return Document(path=path, sha256="", size=0, status="failed", error=reason)
    try:
        native = characters == "pdfium"
        with _collector_paused():
            return _read(path, name, sha, size, head, password, ocr, max_pages, max_bytes, native)
    except errors.IngestError as exc:
        return Document(path=path, sha256=sha, size=size, status=exc.status, error=exc.message)
    except MemoryError:  # the worker's memory cap: the pool reports resource_limit
        raise
    except Exception as exc:  # anything pdfminer throws while walking the file
        detail = pdf._detail(exc)
        return Document(
            path=path,
            sha256=sha,
            size=size,
            status="failed",
            error=errors.Malformed(name, detail=detail).message,
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one paper is read, as it was after.

    Reading allocates a dict per character and per word, hundreds of thousands a
    paper, nearly all freed by reference counting; each allocation burst set off
    collections that walked every object alive in the process (spaCy's, the
    papers already read), a quarter of the read's time. Cycles made while reading
    are collected once the collector is back on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _fingerprint(path: str) -> tuple[str, int, bytes]:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if not head:
                head = chunk[:1024]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


def _read(path, name, sha, size, head, password, ocr, max_pages, max_bytes, native) -> Document:
    if size == 0:
        raise errors.EmptyFile(name)
    if max_bytes is not None and size > max_bytes:
        raise errors.TooLarge(name, size=size, limit=max_bytes)
    if b"%PDF-" not in head:
        raise errors.NotAPdf(name)
    with pdf.open_pdf(path, name, password, native=native) as doc:
        count = pdf.page_count(doc)
        if count == 0:
            raise errors.NoPages(name)
        if max_pages is not None and count > max_pages:
            raise errors.TooManyPages(name, pages=count, limit=max_pages)
        pages = [_to_page(raw, path, password, ocr) for raw in pdf.read_pages(doc)]
        created = _created(doc)
    return _assemble(path, name, sha, size, count, pages, created)


def _created(doc: pdf.Source) -> str | None:
    """The document information's CreationDate as stored (``D:YYYYMMDD...``), if any."""
    try:
        value = doc.plumber.metadata.get("CreationDate") if doc.plumber is not None else None
    except Exception:  # an unreadable info dictionary is no reason to fail the paper
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    return value if isinstance(value, str) else None


def _to_page(raw: pdf.RawPage, path: str, password: str | None, ocr: bool) -> Page:
    flags = list(raw.flags)
    body, side = layout.split_sidebar(raw.words, [t.bbox for t in raw.tables])
    lines = tuple(layout.to_lines(body, raw.number, raw.width))
    furniture = tuple(layout.to_lines(side, raw.number, raw.width))
    source = "text" if lines else "none"
    conf = None
    unusable = not lines and (raw.drawn_only or "cid_garbage" in flags)
    if unusable:
        got = _ocr(path, raw.number, password) if ocr else None
        if got is not None and got[0]:
            lines, conf = got
            source = "ocr"
            if conf < LOW_CONFIDENCE:
                flags.append("ocr_low_confidence")
        else:
            flags.append("needs_ocr")
    return Page(
        number=raw.number,
        width=raw.width,
        height=raw.height,
        lines=lines,
        tables=tuple(raw.tables),
        source=source,
        flags=tuple(flags),
        error=raw.error,
        ocr_confidence=conf,
        chars=raw.chars,
        furniture=furniture,
    )


def _ocr(path: str, number: int, password: str | None) -> tuple[tuple[Line, ...], float] | None:
    """OCR one page through ingest.ocr if it is there and works; None otherwise."""
    try:
        from boardpapers.ingest import ocr as ocr_module

        if not ocr_module.ocr_available():
            return None
        lines, conf = ocr_module.ocr_page(path, number, password=password)
        return tuple(lines), float(conf)
    except Exception:  # a missing or broken OCR leaves the page flagged needs_ocr
        return None


def _assemble(path, name, sha, size, count, pages: list[Page], created: str | None = None) -> Document:
    running = layout.find_running([(list(p.lines), p.height) for p in pages if p.source == "text"])
    bodies = [
        PageBody(
            number=p.number,
            height=p.height,
            lines=[ln for ln in p.lines if not layout.is_running(ln, p.height, running)],
            tables=list(p.tables),
        )
        for p in pages
    ]
    first = next((b for b in bodies if b.lines), None)
    letterhead = layout.find_letterhead(first.lines, first.height) if first else []
    if letterhead:
        first.lines[:] = [ln for ln in first.lines if ln not in letterhead]
    paragraphs, sections = to_paragraphs(bodies)
    furniture = _furniture(pages, letterhead, running)
    tables = [t for p in pages[:1] for t in p.tables]
    paper = meta.locate_meta(
        first.lines if first else [], tables, running.header, running.footer, path, furniture
    )
    if created:
        paper = replace(paper, fields=(*paper.fields, ("created", created, "pdf_info")))
    status, error, warnings = _status(name, pages, paragraphs)
    light = tuple(
        Page(
            number=p.number,
            width=p.width,
            height=p.height,
            source=p.source,
            flags=p.flags,
            error=p.error,
            ocr_confidence=p.ocr_confidence,
            chars=p.chars,
        )
        for p in pages
    )
    return Document(
        path=path,
        sha256=sha,
        size=size,
        status=status,
        error=error,
        pages=count,
        meta=paper,
        sections=tuple(sections),
        paragraphs=tuple(paragraphs),
        page_info=light,
        warnings=tuple(warnings) + paper.warnings,
    )


def _furniture(pages: list[Page], letterhead: list[Line], running) -> tuple[tuple[str, str], ...]:
    """(kind, text) of the paper's furniture, each text once, in page order."""
    found = [("letterhead", ln.text) for ln in letterhead]
    found += [("header", running.header)] if running.header else []
    found += [("footer", running.footer)] if running.footer else []
    found += [("sidebar", ln.text) for p in pages for ln in p.furniture]
    return tuple(dict.fromkeys(found))


def _status(name: str, pages: list[Page], paragraphs) -> tuple[str, str | None, list[str]]:
    failed = [p for p in pages if "error" in p.flags]
    scanned = [p.number for p in pages if "needs_ocr" in p.flags]
    garbage = [p.number for p in pages if "cid_garbage" in p.flags and p.source != "ocr"]
    problems = []
    if failed:
        detail = failed[0].error or "unknown error"
        problems.append(
            errors.PAGES_FAILED.format(
                name=name, pages=errors.page_ranges(p.number for p in failed), detail=detail
            )
        )
    if scanned:
        problems.append(errors.NEEDS_OCR.format(name=name, pages=errors.page_ranges(scanned)))
    if garbage:
        problems.append(errors.CID_GARBAGE.format(name=name, pages=errors.page_ranges(garbage)))
    if not paragraphs:
        return "failed", problems[0] if problems else errors.NO_TEXT.format(name=name), problems[1:]
    if problems:
        return "partial", problems[0], problems[1:]
    return "ok", None, []


__all__ = ["read_document", "read_document_from"]
