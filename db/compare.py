"""The comparison behind a brief: one paper against an earlier one of its series.

``compare(db, paper_id)`` picks the papers and assembles a frozen
:class:`~.comparison.Comparison` from the modules that each compare one
kind of record:

- :mod:`.metric_changes` — figures, like with like (measure, unit, period type, basis; table cells by row and column);
- :mod:`.action_matching` — actions matched by ref or title; overdue actions;
- :mod:`.named_changes` — priority areas, reversed trends, new operations;
- :mod:`.paper_checks` — consistency warnings;
- :mod:`.citations` — the numbered sources every line cites.

Which direction of a metric is better comes in as ``better`` (metric key ->
``"up"``/``"down"``); the caller reads it from the metric vocabulary.
"""

from __future__ import annotations

import json
import re

import sqlite_utils

from . import queries
from .action_matching import TITLE_MATCH_THRESHOLD, compare_actions, overdue
from .citations import DEFAULT_SOURCE_BASE, Citations
from .comparison import (
    ActionChange,
    Ambiguity,
    BriefError,
    Comparison,
    MetricChange,
    Named,
    Overdue,
    PaperRef,
    Point,
    Restatement,
    Reversal,
    Source,
    Warning,
)
from .metric_changes import compare_metrics
from .named_changes import compare_priorities, new_operations, reversals
from .paper_checks import warnings
from .series import order_key, paper_month, series_papers

__all__ = [
    "ActionChange",
    "Ambiguity",
    "BriefError",
    "Comparison",
    "MetricChange",
    "Named",
    "Overdue",
    "PaperRef",
    "Point",
    "Restatement",
    "Reversal",
    "Source",
    "Warning",
    "compare",
    "find_paper",
]

DEFAULT_RUN = 6


def _paper_ref(row: dict) -> PaperRef:
    return PaperRef(
        id=row["id"],
        title=row["title"],
        board=row["board"],
        author=row["author"],
        series=row["series"],
        month=paper_month(row),
        meeting_date=row["meeting_date"],
        reporting_period_end=row["reporting_period_end"],
        file=(row["path"] or "").replace("\\", "/").rsplit("/", 1)[-1],
        warnings=tuple(json.loads(w) if isinstance(w := row["warnings"], str) else w or ()),
    )


def _resolve(db: sqlite_utils.Database, ident: str) -> dict:
    row = queries.paper(db, ident)
    if row is None:
        hits = queries.papers_matching(db, ident)
        if len(hits) == 1:
            row = queries.paper(db, hits[0]["id"])
        elif len(hits) > 1:
            raise BriefError(
                f"paper id {ident!r} is ambiguous: it starts {len(hits)} paper ids; give more digits"
            )
    if row is None:
        raise BriefError(f"no paper with id {ident!r} in the database; `boardpapers series DB` lists them")
    return row


def find_paper(db: sqlite_utils.Database, series: str, month: str) -> dict:
    """The paper of ``series`` for ``month`` (``YYYY-MM``)."""
    hits = [p for p in series_papers(db, series) if paper_month(p) == month]
    if not hits:
        raise BriefError(
            f"series {series!r} has no paper for {month}; `boardpapers series DB` lists its months"
        )
    if len(hits) > 1:
        ids = ", ".join(p["id"] for p in hits)
        raise BriefError(f"series {series!r} has {len(hits)} papers for {month} ({ids}); pass --paper ID")
    return queries.paper(db, hits[-1]["id"])


def _previous(db, current: dict, earlier: list[dict], against: str | None) -> dict | None:
    if against is None:
        previous = queries.paper(db, earlier[-1]["id"]) if earlier else None
    elif re.fullmatch(r"\d{4}-\d\d", against):
        if not current["series"]:
            raise BriefError(f"paper {current['id']} belongs to no series; pass --against with a paper id")
        previous = find_paper(db, current["series"], against)
    else:
        previous = _resolve(db, against)
    if previous is not None and previous["id"] == current["id"]:
        raise BriefError(f"cannot compare paper {current['id']} with itself")
    return previous


def _run(earlier: list[dict], current: dict, previous: dict | None, length: int) -> list[dict]:
    """The papers whose values make up each metric's series: at most ``length``
    papers of the series ending at ``current``, always including ``previous``."""
    rows = earlier + [current]
    if previous is None:
        return rows[-length:]
    ids = [p["id"] for p in rows]
    if previous["id"] not in ids:
        return [previous, current]
    tail = rows[min(ids.index(previous["id"]), max(len(rows) - length, 0)) :]
    if len(tail) > length:
        tail = [tail[0]] + tail[len(tail) - length + 1 :]
    return tail


def compare(
    db: sqlite_utils.Database,
    paper_id: str,
    against: str | None = None,
    months: int | None = None,
    *,
    better: dict[str, str] | None = None,
    threshold: float = TITLE_MATCH_THRESHOLD,
    source_base: str | None = DEFAULT_SOURCE_BASE,
) -> Comparison:
    """Compare a paper with the previous paper of its series, or with ``against``
    (a paper id, or a ``YYYY-MM`` month of the same series). ``months`` sets how
    many papers of the series (ending at this one) the metric series covers;
    ``source_base`` is the Datasette address source links start with (None: no links)."""
    current = _resolve(db, paper_id)
    series = series_papers(db, current["series"]) if current["series"] else []
    earlier = [p for p in series if (order_key(p), p["id"]) < (order_key(current), current["id"])]
    previous = _previous(db, current, earlier, against)
    length = max(months or DEFAULT_RUN, 2)
    run_rows = _run(earlier, current, previous, length)
    papers = {p["id"]: p for p in run_rows + [current] + ([previous] if previous else [])}
    cite = Citations(papers, {pid: paper_month(p) for pid, p in papers.items()}, source_base)

    metrics, restated, metric_ambiguous = compare_metrics(db, current, previous, run_rows, cite, better or {})
    actions, action_ambiguous, status_conflicts = compare_actions(db, current, previous, cite, threshold)
    added, dropped, kept = compare_priorities(db, current, previous, cite)
    return Comparison(
        current=_paper_ref(current),
        previous=_paper_ref(previous) if previous else None,
        run=tuple(_paper_ref(p) for p in run_rows),
        metrics=metrics,
        restated=restated,
        actions=actions,
        overdue=overdue(db, current, cite, threshold),
        ambiguous=metric_ambiguous + action_ambiguous,
        priorities_added=added,
        priorities_dropped=dropped,
        priorities_kept=kept,
        reversals=reversals(db, current, previous, cite),
        new_operations=new_operations(db, current, previous, earlier, cite),
        warnings=warnings(db, current, previous, cite) + status_conflicts,
        sources=cite.sources(),
        generated_from={"threshold": threshold, "run_length": length},
    )
