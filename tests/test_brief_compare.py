"""compare(): metrics, actions, priorities, trends, operations and warnings
between hand-built papers stored through db.store.save."""

from __future__ import annotations

import json

import pytest
import yaml

from boardpapers.briefs import better_directions
from boardpapers.db.compare import BriefError, compare
from tests.brief_fixtures import Act, Fig, add_paper, new_db


def _metric(c, key):
    return next(m for m in c.metrics if m.key == key)


@pytest.mark.parametrize(
    ("unit", "before", "after", "delta", "relative", "direction", "better", "assessment"),
    [
        ("percent", 80.0, 82.5, 2.5, None, "up", "up", "good"),
        ("percent", 80.0, 75.0, -5.0, None, "down", "up", "bad"),
        ("count", 1000, 900, -100, -0.1, "down", "down", "good"),
        ("count", 200, 250, 50, 0.25, "up", "down", "bad"),
        ("gbp", 1000, 1000, 0, 0.0, "stable", "up", None),
        ("hours", 4, 5, 1, 0.25, "up", None, None),
    ],
)
def test_metric_change(unit, before, after, delta, relative, direction, better, assessment):
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("m", before, unit, "2019-12-31")])
    pid = add_paper(db, "2020-02", figures=[Fig("m", after, unit, "2020-01-31")])
    c = compare(db, pid, better={"m": better} if better else {})
    m = _metric(c, "m")
    assert (m.previous, m.current, m.delta, m.relative, m.direction, m.assessment) == (
        before,
        after,
        delta,
        relative,
        direction,
        assessment,
    )
    assert m.status == ("unchanged" if direction == "stable" else "changed")
    assert (m.previous_source.paragraph, m.previous_source.page) == ("4.1", 1)
    assert m.current_source.paper_id == pid


def test_metrics_matched_by_key_unit_and_geography():
    db = new_db()
    add_paper(
        db,
        "2020-01",
        figures=[
            Fig("crime", 10, "count", "2019-12-31", geography="North"),
            Fig("crime", 20, "count", "2019-12-31", geography="South"),
            Fig("old", 1, "count", "2019-12-31"),
        ],
    )
    pid = add_paper(
        db,
        "2020-02",
        figures=[
            Fig("crime", 12, "count", "2020-01-31", geography="North"),
            Fig("crime", 30, "percent", "2020-01-31", geography="South"),
            Fig("fresh", 5, "count", "2020-01-31"),
        ],
    )
    c = compare(db, pid, better={})
    got = {(m.key, m.unit, m.geography): m.status for m in c.metrics}
    assert got == {
        ("crime", "count", "North"): "changed",
        ("crime", "percent", "South"): "new",
        ("fresh", "count", None): "new",
        ("crime", "count", "South"): "dropped",
        ("old", "count", None): "dropped",
    }


def test_comparison_figures_do_not_stand_for_the_headline_value():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("m", 50, "percent", "2019-12-31")])
    pid = add_paper(
        db,
        "2020-02",
        figures=[
            Fig("m", 40, "percent", "2019-01-31", comparison="previous year"),
            Fig("m", 55, "percent", "2020-01-31"),
        ],
    )
    assert _metric(compare(db, pid, better={}), "m").current == 55


def test_restated_value_flagged():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("m", 50, "percent", "2019-12-31")])
    pid = add_paper(
        db,
        "2020-02",
        figures=[
            Fig("m", 52, "percent", "2019-12-31", comparison="last month"),
            Fig("m", 55, "percent", "2020-01-31"),
        ],
    )
    c = compare(db, pid, better={})
    assert [(r.period_end, r.earlier, r.later) for r in c.restated] == [("2019-12-31", 50, 52)]
    assert c.restated[0].later_source.paper_id == pid


def test_same_value_repeated_is_not_a_restatement():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("m", 50, "percent", "2019-12-31")])
    pid = add_paper(db, "2020-02", figures=[Fig("m", 50, "percent", "2019-12-31", comparison="last month")])
    assert compare(db, pid, better={}).restated == ()


def test_conflicting_values_in_one_paper_reported_as_ambiguous():
    db = new_db()
    pid = add_paper(
        db, "2020-01", figures=[Fig("m", 50, "percent", "2019-12-31"), Fig("m", 51, "percent", "2019-12-31")]
    )
    c = compare(db, pid, better={})
    assert [a.kind for a in c.ambiguous] == ["metric"]
    assert len(c.ambiguous[0].sources) == 2


def test_actions_by_ref_title_new_dropped_and_overdue():
    db = new_db()
    add_paper(
        db,
        "2020-01",
        actions=[
            Act("Review the estate strategy", "planned", ref="A1"),
            Act("Launch the new public website", "in_progress"),
            Act("Recruit 40 new officers", "on_track"),
            Act("Close the old custody suite", "planned"),
        ],
    )
    pid = add_paper(
        db,
        "2020-02",
        actions=[
            Act("Estate strategy review (revised scope)", "in_progress", ref="a1"),
            Act("Launch the new public web site", "completed", due="2020-01-31"),
            Act("Recruit 40 new officers", "delayed", due="2020-01-15"),
            Act("Introduce body-worn video", "planned", due="2020-06-30"),
        ],
    )
    c = compare(db, pid, better={})
    got = {(a.kind, a.title, a.previous_status, a.current_status, a.matched_by) for a in c.actions}
    assert got == {
        ("changed", "Estate strategy review (revised scope)", "planned", "in_progress", "ref"),
        ("changed", "Launch the new public web site", "in_progress", "completed", "title"),
        ("changed", "Recruit 40 new officers", "on_track", "delayed", "title"),
        ("new", "Introduce body-worn video", None, "planned", None),
        ("dropped", "Close the old custody suite", "planned", None, None),
    }
    # overdue: due before the meeting date (2020-02-20) and not completed
    assert [(o.title, o.due) for o in c.overdue] == [("Recruit 40 new officers", "2020-01-15")]
    dropped = c.actions_with("dropped")[0]
    assert (dropped.previous_source.paragraph, dropped.previous_source.page) == ("4.4", 2)


def test_ambiguous_title_match_is_reported_not_guessed():
    db = new_db()
    add_paper(
        db,
        "2020-01",
        actions=[Act("Develop benefits case", "planned"), Act("Develop benefit case", "on_track")],
    )
    pid = add_paper(db, "2020-02", actions=[Act("Develop benefits cases", "completed")])
    c = compare(db, pid, better={})
    assert [a.kind for a in c.ambiguous] == ["action"]
    assert set(c.ambiguous[0].candidates) == {"Develop benefits case", "Develop benefit case"}
    assert c.actions_with("changed") == () and c.actions_with("new") == ()


def test_section_title_settles_a_tie():
    db = new_db()
    add_paper(
        db,
        "2020-01",
        actions=[
            Act("Develop benefits case", "planned", section="DVLA"),
            Act("Develop benefits case", "on_track", section="Energy Performance"),
        ],
    )
    pid = add_paper(
        db, "2020-02", actions=[Act("Develop benefits case", "completed", section="Energy Performance")]
    )
    c = compare(db, pid, better={})
    assert c.ambiguous == ()
    assert [(a.kind, a.previous_status, a.matched_by) for a in c.actions] == [
        ("changed", "on_track", "title+section"),
        ("dropped", "planned", None),
    ]


def test_priorities_trends_operations():
    db = new_db()
    add_paper(db, "2019-12", operations=["Operation Heron"])
    add_paper(
        db,
        "2020-01",
        priorities=["Knife Crime", "Burglary"],
        trends=[("burglary", "up"), ("arrests", "up")],
        operations=["Operation Kestrel"],
    )
    pid = add_paper(
        db,
        "2020-02",
        priorities=["Knife Crime", "Drugs"],
        trends=[("burglary", "down"), ("arrests", "up")],
        operations=["Operation Kestrel", "Operation Falcon", "Operation Heron"],
    )
    c = compare(db, pid, better={})
    assert [p.name for p in c.priorities_added] == ["Drugs"]
    assert [p.name for p in c.priorities_dropped] == ["Burglary"]
    assert [p.name for p in c.priorities_kept] == ["Knife Crime"]
    assert [(r.subject, r.previous, r.current) for r in c.reversals] == [("burglary", "up", "down")]
    assert [o.name for o in c.new_operations] == ["Operation Falcon"]


def test_warnings_carried_and_checked():
    db = new_db()
    add_paper(db, "2020-01", warnings=["date conflict: printed 2020-01-20, footer says 2020-01-21"])
    pid = add_paper(db, "2020-02", figures=[Fig("m", 5, "count", "2020-03-31")])
    c = compare(db, pid, better={})
    texts = [(w.origin, w.text) for w in c.warnings]
    assert ("ingest", "date conflict: printed 2020-01-20, footer says 2020-01-21") in texts
    assert any(o == "check" and "2020-03-31" in t for o, t in texts)
    assert next(w for w in c.warnings if w.origin == "check").source.paper_id == pid


def test_against_month_and_run():
    db = new_db()
    ids = [
        add_paper(db, f"2020-{m:02d}", figures=[Fig("m", 10 * m, "count", f"2020-{m:02d}-28")])
        for m in range(1, 7)
    ]
    c = compare(db, ids[-1], better={})
    assert c.previous.id == ids[-2]
    assert [p.value for p in _metric(c, "m").points] == [10, 20, 30, 40, 50, 60]
    c = compare(db, ids[-1], against="2020-02", months=3, better={})
    assert c.previous.id == ids[1]
    assert [p.month for p in c.run] == ["2020-02", "2020-05", "2020-06"]
    assert _metric(c, "m").previous == 20
    c = compare(db, ids[2], against=ids[0][:8], better={})
    assert c.previous.id == ids[0] and [p.id for p in c.run] == ids[:3]


def test_first_paper_has_no_previous():
    db = new_db()
    pid = add_paper(
        db, "2020-01", figures=[Fig("m", 1, "count", "2019-12-31")], actions=[Act("Do it", "planned")]
    )
    c = compare(db, pid, better={})
    assert c.previous is None
    assert [m.status for m in c.metrics] == ["new"] and [a.kind for a in c.actions] == ["new"]


@pytest.mark.parametrize(
    ("paper", "against", "message"),
    [
        ("nope", None, "no paper with id 'nope'"),
        (None, "2019-01", "has no paper for 2019-01"),
        (None, "self", "cannot compare paper"),
    ],
)
def test_errors(paper, against, message):
    db = new_db()
    pid = add_paper(db, "2020-01")
    against = pid if against == "self" else against
    with pytest.raises(BriefError, match=message):
        compare(db, paper or pid, against=against, better={})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metrics:\n  - key: a\n    better: up\n  - key: b\n    better: null\n", {"a": "up"}),
        ("metrics:\n  - key: a\n    better: UP\n  - [1, 2]\n", {"a": "up"}),
        ("metrics: []\n", {}),
        ("{}", {}),
    ],
)
def test_better_directions(text, expected):
    assert better_directions(yaml.safe_load(text)) == expected


def test_better_directions_reads_the_project_vocabulary():
    better = better_directions()
    assert better and set(better.values()) <= {"up", "down"}


# ---------------------------------------------------------------- like with like (issue 13)


def test_a_month_is_not_compared_with_a_year_to_date():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("spend", 100, "gbp", "2019-12-31", period_start="2019-12-01")])
    pid = add_paper(
        db, "2020-02", figures=[Fig("spend", 900, "gbp", "2020-01-31", period_start="2019-04-01")]
    )
    c = compare(db, pid, better={})
    assert {(m.period_type, m.status) for m in c.metrics} == {("month", "dropped"), ("year_to_date", "new")}
    assert not c.metrics_with("changed")


def test_a_budget_is_not_compared_with_an_actual():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("spend", 100, "gbp", "2019-12-31", measure="spend against budget")])
    pid = add_paper(db, "2020-02", figures=[Fig("spend", 120, "gbp", "2020-01-31", measure="spend")])
    c = compare(db, pid, better={})
    assert {(m.basis, m.status) for m in c.metrics} == {("budget", "dropped"), ("actual", "new")}


def test_months_of_one_type_are_compared():
    db = new_db()
    add_paper(db, "2020-01", figures=[Fig("spend", 100, "gbp", "2019-12-31", period_start="2019-12-01")])
    pid = add_paper(
        db, "2020-02", figures=[Fig("spend", 120, "gbp", "2020-01-31", period_start="2020-01-01")]
    )
    [m] = compare(db, pid, better={}).metrics
    assert (m.status, m.period_type, m.previous, m.current) == ("changed", "month", 100, 120)


def test_an_action_retitled_only_in_spacing_hyphens_or_case_is_not_retitled():
    db = new_db()
    add_paper(db, "2020-01", actions=[Act("Launch the new web-site for the Public", "in_progress", ref="A1")])
    pid = add_paper(
        db, "2020-02", actions=[Act("launch the new  website for the public", "completed", ref="A1")]
    )
    [a] = compare(db, pid, better={}).actions
    assert a.previous_title is None and a.transition == "closed"


@pytest.mark.parametrize(
    ("was", "now", "transition"),
    [
        ("completed", "in_progress", "reopened"),
        ("on_track", "planned", "backwards"),
        ("on_track", "delayed", "worse"),
        ("at_risk", "on_track", "better"),
        ("planned", "on_track", "forwards"),
    ],
)
def test_status_transitions_name_their_direction(was, now, transition):
    db = new_db()
    add_paper(db, "2020-01", actions=[Act("Recruit more volunteers", was, ref="B2", owner="Head of HR")])
    pid = add_paper(db, "2020-02", actions=[Act("Recruit more volunteers", now, ref="B2")])
    c = compare(db, pid, better={})
    [a] = c.actions_with("changed")
    assert a.transition == transition and a.owner == "Head of HR"  # the owner carried from the earlier paper
    assert c.summary["actions_backwards"] == (transition in ("reopened", "backwards", "worse"))


def _cell_row(cells, header, text):
    joined = " | ".join(cells)
    return {
        "paragraph_kind": "table_row",
        "paragraph_cells": json.dumps(cells),
        "paragraph_header": json.dumps(header),
        "char_start": joined.index(text),
        "text": text,
    }


@pytest.mark.parametrize(
    ("cells", "header", "text", "expected"),
    [
        (
            ["Staff costs", "£1,200", "£1,350"],
            ["Line", "Budget", "Spent"],
            "£1,350",
            ("Staff costs", "Spent"),
        ),
        (["1.", "Property", "£300k"], ["No", "Item", "Cost"], "£300k", ("Property", "Cost")),
        (["7.", "The total was £40,000 for the month and rising"], [], "£40,000", None),  # prose in a cell
    ],
)
def test_a_table_figure_is_named_by_its_row_and_column(cells, header, text, expected):
    from boardpapers.db.table_cells import cell_headers

    assert cell_headers(_cell_row(cells, header, text)) == expected


@pytest.mark.parametrize(
    ("figure", "period", "kind"),
    [
        ({"period_start": "2021-03-01", "period_end": "2021-03-31"}, "month", "actual"),
        ({"period_start": "2021-01-01", "period_end": "2021-03-31"}, "quarter", "actual"),
        ({"period_start": "2021-04-01", "period_end": "2021-08-31"}, "year_to_date", "actual"),
        ({"period_start": "2020-07-01", "period_end": "2021-06-30"}, "year", "actual"),
        ({"measure": "spend for the year to date against budget"}, "year_to_date", "budget"),
        ({"measure": "forecast outturn for the full year"}, "year", "forecast"),
        ({"measure": "visits this month", "comparison": "same month last year"}, "month", "actual"),
        ({"measure": "households on the waiting list", "as_of": "2021-03-31"}, "as_at", "actual"),
        ({"measure": "households on the waiting list", "comparison": "last year"}, "unstated", "actual"),
        ({"measure": "response target met"}, "unstated", "target"),
    ],
)
def test_figure_kinds(figure, period, kind):
    from boardpapers.db.figure_kinds import basis, period_type

    row = {"period_start": None, "period_end": None, "as_of": None, "text": "", **figure}
    assert (period_type(row), basis(row)) == (period, kind)
