"""Read queries shared by briefs (and readable by the Datasette side).

Every record query joins the record's paragraph so callers get the
paragraph number, its first page and its section title for citation.
"""

from __future__ import annotations

import json

import sqlite_utils

_RECORD_SQL = """
SELECT r.*, p.number AS paragraph_number, p.seq AS paragraph_seq, p.page_start AS paragraph_page,
       p.text AS paragraph_text, p.kind AS paragraph_kind,
       p.cells AS paragraph_cells, p.header AS paragraph_header,
       s.title AS section_title
FROM {table} r
LEFT JOIN paragraphs p ON p.id = r.paragraph_id
LEFT JOIN sections s ON s.id = p.section_id
WHERE r.paper_id = ?
ORDER BY p.seq, r.id
"""


def paper(db: sqlite_utils.Database, paper_id: str) -> dict | None:
    """One papers row (with ``warnings`` decoded to a list), or None."""
    rows = list(db.query("SELECT * FROM papers WHERE id = ?", [paper_id]))
    if not rows:
        return None
    row = dict(rows[0])
    row["warnings"] = json.loads(row["warnings"] or "[]")
    return row


def papers_matching(db: sqlite_utils.Database, prefix: str) -> list[dict]:
    """Papers whose id starts with ``prefix`` (ids may be given abbreviated)."""
    return list(db.query("SELECT id FROM papers WHERE id LIKE ? ORDER BY id", [prefix + "%"]))


def _records(db: sqlite_utils.Database, table: str, paper_id: str) -> list[dict]:
    return [dict(r) for r in db.query(_RECORD_SQL.format(table=table), [paper_id])]


def figures(db: sqlite_utils.Database, paper_id: str) -> list[dict]:
    """A paper's figures that carry a metric key, in reading order."""
    return [r for r in _records(db, "figures", paper_id) if r["metric_key"]]


def actions(db: sqlite_utils.Database, paper_id: str) -> list[dict]:
    """A paper's actions in reading order; ``paragraph_kind`` tells action-log
    table rows (``table_row``) from actions narrated in the text."""
    return _records(db, "actions", paper_id)


def priority_areas(db: sqlite_utils.Database, paper_id: str) -> list[dict]:
    return _records(db, "priority_areas", paper_id)


def trends(db: sqlite_utils.Database, paper_id: str) -> list[dict]:
    return _records(db, "trends", paper_id)


def operations(db: sqlite_utils.Database, paper_id: str) -> list[dict]:
    return [r for r in _records(db, "entities", paper_id) if r["label"] == "OPERATION"]


def metric_history(db: sqlite_utils.Database, metric_key: str) -> list[dict]:
    """Every value of one metric across papers: the "this metric over time" query."""
    return [
        dict(r)
        for r in db.query(
            """SELECT f.paper_id, pa.series, pa.month, f.value, f.unit, f.geography, f.period_end,
                      f.page, p.number AS paragraph_number
               FROM figures f JOIN papers pa ON pa.id = f.paper_id
               LEFT JOIN paragraphs p ON p.id = f.paragraph_id
               WHERE f.metric_key = ? ORDER BY f.period_end, pa.month""",
            [metric_key],
        )
    ]
