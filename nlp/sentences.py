"""Sentence boundaries: the one home for where a sentence ends.

Two views of the same rule:

- on a spaCy Doc, the ``bp_sentences`` component marks a sentence start after
  a ``.``, ``!`` or ``?`` token followed by a token that can start a sentence
  (abbreviations from ``nlp/vocab/tokenizer.yml`` stay one token and decimals
  are single tokens, so neither ends a sentence);
- on a plain string, :data:`SENTENCE_END` matches the gap between two
  sentences: whitespace after ``.``, ``!`` or ``?`` before a character that
  can start a sentence (a capital, a digit, an opening bracket or quote, a
  bullet), or a line break. :func:`sentence_spans`, :func:`sentence_bounds`
  and :func:`sentence_end` read it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'\u2018\u201c\u2022])|\n")
END_TOKENS = frozenset({".", "!", "?", "..", "..."})
START_SYMBOLS = frozenset({"-", "\u2022"})


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the sentences of ``text``."""
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    ends = [m.start() for m in SENTENCE_END.finditer(text)] + [len(text)]
    return list(zip(starts, ends, strict=True))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around characters ``start:end``."""
    s = max((m.end() for m in SENTENCE_END.finditer(text) if m.end() <= start), default=0)
    e = next((m.start() for m in SENTENCE_END.finditer(text) if m.start() >= end), len(text))
    return s, e


def sentence_end(text: str, start: int = 0) -> int:
    """Where the sentence running at ``start`` ends (``len(text)`` at the last)."""
    m = SENTENCE_END.search(text, start)
    return m.start() if m else len(text)


@Language.component("bp_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Mark sentence starts after ., ! or ? when the next token can start a sentence."""
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        ends = prev.text in END_TOKENS or (prev.text.endswith(".") and prev.is_punct)
        starts_ok = not token.is_lower or token.is_digit or token.text in START_SYMBOLS
        if token.is_space:
            starts_ok = False
        token.is_sent_start = bool(ends and starts_ok)
    return doc


def add_sentences(nlp: Language) -> None:
    """Add ``bp_sentences`` once, at the front of the pipeline."""
    if "bp_sentences" not in nlp.pipe_names:
        nlp.add_pipe("bp_sentences", first=True)
