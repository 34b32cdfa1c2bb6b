"""What kind of figure a value is: its period type and its basis (actual, budget …).

A brief compares a figure only with one of the same measure, unit, period type
and basis: a month's spend is never set against a year-to-date total, nor a
budget against an actual. The type comes from a stored column when extraction
provides one (``period_type``, ``basis``), else from the period dates, else
from phrases listed in ``figure_kinds.yml`` beside this module.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

import yaml

# Months a financial or calendar year may start in (January, April): a period from one of
# these to before its year's end is a year to date.
YEAR_STARTS = (1, 4)


@cache
def _phrases() -> dict[str, dict[str, re.Pattern]]:
    text = resources.files(__package__).joinpath("figure_kinds.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {
        group: {
            kind: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.I)
            for kind, phrases in kinds.items()
        }
        for group, kinds in data.items()
    }


def _words(f: dict) -> str:
    # not ``comparison``: it names what the figure is compared with, not the figure's own period
    return " ".join(str(f.get(k) or "") for k in ("measure", "text", "qualifier"))


def _first_match(group: str, text: str) -> str | None:
    for kind, pattern in _phrases()[group].items():
        if pattern.search(text):
            return kind
    return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def _type_of_span(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if start.day == 1 and days <= 31 and (start.year, start.month) == (end.year, end.month):
        return "month"
    if 88 <= days <= 93 and start.day == 1:
        return "quarter"
    if 364 <= days <= 366:
        return "year"
    if start.day == 1 and start.month in YEAR_STARTS and days < 364:
        return "year_to_date"
    return "period"


def period_type(f: dict) -> str:
    """month / quarter / year_to_date / year / as_at / period / unstated."""
    if f.get("period_type"):
        return str(f["period_type"])
    start, end = _date(f.get("period_start")), _date(f.get("period_end"))
    if start and end and start <= end:
        return _type_of_span(start, end)
    worded = _first_match("period_type", _words(f))
    if worded:
        return worded
    if f.get("as_of"):
        return "as_at"
    return "unstated"


def basis(f: dict) -> str:
    """actual / budget / forecast / target: what the figure is a value of."""
    if f.get("basis"):
        return str(f["basis"])
    return _first_match("basis", _words(f)) or "actual"
