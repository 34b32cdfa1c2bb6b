"""Direction statements -> subject, direction, horizon."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from boardpapers.nlp.context import Context
from boardpapers.nlp.trends import extract_trends
from tests.test_nlp_actions import GOLD, para, seed_paragraphs


def run(nlp, paragraphs):
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
    return extract_trends(docs, Context())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("999 and 101 call volumes fell month on month.", [("999 and 101 call volumes", "down", "month")]),
        ("The long term trend for 101 calls continues to decline.", [("101 calls", "down", "long_term")]),
        (
            "Incident demand remained stable, however the backlog grew.",
            [("Incident demand", "stable", None), ("backlog", "up", None)],
        ),
        (
            "Recorded crime levels fell month on month, but increased when compared to November 2018.",
            [("Recorded crime levels", "down", "month"), ("Recorded crime levels", "up", "year")],
        ),
        ("The rolling 12 month total continues to trend upwards.", [("rolling 12 month total", "up", None)]),
        (
            "Referrals continue to increase and have increased by 37% over the last 12 months.",
            [("Referrals", "up", None), ("Referrals", "up", "year")],
        ),
        ("The outcome rate improved month on month.", [("outcome rate", "up", "month")]),
        ("Victim satisfaction continues to improve.", [("Victim satisfaction", "up", None)]),
        ("Burglary rose year on year.", [("Burglary", "up", "year")]),
        (
            "The rate in November 2019 was 11.3%, this is the highest achieved since January.",
            [("rate in November 2019", "up", None)],
        ),
        ("The team met partners to discuss the plan.", []),
    ],
)
def test_direction_statements(nlp, text, expected):
    got = run(nlp, [para(0, text)])
    assert [(t.subject, t.direction, t.horizon) for t in got] == expected
    for t in got:
        assert t.text in text and text[t.char_start : t.char_end] in t.text


def test_seed_trends_recall(nlp):
    if not GOLD.is_file():
        pytest.skip(f"gold file not found at {GOLD}")
    gold = yaml.safe_load(pathlib.Path(GOLD).read_text(encoding="utf-8"))["trends"]
    paragraphs = seed_paragraphs()
    number, last = {}, None
    for p in paragraphs:
        last = p.number or last
        number[p.seq] = last
    got = run(nlp, paragraphs)
    matched = 0
    for g in gold:
        matched += any(
            number[t.para] == str(g["para"])
            and t.direction == g["direction"]
            and (not g.get("horizon") or t.horizon == g["horizon"])
            and all(str(w).lower() in t.subject.lower() for w in g["subject_words"])
            for t in got
        )
    assert matched / len(gold) >= 0.7, f"{matched}/{len(gold)}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The contractor has increased its hourly rates by 4%.", [("hourly rates", "up", None)]),
        ("Visitor numbers are up on last year.", [("Visitor numbers", "up", "year")]),
        ("Complaints were lower than the same period last year.", [("Complaints", "down", "year")]),
        ("Footfall rose in March.", [("Footfall", "up", None)]),
        ("Sickness absence remains stable.", [("Sickness absence", "stable", None)]),
        ("Recycling rates continue to improve.", [("Recycling rates", "up", None)]),
        ("Income is down on the previous month.", [("Income", "down", "month")]),
        ("Staff turnover has gone down since the restructure.", [("Staff turnover", "down", None)]),
        ("Bookings remained the same as in the spring.", [("Bookings", "stable", None)]),
    ],
)
def test_other_bodies_wording(nlp, text, expected):
    got = [(t.subject, t.direction, t.horizon) for t in run(nlp, [para(0, text)])]
    assert got == expected


def test_minutes_table_prose_rows_are_read(nlp):
    from boardpapers.ingest.models import Paragraph

    cells = (
        "4.",
        "Finance The Treasurer reported that hall bookings have risen steadily over the winter months.",
        "",
    )
    row = Paragraph(0, "table_row", " | ".join(cells), 1, 1, 0, 0, 0, 0, cells=cells)
    assert [(t.direction) for t in run(nlp, [row])] == ["up"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last month the backlog was 300 cases. It is now 420 cases.", [("backlog", "up")]),
        (
            "There was a waiting time of 14 weeks per patient. This figure is now under 6 weeks.",
            [("waiting time", "down")],
        ),
        ("Our reserves were 40% of spend. This figure is now 40% again.", []),
        ("The fund raised £300 at the fair. It is now closed for the year.", []),
    ],
)
def test_level_restated_now(nlp, text, expected):
    got = [
        (t.subject, t.direction) for t in run(nlp, [para(0, text)]) if t.rule_id == "trend-level-restated-now"
    ]
    assert got == expected
