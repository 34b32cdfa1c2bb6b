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

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

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


# (ends a sentence, can start one) by ORTH id; past MAX_TEXTS the memo starts again.
_ROLES: dict[int, tuple[bool, bool]] = {}
MAX_TEXTS = 200_000


def _roles(vocab: Vocab, orth: int) -> tuple[bool, bool]:
    """Whether a token with this text can end a sentence, and start one: both
    read the text and its lexeme flags only, so they are worked out once per text."""
    found = _ROLES.get(orth)
    if found is None:
        if len(_ROLES) >= MAX_TEXTS:
            _ROLES.clear()
        lex = vocab[orth]
        text = lex.orth_
        ends = text in END_TOKENS or (text.endswith(".") and lex.is_punct)
        starts = (not lex.is_lower or lex.is_digit or text in START_SYMBOLS) and not lex.is_space
        found = _ROLES[orth] = (ends, starts)
    return found


@Language.component("bp_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Mark sentence starts after ., ! or ? when the next token can start a sentence.

    Every token is marked a start (1) or not (-1), as one array: setting
    ``token.is_sent_start`` token by token builds a Token object for each."""
    if not len(doc):
        return doc
    roles = [_roles(doc.vocab, orth) for orth in doc.to_array(ORTH).tolist()]
    starts = [1] + [1 if prev[0] and cur[1] else -1 for prev, cur in zip(roles[:-1], roles[1:], strict=True)]
    doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).view(numpy.uint64))
    return doc


def add_sentences(nlp: Language) -> None:
    """Add ``bp_sentences`` once, at the front of the pipeline."""
    if "bp_sentences" not in nlp.pipe_names:
        nlp.add_pipe("bp_sentences", first=True)
