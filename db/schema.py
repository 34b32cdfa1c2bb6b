"""The database schema, created and upgraded by numbered migrations.

Each migration is a list of SQL statements applied in one transaction; the
version reached is kept in ``PRAGMA user_version``. Add a migration to change
the schema; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

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
]

FTS_TABLES = {"paragraphs": ["text"], "figures": ["measure", "text"]}

# Tables whose rows extraction replaces wholesale for a paper.
RECORD_TABLES = ("figures", "dates", "priority_areas", "actions", "trends", "entities")


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring ``db`` up to the latest schema; returns the version reached."""
    conn = db.conn
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    version = schema_version(conn)
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


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) a boardpapers database at ``path``."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA busy_timeout=30000")
    migrate(db)
    return db
