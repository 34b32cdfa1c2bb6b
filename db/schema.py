"""The database schema, created and upgraded by numbered migrations.

Each migration is a list of SQL statements applied in one transaction; the
version reached is kept in ``PRAGMA user_version``. Add a migration to change
the schema; never edit one that has shipped.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pathlib
import sqlite3
import urllib.parse
from collections.abc import Iterator

import sqlite_utils

MIGRATIONS: list[list[str]] = [
    # 1: the table contract (DESIGN.md) plus provenance and ingest bookkeeping.
    [
        """CREATE TABLE papers (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            size INTEGER,
            title TEXT,
            board TEXT,
            author TEXT,
            date_printed TEXT,
            meeting_date TEXT,
            reporting_period_end TEXT,
            month TEXT,
            series TEXT,
            pages INTEGER,
            status TEXT NOT NULL CHECK (status IN ('ok','partial','failed','rejected')),
            error TEXT,
            warnings TEXT NOT NULL DEFAULT '[]',
            footer TEXT,
            needs_ocr_pages INTEGER NOT NULL DEFAULT 0,
            ocr_pages INTEGER NOT NULL DEFAULT 0,
            rules_version TEXT,
            ingested_at TEXT NOT NULL
        )""",
        """CREATE TABLE paper_paths (
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (paper_id, path)
        )""",
        """CREATE TABLE pages (
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            width REAL,
            height REAL,
            source TEXT,
            flags TEXT NOT NULL DEFAULT '[]',
            error TEXT,
            chars INTEGER,
            ocr_confidence REAL,
            PRIMARY KEY (paper_id, number)
        )""",
        """CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            number TEXT,
            title TEXT,
            level INTEGER,
            parent_id INTEGER REFERENCES sections(id),
            page INTEGER
        )""",
        """CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            section_id INTEGER REFERENCES sections(id),
            seq INTEGER NOT NULL,
            number TEXT,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            page_start INTEGER,
            page_end INTEGER,
            x0 REAL, top REAL, x1 REAL, bottom REAL,
            cells TEXT,
            header TEXT,
            footnote_marker TEXT,
            confidence REAL,
            spans TEXT
        )""",
        """CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id),
            text TEXT, value REAL, unit TEXT, qualifier TEXT, measure TEXT, metric_key TEXT,
            period_start TEXT, period_end TEXT, as_of TEXT, geography TEXT, comparison TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            x0 REAL, top REAL, x1 REAL, bottom REAL,
            low_confidence INTEGER NOT NULL DEFAULT 0,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE dates (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id),
            text TEXT, start TEXT, "end" TEXT, granularity TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE priority_areas (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            name TEXT, key TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            ref TEXT, title TEXT, owner TEXT, due TEXT,
            status TEXT CHECK (status IN ('completed','on_track','in_progress','planned',
                                           'delayed','at_risk','unknown')),
            status_text TEXT, narrative TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE trends (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            subject TEXT, direction TEXT, horizon TEXT, text TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            label TEXT, text TEXT, key TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        "CREATE INDEX idx_paragraphs_paper ON paragraphs(paper_id, seq)",
        "CREATE INDEX idx_sections_paper ON sections(paper_id)",
        "CREATE INDEX idx_figures_paper ON figures(paper_id)",
        "CREATE INDEX idx_figures_metric ON figures(metric_key, period_end)",
        "CREATE INDEX idx_dates_paper ON dates(paper_id)",
        "CREATE INDEX idx_actions_paper ON actions(paper_id)",
        "CREATE INDEX idx_actions_ref ON actions(ref)",
        "CREATE INDEX idx_priority_paper ON priority_areas(paper_id)",
        "CREATE INDEX idx_trends_paper ON trends(paper_id)",
        "CREATE INDEX idx_entities_paper ON entities(paper_id)",
        "CREATE INDEX idx_papers_series ON papers(series, month)",
    ],
    # 2: what each paper is (issue 12): its kind, where each metadata field came
    # from, its page furniture (letterhead, running lines, sidebar), the series
    # title it was grouped by.
    [
        "ALTER TABLE papers ADD COLUMN kind TEXT",
        "ALTER TABLE papers ADD COLUMN meta_source TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE papers ADD COLUMN furniture TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE papers ADD COLUMN series_title TEXT",
    ],
    # 3: minutes (issue 12): decisions, attendance and numbered items; an
    # action's minute item, and for matters arising the previous minutes' item
    # number and a match key (linked to the action they update at query time).
    [
        "ALTER TABLE paragraphs ADD COLUMN cell_fills TEXT",
        "ALTER TABLE actions ADD COLUMN item TEXT",
        "ALTER TABLE actions ADD COLUMN updates_ref TEXT",
        "ALTER TABLE actions ADD COLUMN updates_key TEXT",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            item TEXT, title TEXT, text TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE attendance (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            name TEXT, role TEXT CHECK (role IN ('present','apologies','absent','in_attendance')),
            initials TEXT, detail TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        """CREATE TABLE minute_items (
            id INTEGER PRIMARY KEY,
            paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
            paragraph_id INTEGER REFERENCES paragraphs(id),
            number TEXT, title TEXT,
            page INTEGER, char_start INTEGER, char_end INTEGER,
            rule_id TEXT NOT NULL
        )""",
        "CREATE INDEX idx_decisions_paper ON decisions(paper_id)",
        "CREATE INDEX idx_attendance_paper ON attendance(paper_id)",
        "CREATE INDEX idx_minute_items_paper ON minute_items(paper_id)",
        "CREATE INDEX idx_actions_updates ON actions(updates_key)",
    ],
    # 4: Datasette (issue 13): every figure with its paper's board, series and
    # month, so the figures can be faceted by them; an index for the metric picker.
    [
        """CREATE VIEW figure_values AS
        SELECT f.id AS figure_id, p.month, p.series, p.board, f.metric_key, f.measure, f.value, f.unit,
               f.text, f.period_start, f.period_end, f.as_of, f.geography, f.comparison,
               p.title AS paper_title, f.paper_id, f.paragraph_id, f.page
        FROM figures f JOIN papers p ON p.id = f.paper_id""",
        "CREATE INDEX idx_papers_month ON papers(month)",
    ],
    # 5: what the canned queries need at 100,000 papers (issue 16, bench/cluster_bench.py):
    # action_history filters and sorts by ref and title from the index alone;
    # priority_areas_by_month walks papers by month with the series in the index;
    # papers_with_problems reads only the problem papers (a partial index: its WHERE
    # must stay the query's first condition, word for word).
    [
        "DROP INDEX IF EXISTS idx_actions_ref",
        "CREATE INDEX idx_actions_ref_title ON actions(ref, title, paper_id)",
        "CREATE INDEX idx_papers_month_series ON papers(month, series)",
        """CREATE INDEX idx_papers_problems ON papers(status, month, id)
        WHERE (status != 'ok' or json_array_length(warnings) > 0 or needs_ocr_pages > 0)""",
    ],
    # 6: re-interpreting a paper's metadata without its PDF (``boardpapers extract``):
    # the raw places ingest found it in (label/value fields, title block, first
    # lines, running header, file name; the footer and furniture have columns of
    # their own) as JSON, and the warnings nlp.paper added, replaced on re-interpretation.
    [
        "ALTER TABLE papers ADD COLUMN meta_raw TEXT",
        "ALTER TABLE papers ADD COLUMN meta_warnings TEXT NOT NULL DEFAULT '[]'",
    ],
]

FTS_TABLES = {"paragraphs": ["text"], "figures": ["measure", "text"]}

# Tables whose rows extraction replaces wholesale for a paper.
RECORD_TABLES = (
    "figures",
    "dates",
    "priority_areas",
    "actions",
    "trends",
    "entities",
    "decisions",
    "attendance",
    "minute_items",
)


class DatabaseError(Exception):
    """The database file cannot be opened or used as asked (a clean, one-line message)."""


SQLITE_HEADER = b"SQLite format 3\x00"


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def latest_version() -> int:
    return len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring ``db`` up to the latest schema; returns the version reached.

    Refuses a database written by a newer boardpapers (its schema would be
    misread) and a SQLite file that boardpapers did not create."""
    conn = db.conn
    version = _check_version(conn, _file_name(conn))
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise DatabaseError(
            "the file is a SQLite database that boardpapers did not create; give a new file name"
        )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    for number, statements in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        with db.atomic():
            for sql in statements:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version={number}")
    for table, columns in FTS_TABLES.items():
        if not db[table].detect_fts():
            db[table].enable_fts(columns, create_triggers=True, tokenize="porter")
    return schema_version(conn)


def _file_name(conn: sqlite3.Connection) -> str:
    try:
        rows = conn.execute("SELECT name, CAST(file AS BLOB) FROM pragma_database_list").fetchall()
    except sqlite3.Error:
        return "the database"
    path = next((r[1] for r in rows if r[0] == "main" and r[1]), None)
    return path.decode("utf-8", "backslashreplace") if path else "the database"


def _check_version(conn: sqlite3.Connection, where: str) -> int:
    version = schema_version(conn)
    if version > latest_version():
        raise DatabaseError(
            f"{where} has schema version {version}, newer than this boardpapers knows "
            f"({latest_version()}); upgrade boardpapers to use it"
        )
    return version


def _check_file(path: pathlib.Path) -> bool:
    """Raise if ``path`` cannot be a boardpapers database; True if it exists
    with content (a new or empty file is False). Reads at most 16 bytes."""
    if not path.parent.is_dir():
        raise DatabaseError(f"cannot open {path}: the folder {path.parent} does not exist; create it first")
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a SQLite database (it was left untouched); check the file name")
    return True


def _writable(path: pathlib.Path, exists: bool) -> bool:
    """Writable by this process, and not marked read-only (no write bit: root
    could write it anyway, but its owner said not to)."""
    target = path if exists else path.parent
    return os.access(target, os.W_OK) and bool(target.stat().st_mode & 0o222)


@contextlib.contextmanager
def _folder_lock(folder: pathlib.Path) -> Iterator[None]:
    """An exclusive ``flock`` on the database's folder while the schema is
    created: two ingests started at once on a new file take turns. (The
    folder, not the file: closing a second descriptor of the database file
    would drop SQLite's own POSIX locks on it.)"""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def open_db(path: str, *, readonly: bool | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) a boardpapers database at ``path``.

    ``readonly=None`` opens a file this process cannot write read-only (for
    ``series``, ``brief``, ``serve``); ``readonly=False`` demands write access
    (``ingest``). Raises :class:`DatabaseError` with a one-line reason for a
    missing folder, a file that is not a SQLite database (never modified), a
    newer schema, or a read-only file opened for writing."""
    p = pathlib.Path(path)
    exists = _check_file(p)
    writable = _writable(p, exists)
    if readonly is None:
        readonly = exists and not writable
    if readonly:
        return _open_readonly(p, exists)
    if not writable:
        what = p if exists else p.parent
        raise DatabaseError(f"cannot write to {what} (read-only); boardpapers cannot store papers there")
    try:
        db = sqlite_utils.Database(sqlite3.connect(os.fsencode(p), timeout=30))
        db.conn.execute("PRAGMA busy_timeout=30000")
        with _folder_lock(p.parent):
            migrate(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open {p}: {exc}") from exc
    return db


def _open_readonly(p: pathlib.Path, exists: bool) -> sqlite_utils.Database:
    if not exists:
        raise DatabaseError(f"{p} does not exist; run `boardpapers ingest {p} PDF...` first")
    uri = f"file:{urllib.parse.quote(os.fsencode(p.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
        version = _check_version(conn, str(p))
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot read {p}: {exc}") from exc
    if version != latest_version():
        conn.close()
        raise DatabaseError(
            f"{p} has schema version {version}, older than this boardpapers ({latest_version()}), "
            "and is opened read-only; run `boardpapers series` on a writable copy once to upgrade it"
        )
    return sqlite_utils.Database(conn)
