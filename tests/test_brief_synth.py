"""End to end: the synthetic series (tests/synth.py) ingested through the
pipeline; the brief for the last month must say what the generator's truth says."""

from __future__ import annotations

import pathlib

import pytest

import templates
from db.compare import compare
from db.schema import open_db
from db.series import list_series, series_key
from db.store import save

GOLDEN = pathlib.Path(__file__).parent / "golden"

synth = pytest.importorskip("tests.synth")
pipeline = pytest.importorskip("boardpapers.pipeline")
pytest.importorskip("ingest.document")


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    from boardpapers.config import Options

    out = tmp_path_factory.mktemp("synth")
    truth = synth.generate_series(out, months=3)  # keep the suite fast; 3 months show every kind of change
    db = open_db(str(out / "papers.db"))
    for pdf in sorted(out.glob("*.pdf")):
        got = pipeline.process_file(str(pdf), Options(ocr=False))
        save(db, got.document, got.records, series=series_key(got.document.meta, str(pdf)))
    [listed] = list_series(db)
    ids = listed["paper_ids"]
    return truth, db, ids, compare(db, ids[-1])


def test_series_found_in_order(series):
    truth, _, ids, c = series
    assert [m["month"] for m in truth["months"]] == [p.month for p in c.run]
    assert c.previous.id == ids[-2]


def _truth_refs(truth):
    return {a["ref"] for m in truth["months"] for a in m["actions"]}


def test_action_transitions_match_truth(series):
    truth, _, _, c = series
    want = truth["changes"][-1]
    refs = _truth_refs(truth)
    got = {(a.ref, a.previous_status, a.current_status) for a in c.actions_with("changed") if a.ref in refs}
    assert got == {(t["ref"], t["from"], t["to"]) for t in want["actions_changed"]}
    assert sorted(a.ref for a in c.actions_with("new") if a.ref in refs) == want["actions_new"]
    assert sorted(a.ref for a in c.actions_with("dropped") if a.ref in refs) == want["actions_dropped"]
    assert sorted({o.ref for o in c.overdue if o.ref in refs}) == want["actions_overdue"]


def test_priorities_trends_operations_match_truth(series):
    truth, _, _, c = series
    want = truth["changes"][-1]
    assert [p.name for p in c.priorities_added] == want["priorities_added"]
    assert [p.name for p in c.priorities_dropped] == want["priorities_dropped"]
    assert sorted(r.subject for r in c.reversals) == want["trends_reversed"]
    assert sorted(o.name for o in c.new_operations) == want["operations_new"]


@pytest.mark.xfail(reason="nlp/figures.py gives the synthetic papers' figures no metric_key yet "
                          "(0 keyed figures per paper when this test was written)", strict=False)
def test_metrics_match_truth(series):
    truth, _, _, c = series
    want = truth["changes"][-1]
    got = {m.key: m for m in c.metrics}
    for t in want["metrics"]:
        m = got[t["key"]]
        assert (m.previous, m.current, m.direction) == (t["previous"], t["current"], t["direction"])
        if "change_pp" in t:
            assert m.delta == pytest.approx(t["change_pp"])
        elif t["change_pct"] is not None:
            assert m.relative * 100 == pytest.approx(t["change_pct"], abs=0.01)
    assert sorted(m.key for m in c.metrics_with("new")) == want["metrics_new"]
    assert sorted(m.key for m in c.metrics_with("dropped")) == want["metrics_dropped"]
    restated = [c2 for change in truth["changes"] for c2 in change["restated"]]
    assert {(r.key, r.period_end[:7], r.later) for r in c.restated} >= {
        (r["key"], r["period_end"][:7], r["current"]) for r in restated if r["period_end"][:7] >= c.run[0].month}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_synth_golden(series, fmt, update_golden):
    _, _, _, c = series
    text = templates.render(f"brief.{fmt}.j2", c)
    path = GOLDEN / f"brief_synth.{fmt}"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.skip(f"{path.name} not written yet: run pytest --update-golden once extraction is complete, "
                    "then review the diff")
    assert text == path.read_text(encoding="utf-8")
