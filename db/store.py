"""Writing papers and their records, one transaction per paper.

The main process is the only writer: workers return plain
:class:`ingest.models.Document` and :class:`nlp.records.Records` values and
:func:`save` stores them. A reader (Datasette) opening the WAL database sees
either the whole paper or none of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import pickle
import re
from collections.abc import Iterable, Iterator

import sqlite_utils

from boardpapers.ingest.models import Document, PaperMeta, Paragraph, Span
from boardpapers.nlp.records import Records

from .schema import RECORD_TABLES


def paper_id(sha256: str) -> str:
    """A paper's id: the first 16 hex digits of its file's sha256."""
    return sha256[:16]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub(value):
    """``value`` with every lone UTF-16 surrogate (which SQLite cannot encode:
    from a PDF string or a file name that is not UTF-8) replaced by U+FFFD,
    one character for one so that character spans stay valid. Walks strings,
    tuples, lists, dicts and dataclasses; returns ``value`` itself when clean."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, tuple | list):
        items = [scrub(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = scrub(old)
            if new is not old:
                changed[f.name] = new
        return dataclasses.replace(value, **changed) if changed else value
    return value


# A lone surrogate, as pickle writes it (UTF-8 with surrogatepass): ED A0..BF xx.
_SURROGATE_BYTES = re.compile(rb"\xed[\xa0-\xbf]")


def _may_hold_surrogates(value) -> bool:
    """A fast test before :func:`scrub` (which walks every object): False
    means no string inside ``value`` holds a surrogate; True may be a false
    alarm (binary data that looks alike), which scrub then handles."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - cannot tell: walk it
        return True
    return _SURROGATE_BYTES.search(data) is not None


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction that takes the write lock before its first read
    (``BEGIN IMMEDIATE``): a concurrent writer (a second ingest) then makes it
    wait for ``busy_timeout`` instead of failing on a stale snapshot."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def known_paper(db: sqlite_utils.Database, sha256: str) -> dict | None:
    """The papers row for a file with these bytes, if any."""
    rows = list(db.query("SELECT * FROM papers WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def add_path(db: sqlite_utils.Database, pid: str, path: str) -> bool:
    """Record that ``path`` holds a known paper; True if the path was new."""
    with db.atomic():
        cur = db.conn.execute(
            "INSERT OR IGNORE INTO paper_paths (paper_id, path, first_seen) VALUES (?, ?, ?)",
            [pid, scrub(path), now()],
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
    """The month a paper belongs to, computed once when it is stored: its meeting
    month, else its own date's or file name's (``meta.month``, from nlp.paper),
    else the end of the period it reports on."""
    for value in (meta.meeting_date, meta.month, reporting_period_end):
        if value:
            return value[:7]
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
    one transaction; returns its id. The paths already recorded for it are kept."""
    if _may_hold_surrogates((doc, records)):
        doc, records = scrub(doc), scrub(records)
    pid = paper_id(doc.sha256)
    # Document.warnings may repeat the metadata's own warnings: keep each once.
    warnings = list(
        dict.fromkeys((*doc.meta.warnings, *doc.warnings, *(records.warnings if records else ())))
    )
    rpe = (records.reporting_period_end if records else None) or doc.meta.reporting_period_end
    sources = dict(doc.meta.sources)
    if records is not None and records.reporting_period_end not in (None, doc.meta.reporting_period_end):
        sources["reporting_period_end"] = "body"  # the paper's text states it; that wins over its title
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
        "kind": doc.meta.kind,
        "meta_source": json.dumps(sources),
        "furniture": json.dumps([list(f) for f in doc.meta.furniture]),
        "series_title": doc.meta.series_title,
        "meta_raw": raw_meta_json(doc.meta),
        "meta_warnings": json.dumps(list(doc.meta.warnings)),
        "needs_ocr_pages": sum(1 for p in doc.page_info if "needs_ocr" in p.flags),
        "ocr_pages": sum(1 for p in doc.page_info if p.source == "ocr"),
        "rules_version": rules_version,
        "ingested_at": now(),
    }
    conn = db.conn
    with write_transaction(db):
        # Deleting the papers row cascades to paper_paths: keep them.
        paths = conn.execute("SELECT path, first_seen FROM paper_paths WHERE paper_id = ?", [pid]).fetchall()
        _delete_paper(conn, pid)
        db["papers"].insert(row)
        conn.executemany(
            "INSERT OR IGNORE INTO paper_paths (paper_id, path, first_seen) VALUES (?, ?, ?)",
            [(pid, path, seen) for path, seen in [*paths, (doc.path, row["ingested_at"])]],
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
        if p.cell_fills and any(p.cell_fills):  # RAG colours behind a table row's cells
            conn.execute(
                "UPDATE paragraphs SET cell_fills = ? WHERE id = ?", [json.dumps(p.cell_fills), cur.lastrowid]
            )
    return ids


BOX = ("x0", "top", "x1", "bottom")


def _insert_rows(
    conn,
    table: str,
    pid: str,
    items: tuple,
    para_ids: dict[int, int],
    paragraphs: dict[int, Paragraph],
    with_box: bool = False,
) -> None:
    """Insert one kind of record (flat dataclasses of one type) in one
    ``executemany``: each field a column, ``para`` turned into ``paragraph_id``
    and, ``with_box``, the box of the words the record covers."""
    if not items:
        return
    names = [f.name for f in dataclasses.fields(items[0]) if f.name != "para"]
    columns = ["paper_id", "paragraph_id", *names, *(BOX if with_box else ())]
    rows = []
    for item in items:
        row = [pid, para_ids.get(item.para), *(getattr(item, name) for name in names)]
        if with_box:
            para = paragraphs.get(item.para)
            box = para.box_of(item.char_start, item.char_end) if para else None
            row.extend(box[1:] if box else (None,) * len(BOX))
        rows.append(row)
    marks = ",".join("?" * len(columns))
    conn.executemany(f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({marks})", rows)


def _insert_records(
    db: sqlite_utils.Database,
    pid: str,
    records: Records,
    para_ids: dict[int, int],
    paragraphs: Iterable[Paragraph],
) -> None:
    by_seq = {p.seq: p for p in paragraphs}
    for table in RECORD_TABLES:
        _insert_rows(
            db.conn, table, pid, getattr(records, table), para_ids, by_seq, with_box=table == "figures"
        )


def replace_records(
    db: sqlite_utils.Database,
    pid: str,
    records: Records,
    *,
    rules_version: str | None = None,
    meta: PaperMeta | None = None,
) -> None:
    """Replace one paper's extracted rows (``boardpapers extract``), in one
    transaction; with ``meta`` (its metadata interpreted again from
    :func:`load_raw_meta`) its title, board, author, dates, kind, series title,
    sources and metadata warnings too. The series is left to the caller."""
    paragraphs = load_paragraphs(db, pid)
    ids = {r["seq"]: r["id"] for r in db.query("SELECT id, seq FROM paragraphs WHERE paper_id = ?", [pid])}
    paper = db["papers"].get(pid)
    old_meta_warnings = set(json.loads(paper.get("meta_warnings") or "[]")) if meta is not None else set()
    warnings = [
        w
        for w in json.loads(paper["warnings"] or "[]")
        if not w.startswith("extract:") and w not in old_meta_warnings
    ]
    if meta is not None:
        warnings = [*meta.warnings, *warnings]
    warnings = list(dict.fromkeys([*warnings, *records.warnings]))
    update: dict = {"warnings": json.dumps(warnings), "rules_version": rules_version}
    if meta is None:
        meta = load_meta(db, pid)
        rpe = _kept_period_end(paper, records)
    else:
        rpe = records.reporting_period_end or meta.reporting_period_end
        sources = dict(meta.sources)
        if records.reporting_period_end not in (None, meta.reporting_period_end):
            sources["reporting_period_end"] = "body"
        update |= {
            "title": meta.title,
            "board": meta.board,
            "author": meta.author,
            "date_printed": meta.date_printed,
            "meeting_date": meta.meeting_date,
            "kind": meta.kind,
            "series_title": meta.series_title,
            "meta_source": json.dumps(sources),
            "meta_warnings": json.dumps(list(meta.warnings)),
        }
    update |= {"reporting_period_end": rpe, "month": _month(meta, rpe)}
    if _may_hold_surrogates((records, update)):
        records, update = scrub(records), scrub(update)
    with write_transaction(db):
        for table in RECORD_TABLES:
            db.conn.execute(f"DELETE FROM {table} WHERE paper_id = ?", [pid])
        _insert_records(db, pid, records, ids, paragraphs)
        db["papers"].update(pid, update)


def _kept_period_end(paper: dict, records: Records) -> str | None:
    """A re-extraction's reporting period end, else the one the paper's title stated."""
    stated = json.loads(paper.get("meta_source") or "{}").get("reporting_period_end") == "title"
    return records.reporting_period_end or (paper["reporting_period_end"] if stated else None)


def load_meta(db: sqlite_utils.Database, pid: str) -> PaperMeta:
    """A stored paper's metadata as interpreted when it was stored."""
    row = db["papers"].get(pid)
    stated = json.loads(row.get("meta_source") or "{}").get("reporting_period_end") == "title"
    return PaperMeta(
        title=row["title"],
        board=row["board"],
        author=row["author"],
        date_printed=row["date_printed"],
        meeting_date=row["meeting_date"],
        footer=row["footer"],
        month=row.get("month"),
        kind=row.get("kind"),
        reporting_period_end=row["reporting_period_end"] if stated else None,
        series_title=row.get("series_title"),
    )


# The raw places of PaperMeta (what ingest found, before nlp.paper interprets it);
# footer and furniture have columns of their own.
_RAW_FIELDS = ("fields", "title_lines", "head_lines", "header", "file_name")


def raw_meta_json(meta: PaperMeta) -> str:
    """The raw places ingest found ``meta`` in, as JSON (``papers.meta_raw``)."""
    raw = {name: getattr(meta, name) for name in _RAW_FIELDS}
    return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in raw.items()})


def load_raw_meta(db: sqlite_utils.Database, pid: str) -> PaperMeta | None:
    """What ingest found a stored paper's metadata in, uninterpreted (the input
    of ``nlp.paper.interpret``); None for a paper stored before boardpapers kept it."""
    row = db["papers"].get(pid)
    if not row.get("meta_raw"):
        return None
    raw = json.loads(row["meta_raw"])
    return PaperMeta(
        fields=tuple(tuple(f) for f in raw.get("fields") or ()),
        title_lines=tuple((t, s, g) for t, s, g in raw.get("title_lines") or ()),
        head_lines=tuple(raw.get("head_lines") or ()),
        header=raw.get("header"),
        footer=row["footer"],
        file_name=raw.get("file_name"),
        furniture=tuple(tuple(f) for f in json.loads(row.get("furniture") or "[]")),
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
                cell_fills=tuple(json.loads(r["cell_fills"])) if r.get("cell_fills") else None,
                footnote_marker=r["footnote_marker"],
                confidence=r["confidence"],
                spans=_spans_from_json(r["spans"]),
            )
        )
    return out


def set_series(db: sqlite_utils.Database, pid: str, series: str | None) -> None:
    with db.atomic():
        db.conn.execute("UPDATE papers SET series = ? WHERE id = ?", [series, pid])
