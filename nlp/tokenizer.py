"""Tokenizer for board-paper prose.

On top of spaCy's English rules:

- ``n=25`` splits into ``n``, ``=``, ``25`` (sample sizes);
- a number glued to a unit or scale splits (``£1.2m`` -> ``£ 1.2 m``,
  ``3.4bn``, ``450k``, ``1.5pp``, ``24hr``), and so does a footnote marker
  printed as a superscript (``Alcoa¹`` -> ``Alcoa ¹``);
- ranges of numbers split at the dash (``18–25%`` -> ``18 – 25 %``) but
  financial years stay whole (``2019/20``, ``2012–13``, ``19/20``), as do
  numeric dates (``18/12/2019``, ``2019-12-18``);
- ``12-month`` splits at the hyphen as spaCy already does.

Abbreviations (``nlp/vocab/tokenizer.yml``) stay one token, so a full stop
inside one does not end a sentence (sentence boundaries: ``nlp/sentences.py``;
financial years: ``nlp/months.py``).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

from .months import fiscal_year_start
from .vocabulary import load_vocab

NUMERIC_DATE = r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])/(?:(?:19|20)\d\d|\d\d)"
ISO_DATE = r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
KEEP_WHOLE = re.compile(rf"^(?:{NUMERIC_DATE}|{ISO_DATE}|Q[1-4])$")


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
