"""Series: the papers that belong together month after month.

A series is the same board, author and title pattern: the Chief Constable's
monthly update to a Business Coordination Board, or a working group's action
log. Its key is built from the normalised board and author plus the title with
dates, month names, numbers and version words removed, so "ODUG Action Log -
14 May 2013" and "ODUG Action Log - 19 July 2013" share one key. Within a
series papers are ordered by meeting date, else reporting period end, else the
month a file name carries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import pathlib
import re

import sqlite_utils

from boardpapers.ingest.models import PaperMeta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# Words that tell one issue of a paper from the next rather than naming the series.
_ISSUE_WORDS = {"final", "draft", "version", "rev", "revised", "copy", "amended", "quarter"}
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")
_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def _slug(text: str | None, *, drop_issue_words: bool = True) -> str:
    """Lower-case words of ``text`` without dates, months, numbers or (optionally) issue words."""
    out = []
    for tok in _tokens(text):
        if any(ch.isdigit() for ch in tok) or _ORDINAL.match(tok):
            continue
        if tok in MONTHS or len(tok) == 1:
            continue
        if drop_issue_words and tok in _ISSUE_WORDS:
            continue
        out.append(tok)
    return "-".join(out)


def series_key(meta: PaperMeta, path: str | None = None) -> str | None:
    """The series a paper belongs to, or None when nothing names it.

    Built from board, author and title pattern; when the paper has no title,
    or a one-word title ("MINUTES") that names a kind of paper rather than a
    series, the file name stands in for it. A paper that names neither its
    board nor its author (minutes, action logs) is known by its file-name
    pattern when that has two words or more: archives file a series under one
    name while the printed titles drift ("Status update on Transparency Board
    actions" one month, "Action Log" the next).
    """
    title = _slug(meta.title)
    named = _slug(pathlib.Path(path).stem if path else None)
    anonymous = not (meta.board or meta.author)
    if named and ("-" not in title or (anonymous and "-" in named)):
        title = named
    if not title:
        return None
    parts = [_slug(meta.board, drop_issue_words=False), _slug(meta.author, drop_issue_words=False), title]
    return "/".join(p for p in parts if p)


def date_from_name(path: str | None) -> str | None:
    """The date (``YYYY-MM-DD``, or ``YYYY-MM`` without a day) a file name carries, if any.

    Understands ``2020-01``, ``2010-09-15``, ``14_May_2013``, ``July_13``
    (two-digit year) and ``02_03_11`` (day, month, two-digit year).
    """
    if not path:
        return None
    stem = pathlib.Path(path).stem.lower()
    if m := re.search(
        r"(?<!\d)((?:19|20)\d\d)[-_. ](0[1-9]|1[0-2])(?:[-_. ](0[1-9]|[12]\d|3[01]))?(?!\d)", stem
    ):
        return f"{m[1]}-{m[2]}" + (f"-{m[3]}" if m[3] else "")
    words = re.findall(r"[a-z]+|\d+", stem)
    for i, w in enumerate(words):
        if w in MONTHS:
            for nxt in words[i + 1 : i + 2]:
                if nxt.isdigit() and len(nxt) in (2, 4):
                    year = int(nxt) if len(nxt) == 4 else 2000 + int(nxt)
                    before = words[i - 1] if i else ""
                    day = f"-{int(before):02d}" if before.isdigit() and 1 <= int(before) <= 31 else ""
                    return f"{year:04d}-{MONTHS[w]:02d}{day}"
    if m := re.search(r"(?<!\d)(\d\d)[_.](\d\d)[_.](\d\d)(?!\d)", stem):
        day, month, year = int(m[1]), int(m[2]), 2000 + int(m[3])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def month_from_name(path: str | None) -> str | None:
    """The month (``YYYY-MM``) a file name carries, if it names one."""
    named = date_from_name(path)
    return named[:7] if named else None


def text_date(paper: dict) -> str | None:
    """The date a papers row's text gives it: meeting date, else reporting period end, else its month."""
    return paper.get("meeting_date") or paper.get("reporting_period_end") or paper.get("month") or None


def order_key(paper: dict) -> str:
    """Sort key for a papers row within its series: the date its text gives it,
    unless its file name carries a later month. Papers cite earlier dates (a
    status update on the actions of the last meeting prints that meeting's
    date) but are not filed under a month before they were written, so a later
    file-name month is the paper's own."""
    text = text_date(paper)
    named = date_from_name(paper.get("path"))
    if named and (not text or named[:7] > text[:7]):
        return named
    return text or ""


def paper_month(paper: dict) -> str | None:
    """The month (``YYYY-MM``) a papers row belongs to."""
    key = order_key(paper)
    return key[:7] if key else None


def assign_series(db: sqlite_utils.Database) -> int:
    """(Re)compute ``papers.series`` for every paper; returns how many changed."""
    changed = 0
    rows = list(db.query("SELECT id, path, title, board, author, series FROM papers"))
    with db.conn:
        for row in rows:
            meta = PaperMeta(title=row["title"], board=row["board"], author=row["author"])
            key = series_key(meta, row["path"])
            if key != row["series"]:
                db.conn.execute("UPDATE papers SET series = ? WHERE id = ?", [key, row["id"]])
                changed += 1
    return changed


def series_papers(db: sqlite_utils.Database, series: str) -> list[dict]:
    """The papers of one series in order (failed and rejected papers left out)."""
    rows = list(db.query("SELECT * FROM papers WHERE series = ? AND status IN ('ok', 'partial')", [series]))
    return sorted(rows, key=lambda r: (order_key(r), r["id"]))


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def month_gaps(months: list[str]) -> list[str]:
    """Months missing between the first and last of ``months`` (``YYYY-MM``)."""
    present = sorted(set(months))
    if len(present) < 2:
        return []
    gaps, cur = [], present[0]
    while cur < present[-1]:
        cur = _next_month(cur)
        if cur not in present:
            gaps.append(cur)
    return gaps


def list_series(db: sqlite_utils.Database) -> list[dict]:
    """Every series with its papers' months, ids and the months missing."""
    keys = [r["series"] for r in db.query("SELECT DISTINCT series FROM papers WHERE series IS NOT NULL")]
    out = []
    for key in sorted(keys):
        papers = series_papers(db, key)
        if not papers:
            continue
        months = [m for m in (paper_month(p) for p in papers) if m]
        out.append(
            {
                "series": key,
                "papers": len(papers),
                "first": months[0] if months else None,
                "last": months[-1] if months else None,
                "months": months,
                "gaps": month_gaps(months),
                "paper_ids": [p["id"] for p in papers],
                "titles": sorted({p["title"] for p in papers if p["title"]}),
                "warnings": sum(len(json.loads(p["warnings"] or "[]")) for p in papers),
            }
        )
    return out


def month_end(value: str) -> dt.date | None:
    """The last day an ISO date or ``YYYY-MM``/``YYYY`` value can mean."""
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        if len(value) == 4:
            return dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None
