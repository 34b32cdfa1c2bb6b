"""Held-out papers: short papers written in the genre (an NHS trust's
integrated performance report, a council finance report, a fire authority
update) that the rules were not written against, scored like the seed with
the hand-written expectations in tests/heldout/expected.yml."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from boardpapers.nlp.pipeline import extract
from tests.scoring import paragraphs_from_text, score_figures

HELDOUT = pathlib.Path(__file__).parent / "heldout"
EXPECTED = yaml.safe_load((HELDOUT / "expected.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_heldout_paper_scores(nlp, name):
    meta, paragraphs = paragraphs_from_text((HELDOUT / f"{name}.txt").read_text(encoding="utf-8"))
    records = extract(nlp, meta, paragraphs)
    score = score_figures(records.figures, paragraphs, EXPECTED[name])
    detail = (
        f"{score.summary()}; missed {score.missed}; false positives {score.false_positives}; "
        f"wrong period {score.wrong_period}; wrong measure {score.wrong_measure}"
    )
    print(name, score.summary())
    assert score.recall >= 0.95, detail
    assert score.precision >= 0.95, detail
    assert score.period_accuracy >= 0.85, detail
    assert score.measure_accuracy >= 0.80, detail
    assert score.qualifier_accuracy >= 0.90, detail
    assert all(f.rule_id and f.char_end > f.char_start for f in records.figures)
