"""The seed paper scored against its hand extraction (../shared/gold/).

Two routes to the same thresholds: the seed's text rendering turned into
paragraphs here (a unit-level check of the rules alone), and the seed PDF read
by ``ingest.document.read_document`` (the real path)."""

from __future__ import annotations

import pytest

from boardpapers.nlp.pipeline import extract
from tests.conftest import GOLD_DIR, SHARED
from tests.scoring import load_gold, paragraphs_from_text, score_dates, score_figures

GOLD = GOLD_DIR / "000_d2604afbcac694c9.yaml"
SEED_TXT = SHARED / "seeds" / "000_d2604afbcac694c9.txt"


def check(records, paragraphs, gold):
    fig = score_figures(records.figures, paragraphs, gold["figures"])
    detail = f"missed {fig.missed}; false positives {fig.false_positives}; wrong period {fig.wrong_period}"
    assert fig.recall >= 0.95, detail
    assert fig.precision >= 0.90, detail
    assert fig.period_accuracy >= 0.90, detail
    dat = score_dates(records.dates, gold["dates"])
    assert dat.recall >= 0.90, f"missed {dat.missed}"
    assert dat.accuracy >= 0.90, f"wrong {dat.wrong}"
    assert records.reporting_period_end[:7] == str(gold["paper"]["reporting_period_end"])[:7]
    print(
        f"figures R={fig.recall:.2f} P={fig.precision:.2f} period={fig.period_accuracy:.2f}; "
        f"dates R={dat.recall:.2f} acc={dat.accuracy:.2f}"
    )


@pytest.fixture(scope="module")
def gold():
    if not GOLD.is_file() or not SEED_TXT.is_file():
        pytest.skip("shared gold/seed text not found")
    return load_gold(GOLD)


def test_seed_text_scores(nlp, gold):
    meta, paragraphs = paragraphs_from_text(SEED_TXT.read_text(encoding="utf-8"))
    records = extract(nlp, meta, paragraphs)
    check(records, paragraphs, gold)
    assert any("printed date" in w for w in records.warnings)


def test_seed_pdf_scores(nlp, gold, seed_pdf):
    from boardpapers.ingest import document

    doc = document.read_document(str(seed_pdf))
    assert doc.status in ("ok", "partial"), doc.error
    records = extract(nlp, doc.meta, doc.paragraphs)
    check(records, list(doc.paragraphs), gold)
    assert doc.meta.meeting_date == str(gold["paper"]["meeting_date"])
