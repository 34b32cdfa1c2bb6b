"""Comparing metrics across papers, like with like.

A figure's identity is its metric key, unit, geography, period type and basis
(:mod:`figure_kinds`); a figure that is a whole table cell is identified by
its row and column headers and unit instead (:mod:`table_cells`). Two papers'
figures are compared only when their identities are equal, so a month is
never set against a year to date, a budget against an actual, a count against
a sum of money, nor one table cell against another.
"""

from __future__ import annotations

import dataclasses

from . import queries
from .comparison import Ambiguity, MetricChange, Point, Restatement
from .figure_kinds import basis, period_type
from .series import paper_month
from .table_cells import cell_headers, normalise

PERCENT_UNITS = ("percent", "percentage_points")
UNIT_NAMES = {"percent": "%", "count": "number", "gbp": "£"}


def identity(f: dict) -> tuple:
    """What a figure must share with another to be compared with it."""
    cell = cell_headers(f)
    if cell:
        return ("cell", normalise(cell[0]), normalise(cell[1]), f["unit"])
    return (f["metric_key"], f["unit"], f["geography"], period_type(f), basis(f))


def representative(figures: list[dict]) -> dict[tuple, dict]:
    """Per identity, the figure a paper reports as its headline value:
    not a comparison figure if it can help it, the latest period, the first printed."""
    best: dict[tuple, dict] = {}
    for f in figures:
        ident = identity(f)
        rank = (f["comparison"] is None, f["period_end"] or "")
        if ident not in best or rank > (best[ident]["comparison"] is None, best[ident]["period_end"] or ""):
            best[ident] = f
    return best


def label(f: dict) -> str:
    cell = cell_headers(f)
    if cell:
        return f"{cell[0]} — {cell[1]}"
    return f["measure"] or f["metric_key"].replace("_", " ")


def period(f: dict, paper: dict | None = None) -> str | None:
    """The period a figure is for, as a reader dates it: ``2020-01`` for a month, ``2019-04-01
    to 2020-01-31`` for a longer period with a start, else its end or "as at" date, else the
    date of the meeting it was reported to."""
    kind = period_type(f)
    if kind == "month" and f["period_end"]:
        return f["period_end"][:7]
    if f.get("period_start") and f["period_end"] and kind != "month":
        return f"{f['period_start']} to {f['period_end']}"
    if f["period_end"] or f.get("as_of"):
        return f["period_end"] or f.get("as_of")
    if paper:
        return paper.get("meeting_date") or paper_month(paper)
    return None


def _distinct_labels(metrics: list[MetricChange]) -> list[MetricChange]:
    """Metrics sharing a label (one measure printed as a rate and as a count, or for
    a month and a year to date) name what tells them apart."""
    seen: dict[str, int] = {}
    for m in metrics:
        seen[m.label] = seen.get(m.label, 0) + 1

    def qualified(m: MetricChange) -> str:
        parts = [UNIT_NAMES.get(m.unit, m.unit.replace("_", " "))]
        if m.cell is None:
            parts += [m.period_type.replace("_", " ")] + ([m.basis] if m.basis != "actual" else [])
        return f"{m.label} ({', '.join(parts)})"

    return [dataclasses.replace(m, label=qualified(m)) if seen[m.label] > 1 else m for m in metrics]


def _change(unit: str, previous: float, current: float) -> tuple[float, float | None, str]:
    delta = round(current - previous, 6)
    relative = None
    if unit not in PERCENT_UNITS and previous:
        relative = round(delta / abs(previous), 6)
    direction = "up" if delta > 0 else "down" if delta < 0 else "stable"
    return delta, relative, direction


def _base(ident: tuple, f: dict, points: tuple[Point, ...]) -> dict:
    cell = cell_headers(f)
    return dict(
        key=f["metric_key"] or "",
        label=label(f),
        unit=f["unit"],
        geography=f["geography"],
        points=points,
        period_type="cell" if cell else ident[3],
        basis="actual" if cell else ident[4],
        cell=cell,
    )


def _one_change(ident, c, p, papers, cite, better, points) -> MetricChange:
    """The change of one identity between the previous (``p``) and current (``c``) figure."""
    base = _base(ident, c or p, points)
    if c and p:
        delta, relative, direction = _change(base["unit"], p["value"], c["value"])
        assessment = None
        if direction != "stable" and base["key"] in better and base["cell"] is None:
            assessment = "good" if direction == better[base["key"]] else "bad"
        return MetricChange(
            status="changed" if direction != "stable" else "unchanged",
            previous=p["value"],
            current=c["value"],
            previous_period=period(p, papers[p["paper_id"]]),
            current_period=period(c, papers[c["paper_id"]]),
            delta=delta,
            relative=relative,
            direction=direction,
            assessment=assessment,
            previous_source=cite(p),
            current_source=cite(c),
            **base,
        )
    if c:
        return MetricChange(
            status="new",
            current=c["value"],
            current_period=period(c, papers[c["paper_id"]]),
            current_source=cite(c),
            **base,
        )
    return MetricChange(
        status="dropped",
        previous=p["value"],
        previous_period=period(p, papers[p["paper_id"]]),
        previous_source=cite(p),
        **base,
    )


def compare_metrics(db, current, previous, run_rows, cite, better):
    """(metric changes, restatements, ambiguities) of ``current`` against ``previous``,
    with each metric's values across ``run_rows``."""
    papers = {p["id"]: p for p in [*run_rows, current, *([previous] if previous else [])]}
    figures_of = {pid: queries.figures(db, pid) for pid in papers}
    cur = representative(figures_of[current["id"]])
    prev = representative(figures_of[previous["id"]]) if previous else {}
    run_best = {p["id"]: representative(figures_of[p["id"]]) for p in run_rows}

    out = []
    for ident in list(cur) + [i for i in prev if i not in cur]:
        points = tuple(
            Point(
                month=paper_month(r),
                paper_id=r["id"],
                value=run_best[r["id"]][ident]["value"] if ident in run_best[r["id"]] else None,
                source=cite(run_best[r["id"]][ident]) if ident in run_best[r["id"]] else None,
            )
            for r in run_rows
        )
        out.append(_one_change(ident, cur.get(ident), prev.get(ident), papers, cite, better, points))
    return (
        tuple(_distinct_labels(out)),
        restatements(run_rows, figures_of, cite),
        ambiguities(figures_of[current["id"]], cite),
    )


def restatements(papers, figures_of, cite) -> tuple[Restatement, ...]:
    """Same metric and period printed with a different value by a later paper."""
    first_seen: dict[tuple, dict] = {}
    out = []
    for paper in papers:
        seen_here: set[tuple] = set()
        for f in figures_of.get(paper["id"], ()):
            if not f["period_end"]:
                continue
            ident = (*identity(f)[:3], basis(f), f["period_end"])
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
                        label=label(f),
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


def ambiguities(figures: list[dict], cite) -> tuple[Ambiguity, ...]:
    """Headline figures of one identity and period printed with different values in one paper."""
    groups: dict[tuple, list[dict]] = {}
    for f in figures:
        if f["comparison"] is None:
            groups.setdefault((identity(f), f["period_end"]), []).append(f)
    out = []
    for (_ident, period_end), rows in groups.items():
        values = sorted({r["value"] for r in rows})
        if len(values) > 1:
            where = f" ({rows[0]['geography']})" if rows[0]["geography"] else ""
            out.append(
                Ambiguity(
                    kind="metric",
                    text=f"{label(rows[0])}{where}, period {period_end or 'unknown'}: {len(values)} different values",
                    candidates=tuple(r["text"] or str(r["value"]) for r in rows),
                    sources=tuple(cite(r) for r in rows),
                )
            )
    return tuple(out)
