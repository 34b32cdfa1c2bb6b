"""A finished doc's text, read from its columns."""

from __future__ import annotations

import pytest

from boardpapers.nlp.numbers import doc_text, tokens_text

TEXTS = [
    "Revenue rose to £1.2m in 2019/20,  up 12%  from Q3.",
    "  Leading space\nand a line break | cell | 450k users ",
    "One",
]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_text_is_the_joined_tokens_stripped(nlp, text):
    doc = nlp(text)
    assert doc_text(doc) == doc.text
    for start in range(len(doc) + 1):
        for end in range(start, min(len(doc), start + 7) + 1):
            joined = "".join(t.text_with_ws for t in doc[start:end]).strip()
            assert tokens_text(doc, start, end) == joined
