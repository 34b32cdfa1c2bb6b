"""Money: currencies, scales and signs, in sentences and in table headers.

What a currency looks like (``£``, ``$``, ``€``, ``GBP``/``USD``/``EUR``,
"dollars") and which words make a bare scaled number money ("10k under
budget") are data in ``nlp/vocab/money.yml``; the figure patterns label
money ``gbp``/``usd``/``eur``, or ``money`` when no currency is printed, which
this module resolves to the paper's currency (its most printed one).

Signs: accounting brackets (``(2.3)k``; in a table cell any ``(1,234)``), a
leading minus, and sign words after the figure ("adverse" is negative).
Headers: ``header_unit("£'000s")`` says every cell below is gbp times 1000;
``"% of budget used"`` makes them percentages; ``"Budget"`` makes them money
in the paper's currency (see ``money_headers`` in ``nlp/vocab/units.yml``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Doc, Span

from .rules import load_vocab

MONEY = "money"  # the pattern label of money printed without a currency
DEFAULT = "gbp"
MINUS = ("-", "\u2212", "\u2013")


@cache
def _vocab() -> dict:
    return load_vocab("money.yml")


@cache
def _units() -> dict:
    return load_vocab("units.yml")


def currencies() -> dict[str, dict]:
    return _vocab()["currencies"]


def default_currency() -> str:
    return str(_vocab().get("default_currency", DEFAULT))


def money_units() -> set[str]:
    return set(currencies())


@cache
def _symbol_re() -> re.Pattern:
    """Any currency symbol, or a code as a whole word. A lookahead for the
    characters they begin with leads, so that most positions fail at once."""
    marks = [re.escape(s) for c in currencies().values() for s in c.get("symbols", [])]
    codes = [rf"\b{re.escape(s)}\b" for c in currencies().values() for s in c.get("codes", [])]
    printed = [s for c in currencies().values() for s in [*c.get("symbols", []), *c.get("codes", [])]]
    firsts = "".join(sorted({re.escape(s[0]) for s in printed if s}))
    either = "|".join(sorted(marks, key=len, reverse=True) + codes)
    return re.compile(rf"(?=[{firsts}])(?:{either})" if firsts and all(printed) else either, re.I)


@lru_cache(maxsize=4096)  # headers and marks repeat on every row of a table
def currency_in(text: str | None) -> str | None:
    """The currency a text prints ("Budget £" -> "gbp", "$ SPENT" -> "usd"), else None."""
    hit = _symbol_re().search(text or "")
    if not hit:
        return None
    mark = hit.group(0).lower()
    for unit, c in currencies().items():
        if mark in {s.lower() for s in c.get("symbols", [])} | {s.lower() for s in c.get("codes", [])}:
            return unit
    return None


def own_dollar(unit: str, mark: str, currency: str) -> str:
    """A bare "$" is the paper's own dollar ("$2m" in a paper printing "A$" is aud)."""
    dollars = {str(u) for u in _vocab().get("dollar_currencies", [])}
    return currency if unit == "usd" and mark == "$" and currency in dollars else unit


def paper_currency(texts: Iterable[str]) -> str:
    """The paper's currency: the one it prints most, else the default."""
    counts: Counter[str] = Counter()
    pattern = _symbol_re()
    for text in texts:
        for hit in pattern.finditer(text):
            unit = currency_in(hit.group(0))
            if unit:
                counts[unit] += 1
    return counts.most_common(1)[0][0] if counts else default_currency()


def printed_currency(texts: Iterable[str]) -> str | None:
    """The currency a paper prints most, None when it prints none. A bare "$"
    counts as the paper's own dollar: the other dollar it prints most ("A$",
    "NZ$", "AUD"; ``dollar_currencies`` in money.yml), else the US dollar."""
    counts: Counter[str] = Counter()
    bare = 0
    for text in texts:
        for hit in _symbol_re().finditer(text):
            if hit.group(0) == "$":
                bare += 1
            elif unit := currency_in(hit.group(0)):
                counts[unit] += 1
    if bare:
        dollars = [str(u) for u in _vocab().get("dollar_currencies", []) if str(u) != "usd"]
        own = max(dollars, key=lambda u: counts[u], default=None)
        counts[own if own is not None and counts[own] else "usd"] += bare
    return counts.most_common(1)[0][0] if counts else None


@cache
def _cues() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _vocab().get("money_cues", []))


def bare_scaled_unit(doc: Doc, span: Span, currency: str) -> str:
    """ "10k" with no currency: money in the paper's currency when its sentence talks
    of money ("under budget", "costs"), else a count."""
    sent = doc[span.start].sent
    return currency if any(t.lower_ in _cues() for t in sent) else "count"


def _sign_word(doc: Doc, end: int) -> float | None:
    """-1 / +1 from "adverse" / "favourable" right after a figure (or after "(A)")."""
    vocab = _vocab()
    words = [t.lower_ for t in doc[end : end + 3] if t.text not in "()"][:1]
    if not words:
        return None
    if words[0] in vocab.get("negative_words", []):
        return -1.0
    if words[0] in vocab.get("positive_words", []):
        return 1.0
    return None


def is_money_unit(unit: str) -> bool:
    return unit == MONEY or unit in money_units()


def is_money_date(doc: Doc, start: int, end: int) -> bool:
    """A "year" that is an amount: "£2000", "$1999"."""
    return end - start == 1 and start > 0 and doc[start - 1].text in _symbols()


@cache
def _symbols() -> frozenset[str]:
    return frozenset(s for c in currencies().values() for s in c.get("symbols", []))


def sign_of(doc: Doc, start: int, end: int, num: int, unit: str) -> tuple[int, int, float]:
    """Where a figure starts and ends once its sign marks are read, and its sign.

    Money only: accounting brackets that close between the number and its
    scale ("(2.3)k"); "adverse" after it is negative. Any unit: a minus glued
    to the number or its currency ("-£1.2m", "-4%") is negative.
    """
    sign = 1.0
    opened = any(doc[i].text == "(" for i in range(start, num))
    closes = [i for i in range(num + 1, end) if doc[i].text == ")"]
    if opened and closes and closes[-1] < end - 1 and is_money_unit(unit):  # "(2.3)k"
        sign = -1.0
    elif opened and not closes:
        start = next(i for i in range(start, num) if doc[i].text != "(")
    if start > 0 and doc[start - 1].text in MINUS and not doc[start - 1].whitespace_:
        if start < 2 or doc[start - 2].whitespace_ or not doc[start - 2]._.is_num:
            start -= 1
            sign = -1.0
    word = _sign_word(doc, end) if is_money_unit(unit) else None
    if word is not None:
        sign = word
        end += 1 + (doc[end].text == "(")
        end += end < len(doc) and doc[end].text == ")"
    return start, end, sign


# ---------------------------------------------------------------- headers


HEADER_WORD = re.compile(r"[a-z]+|%")


@lru_cache(maxsize=4096)  # the same headers and vocabulary phrases come back on every row
def _as_words(text: str) -> str:
    return " " + " ".join(HEADER_WORD.findall(text.lower())) + " "


def header_words(header: str | None) -> str:
    """A header as " word word ", for whole-word lookups."""
    return _as_words(header or "")


def holds(header: str | None, phrases: Sequence) -> bool:
    """Whether the header holds one of the phrases as whole words."""
    words = header_words(header)
    return any(_as_words(str(p)) in words for p in phrases)


def is_money_header(header: str | None) -> bool:
    """A column header that makes its numbers money ("Amount", "Net £", "VAT", "$ SPENT")."""
    units = _units()
    if holds(header, units.get("not_money_headers", [])) and not currency_in(header):
        return False
    return bool(currency_in(header)) or holds(header, units.get("money_headers", []))


def is_percent_header(header: str | None) -> bool:
    """A column header whose numbers are percentages ("% of budget used")."""
    return "%" in (header or "") or holds(header, _vocab().get("percent_headers", []))


@dataclass(frozen=True)
class HeaderUnit:
    """What a table header says of every number under it."""

    unit: str
    scale: float = 1.0
    rule_id: str = "tbl-header-unit"


def header_scale(header: str | None) -> float:
    """ "£000", "£'000s", "(£m)", "$ in thousands": the factor the cells are printed in."""
    text = (header or "").lower().replace("\u2019", "'")
    scales = {str(k).lower(): float(v) for k, v in _vocab().get("header_scales", {}).items()}
    marks = "".join(re.escape(s) for c in currencies().values() for s in c.get("symbols", []) if len(s) == 1)
    for hit in re.finditer(rf"[{marks}]\s*('?\d{{3}}s?|'?[a-z]+)\b", text):  # "£'m" is "£m"
        for scale in (hit.group(1), hit.group(1).lstrip("'")):
            if scale in scales:
                return scales[scale]
    for phrase in _vocab().get("in_units", []):
        if re.search(rf"\b{re.escape(phrase)}\b", text):
            return scales.get(phrase.split()[-1], 1.0)
    return 1.0


@lru_cache(maxsize=4096)  # asked once per cell of a column
def header_unit(header: str | None, currency: str) -> HeaderUnit | None:
    """The unit (and scale) a table header gives its cells, or None when it gives none."""
    if not header or not header.strip():
        return None
    if is_percent_header(header) and not currency_in(header):
        return HeaderUnit("percent", 1.0, "tbl-header-percent")
    if is_money_header(header):
        mark = _symbol_re().search(header)
        unit = own_dollar(currency_in(header) or currency, mark.group(0) if mark else "", currency)
        return HeaderUnit(unit, header_scale(header), "tbl-header-money")
    return None
