"""Writing papers and their records, one transaction per paper.

The main process is the only writer: workers return plain
:class:`ingest.models.Document` and :class:`nlp.records.Records` values and
:func:`save` stores them. A reader (Datasette) opening the WAL database sees
either the whole paper or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict

import sqlite_utils

from boardpapers.ingest.models import Document, PaperMeta, Paragraph, Span
from boardpapers.nlp.records import Records

from .schema import RECORD_TABLES


def paper_id(sha256: str) -> str:
    """A paper's id: the first 16 hex digits of its file's sha256."""
    return sha256[:16]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def known_paper(db: sqlite_utils.Database, sha256: str) -> dict | None:
    """The papers row for a file with these bytes, if any."""
    rows = list(db.query("SELECT * FROM papers WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def add_path(db: sqlite_utils.Database, pid: str, path: str) -> bool:
    """Record that ``path`` holds a known paper; True if the path was new."""
    with db.atomic():
        cur = db.conn.execute(
            "INSERT OR IGNORE INTO paper_paths (paper_id, path, first_seen) VALUES (?, ?, ?)",
            [pid, path, now()],
        )
    return cur.rowcount > 0


def _spans_json(spans: tuple[Span, ...]) -> str:
    return json.dumps(
        [
            [s.start, s.end, s.page, round(s.x0, 1), round(s.top, 1), round(s.x1, 1), round(s.bottom, 1)]
            for s in spans
        ],
        separators=(",", ":"),
    )


def _spans_from_json(raw: str | None) -> tuple[Span, ...]:
    if not raw:
        return ()
    return tuple(Span(*row) for row in json.loads(raw))


def _month(meta: PaperMeta, reporting_period_end: str | None) -> str | None:
    if meta.meeting_date:
        return meta.meeting_date[:7]
    if reporting_period_end:
        return reporting_period_end[:7]
    return None


def save(
    db: sqlite_utils.Database,
    doc: Document,
    records: Records | None,
    *,
    series: str | None = None,
    rules_version: str | None = None,
) -> str:
    """Store one paper (replacing any earlier version of the same bytes) in
    one transaction; returns its id."""
    pid = paper_id(doc.sha256)
    # Document.warnings may repeat the metadata's own warnings: keep each once.
    warnings = list(
        dict.fromkeys((*doc.meta.warnings, *doc.warnings, *(records.warnings if records else ())))
    )
    rpe = records.reporting_period_end if records else None
    row = {
        "id": pid,
        "path": doc.path,
        "sha256": doc.sha256,
        "size": doc.size,
        "title": doc.meta.title,
        "board": doc.meta.board,
        "author": doc.meta.author,
        "date_printed": doc.meta.date_printed,
        "meeting_date": doc.meta.meeting_date,
        "reporting_period_end": rpe,
        "month": _month(doc.meta, rpe),
        "series": series,
        "pages": doc.pages,
        "status": doc.status,
        "error": doc.error,
        "warnings": json.dumps(warnings),
        "footer": doc.meta.footer,
        "needs_ocr_pages": sum(1 for p in doc.page_info if "needs_ocr" in p.flags),
        "ocr_pages": sum(1 for p in doc.page_info if p.source == "ocr"),
        "rules_version": rules_version,
        "ingested_at": now(),
    }
    conn = db.conn
    with db.atomic():
        _delete_paper(conn, pid)
        db["papers"].insert(row)
        conn.execute(
            "INSERT OR IGNORE INTO paper_paths (paper_id, path, first_seen) VALUES (?, ?, ?)",
            [pid, doc.path, row["ingested_at"]],
        )
        db["pages"].insert_all(
            (
                {
                    "paper_id": pid,
                    "number": p.number,
                    "width": p.width,
                    "height": p.height,
                    "source": p.source,
                    "flags": json.dumps(list(p.flags)),
                    "error": p.error,
                    "chars": p.chars,
                    "ocr_confidence": p.ocr_confidence,
                }
                for p in doc.page_info
            ),
        )
        section_ids: list[int] = []
        for s in doc.sections:
            parent = section_ids[s.parent] if s.parent is not None and s.parent < len(section_ids) else None
            cur = conn.execute(
                "INSERT INTO sections (paper_id, number, title, level, parent_id, page) VALUES (?,?,?,?,?,?)",
                [pid, s.number, s.title, s.level, parent, s.page],
            )
            section_ids.append(cur.lastrowid)
        para_ids = _insert_paragraphs(conn, pid, doc.paragraphs, section_ids)
        if records is not None:
            _insert_records(db, pid, records, para_ids, doc.paragraphs)
    return pid


def _delete_paper(conn, pid: str) -> None:
    for table in RECORD_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE paper_id = ?", [pid])
    conn.execute("DELETE FROM paragraphs WHERE paper_id = ?", [pid])
    conn.execute("DELETE FROM sections WHERE paper_id = ?", [pid])
    conn.execute("DELETE FROM pages WHERE paper_id = ?", [pid])
    conn.execute("DELETE FROM papers WHERE id = ?", [pid])


def _insert_paragraphs(
    conn, pid: str, paragraphs: Iterable[Paragraph], section_ids: list[int]
) -> dict[int, int]:
    ids: dict[int, int] = {}
    for p in paragraphs:
        cur = conn.execute(
            """INSERT INTO paragraphs (paper_id, section_id, seq, number, kind, text, page_start,
               page_end, x0, top, x1, bottom, cells, header, footnote_marker, confidence, spans)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                pid,
                section_ids[p.section] if p.section is not None and p.section < len(section_ids) else None,
                p.seq,
                p.number,
                p.kind,
                p.text,
                p.page_start,
                p.page_end,
                p.x0,
                p.top,
                p.x1,
                p.bottom,
                json.dumps(list(p.cells)) if p.cells is not None else None,
                json.dumps(list(p.header)) if p.header is not None else None,
                p.footnote_marker,
                p.confidence,
                _spans_json(p.spans),
            ],
        )
        ids[p.seq] = cur.lastrowid
    return ids


def _record_rows(
    pid: str,
    items: Iterable,
    para_ids: dict[int, int],
    paragraphs: dict[int, Paragraph],
    with_box: bool = False,
) -> Iterator[dict]:
    for item in items:
        row = asdict(item)
        seq = row.pop("para")
        row["paper_id"] = pid
        row["paragraph_id"] = para_ids.get(seq)
        if with_box:
            para = paragraphs.get(seq)
            box = para.box_of(item.char_start, item.char_end) if para else None
            row.update(dict(zip(("x0", "top", "x1", "bottom"), box[1:] if box else (None,) * 4, strict=True)))
        yield row


def _insert_records(
    db: sqlite_utils.Database,
    pid: str,
    records: Records,
    para_ids: dict[int, int],
    paragraphs: Iterable[Paragraph],
) -> None:
    by_seq = {p.seq: p for p in paragraphs}
    db["figures"].insert_all(_record_rows(pid, records.figures, para_ids, by_seq, with_box=True))
    db["dates"].insert_all(_record_rows(pid, records.dates, para_ids, by_seq))
    db["priority_areas"].insert_all(_record_rows(pid, records.priority_areas, para_ids, by_seq))
    db["actions"].insert_all(_record_rows(pid, records.actions, para_ids, by_seq))
    db["trends"].insert_all(_record_rows(pid, records.trends, para_ids, by_seq))
    db["entities"].insert_all(_record_rows(pid, records.entities, para_ids, by_seq))


def replace_records(
    db: sqlite_utils.Database, pid: str, records: Records, *, rules_version: str | None = None
) -> None:
    """Replace one paper's extracted rows (``boardpapers extract``), in one transaction."""
    paragraphs = load_paragraphs(db, pid)
    ids = {r["seq"]: r["id"] for r in db.query("SELECT id, seq FROM paragraphs WHERE paper_id = ?", [pid])}
    paper = db["papers"].get(pid)
    warnings = [w for w in json.loads(paper["warnings"] or "[]") if not w.startswith("extract:")]
    warnings += list(records.warnings)
    meta = load_meta(db, pid)
    with db.atomic():
        for table in RECORD_TABLES:
            db.conn.execute(f"DELETE FROM {table} WHERE paper_id = ?", [pid])
        _insert_records(db, pid, records, ids, paragraphs)
        db["papers"].update(
            pid,
            {
                "reporting_period_end": records.reporting_period_end,
                "month": _month(meta, records.reporting_period_end),
                "warnings": json.dumps(warnings),
                "rules_version": rules_version,
            },
        )


def load_meta(db: sqlite_utils.Database, pid: str) -> PaperMeta:
    row = db["papers"].get(pid)
    return PaperMeta(
        title=row["title"],
        board=row["board"],
        author=row["author"],
        date_printed=row["date_printed"],
        meeting_date=row["meeting_date"],
        footer=row["footer"],
    )


def load_paragraphs(db: sqlite_utils.Database, pid: str) -> list[Paragraph]:
    """A stored paper's paragraphs as ingest produced them (no PDF re-read)."""
    out = []
    for r in db.query("SELECT * FROM paragraphs WHERE paper_id = ? ORDER BY seq", [pid]):
        out.append(
            Paragraph(
                seq=r["seq"],
                kind=r["kind"],
                text=r["text"],
                page_start=r["page_start"],
                page_end=r["page_end"],
                x0=r["x0"],
                top=r["top"],
                x1=r["x1"],
                bottom=r["bottom"],
                number=r["number"],
                cells=tuple(json.loads(r["cells"])) if r["cells"] else None,
                header=tuple(json.loads(r["header"])) if r["header"] else None,
                footnote_marker=r["footnote_marker"],
                confidence=r["confidence"],
                spans=_spans_from_json(r["spans"]),
            )
        )
    return out


def set_series(db: sqlite_utils.Database, pid: str, series: str | None) -> None:
    with db.atomic():
        db.conn.execute("UPDATE papers SET series = ? WHERE id = ?", [series, pid])
