"""The comparison behind a brief: one paper against an earlier one of its series.

``compare(db, paper_id)`` reads both papers' records and returns a frozen
:class:`Comparison`: metrics matched by metric key, unit and geography;
actions matched by ref, else by title similarity (ambiguous matches are
reported, never guessed); priority areas by key; trends that reversed; newly
named operations; warnings. Every line carries a :class:`Source` (paper,
paragraph number, page) so a brief can cite it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import importlib.resources
import json
import re
from dataclasses import dataclass, field

import sqlite_utils
import yaml

from . import queries
from .series import month_end, order_key, paper_month, series_papers, text_date

TITLE_MATCH_THRESHOLD = 0.8
MIN_PREFIX_CHARS = 30  # a title cut at a line end still names its action when this long
AMBIGUITY_MARGIN = 0.05
DEFAULT_RUN = 6
EXCERPT_CHARS = 240
PERCENT_UNITS = ("percent", "percentage_points")


class BriefError(ValueError):
    """A brief cannot be made for the papers asked for."""


# --- values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a value was printed: paper, paragraph number and page; ``n`` numbers it in the brief."""

    n: int
    paper_id: str
    month: str | None
    paragraph: str | None
    page: int | None
    excerpt: str = ""

    @property
    def label(self) -> str:
        where = [f"¶{self.paragraph}"] if self.paragraph else []
        if self.page is not None:
            where.append(f"p.{self.page}")
        return f"{self.paper_id[:8]} " + ", ".join(where) if where else self.paper_id[:8]


@dataclass(frozen=True)
class PaperRef:
    id: str
    title: str | None
    board: str | None
    author: str | None
    series: str | None
    month: str | None
    meeting_date: str | None
    reporting_period_end: str | None
    file: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Point:
    """One value of a metric in one paper of the run (None: not reported)."""

    month: str | None
    paper_id: str
    value: float | None
    source: Source | None = None


@dataclass(frozen=True)
class MetricChange:
    key: str
    label: str
    unit: str
    geography: str | None
    status: str  # changed / unchanged / new / dropped
    previous: float | None = None
    current: float | None = None
    previous_period: str | None = None
    current_period: str | None = None
    delta: float | None = None  # current - previous, in the metric's unit (pp for percent)
    relative: float | None = None  # delta / |previous| for non-percent units
    direction: str | None = None  # up / down / stable
    assessment: str | None = None  # good / bad when the vocabulary says which way is better
    previous_source: Source | None = None
    current_source: Source | None = None
    points: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Restatement:
    key: str
    label: str
    unit: str
    geography: str | None
    period_end: str
    earlier: float
    later: float
    earlier_source: Source
    later_source: Source


@dataclass(frozen=True)
class ActionChange:
    kind: str  # changed / unchanged / new / dropped
    title: str
    ref: str | None = None
    previous_title: str | None = None
    previous_status: str | None = None
    current_status: str | None = None
    status_text: str | None = None
    owner: str | None = None
    due: str | None = None
    matched_by: str | None = None  # ref / title / title+section
    similarity: float | None = None
    previous_source: Source | None = None
    current_source: Source | None = None
    # the same action narrated in the text when the source above is its action-log row
    narrative_source: Source | None = None


@dataclass(frozen=True)
class Overdue:
    title: str
    ref: str | None
    due: str
    status: str
    source: Source


@dataclass(frozen=True)
class Ambiguity:
    """A match the comparison refused to guess: what, and the candidates."""

    kind: str  # action / metric
    text: str
    candidates: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Named:
    """A priority area or an operation: its key, name and source."""

    key: str
    name: str
    source: Source | None


@dataclass(frozen=True)
class Reversal:
    subject: str
    previous: str
    current: str
    previous_text: str
    current_text: str
    previous_source: Source
    current_source: Source


@dataclass(frozen=True)
class Warning:
    paper_id: str
    month: str | None
    text: str
    origin: str  # ingest / check
    source: Source | None = None


@dataclass(frozen=True)
class Comparison:
    current: PaperRef
    previous: PaperRef | None
    run: tuple[PaperRef, ...]
    metrics: tuple[MetricChange, ...] = ()
    restated: tuple[Restatement, ...] = ()
    actions: tuple[ActionChange, ...] = ()
    overdue: tuple[Overdue, ...] = ()
    ambiguous: tuple[Ambiguity, ...] = ()
    priorities_added: tuple[Named, ...] = ()
    priorities_dropped: tuple[Named, ...] = ()
    priorities_kept: tuple[Named, ...] = ()
    reversals: tuple[Reversal, ...] = ()
    new_operations: tuple[Named, ...] = ()
    warnings: tuple[Warning, ...] = ()
    sources: tuple[Source, ...] = ()
    generated_from: dict = field(default_factory=dict)

    def metrics_with(self, status: str) -> tuple[MetricChange, ...]:
        return tuple(m for m in self.metrics if m.status == status)

    def actions_with(self, kind: str) -> tuple[ActionChange, ...]:
        return tuple(a for a in self.actions if a.kind == kind)

    @property
    def summary(self) -> dict[str, int]:
        moved = [m for m in self.metrics if m.status == "changed"]
        return {
            "metrics_compared": sum(1 for m in self.metrics if m.status in ("changed", "unchanged")),
            "metrics_up": sum(1 for m in moved if m.direction == "up"),
            "metrics_down": sum(1 for m in moved if m.direction == "down"),
            "metrics_good": sum(1 for m in moved if m.assessment == "good"),
            "metrics_bad": sum(1 for m in moved if m.assessment == "bad"),
            "metrics_new": len(self.metrics_with("new")),
            "metrics_dropped": len(self.metrics_with("dropped")),
            "restated": len(self.restated),
            "actions_changed": len(self.actions_with("changed")),
            "actions_unchanged": len(self.actions_with("unchanged")),
            "actions_new": len(self.actions_with("new")),
            "actions_dropped": len(self.actions_with("dropped")),
            "actions_overdue": len(self.overdue),
            "ambiguous": len(self.ambiguous),
            "priorities_added": len(self.priorities_added),
            "priorities_dropped": len(self.priorities_dropped),
            "reversals": len(self.reversals),
            "new_operations": len(self.new_operations),
            "warnings": len(self.warnings),
        }


# --- the metric vocabulary -----------------------------------------------------------------------


def load_better(text: str | None = None) -> dict[str, str]:
    """``metric_key -> "up"|"down"`` from nlp/vocab/metrics.yml (empty if absent).

    Accepts a mapping of keys to entries, a ``metrics:`` mapping or list, and
    list entries naming their ``key``; only entries with ``better: up|down``
    count.
    """
    if text is None:
        try:
            text = importlib.resources.files("nlp").joinpath("vocab/metrics.yml").read_text("utf-8")
        except (FileNotFoundError, ModuleNotFoundError, OSError):
            return {}
    data = yaml.safe_load(text) or {}
    if isinstance(data, dict) and "metrics" in data:
        data = data["metrics"]
    entries = data.items() if isinstance(data, dict) else ((None, e) for e in data or ())
    out = {}
    for key, entry in entries:
        if not isinstance(entry, dict):
            continue
        key = entry.get("key", key)
        better = str(entry.get("better", "")).lower()
        if key and better in ("up", "down"):
            out[str(key)] = better
    return out


# --- building ------------------------------------------------------------------------------------


class _Sources:
    """Numbers each distinct (paper, paragraph, page) the first time it is cited."""

    def __init__(self, months: dict[str, str | None]):
        self.months = months
        self.by_key: dict[tuple, Source] = {}

    def cite(self, row: dict) -> Source:
        page = row.get("page") if row.get("page") is not None else row.get("paragraph_page")
        key = (row["paper_id"], row.get("paragraph_id"), page)
        if key not in self.by_key:
            text = " ".join((row.get("paragraph_text") or "").split())
            if len(text) > EXCERPT_CHARS:
                text = text[: EXCERPT_CHARS - 1] + "…"
            self.by_key[key] = Source(
                n=len(self.by_key) + 1,
                paper_id=row["paper_id"],
                month=self.months.get(row["paper_id"]),
                paragraph=row.get("paragraph_number"),
                page=page,
                excerpt=text,
            )
        return self.by_key[key]


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


def compare(
    db: sqlite_utils.Database,
    paper_id: str,
    against: str | None = None,
    months: int | None = None,
    *,
    better: dict[str, str] | None = None,
    threshold: float = TITLE_MATCH_THRESHOLD,
) -> Comparison:
    """Compare a paper with the previous paper of its series, or with ``against``
    (a paper id, or a ``YYYY-MM`` month of the same series). ``months`` sets how
    many papers of the series (ending at this one) the metric series covers."""
    current = _resolve(db, paper_id)
    series = series_papers(db, current["series"]) if current["series"] else []
    earlier = [p for p in series if (order_key(p), p["id"]) < (order_key(current), current["id"])]
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

    length = max(months or DEFAULT_RUN, 2)
    run_rows = _run(earlier, current, previous, length)
    month_of = {p["id"]: paper_month(p) for p in run_rows + [current] + ([previous] if previous else [])}
    sources = _Sources(month_of)
    cite = sources.cite
    better = load_better() if better is None else better

    metrics, restated, metric_ambiguous = _compare_metrics(db, current, previous, run_rows, cite, better)
    actions, action_ambiguous, status_conflicts = _compare_actions(db, current, previous, cite, threshold)
    added, dropped, kept = _compare_priorities(db, current, previous, cite)
    overdue = _overdue(db, current, cite, threshold)
    reversals = _reversals(db, current, previous, cite)
    operations = _new_operations(db, current, previous, earlier, cite)
    warnings = _warnings(db, current, previous, cite) + status_conflicts
    return Comparison(
        current=_paper_ref(current),
        previous=_paper_ref(previous) if previous else None,
        run=tuple(_paper_ref(p) for p in run_rows),
        metrics=metrics,
        restated=restated,
        actions=actions,
        overdue=overdue,
        ambiguous=metric_ambiguous + action_ambiguous,
        priorities_added=added,
        priorities_dropped=dropped,
        priorities_kept=kept,
        reversals=reversals,
        new_operations=operations,
        warnings=warnings,
        sources=tuple(sorted(sources.by_key.values(), key=lambda s: s.n)),
        generated_from={"threshold": threshold, "run_length": length},
    )


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


# --- metrics -------------------------------------------------------------------------------------


def _identity(f: dict) -> tuple:
    return (f["metric_key"], f["unit"], f["geography"])


def _representative(figures: list[dict]) -> dict[tuple, dict]:
    """Per metric identity, the figure a paper reports as its headline value:
    not a comparison figure if it can help it, the latest period, the first printed."""
    best: dict[tuple, dict] = {}
    for f in figures:
        ident = _identity(f)
        rank = (f["comparison"] is None, f["period_end"] or "")
        if ident not in best:
            best[ident] = f
            continue
        cur = best[ident]
        if rank > (cur["comparison"] is None, cur["period_end"] or ""):
            best[ident] = f
    return best


def _label(f: dict) -> str:
    return f["measure"] or f["metric_key"].replace("_", " ")


def _period(f: dict) -> str | None:
    """The period a figure is for: its period end, else the date it is "as at"."""
    return f["period_end"] or f.get("as_of")


UNIT_NAMES = {"percent": "%", "count": "number", "gbp": "£"}


def _distinct_labels(metrics: list[MetricChange]) -> list[MetricChange]:
    """Metrics sharing a label (one measure printed as a rate and as a count) name their unit."""
    seen: dict[str, int] = {}
    for m in metrics:
        seen[m.label] = seen.get(m.label, 0) + 1
    return [
        dataclasses.replace(m, label=f"{m.label} ({UNIT_NAMES.get(m.unit, m.unit.replace('_', ' '))})")
        if seen[m.label] > 1
        else m
        for m in metrics
    ]


def _change(unit: str, previous: float, current: float) -> tuple[float, float | None, str]:
    delta = round(current - previous, 6)
    relative = None
    if unit not in PERCENT_UNITS and previous:
        relative = round(delta / abs(previous), 6)
    direction = "up" if delta > 0 else "down" if delta < 0 else "stable"
    return delta, relative, direction


def _compare_metrics(db, current, previous, run_rows, cite, better):
    figures_of = {p["id"]: queries.figures(db, p["id"]) for p in run_rows}
    figures_of.setdefault(current["id"], queries.figures(db, current["id"]))
    if previous:
        figures_of.setdefault(previous["id"], queries.figures(db, previous["id"]))
    cur = _representative(figures_of[current["id"]])
    prev = _representative(figures_of[previous["id"]]) if previous else {}
    run_best = {p["id"]: _representative(figures_of[p["id"]]) for p in run_rows}

    out = []
    for ident in list(cur) + [i for i in prev if i not in cur]:
        c, p = cur.get(ident), prev.get(ident)
        key, unit, geography = ident
        points = tuple(
            Point(
                month=paper_month(r),
                paper_id=r["id"],
                value=run_best[r["id"]][ident]["value"] if ident in run_best[r["id"]] else None,
                source=cite(run_best[r["id"]][ident]) if ident in run_best[r["id"]] else None,
            )
            for r in run_rows
        )
        base = dict(key=key, label=_label(c or p), unit=unit, geography=geography, points=points)
        if c and p:
            delta, relative, direction = _change(unit, p["value"], c["value"])
            assessment = None
            if direction != "stable" and key in better:
                assessment = "good" if direction == better[key] else "bad"
            out.append(
                MetricChange(
                    status="changed" if direction != "stable" else "unchanged",
                    previous=p["value"],
                    current=c["value"],
                    previous_period=_period(p),
                    current_period=_period(c),
                    delta=delta,
                    relative=relative,
                    direction=direction,
                    assessment=assessment,
                    previous_source=cite(p),
                    current_source=cite(c),
                    **base,
                )
            )
        elif c:
            out.append(
                MetricChange(
                    status="new",
                    current=c["value"],
                    current_period=_period(c),
                    current_source=cite(c),
                    **base,
                )
            )
        elif previous:
            out.append(
                MetricChange(
                    status="dropped",
                    previous=p["value"],
                    previous_period=_period(p),
                    previous_source=cite(p),
                    **base,
                )
            )
    return (
        tuple(_distinct_labels(out)),
        _restatements(run_rows, figures_of, cite),
        _metric_ambiguities(figures_of[current["id"]], cite),
    )


def _restatements(papers, figures_of, cite) -> tuple[Restatement, ...]:
    """Same metric and period printed with a different value by a later paper."""
    first_seen: dict[tuple, dict] = {}
    out = []
    for paper in papers:
        seen_here: set[tuple] = set()
        for f in figures_of.get(paper["id"], ()):
            if not f["period_end"]:
                continue
            ident = (*_identity(f), f["period_end"])
            if ident in seen_here:
                continue
            seen_here.add(ident)
            earlier = first_seen.get(ident)
            if earlier is None:
                first_seen[ident] = f
            elif abs(earlier["value"] - f["value"]) > 1e-9:
                out.append(
                    Restatement(
                        key=f["metric_key"],
                        label=_label(f),
                        unit=f["unit"],
                        geography=f["geography"],
                        period_end=f["period_end"],
                        earlier=earlier["value"],
                        later=f["value"],
                        earlier_source=cite(earlier),
                        later_source=cite(f),
                    )
                )
                first_seen[ident] = f
    return tuple(out)


def _metric_ambiguities(figures: list[dict], cite) -> tuple[Ambiguity, ...]:
    """Headline figures of one metric and period printed with different values in one paper."""
    groups: dict[tuple, list[dict]] = {}
    for f in figures:
        if f["comparison"] is None:
            groups.setdefault((*_identity(f), f["period_end"]), []).append(f)
    out = []
    for (_key, _unit, geography, period), rows in groups.items():
        values = sorted({r["value"] for r in rows})
        if len(values) > 1:
            where = f" ({geography})" if geography else ""
            out.append(
                Ambiguity(
                    kind="metric",
                    text=f"{_label(rows[0])}{where}, period {period or 'unknown'}: {len(values)} different values",
                    candidates=tuple(r["text"] or str(r["value"]) for r in rows),
                    sources=tuple(cite(r) for r in rows),
                )
            )
    return tuple(out)


# --- actions -------------------------------------------------------------------------------------


def _norm_ref(ref: str | None) -> str | None:
    ref = re.sub(r"[^0-9a-z]+", ".", (ref or "").lower()).strip(".")
    return ref or None


def _norm_title(title: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (title or "").lower()).split())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm_title(a), _norm_title(b), autojunk=False).ratio()


def _similarity(a: str | None, b: str | None) -> float:
    """How alike two action titles are; 1.0 when one is the other cut short
    (a title wrapped onto a second line is often read only to its line end)."""
    na, nb = _norm_title(a), _norm_title(b)
    short, long = sorted((na, nb), key=len)
    if len(short) >= MIN_PREFIX_CHARS and long.startswith(short):
        return 1.0
    return _ratio(na, nb)


def _positional(row: dict) -> bool:
    """The ref is only the number of the paragraph the action is printed in,
    which moves when actions are added above it."""
    return _norm_ref(row["ref"]) is not None and _norm_ref(row["ref"]) == _norm_ref(
        row.get("paragraph_number")
    )


def _one_per_action(rows: list[dict], threshold: float) -> tuple[list[dict], dict[int, dict]]:
    """A paper that narrates its plan actions and also lists them in an action-log
    table reports each action twice. Keep the log row (it carries the ref, owner,
    due date and status field) and return, per kept row id, the narrated row.
    A narrated action alike to several log rows is left unpaired."""
    logged = [r for r in rows if r.get("paragraph_kind") == "table_row"]
    narrative: dict[int, dict] = {}
    merged: set[int] = set()
    for r in rows:
        if r.get("paragraph_kind") == "table_row":
            continue
        hits = [
            log
            for log in logged
            if log["id"] not in narrative and _similarity(r["title"], log["title"]) >= threshold
        ]
        if len(hits) == 1:
            narrative[hits[0]["id"]] = r
            merged.add(r["id"])
    return [r for r in rows if r["id"] not in merged], narrative


def _status_conflicts(paper: dict, rows: list[dict], narrative: dict[int, dict], cite) -> tuple[Warning, ...]:
    out = []
    for r in rows:
        told = narrative.get(r["id"])
        if told and "unknown" not in (r["status"], told["status"]) and told["status"] != r["status"]:
            where = (
                f"paragraph {told['paragraph_number']}"
                if told["paragraph_number"]
                else f"page {told['page']}"
            )
            out.append(
                Warning(
                    paper["id"],
                    paper_month(paper),
                    f"{r['ref'] or r['title']}: the action log says {r['status'].replace('_', ' ')}, "
                    f"{where} says {told['status'].replace('_', ' ')} (the brief uses the log)",
                    "check",
                    cite(told),
                )
            )
    return tuple(out)


def _action_change(kind, c, p, cite, matched_by=None, similarity=None, narrative=None) -> ActionChange:
    row = c or p
    return ActionChange(
        kind=kind,
        title=row["title"] or "",
        ref=row["ref"],
        previous_title=p["title"] if p and c and _norm_title(p["title"]) != _norm_title(c["title"]) else None,
        previous_status=p["status"] if p else None,
        current_status=c["status"] if c else None,
        status_text=(c or p)["status_text"],
        owner=row["owner"],
        due=row["due"],
        matched_by=matched_by,
        similarity=round(similarity, 3) if similarity is not None else None,
        previous_source=cite(p) if p else None,
        current_source=cite(c) if c else None,
        narrative_source=cite(narrative) if narrative else None,
    )


def _compare_actions(db, current, previous, cite, threshold):
    cur, cur_told = _one_per_action(queries.actions(db, current["id"]), threshold)
    prev, prev_told = (
        _one_per_action(queries.actions(db, previous["id"]), threshold) if previous else ([], {})
    )
    conflicts = _status_conflicts(current, cur, cur_told, cite)
    pairs: dict[int, tuple[int, str, float | None]] = {}  # index in cur -> (index in prev, how, ratio)
    used: set[int] = set()

    prev_by_ref: dict[str, list[int]] = {}
    for j, p in enumerate(prev):
        if ref := _norm_ref(p["ref"]):
            prev_by_ref.setdefault(ref, []).append(j)
    for i, c in enumerate(cur):
        hits = prev_by_ref.get(_norm_ref(c["ref"]) or "", [])
        free = [
            j
            for j in hits
            if j not in used
            and (
                not (_positional(c) or _positional(prev[j]))
                or _similarity(c["title"], prev[j]["title"]) >= threshold
            )
        ]
        if len(free) >= 1:
            pairs[i] = (free[0], "ref", None)
            used.add(free[0])

    ambiguous = []
    for i, c in enumerate(cur):
        if i in pairs:
            continue
        scored = sorted(
            ((_similarity(c["title"], prev[j]["title"]), j) for j in range(len(prev)) if j not in used),
            reverse=True,
        )
        scored = [(r, j) for r, j in scored if r >= threshold]
        if not scored:
            continue
        close = [(r, j) for r, j in scored if scored[0][0] - r < AMBIGUITY_MARGIN]
        how = "title"
        if len(close) > 1:
            section = _norm_title(c["section_title"])
            same = [(r, j) for r, j in close if section and _norm_title(prev[j]["section_title"]) == section]
            if len(same) != 1:
                ambiguous.append(
                    Ambiguity(
                        kind="action",
                        text=c["title"] or "",
                        candidates=tuple(prev[j]["title"] or "" for _, j in close),
                        sources=(cite(c), *(cite(prev[j]) for _, j in close)),
                    )
                )
                continue
            close, how = same, "title+section"
        ratio, j = close[0]
        pairs[i] = (j, how, ratio)
        used.add(j)

    out = []
    unsure = {a.text for a in ambiguous}
    for i, c in enumerate(cur):
        if i in pairs:
            j, how, ratio = pairs[i]
            kind = "changed" if c["status"] != prev[j]["status"] else "unchanged"
            out.append(_action_change(kind, c, prev[j], cite, how, ratio, cur_told.get(c["id"])))
        elif (c["title"] or "") not in unsure:
            out.append(_action_change("new", c, None, cite, narrative=cur_told.get(c["id"])))
    if previous:
        ambiguous_prev = {s for a in ambiguous for s in a.candidates}
        for j, p in enumerate(prev):
            if j not in used and (p["title"] or "") not in ambiguous_prev:
                out.append(_action_change("dropped", None, p, cite, narrative=prev_told.get(p["id"])))
    return tuple(out), tuple(ambiguous), conflicts


def _reference_date(paper: dict) -> dt.date | None:
    key = order_key(paper)
    return month_end(key) if key else None


def _overdue(db, current, cite, threshold) -> tuple[Overdue, ...]:
    today = _reference_date(current)
    if today is None:
        return ()
    out = []
    for a in _one_per_action(queries.actions(db, current["id"]), threshold)[0]:
        due = month_end(a["due"]) if a["due"] else None
        if due and due < today and a["status"] != "completed":
            out.append(
                Overdue(
                    title=a["title"] or "", ref=a["ref"], due=a["due"], status=a["status"], source=cite(a)
                )
            )
    return tuple(out)


# --- priorities, trends, operations, warnings ----------------------------------------------------


def _named(rows: list[dict], cite, name_field: str) -> dict[str, Named]:
    out: dict[str, Named] = {}
    for r in rows:
        key = r["key"] or _norm_title(r[name_field])
        out.setdefault(key, Named(key=key, name=r[name_field] or key, source=cite(r)))
    return out


def _compare_priorities(db, current, previous, cite):
    cur = _named(queries.priority_areas(db, current["id"]), cite, "name")
    prev = _named(queries.priority_areas(db, previous["id"]), cite, "name") if previous else {}
    if previous is None:
        return tuple(cur.values()), (), ()
    added = tuple(v for k, v in cur.items() if k not in prev)
    dropped = tuple(v for k, v in prev.items() if k not in cur)
    kept = tuple(v for k, v in cur.items() if k in prev)
    return added, dropped, kept


def _reversals(db, current, previous, cite) -> tuple[Reversal, ...]:
    if previous is None:
        return ()
    prev = queries.trends(db, previous["id"])
    out, seen = [], set()
    for c in queries.trends(db, current["id"]):
        subject = _norm_title(c["subject"])
        if c["direction"] not in ("up", "down") or subject in seen:
            continue
        for p in prev:
            if _norm_title(p["subject"]) != subject or p["direction"] not in ("up", "down"):
                continue
            if c["horizon"] and p["horizon"] and c["horizon"] != p["horizon"]:
                continue
            if p["direction"] != c["direction"]:
                seen.add(subject)
                out.append(
                    Reversal(
                        subject=c["subject"],
                        previous=p["direction"],
                        current=c["direction"],
                        previous_text=p["text"] or "",
                        current_text=c["text"] or "",
                        previous_source=cite(p),
                        current_source=cite(c),
                    )
                )
                break
    return tuple(out)


def _new_operations(db, current, previous, earlier, cite) -> tuple[Named, ...]:
    known: set[str] = set()
    for p in earlier + ([previous] if previous else []):
        known |= {r["key"] or _norm_title(r["text"]) for r in queries.operations(db, p["id"])}
    named = _named(queries.operations(db, current["id"]), cite, "text")
    return tuple(v for k, v in named.items() if k not in known)


def _warnings(db, current, previous, cite) -> tuple[Warning, ...]:
    out = []
    for paper in [current] + ([previous] if previous else []):
        month = paper_month(paper)
        out += [Warning(paper["id"], month, str(w), "ingest") for w in paper["warnings"]]
        text = text_date(paper)
        if text and month and month != text[:7]:
            out.append(
                Warning(
                    paper["id"],
                    month,
                    f"the file name dates the paper {month}; its text gives {text}",
                    "check",
                )
            )
        printed = paper["meeting_date"]
        if not printed:
            continue
        rpe = paper["reporting_period_end"]
        if rpe and rpe[:10] > printed[:10]:
            out.append(
                Warning(
                    paper["id"],
                    month,
                    f"reporting period ends {rpe}, after the paper's date {printed}",
                    "check",
                )
            )
        for f in queries.figures(db, paper["id"]):
            if f["period_end"] and f["period_end"][:10] > printed[:10] and f["comparison"] is None:
                out.append(
                    Warning(
                        paper["id"],
                        month,
                        f"{_label(f)}: period ends {f['period_end']}, after the paper's date {printed}",
                        "check",
                        cite(f),
                    )
                )
    return tuple(out)
