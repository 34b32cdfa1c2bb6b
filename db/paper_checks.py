"""Consistency warnings about the papers being compared: ingest warnings, and
dates that contradict each other (file name against text, periods ending
after the paper's own date)."""

from __future__ import annotations

from . import queries
from .comparison import Warning
from .metric_changes import label
from .series import paper_month, text_date


def _date_checks(paper: dict, month: str | None) -> list[Warning]:
    out = []
    text = text_date(paper)
    if text and month and month != text[:7]:
        out.append(
            Warning(
                paper["id"], month, f"the file name dates the paper {month}; its text gives {text}", "check"
            )
        )
    printed, rpe = paper["meeting_date"], paper["reporting_period_end"]
    if printed and rpe and rpe[:10] > printed[:10]:
        out.append(
            Warning(
                paper["id"], month, f"reporting period ends {rpe}, after the paper's date {printed}", "check"
            )
        )
    return out


def _figure_checks(db, paper: dict, month: str | None, cite) -> list[Warning]:
    printed = paper["meeting_date"]
    if not printed:
        return []
    return [
        Warning(
            paper["id"],
            month,
            f"{label(f)}: period ends {f['period_end']}, after the paper's date {printed}",
            "check",
            cite(f),
        )
        for f in queries.figures(db, paper["id"])
        if f["period_end"] and f["period_end"][:10] > printed[:10] and f["comparison"] is None
    ]


def warnings(db, current, previous, cite) -> tuple[Warning, ...]:
    """Warnings about ``current`` and ``previous``, ingest's first."""
    out: list[Warning] = []
    for paper in [current] + ([previous] if previous else []):
        month = paper_month(paper)
        out += [Warning(paper["id"], month, str(w), "ingest") for w in paper["warnings"]]
        out += _date_checks(paper, month)
        out += _figure_checks(db, paper, month, cite)
    return tuple(out)
