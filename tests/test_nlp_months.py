"""Month names and month arithmetic: one home (nlp/months.py), imported everywhere."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from boardpapers.nlp import months
from boardpapers.nlp.sentences import SENTENCE_END, sentence_bounds, sentence_end, sentence_spans

NLP_DIR = pathlib.Path(months.__file__).parent


@pytest.mark.parametrize(
    "text, month", [("January", 1), ("jan", 1), ("Sept", 9), ("sept.", 9), ("SEP", 9), ("December", 12)]
)
def test_month_of(text, month):
    assert months.month_of(text) == month


def test_not_months():
    assert months.month_of("Marc") is None and months.month_of("") is None
    assert months.is_full_month_name("March") and not months.is_full_month_name("Mar")


def test_month_arithmetic():
    assert months.month_end(2024, 2) == dt.date(2024, 2, 29)
    assert months.month_end(2023, 2) == dt.date(2023, 2, 28)
    assert months.add_months(2021, 11, 3) == (2022, 2)
    assert months.add_months(2021, 1, -1) == (2020, 12)
    assert months.financial_year(2021) == (dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    assert months.financial_year_of(dt.date(2022, 3, 31)) == 2021
    assert months.financial_year_of(dt.date(2022, 4, 1)) == 2022


@pytest.mark.parametrize(
    "text, first",
    [("2019/20", 2019), ("2012–13", 2012), ("FY2019/2020", 2019), ("19/20", 2019), ("18-22", None)],
)
def test_fiscal_year_start(text, first):
    assert months.fiscal_year_start(text) == first


def test_one_home_for_month_names():
    """No other module of nlp spells out the month names or builds them from calendar."""
    pattern = re.compile(r"calendar\.month_(name|abbr)|[\"']january[\"']|[\"']jan[\"']\s*:", re.I)
    offenders = [
        p.name for p in NLP_DIR.glob("*.py") if p.name != "months.py" and pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_one_home_for_sentence_ends():
    """No other module of nlp writes its own sentence-end expression (a full stop,
    "!" or "?" followed by a space) instead of importing nlp.sentences."""
    own_rule = re.compile(r"re\.compile\([^\n]*\(\?<=\[\.!\?\]\)")
    offenders = [
        p.name
        for p in NLP_DIR.glob("*.py")
        if p.name != "sentences.py" and own_rule.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_sentence_spans():
    text = "Sales rose. Costs fell (slightly). 12 staff left. e.g. not this one"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Sales rose.",
        "Costs fell (slightly).",
        "12 staff left. e.g. not this one",
    ]
    assert sentence_bounds(text, 14, 16) == (12, 34)
    assert sentence_end(text) == 11
    assert SENTENCE_END.search("no end here") is None


def test_pattern_files_use_the_month_check():
    """Rules say "a month name" with the months module's token check
    (``{"_": {"is_month": true}}``), not with their own list of names."""
    spelled = re.compile(r"\"january\"|January\|", re.I)
    offenders = [
        p.name for p in (NLP_DIR / "patterns").glob("*.jsonl") if spelled.search(p.read_text("utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "word",
    ["March", "march", "MARCH", "Sept.", "sept", "Sep", "May", "may", "Mayor", "Marc", "Dec.", "DEC", "12"],
)
@pytest.mark.parametrize("check", ["is_month", "is_month_any_case"])
def test_month_checks_load_as_plain_attributes_matching_the_same_tokens(word, check):
    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words=[word])
    rule = months.expand_token_checks({"label": "M", "id": "m", "pattern": [{"_": {check: True}, "OP": "?"}]})
    assert "_" not in rule["pattern"][0] and rule["pattern"][0]["OP"] == "?"
    matcher = Matcher(vocab)
    matcher.add("M", [rule["pattern"]])
    assert bool(matcher(doc)) is bool(getattr(doc[0]._, check))
