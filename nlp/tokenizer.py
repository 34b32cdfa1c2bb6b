"""Tokenizer and sentence boundaries for board-paper prose.

On top of spaCy's English rules:

- ``n=25`` splits into ``n``, ``=``, ``25`` (sample sizes);
- a number glued to a unit or scale splits (``£1.2m`` -> ``£ 1.2 m``,
  ``3.4bn``, ``450k``, ``1.5pp``, ``24hr``), and so does a footnote marker
  printed as a superscript (``Alcoa¹`` -> ``Alcoa ¹``);
- ranges of numbers split at the dash (``18–25%`` -> ``18 – 25 %``) but
  financial years stay whole (``2019/20``, ``2012–13``, ``19/20``), as do
  numeric dates (``18/12/2019``);
- ``12-month`` splits at the hyphen as spaCy already does.

Sentences end at ``.``, ``!`` or ``?`` tokens followed by a token that can start
a sentence; abbreviations (``nlp/vocab/tokenizer.yml``) stay one token, and
decimals are single tokens, so neither ends a sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

from .rules import load_vocab

FISCAL_YEAR = r"(?:FY)?(?P<y1>(?:19|20)\d\d|\d\d)[/\u2013\u2014-](?P<y2>(?:19|20)\d\d|\d\d)"
NUMERIC_DATE = r"(?:[12]?\d|3[01])/(?:0?[1-9]|1[0-2])/(?:(?:19|20)\d\d|\d\d)"
FISCAL_YEAR_RE = re.compile(rf"^{FISCAL_YEAR}$")
KEEP_WHOLE = re.compile(rf"^(?:{NUMERIC_DATE}|Q[1-4])$")


def fiscal_year_start(text: str) -> int | None:
    """``"2019/20"``, ``"2012–13"``, ``"FY2019/2020"``, ``"19/20"`` -> the first year;
    None unless the two years are consecutive (so "18-22" is a range, not a year)."""
    m = FISCAL_YEAR_RE.match(text)
    if not m:
        return None
    y1, y2 = m.group("y1"), m.group("y2")
    first = int(y1) if len(y1) == 4 else 2000 + int(y1)
    if int(y2) % 100 != (first + 1) % 100:
        return None
    if len(y2) == 4 and int(y2) != first + 1:
        return None
    return first


EXTRA_SUFFIXES = [
    r"(?<=\d)(?:bn|mn|m|k|pp|ppts?|hrs?|mins?)",
    r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+",
    r"(?<=%)\d{1,2}",  # "27%2": a footnote call printed on the line
]
EXTRA_INFIXES = [
    r"(?<=[A-Za-z])=(?=\d)",
    r"(?<=\d)[\u2013\u2014-](?=\d)",
]


def customize_tokenizer(nlp: Language) -> None:
    """Install our infixes, suffixes, whole-token shapes and abbreviations.

    Builds one new Tokenizer: each property set on an existing one reloads all
    special cases, which costs seconds."""
    old = nlp.tokenizer
    default_match = old.token_match

    def token_match(text: str):
        if KEEP_WHOLE.match(text) or fiscal_year_start(text) is not None:
            return True
        return default_match(text) if default_match else None

    rules = dict(old.rules or {})
    for abbr in load_vocab("tokenizer.yml")["abbreviations"]:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            rules[form] = [{ORTH: form}]
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=old.prefix_search,
        suffix_search=compile_suffix_regex(list(nlp.Defaults.suffixes) + EXTRA_SUFFIXES).search,
        infix_finditer=compile_infix_regex(list(nlp.Defaults.infixes) + EXTRA_INFIXES).finditer,
        token_match=token_match,
        url_match=old.url_match,
        faster_heuristics=old.faster_heuristics,
    )


@Language.component("bp_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Mark sentence starts after ., ! or ? when the next token can start a sentence."""
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        ends = prev.text in {".", "!", "?", "..", "..."} or (prev.text.endswith(".") and prev.is_punct)
        starts_ok = not token.is_lower or token.is_digit or token.text in {"-", "•"}
        if token.is_space:
            starts_ok = False
        token.is_sent_start = bool(ends and starts_ok)
    return doc


def add_sentences(nlp: Language) -> None:
    """Add ``bp_sentences`` once, at the front of the pipeline."""
    if "bp_sentences" not in nlp.pipe_names:
        nlp.add_pipe("bp_sentences", first=True)
