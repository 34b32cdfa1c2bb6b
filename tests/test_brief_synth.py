"""End to end: the synthetic series (tests/synth.py) ingested through the
pipeline; the briefs must say what the generator's truth says.

Five months are generated and the last four ingested (ingest is the slow
part): the brief for the third month has a new metric, a new action and a new
operation; the brief for the fifth has a metric no longer reported, a dropped
action and, in its run, a restated value.

The truth names metrics by the generator's own keys, the extractor by its
``metric_key``: a truth metric is found among the brief's metrics the way a
reader would find it, by the paragraph number, unit and value printed in the
paper (a figure in the unnumbered narrative under a plan action has no
paragraph number of its own, so it is found by page, unit and value).
"""

from __future__ import annotations

import pathlib

import pytest

from boardpapers import pipeline, templates
from boardpapers.briefs import better_directions
from boardpapers.db.compare import compare
from boardpapers.db.schema import open_db
from boardpapers.db.series import list_series, series_key
from boardpapers.db.store import save
from tests import synth

GOLDEN = pathlib.Path(__file__).parent / "golden"

MONTHS = 5
FIRST_INGESTED = 1
BRIEFS = ["2020-03", "2020-05"]  # the papers a brief is written for, each against the paper before it


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    from boardpapers.config import Options

    out = tmp_path_factory.mktemp("synth")
    truth = synth.generate_series(out, months=MONTHS)
    db = open_db(str(out / "papers.db"))
    for paper in truth["months"][FIRST_INGESTED:]:
        pdf = out / paper["file"]
        got = pipeline.process_file(str(pdf), Options(ocr=False))
        save(db, got.document, got.records, series=series_key(got.document.meta, str(pdf)))
    [listed] = list_series(db)
    ids = dict(zip(listed["months"], listed["paper_ids"], strict=True))
    better = better_directions()  # as `boardpapers brief` passes them
    return truth, db, listed, {month: compare(db, ids[month], better=better) for month in BRIEFS}


def _case(series, month):
    truth, _, _, briefs = series
    index = [m["month"] for m in truth["months"]].index(month)
    return (
        truth,
        truth["months"][index - 1],
        truth["months"][index],
        truth["changes"][index - 1],
        briefs[month],
    )


def _latest(paper: dict) -> dict[str, dict]:
    """Per truth key, the value a paper reports for its own reporting period (as the truth's changes do)."""
    out: dict[str, dict] = {}
    for m in paper["metrics"]:
        if m["period_end"] == paper["reporting_period_end"] or m["key"] not in out:
            out[m["key"]] = m
    return out


def _printed_at(source, t: dict) -> bool:
    paragraph = None if t.get("narrative") else t["paragraph"]
    return source is not None and (source.paragraph, source.page) == (paragraph, t["page"])


def _find(c, t: dict, side: str):
    """The brief's metric printed where the truth metric ``t`` is, in the current or previous paper."""
    hits = [
        m
        for m in c.metrics
        if m.unit == t["unit"]
        and getattr(m, side) == t["value"]
        and _printed_at(getattr(m, f"{side}_source"), t)
    ]
    assert len(hits) == 1, (
        f"{t['key']} ({t['text']}, ¶{t['paragraph']} p.{t['page']}): {len(hits)} metrics match"
    )
    return hits[0]


def _ident(m) -> tuple:
    return (m.key, m.unit, m.geography)


def test_series_found_in_order(series):
    truth, _, listed, briefs = series
    months = [m["month"] for m in truth["months"][FIRST_INGESTED:]]
    assert listed["months"] == months and listed["gaps"] == []
    for month, c in briefs.items():
        assert c.current.month == month
        assert c.previous.month == months[months.index(month) - 1]
        assert [p.month for p in c.run] == months[: months.index(month) + 1]


@pytest.mark.parametrize("month", BRIEFS)
def test_action_transitions_match_truth(series, month):
    truth, _, _, want, c = _case(series, month)
    refs = {a["ref"] for m in truth["months"] for a in m["actions"]}
    got = {(a.ref, a.previous_status, a.current_status) for a in c.actions_with("changed") if a.ref in refs}
    assert got == {(t["ref"], t["from"], t["to"]) for t in want["actions_changed"]}
    assert sorted(a.ref for a in c.actions_with("new") if a.ref in refs) == want["actions_new"]
    assert sorted(a.ref for a in c.actions_with("dropped") if a.ref in refs) == want["actions_dropped"]
    assert sorted({o.ref for o in c.overdue if o.ref in refs}) == want["actions_overdue"]


@pytest.mark.parametrize("month", BRIEFS)
def test_each_action_listed_once(series, month):
    """A plan action narrated in section 6 and its action-log row are one action in the brief."""
    truth, _, now, _, c = _case(series, month)
    listed = [a for a in c.actions if a.kind != "dropped"]
    assert sorted(a.ref for a in listed) == sorted(a["ref"] for a in now["actions"])


@pytest.mark.parametrize("month", BRIEFS)
def test_priorities_trends_operations_match_truth(series, month):
    _, _, _, want, c = _case(series, month)
    assert [p.name for p in c.priorities_added] == want["priorities_added"]
    assert [p.name for p in c.priorities_dropped] == want["priorities_dropped"]
    assert sorted(r.subject for r in c.reversals) == want["trends_reversed"]
    assert sorted(o.name for o in c.new_operations) == want["operations_new"]


@pytest.mark.parametrize("month", BRIEFS)
def test_metrics_match_truth(series, month):
    _, before, now, want, c = _case(series, month)
    cur, prev = _latest(now), _latest(before)
    for t in want["metrics"]:
        m = _find(c, cur[t["key"]], "current")
        assert m is _find(c, prev[t["key"]], "previous"), t["key"]
        assert (m.previous, m.current, m.direction) == (t["previous"], t["current"], t["direction"]), t["key"]
        if "change_pp" in t:
            assert m.delta == pytest.approx(t["change_pp"]), t["key"]
        elif t["change_pct"] is not None:
            assert m.relative * 100 == pytest.approx(t["change_pct"], abs=0.01), t["key"]


@pytest.mark.parametrize("month", BRIEFS)
def test_new_and_dropped_metrics_match_truth(series, month):
    _, before, now, want, c = _case(series, month)
    cur, prev = _latest(now), _latest(before)
    assert {_ident(m) for m in c.metrics_with("new")} == {
        _ident(_find(c, cur[k], "current")) for k in want["metrics_new"]
    }
    assert {_ident(m) for m in c.metrics_with("dropped")} == {
        _ident(_find(c, prev[k], "previous")) for k in want["metrics_dropped"]
    }


def test_restated_value_matches_truth(series):
    truth, _, _, _, c = _case(series, BRIEFS[-1])
    later_papers = [p.month for p in c.run][1:]
    restated = [
        (paper, r)
        for paper, change in zip(truth["months"][1:], truth["changes"], strict=True)
        for r in change["restated"]
        if paper["month"] in later_papers
    ]
    assert restated, "the run should contain the generator's restated value"
    expected = set()
    for paper, r in restated:
        [t] = [m for m in paper["metrics"] if m["key"] == r["key"] and m["period_end"] == r["period_end"]]
        expected.add((t["unit"], r["period_end"], r["previous"], r["current"], t["page"]))
    got = {(x.unit, x.period_end[:7], x.earlier, x.later, x.later_source.page) for x in c.restated}
    assert got == expected


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_synth_golden(series, fmt, update_golden):
    c = series[3][BRIEFS[-1]]
    text = templates.render(f"brief.{fmt}.j2", c)
    path = GOLDEN / f"brief_synth.{fmt}"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
