"""Number normalisation: what value a number token or phrase stands for.

Digits with thousands separators (``1,260``, ``12 345`` with a thin, no-break
or plain space), decimals (``11.3``), number words from
``nlp/vocab/numbers.yml`` ("eleven") and scale words or suffixes (``£1.2m``,
``3 million``). Ordinals ("4th", "second") are not numbers here: they count
positions, not quantities.

The ``bp_numbers`` component merges space-separated digit groups into one
token and sets ``Token._.is_num`` / ``Token._.num`` so that the patterns in
``nlp/patterns/*.jsonl`` can say "a number" as ``{"_": {"is_num": true}}``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from spacy.attrs import IDX, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Token

from .vocabulary import load_vocab

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
GROUP_SPACES = "\u00a0\u2007\u2009\u202f"  # no-break, figure, thin, narrow no-break
DIGITS_RE = re.compile(r"^\d{1,3}(?:[,\u00a0\u2007\u2009\u202f ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")
YEAR_RE = re.compile(r"^(19[5-9]\d|20\d\d)$")
ORDINAL_RE = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
# "01234", "007": a leading zero marks a code (phone, reference), not a quantity.
CODE_RE = re.compile(r"^0\d+$")


@cache
def _numbers_vocab() -> dict:
    return load_vocab("numbers.yml")


@cache
def number_words() -> dict[str, float]:
    """Spelled-out numbers and their values, from the vocabulary."""
    return {str(k).lower(): float(v) for k, v in _numbers_vocab()["words"].items()}


@cache
def scales() -> dict[str, float]:
    """Scale words and suffixes ("m", "million", "bn") and their multipliers."""
    return {str(k).lower(): float(v) for k, v in _numbers_vocab()["scales"].items()}


def min_word_figure() -> float:
    """Spelled-out numbers below this are prose, not figures (see numbers.yml)."""
    return float(_numbers_vocab().get("min_word_figure", 10))


def strip_footnote_marker(text: str) -> str:
    """``"500¹"`` -> ``"500"``: superscript digits are footnote calls."""
    return text.rstrip(SUPERSCRIPTS)


@lru_cache(maxsize=65536)
def parse_number(text: str) -> float | None:
    """The value of one number as written, or None if it is not a number.

    >>> parse_number("1,260"), parse_number("12\u2009345"), parse_number("eleven")
    (1260.0, 12345.0, 11.0)
    """
    s = strip_footnote_marker(text.strip())
    if not s or ORDINAL_RE.match(s) or CODE_RE.match(s):
        return None
    if DIGITS_RE.match(s):
        return float(re.sub(r"[,\u00a0\u2007\u2009\u202f ]", "", s))
    return number_words().get(s.lower())


def is_word_number(text: str) -> bool:
    return text.lower() in number_words()


def is_year(text: str) -> bool:
    """A bare four-digit year 1950-2099 (no separators, no decimals)."""
    return bool(YEAR_RE.match(text))


def scale_of(word: str) -> float | None:
    return scales().get(word.lower())


GROUP_RE = re.compile(r"\d{3}(?:\.\d+)?")
LEAD_RE = re.compile(r"\d{1,3}")


def token_texts(doc: Doc) -> list[str]:
    """Each token's text, read from the ORTH column: walking the doc builds a
    Token object per token."""
    strings = doc.vocab.strings
    return [strings[orth] for orth in doc.to_array(ORTH).tolist()]


TEXT_KEY = ("bp_doc_text",)  # ``doc.user_data`` keys: what a finished doc's columns hold
STARTS_KEY = ("bp_token_starts",)


def know_text(doc: Doc, text: str) -> None:
    """Tell :func:`doc_text` the text ``doc`` was made from: spaCy's tokenizer
    loses no character and a retokenizer's merges and splits keep the text (a
    split must spell the token it splits), so a finished doc's text is the
    text it was made from, and need not be rebuilt token by token."""
    doc.user_data[TEXT_KEY] = text


def doc_text(doc: Doc) -> str:
    """The text of a doc that has left the pipeline, read once (``Doc.text``
    walks every token)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def tokens_text(doc: Doc, start: int, end: int) -> str:
    """The text of ``doc[start:end]`` of a finished doc with its edges' whitespace
    stripped, as joining the tokens' ``text_with_ws`` and stripping gives it,
    without making a Token object per token."""
    starts = doc.user_data.get(STARTS_KEY)
    if starts is None:
        starts = doc.user_data[STARTS_KEY] = doc.to_array(IDX).tolist()
    text = doc_text(doc)
    if start >= end:
        return ""
    return text[starts[start] : starts[end] if end < len(starts) else len(text)].strip()


def _is_group(text: str) -> bool:
    return bool(GROUP_RE.fullmatch(text))


def split_scale_stops(doc: Doc) -> Doc:
    """ "£412.6m." at a sentence end: spaCy keeps "m." whole as an abbreviation;
    after a number it is the scale "m" and a full stop."""
    texts = token_texts(doc)
    spaces = doc.to_array(SPACY).tolist()
    scale_words = scales()
    with doc.retokenize() as retok:
        for i, text in enumerate(texts):
            if (
                text.endswith(".")
                and text[:-1].lower() in scale_words
                and i > 0
                and not spaces[i - 1]
                and parse_number(texts[i - 1]) is not None
            ):
                tok = doc[i]
                retok.split(tok, [text[:-1], "."], heads=[tok, tok])
    return doc


def merge_digit_groups(doc: Doc) -> Doc:
    """Merge "12 345" / "12\u2009345" into one token so it reads as 12345.

    A thin or no-break space between a 1-3 digit lead and 3-digit groups is
    always a thousands separator. A plain space is taken as one only when the
    lead has 1-3 digits, is not itself preceded by a number and the group is
    followed by no further digits (so "in 2019 200 crimes" stays apart).
    """
    texts = token_texts(doc)
    spaces = doc.to_array(SPACY).tolist()  # a token's whitespace_ is " " when set, else ""
    spans = []
    i = 0
    n = len(doc)
    while i < n:
        if (
            texts[i][:1].isdigit()
            and LEAD_RE.fullmatch(texts[i])
            and not (i > 0 and parse_number(texts[i - 1]) is not None)
        ):
            j = i
            while True:
                if j + 2 < n and texts[j + 1] in GROUP_SPACES and not spaces[j] and _is_group(texts[j + 2]):
                    j += 2
                elif j + 1 < n and spaces[j] and _is_group(texts[j + 1]) and "." not in texts[j]:
                    nxt = texts[j + 2] if j + 2 < n else None
                    if nxt is not None and parse_number(nxt) is not None:
                        break
                    j += 1
                else:
                    break
                if "." in texts[j]:
                    break
            if j > i:
                spans.append(doc[i : j + 1])
                i = j + 1
                continue
        i += 1
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


if not Token.has_extension("num"):
    Token.set_extension("num", getter=lambda t: parse_number(t.text))
if not Token.has_extension("is_num"):
    Token.set_extension("is_num", getter=lambda t: parse_number(t.text) is not None)


@Language.component("bp_numbers")
def numbers_component(doc: Doc) -> Doc:
    """Split "m." after a number; merge space-separated digit groups; ``Token._.num`` then reads them."""
    return merge_digit_groups(split_scale_stops(doc))


def add_numbers(nlp: Language) -> None:
    """Add ``bp_numbers`` once, before any ruler that matches numbers."""
    if "bp_numbers" not in nlp.pipe_names:
        nlp.add_pipe("bp_numbers", first=True)
