"""What the ``brief`` and ``series`` commands call: pick the papers, compare, render."""

from __future__ import annotations

import pathlib

from boardpapers import templates
from boardpapers.db import series as series_mod
from boardpapers.db.citations import DEFAULT_SOURCE_BASE
from boardpapers.db.compare import BriefError, compare, find_paper
from boardpapers.db.schema import open_db
from boardpapers.nlp.vocabulary import load_vocab

__all__ = ["BriefError", "better_directions", "latest_pair", "list_series", "write_brief"]

FORMATS = {"md": "brief.md.j2", "html": "brief.html.j2"}


def better_directions(vocab: dict | None = None) -> dict[str, str]:
    """``metric_key -> "up"|"down"``: which way each metric of the vocabulary
    (``nlp/vocab/metrics.yml`` unless ``vocab`` is given) is better; metrics
    with ``better: null`` are left out."""
    vocab = load_vocab("metrics.yml") if vocab is None else vocab
    out = {}
    for entry in vocab.get("metrics") or ():
        if not isinstance(entry, dict):
            continue
        better = str(entry.get("better") or "").lower()
        if entry.get("key") and better in ("up", "down"):
            out[str(entry["key"])] = better
    return out


def _open(db_path: str):
    if not pathlib.Path(db_path).is_file():
        raise BriefError(f"{db_path}: no such database; run `boardpapers ingest {db_path} FILES...` first")
    return open_db(str(db_path))


def _pick_series(db, series: str | None) -> str:
    known = series_mod.list_series(db)
    names = [s["series"] for s in known]
    if series is None:
        if len(names) == 1:
            return names[0]
        if not names:
            raise BriefError("the database has no series of papers; ingest papers first")
        raise BriefError(f"the database has {len(names)} series; pass --series (one of: {', '.join(names)})")
    if series in names:
        return series
    hits = [n for n in names if series.lower() in n]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise BriefError(f"--series {series!r} matches {len(hits)} series: {', '.join(hits)}")
    raise BriefError(f"no series {series!r}; `boardpapers series DB` lists them")


def write_brief(
    db_path: str,
    paper: str | None = None,
    series: str | None = None,
    month: str | None = None,
    against: str | None = None,
    months: int | None = None,
    fmt: str = "md",
    template_dir: str | None = None,
    source_base: str | None = DEFAULT_SOURCE_BASE,
) -> str:
    """The brief for one paper (``--paper ID``, or ``--series S --month YYYY-MM``,
    or the latest paper of the series) against the previous paper of its series
    or ``against``; returns Markdown or HTML text. Source links point at the
    Datasette source view under ``source_base`` (None: no links)."""
    if fmt not in FORMATS:
        raise BriefError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if months is not None and months < 2:
        raise BriefError("--months must be at least 2")
    db = _open(db_path)
    if paper is None:
        key = _pick_series(db, series)
        if month is None:
            paper = series_mod.series_papers(db, key)[-1]["id"]
        else:
            paper = find_paper(db, key, month)["id"]
    comparison = compare(
        db, paper, against=against, months=months, better=better_directions(), source_base=source_base
    )
    return templates.render(FORMATS[fmt], comparison, template_dir=template_dir)


def list_series(db_path: str) -> list[dict]:
    """Every series in the database with its months, gaps and paper ids."""
    return series_mod.list_series(_open(db_path))


def apply_series_overrides(db_path: str, overrides: str | None = None) -> bool:
    """Re-assign series with the user's merges and splits (``overrides``, else
    series.yml beside the database); False when there are none."""
    path = overrides or series_mod.default_overrides(db_path)
    if path is None:
        return False
    series_mod.assign_series(_open(db_path), series_mod.load_overrides(path))
    return True


def series_totals(db_path: str) -> tuple[int, int]:
    """(papers read, papers in no series): the counts ``series`` must add up to."""
    db = _open(db_path)
    ok = "status IN ('ok', 'partial')"
    total = db.execute(f"SELECT count(*) FROM papers WHERE {ok}").fetchone()[0]
    loose = db.execute(f"SELECT count(*) FROM papers WHERE {ok} AND series IS NULL").fetchone()[0]
    return total, loose


def latest_pair(db_path: str) -> tuple[str, str] | None:
    """(latest paper, the one before it) of the series whose newest paper is
    latest, among series with at least two papers; None if there is none."""
    candidates = [s for s in list_series(db_path) if len(s["paper_ids"]) >= 2]
    if not candidates:
        return None
    best = max(candidates, key=lambda s: (s["last"] or "", s["series"]))
    return best["paper_ids"][-1], best["paper_ids"][-2]
