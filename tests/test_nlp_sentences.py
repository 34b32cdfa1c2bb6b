"""Sentence boundaries of the ``bp_sentences`` component."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Costs rose 3.4%. Income fell.", ["Costs rose 3.4%.", "Income fell."]),
        ("See e.g. the report. It is late!", ["See e.g. the report.", "It is late!"]),
        ("Done. - next item", ["Done.", "- next item"]),
        ("It ended. and then", ["It ended. and then"]),
        ("Q3 ended. 2019/20 began?  Yes.", ["Q3 ended.", "2019/20 began?  Yes."]),
        ("One", ["One"]),
        ("", []),
    ],
)
def test_sentences(nlp, text, sentences):
    assert [s.text for s in nlp(text).sents] == sentences
