"""The currency marks a paper prints."""

from __future__ import annotations

import re

import pytest

from boardpapers.nlp import money


@pytest.mark.parametrize(
    "text",
    [
        "Budget £1.2m; US$ 40k, A$3m and NZ$ 2m; €5 and $7.",
        "Costs in GBP and usd (not usda); cadence, CAD 10, aud/EUR.",
        "no currency here at all",
        "",
    ],
)
def test_symbol_re_finds_what_the_plain_alternation_finds(text):
    plain = re.compile(money._symbol_re().pattern.split("(?:", 1)[1][:-1], re.I)
    found = [(m.span(), m.group(0)) for m in money._symbol_re().finditer(text)]
    assert found == [(m.span(), m.group(0)) for m in plain.finditer(text)]


def test_printed_currency():
    assert money.printed_currency(["Spend £4m", "£2m under", "$1"]) == "gbp"
    assert money.printed_currency(["nothing printed"]) is None
