"""What keeps one odd paper from being lost: passwords, paragraph cap, safe stages.

Used by the worker (``pipeline.process_file``):

* every line of ``--password-file`` is tried on every encrypted paper;
* a paragraph longer than :data:`MAX_PARAGRAPH_CHARS` (a page of text with no
  break, or a whole file run together) is split into parts at spaces, with a
  warning, so the rules stay fast and spaCy's length limit is never reached;
* a stage after reading (metadata interpretation, extraction) that raises
  keeps the paper: its text is stored, the reason becomes a warning.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from boardpapers.ingest.models import Document, Paragraph, Span

MAX_PARAGRAPH_CHARS = 5_000


def passwords_to_try(password: str | None, passwords: tuple[str, ...] = ()) -> list[str | None]:
    """``--password`` then each ``--password-file`` line, once each; ``[None]`` when none."""
    found = [p for p in dict.fromkeys((password, *passwords)) if p]
    return found or [None]


def is_locked(doc: Document) -> bool:
    """True when ``doc`` failed only because no password given opened it."""
    from boardpapers.ingest import errors

    if doc.status != "failed" or not doc.error:
        return False
    name = os.path.basename(doc.path)
    return doc.error in (errors.Encrypted(name).message, errors.WrongPassword(name).message)


def read_with_passwords(
    read: Callable[..., Document], path: str, candidates: list[str | None], **kw
) -> Document:
    """``read(path, password=p, **kw)`` for each candidate until one opens the file."""
    doc = read(path, password=candidates[0], **kw)
    for password in candidates[1:]:
        if not is_locked(doc):
            break
        doc = read(path, password=password, **kw)
    return doc


def cap_paragraphs(doc: Document, limit: int = MAX_PARAGRAPH_CHARS) -> Document:
    """``doc`` with every text paragraph longer than ``limit`` split into parts
    (``seq`` renumbered), and a warning for each one split."""
    if all(len(p.text) <= limit for p in doc.paragraphs):
        return doc
    out: list[Paragraph] = []
    warnings: list[str] = []
    for para in doc.paragraphs:
        parts = split_paragraph(para, limit) if len(para.text) > limit and para.cells is None else [para]
        if len(parts) > 1:
            warnings.append(
                f"paragraph on page {para.page_start} is {len(para.text):,} characters long; "
                f"split into {len(parts)} parts of at most {limit:,}"
            )
        base = len(out)
        out.extend(replace(part, seq=base + i) for i, part in enumerate(parts))
    return replace(doc, paragraphs=tuple(out), warnings=(*doc.warnings, *warnings))


def _cuts(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of parts of at most ``limit`` characters, cut at the last
    space before the limit where there is one (the space is dropped)."""
    cuts, start = [], 0
    while len(text) - start > limit:
        space = text.rfind(" ", start + limit // 2, start + limit + 1)
        end = space if space > start else start + limit
        cuts.append((start, end))
        start = end + 1 if space > start else end
    cuts.append((start, len(text)))
    return cuts


def split_paragraph(para: Paragraph, limit: int) -> list[Paragraph]:
    """``para`` cut into parts; each keeps its own word spans (offsets rebased)
    and takes its pages and box from them."""
    parts = []
    for n, (start, end) in enumerate(_cuts(para.text, limit)):
        spans = tuple(
            Span(s.start - start, min(s.end, end) - start, s.page, s.x0, s.top, s.x1, s.bottom)
            for s in para.spans
            if start <= s.start < end
        )
        box = {}
        if spans:
            first = [s for s in spans if s.page == spans[0].page]
            box = {
                "page_start": spans[0].page,
                "page_end": spans[-1].page,
                "x0": min(s.x0 for s in first),
                "top": min(s.top for s in first),
                "x1": max(s.x1 for s in first),
                "bottom": max(s.bottom for s in first),
            }
        keep = {} if n == 0 else {"number": None, "footnote_marker": None}
        parts.append(replace(para, text=para.text[start:end], spans=spans, **box, **keep))
    return parts


def kept_if_failing(stage: str, fn: Callable[[Document], Document], doc: Document) -> Document:
    """``fn(doc)``; if it raises (not a resource limit), ``doc`` itself with a warning."""
    try:
        return fn(doc)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001 - one odd string must not lose the paper
        return replace(doc, warnings=(*doc.warnings, failure_warning(stage, exc)))


def failure_warning(stage: str, exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:200]
    return f"{stage}: failed on this paper ({type(exc).__name__}: {detail}); its text is kept"
