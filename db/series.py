"""Series: the papers that are the same report to the same board over time.

A series key is ``board/kind/title``: the board's name, the kind of paper
(minutes, action_log, report, agenda, accounts, other) and the words of its
title that name the series (``PaperMeta.series_title``: nlp has already taken
out dates, month names, issue numbers, kind and meeting words and the
board's own words), each as a readable ASCII slug (accents transliterated,
fake-bold doubled letters collapsed). A changed author, a month in the title
or a sidebar do not change it; a paper addressed to no board is known by its
author. A key one typo away from a key already in the database joins it.

No rule is perfect, so the user may merge and split series with a small YAML
file (``series.yml`` beside the database, or ``--overrides``)::

    rename:                    # merge: every paper of the old key moves to the new one
      old-board/minutes: new-board/minutes
    papers:                    # split: a paper (id, or file name glob) to a series of its own
      "board-minutes-2013-0*.pdf": board/minutes-2013

A paper's month is the ``papers.month`` column, computed once when the paper
is stored (its meeting month, else its own date, else its file name's).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import fnmatch
import json
import os
import pathlib
import re
import unicodedata

import sqlite_utils
import yaml

from boardpapers.ingest.models import PaperMeta

KEY_SEPARATOR = "/"
TYPO_CUTOFF = 0.92  # similarity above which a new key joins an existing one
OVERRIDES_FILE = "series.yml"
ONE_PER_BOARD = ("minutes", "action_log", "agenda")  # kinds a board has one series of
TITLE_WORDS = 8  # a key keeps the first words of a long title


def ascii_words(text: str | None) -> list[str]:
    """Lower-case ASCII words of ``text``: accents transliterated (NFKD), possessive
    "'s" dropped, fake-bold doubled letters collapsed ("DDaattaa" -> "data")."""
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]s\b", "", text.lower())
    return [_undouble(w) for w in re.findall(r"[a-z0-9]+", text)]


def _undouble(word: str) -> str:
    """A word whose every character is printed twice (fake bold) read once."""
    if len(word) >= 4 and len(word) % 2 == 0 and word[0::2] == word[1::2]:
        return word[0::2]
    return word


def slug(text: str | None) -> str:
    """A stable, readable ASCII slug: words joined by hyphens, numbers dropped."""
    return "-".join(w for w in ascii_words(text) if w.isalpha() and len(w) > 1)


def series_key(meta: PaperMeta, path: str | None = None) -> str | None:
    """The series a paper belongs to: ``board/kind/title`` (parts that are empty
    left out), or None when nothing names it. Without a board the author stands
    in; without a title the file name does."""
    owner = slug(meta.board) or slug(meta.author)
    words = meta.series_title if meta.series_title is not None else meta.title
    title = slug(words)
    if not title and not owner and path:
        title = slug(pathlib.Path(path).stem)
    if not (owner or title):
        return None
    if owner and meta.kind in ONE_PER_BOARD:
        return f"{owner}{KEY_SEPARATOR}{meta.kind}"  # a board keeps one set of minutes, one agenda, one log
    parts = [
        owner,
        meta.kind if meta.kind and meta.kind != "other" else "",
        "-".join(title.split("-")[:TITLE_WORDS]),
    ]
    return KEY_SEPARATOR.join(p for p in parts if p) or None


def load_overrides(path: str | pathlib.Path | None) -> dict:
    """The user's merges and splits (``rename``, ``papers``); empty without a file."""
    if path is None or not pathlib.Path(path).is_file():
        return {"rename": {}, "papers": {}}
    data = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'rename' and/or 'papers'")
    return {"rename": dict(data.get("rename") or {}), "papers": dict(data.get("papers") or {})}


def default_overrides(db_path: str | None) -> pathlib.Path | None:
    """``series.yml`` beside the database, if there is one."""
    if not db_path:
        return None
    path = pathlib.Path(db_path).resolve().parent / OVERRIDES_FILE
    return path if path.is_file() else None


def apply_overrides(key: str | None, paper_id: str | None, path: str | None, overrides: dict) -> str | None:
    """``key`` after the user's splits (by paper id or file-name glob) and merges."""
    name = pathlib.Path(path).name if path else ""
    for pattern, target in overrides.get("papers", {}).items():
        if pattern == paper_id or (name and fnmatch.fnmatch(name, pattern)):
            return target
    seen = set()
    while key in overrides.get("rename", {}) and key not in seen:
        seen.add(key)
        key = overrides["rename"][key]
    return key


def near_key(key: str | None, known: list[str]) -> str | None:
    """An existing key of the same kind one typo away from ``key``, or whose board
    is ``key``'s board by its initials ("tb/action_log", "transparency-board/action_log");
    else ``key``."""
    if key is None or key in known:
        return key
    kind = _kind_of_key(key)
    same = [k for k in known if _kind_of_key(k) == kind]
    close = difflib.get_close_matches(key, same, n=1, cutoff=TYPO_CUTOFF)
    if close:
        return close[0]
    rest = key.split(KEY_SEPARATOR)[1:]
    for other in same:
        if other.split(KEY_SEPARATOR)[1:] == rest and _initials_match(key, other):
            return other
    return key


def _initials_match(a: str, b: str) -> bool:
    """One key's board is the other's initials ("tb" and "transparency-board")."""
    x, y = a.split(KEY_SEPARATOR)[0], b.split(KEY_SEPARATOR)[0]
    short, long_ = sorted((x, y), key=len)
    words = long_.split("-")
    return "-" not in short and len(words) >= 2 and short == "".join(w[0] for w in words)


def _kind_of_key(key: str) -> str | None:
    parts = key.split(KEY_SEPARATOR)
    return next((p for p in parts if p in ("minutes", "action_log", "report", "agenda", "accounts")), None)


def series_for(
    db: sqlite_utils.Database, meta: PaperMeta, path: str | None, paper_id: str | None = None, overrides=None
) -> str | None:
    """The series a paper joins at ingest: its key, a near key already stored, and the
    user's overrides (``series.yml`` beside the database unless given)."""
    known = [r["series"] for r in db.query("SELECT DISTINCT series FROM papers WHERE series IS NOT NULL")]
    key = near_key(series_key(meta, path), known)
    if overrides is None:
        overrides = load_overrides(default_overrides(db_file(db)))
    return apply_overrides(key, paper_id, path, overrides)


def db_file(db: sqlite_utils.Database) -> str | None:
    """The file behind ``db`` (None in memory), as a file-system string: a name
    that is not UTF-8 keeps its bytes (Python's surrogate escapes), so the
    ``series.yml`` beside it is still found."""
    row = db.conn.execute(
        "SELECT CAST(file AS BLOB) FROM pragma_database_list WHERE name = 'main'"
    ).fetchone()
    return os.fsdecode(row[0]) if row and row[0] else None


def _meta_of(row: dict) -> PaperMeta:
    return PaperMeta(
        title=row.get("title"),
        board=row.get("board"),
        author=row.get("author"),
        kind=row.get("kind"),
        series_title=row.get("series_title"),
    )


def assign_series(db: sqlite_utils.Database, overrides: dict | None = None) -> int:
    """(Re)compute ``papers.series`` for every paper read (ok or partial) from its
    stored metadata and the user's overrides, in ingest order; returns how many
    changed. A paper that could not be read is in no series (as at ingest)."""
    changed = 0
    known: list[str] = []
    rows = list(db.query("SELECT * FROM papers WHERE status IN ('ok', 'partial') ORDER BY ingested_at, id"))
    with db.conn:
        for row in rows:
            key = near_key(series_key(_meta_of(row), row["path"]), known)
            key = apply_overrides(key, row["id"], row["path"], overrides or {})
            if key and key not in known:
                known.append(key)
            if key != row["series"]:
                db.conn.execute("UPDATE papers SET series = ? WHERE id = ?", [key, row["id"]])
                changed += 1
    return changed


def text_date(paper: dict) -> str | None:
    """The date a papers row's text gives it: meeting date, else reporting period end, else its month."""
    return paper.get("meeting_date") or paper.get("reporting_period_end") or paper.get("month") or None


def paper_month(paper: dict) -> str | None:
    """The month (``YYYY-MM``) a papers row belongs to: the stored ``month`` column."""
    month = paper.get("month") or (paper.get("meeting_date") or paper.get("reporting_period_end") or "")[:7]
    return month or None


def order_key(paper: dict) -> str:
    """Sort key within a series: the meeting date, else the paper's month."""
    month = paper_month(paper) or ""
    meeting = paper.get("meeting_date") or ""
    return meeting if meeting[:7] == month else month


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
    """Every series with its papers (count, ids, months present and missing), title and kind."""
    keys = [r["series"] for r in db.query("SELECT DISTINCT series FROM papers WHERE series IS NOT NULL")]
    out = []
    for key in sorted(keys):
        papers = series_papers(db, key)
        if not papers:
            continue
        months = [m for m in (paper_month(p) for p in papers) if m]
        titles = sorted({p["title"] for p in papers if p["title"]})
        out.append(
            {
                "series": key,
                "papers": len(papers),
                "undated": len(papers) - len(months),
                "first": months[0] if months else None,
                "last": months[-1] if months else None,
                "months": months,
                "gaps": month_gaps(months),
                "paper_ids": [p["id"] for p in papers],
                "titles": titles,
                "title": titles[0] if titles else None,
                "kind": next((p.get("kind") for p in papers if p.get("kind")), None),
                "board": next((p["board"] for p in papers if p["board"]), None),
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
