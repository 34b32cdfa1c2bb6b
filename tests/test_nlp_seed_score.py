"""The seed paper scored against its hand extraction (../shared/gold/).

Two routes to the same thresholds: the seed's text rendering turned into
paragraphs here (a unit-level check of the rules alone), and the seed PDF read
by ``ingest.document.read_document`` (the real path)."""

from __future__ import annotations

import pytest
import yaml

from boardpapers.evaluation import from_records, read_paper, score_paper
from boardpapers.nlp.pipeline import extract
from tests.conftest import GOLD_DIR, SHARED
from tests.text_papers import paragraphs_from_text

GOLD = GOLD_DIR / "000_d2604afbcac694c9.yaml"
SEED_TXT = SHARED / "seeds" / "000_d2604afbcac694c9.txt"


def check(records, paragraphs, gold):
    score = score_paper(gold, None, from_records(records, paragraphs))
    fig, dat = score.figures, score.dates
    detail = f"missed {fig.missed}; false positives {fig.false_positives}; wrong {fig.wrong}"
    assert fig.recall >= 0.95, detail
    assert fig.precision >= 0.90, detail
    assert fig.period.accuracy >= 0.90, detail
    assert dat.recall >= 0.90, f"missed {dat.missed}"
    assert dat.accuracy >= 0.90, f"wrong {dat.wrong}"
    assert records.reporting_period_end[:7] == gold.meta.reporting_period_end[:7]
    print(
        f"figures R={fig.recall:.2f} P={fig.precision:.2f} period={fig.period.accuracy:.2f}; "
        f"dates R={dat.recall:.2f} acc={dat.accuracy:.2f}"
    )


@pytest.fixture(scope="module")
def gold():
    if not GOLD.is_file() or not SEED_TXT.is_file():
        pytest.skip("shared gold/seed text not found")
    return read_paper(str(GOLD), yaml.safe_load(GOLD.read_text(encoding="utf-8")))


def test_seed_text_scores(nlp, gold):
    meta, paragraphs = paragraphs_from_text(SEED_TXT.read_text(encoding="utf-8"))
    records = extract(nlp, meta, paragraphs)
    check(records, paragraphs, gold)
    assert any("printed date" in w for w in records.warnings)


def test_seed_pdf_scores(nlp, gold, seed_pdf):
    from boardpapers.ingest import document
    from boardpapers.pipeline import interpret

    doc = interpret(document.read_document(str(seed_pdf)))
    assert doc.status in ("ok", "partial"), doc.error
    records = extract(nlp, doc.meta, doc.paragraphs)
    check(records, list(doc.paragraphs), gold)
    assert doc.meta.meeting_date == gold.meta.meeting_date
