"""Held-out papers: short papers written in the genre (an NHS trust's
integrated performance report, a council finance report, a fire authority
update) that the rules were not written against, scored like the seed with
the hand-written expectations in tests/heldout/expected.yml."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from boardpapers.evaluation import from_records, read_paper, score_paper
from boardpapers.nlp.pipeline import extract
from tests.text_papers import paragraphs_from_text

HELDOUT = pathlib.Path(__file__).parent / "heldout"
EXPECTED = yaml.safe_load((HELDOUT / "expected.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_heldout_paper_scores(nlp, name):
    meta, paragraphs = paragraphs_from_text((HELDOUT / f"{name}.txt").read_text(encoding="utf-8"))
    records = extract(nlp, meta, paragraphs)
    gold = read_paper(name, {"source_file": f"{name}.txt", "figures": EXPECTED[name]})
    score = score_paper(gold, None, from_records(records, paragraphs)).figures
    summary = (
        f"R={score.recall:.2f} P={score.precision:.2f} period={_rate(score.period)} "
        f"measure={_rate(score.measure)} qualifier={_rate(score.qualifier)}"
    )
    detail = f"{summary}; missed {score.missed}; false positives {score.false_positives}; wrong {score.wrong}"
    print(name, summary)
    assert score.recall >= 0.95, detail
    assert score.precision >= 0.95, detail
    assert (score.period.accuracy or 1.0) >= 0.85, detail
    assert (score.measure.accuracy or 1.0) >= 0.80, detail
    assert (score.qualifier.accuracy or 1.0) >= 0.90, detail
    assert all(f.rule_id and f.char_end > f.char_start for f in records.figures)


def _rate(rate) -> str:
    return f"{rate.ok}/{rate.n}"
