"""What the tool extracted for one paper, read from a database or from records in memory.

Each row knows its paragraph's effective number (an unnumbered paragraph
takes the number of the nearest numbered one before it) and text, which is
how gold entries with ``para:`` or ``measure_words`` are matched.
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import urllib.parse
from dataclasses import dataclass, field

from .normalise import norm_para

REQUIRED_TABLES = ("papers", "paragraphs", "figures", "dates", "actions", "priority_areas", "trends")
PAPER_COLUMNS = (
    "id",
    "path",
    "status",
    "board",
    "author",
    "meeting_date",
    "reporting_period_end",
    "warnings",
    "error",
)


class EvaluationError(Exception):
    """The database cannot be scored (missing, not SQLite, or without the tables)."""


@dataclass(frozen=True)
class FigureRow:
    text: str | None
    value: object
    unit: str | None
    para: str | None = None  # the paragraph's effective number
    para_text: str = ""
    measure: str | None = None
    qualifier: str | None = None
    geography: str | None = None
    period_end: str | None = None
    as_of: str | None = None
    id: object = None


@dataclass(frozen=True)
class DateRow:
    text: str | None
    start: object
    end: object
    id: object = None


@dataclass(frozen=True)
class ActionRow:
    title: str | None
    status: str | None
    ref: str | None = None
    owner: str | None = None
    due: object = None
    status_text: str | None = None
    id: object = None


@dataclass(frozen=True)
class TrendRow:
    subject: str | None
    direction: str | None
    horizon: str | None = None
    para: str | None = None
    id: object = None


@dataclass(frozen=True)
class PaperRow:
    id: object
    path: str = ""
    status: str | None = None
    board: str | None = None
    author: str | None = None
    meeting_date: object = None
    reporting_period_end: object = None
    warnings: object = None
    error: str | None = None


@dataclass(frozen=True)
class Extracted:
    """One paper's rows, in the order the tool wrote them."""

    figures: tuple[FigureRow, ...] = ()
    dates: tuple[DateRow, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    priority_areas: tuple[str, ...] = ()
    trends: tuple[TrendRow, ...] = ()


def from_records(records, paragraphs) -> Extracted:
    """Rows from ``nlp`` records and the paragraphs they point at (``para`` = ``seq``)."""
    numbers = effective_numbers((p.seq, p.number, p.text) for p in paragraphs)

    def para(seq):
        return numbers.get(seq, (None, ""))

    return Extracted(
        figures=tuple(
            FigureRow(
                text=f.text,
                value=f.value,
                unit=f.unit,
                para=para(f.para)[0],
                para_text=para(f.para)[1],
                measure=f.measure,
                qualifier=f.qualifier,
                geography=f.geography,
                period_end=f.period_end,
                as_of=f.as_of,
            )
            for f in records.figures
        ),
        dates=tuple(DateRow(text=d.text, start=d.start, end=d.end) for d in records.dates),
        actions=tuple(
            ActionRow(
                title=a.title, status=a.status, ref=a.ref, owner=a.owner, due=a.due, status_text=a.status_text
            )
            for a in records.actions
        ),
        priority_areas=tuple(p.name for p in records.priority_areas),
        trends=tuple(
            TrendRow(subject=t.subject, direction=t.direction, horizon=t.horizon, para=para(t.para)[0])
            for t in records.trends
        ),
    )


def effective_numbers(paragraphs) -> dict:
    """key -> (effective paragraph number, text) for (key, number, text) in document order."""
    out, last = {}, None
    for key, number, text in paragraphs:
        number = norm_para(number)
        last = number or last
        out[key] = (number or last, text or "")
    return out


@dataclass
class Database:
    """A boardpapers SQLite file opened read-only for scoring."""

    conn: sqlite3.Connection
    columns: dict[str, list[str]]
    missing: dict[str, set] = field(default_factory=dict)

    def rows(self, table: str, want, paper_id=None) -> list[dict]:
        """Rows of ``table`` in insertion order, with None for columns the table lacks."""
        have = self.columns[table]
        lacking = [c for c in want if c not in have]
        if lacking:
            self.missing.setdefault(table, set()).update(lacking)
        cols = ", ".join(f'"{c}"' for c in want if c in have) or "1"
        sql, args = f'SELECT {cols} FROM "{table}"', ()
        if paper_id is not None:
            if "paper_id" not in have:
                self.missing.setdefault(table, set()).add("paper_id")
                return []
            sql, args = sql + ' WHERE "paper_id" = ?', (paper_id,)
        try:
            cursor = self.conn.execute(sql + " ORDER BY rowid", args)
        except sqlite3.DatabaseError:  # a view or WITHOUT ROWID table
            cursor = self.conn.execute(sql, args)
        return [{c: row[c] if c in row.keys() else None for c in want} for row in cursor]


def open_database(path) -> Database:
    """Open ``path`` read-only; raises EvaluationError when it cannot be scored."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise EvaluationError(f"database not found: {path}")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.row_factory = sqlite3.Row
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
    except sqlite3.DatabaseError as exc:
        raise EvaluationError(f"cannot read {path} as SQLite: {exc}") from None
    lacking = [t for t in REQUIRED_TABLES if t not in names]
    if lacking:
        raise EvaluationError(f"{path} is not a boardpapers database: no table {', '.join(lacking)}")
    columns = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in REQUIRED_TABLES}
    for col in ("id", "path"):
        if col not in columns["papers"]:
            raise EvaluationError(f"{path}: table papers has no column {col}")
    return Database(conn, columns)


def read_papers(db: Database) -> list[PaperRow]:
    return [PaperRow(**row) for row in db.rows("papers", PAPER_COLUMNS)]


def read_extracted(db: Database, paper_id) -> Extracted:
    """Everything extracted for one paper."""
    paras = effective_numbers(
        (str(p["id"]), p["number"], p["text"])
        for p in db.rows("paragraphs", ["id", "number", "text"], paper_id)
    )

    def para(row):
        return paras.get(str(row["paragraph_id"]), (None, ""))

    figure_cols = ["id", "paragraph_id", "text", "value", "unit", "measure", "qualifier", "geography",
                   "period_end", "as_of"]  # fmt: skip
    figures = [
        FigureRow(
            **{k: v for k, v in r.items() if k != "paragraph_id"}, para=para(r)[0], para_text=para(r)[1]
        )
        for r in db.rows("figures", figure_cols, paper_id)
    ]
    dates = [DateRow(**r) for r in db.rows("dates", ["id", "text", "start", "end"], paper_id)]
    action_cols = ["id", "ref", "title", "owner", "due", "status", "status_text"]
    actions = [ActionRow(**r) for r in db.rows("actions", action_cols, paper_id)]
    names = [r["name"] for r in db.rows("priority_areas", ["name"], paper_id)]
    trend_cols = ["id", "paragraph_id", "subject", "direction", "horizon"]
    trends = [
        TrendRow(**{k: v for k, v in r.items() if k != "paragraph_id"}, para=para(r)[0])
        for r in db.rows("trends", trend_cols, paper_id)
    ]
    return Extracted(tuple(figures), tuple(dates), tuple(actions), tuple(names), tuple(trends))


def warnings_text(warnings) -> str:
    """papers.warnings (a JSON list, usually) as lines of text."""
    if warnings is None:
        return ""
    if isinstance(warnings, (bytes, bytearray)):
        warnings = warnings.decode("utf-8", "replace")
    try:
        data = json.loads(warnings) if isinstance(warnings, str) else warnings
    except ValueError:
        return str(warnings)
    if isinstance(data, list):
        return "\n".join(x if isinstance(x, str) else json.dumps(x) for x in data)
    return warnings if isinstance(warnings, str) else json.dumps(data)
