"""Quantities: which numbers of a sentence are figures, and in what unit.

``nlp/patterns/figures.jsonl`` labels a number with the unit it carries
(``percent``, ``gbp``, ``usd``, ``hours``, ``count``, ...; ``money`` for a
scaled number with no currency, such as ``10k``, whose currency is the
paper's) and marks what is NOT a figure (``PERIOD_LENGTH`` such as "12
months", ``IDENTIFIER`` such as "paragraph 4", a ZIP code or a phone number).
This module picks, for every number, the best unit span, leaves out years,
dates, small spelled-out numbers and footnote calls, scales the value
(``£1.2m``) and applies signs (``(2.3)k`` is -2300, see :mod:`nlp.money`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from spacy.attrs import SPACY
from spacy.tokens import Doc, Span

from boardpapers.ingest.models import Paragraph

from . import money
from .dates import DateSpan
from .numbers import is_word_number, is_year, min_word_figure, parse_number, scale_of, token_texts
from .rules import load_vocab
from .spangroups import labelled_spans

SPANS_KEY = "bp_figures"
NOT_FIGURE = ("PERIOD_LENGTH", "IDENTIFIER")
SAMPLE_SIZE_RULE = "fig-sample-size"
RANGE_WORDS = {"to", "-", "\u2013", "\u2014", "and"}
REFERENCE_JOINTS = {"-", "\u2013", "/"}
SENTENCE_END = (".", "!", "?", ";", ",", ":")
MAX_HEADING_WORDS = 10
DECIMALS = 6  # scaled values are rounded to this many places
SCALE_WORDS = {"thousand", "million", "billion"}


@cache
def _units() -> dict:
    return load_vocab("units.yml")


def unit_labels() -> set[str]:
    """Every unit a figure pattern may give, plus ``money`` (the paper's currency)."""
    return set(_units()["units"]) | {money.MONEY}


def low_confidence_threshold() -> float:
    return float(_units().get("low_confidence_below", 60))


# Tokens spaCy leaves whole that hold a number and a mark or word: "(2.3)k" ->
# "2.3)k"; "-£1.2m" -> "-£1.2"; "£1700-£2000" -> "1700-£2000"; "21contracts".
GLUED = (
    re.compile(r"^(?P<a>[\d.,]+)(?P<b>\))(?P<c>[A-Za-z]{0,2})$"),
    re.compile(r"^(?P<a>[-\u2212\u2013])(?P<b>[£$€])(?P<c>[\d.,]+)$"),
    re.compile(r"^(?P<a>[£$€]?[\d.,]*\d)(?P<b>[-\u2013])(?P<c>[£$€])(?P<d>[\d.,]+)$"),
    re.compile(r"^(?P<a>\d[\d,]*(?:\.\d+)?)(?P<b>(?!(?:st|nd|rd|th|am|pm)$)[a-z]{3,})$"),
    re.compile(r"^(?P<a>[A-Za-z]+)(?P<b>\()(?P<c>\d+)$"),  # "at(408"
    re.compile(r"^(?P<a>~)(?P<b>\d[\d,.]*)$"),  # "~20": about 20
    re.compile(r"^(?P<a>[A-Z]{1,3}\$)(?P<b>\d[\d,.]*)$"),  # "NZ$3.2": a prefixed dollar
    re.compile(r"^(?P<a>c\.|ca\.)(?P<b>[£$€])(?P<c>\d[\d,.]*)$"),  # "c.£8": about £8
    re.compile(r"^(?P<a>\d[\d,]*(?:\.\d+)?)(?P<b>[KkMm]|[Bb]n|mn)(?P<c>\.)$"),  # "$7.7M." ending a sentence
)


def split_glued_numbers(doc: Doc) -> Doc:
    """Split tokens that glue a number to a bracket, currency, range dash or word."""
    splits = []
    for i, text in enumerate(token_texts(doc)):
        pieces = _glued_pieces(text)
        if pieces:
            splits.append((doc[i], list(pieces)))
    if splits:
        with doc.retokenize() as retok:
            for tok, parts in splits:
                retok.split(tok, parts, heads=[(tok, 0)] * len(parts))
    return doc


@lru_cache(maxsize=65536)  # the answer depends on the text alone
def _glued_pieces(text: str) -> tuple[str, ...] | None:
    """The pieces a token glued of a number and something else splits into, else None."""
    if not any(ch.isdigit() for ch in text):
        return None
    for pattern in GLUED:
        m = pattern.match(text)
        if m:
            parts = [g for g in m.groups() if g]
            return tuple(_split_pieces(parts)) if len(parts) > 1 else None
    return None


def _split_pieces(parts: list[str]) -> list[str]:
    """ "£1700" stays one group here; spaCy splits the currency off later? No: split it now."""
    out = []
    for part in parts:
        m = re.match(r"^([£$€])([\d.,]+)$", part)
        out += [m.group(1), m.group(2)] if m else [part]
    return out


@dataclass(frozen=True)
class Candidate:
    """A number that reads as a figure: tokens ``start:end`` of its doc."""

    start: int
    end: int
    num: int  # token index of the number itself
    value: float
    unit: str
    rule_id: str


def spans(doc: Doc, *labels: str) -> list[Span]:
    """The figure ruler's spans with one of ``labels``."""
    if SPANS_KEY not in doc.spans:
        return []
    return [s for label, s in labelled_spans(doc, SPANS_KEY) if label in labels]


def _is_footnote_call(doc: Doc, i: int, para: Paragraph) -> bool:
    """A digit glued to the word or figure before it that the paragraph calls as a footnote."""
    tok = doc[i]
    markers = set((para.footnote_marker or "").replace(",", " ").split())
    if i == 0 or doc[i - 1].whitespace_:
        return False
    prev = doc[i - 1].text
    return prev == "%" or (prev not in "£$€(-–" and tok.text in markers)


def blocked_tokens(doc: Doc, dates: Sequence[DateSpan]) -> set[int]:
    """Number tokens that are not figures: inside dates, period lengths, identifiers."""
    blocked: set[int] = set()
    for s in spans(doc, *NOT_FIGURE):
        blocked.update(i for i in range(s.start, s.end) if doc[i]._.is_num)
    blocked |= _reference_parts(doc, blocked)
    for d in dates:
        if not money.is_money_date(doc, d.start, d.end):
            blocked.update(range(d.start, d.end))
    return blocked


CAPITAL = re.compile(r"[A-Z]")
DIGIT = re.compile(r"\d")


def _is_code(text: str) -> bool:
    """A token mixing capitals and digits ("ABP-318254", "C25"): a code, not an amount."""
    return bool(CAPITAL.search(text) and DIGIT.search(text))


def _reference_parts(doc: Doc, blocked: set[int]) -> set[int]:
    """Numbers glued by a dash or slash to an identifier or a code ("No. 2025-18",
    "Section 10-4", "nos. 100412–100415", "ABP-318254-23"): parts of one reference."""
    out: set[int] = set()
    texts = token_texts(doc)  # no Token object per token
    spaces = doc.to_array(SPACY).tolist()  # whether a token has whitespace after it
    for i in range(len(texts) - 2):
        if (i in blocked or i in out or _is_code(texts[i])) and not spaces[i] and not spaces[i + 1]:
            if texts[i + 1] in REFERENCE_JOINTS and parse_number(texts[i + 2]) is not None:  # _.is_num
                out.add(i + 2)
    return out


def _best_unit_spans(doc: Doc, blocked: set[int]) -> dict[int, Span]:
    """For each number token, the unit span that says most about it (a unit over a count)."""
    best: dict[int, Span] = {}
    for s in spans(doc, *unit_labels()):
        num = next((t.i for t in s if t._.is_num), None)
        if num is None or num in blocked:
            continue
        cur = best.get(num)
        key = (s.label_ != "count", len(s))
        if cur is None or key > (cur.label_ != "count", len(cur)):
            best[num] = s
    return best


def _is_prose_number(doc: Doc, num: int, unit: str, value: float, para: Paragraph | None) -> bool:
    """Years, small spelled-out numbers and footnote calls: numbers but not figures."""
    text = doc[num].text
    if unit == "count" and is_year(text):
        return True
    if para is not None and _is_item_number(doc, num, para):
        return True
    if is_word_number(text) and unit == "count" and value < min_word_figure():
        return True
    return para is not None and _is_footnote_call(doc, num, para)


def _is_item_number(doc: Doc, num: int, para: Paragraph) -> bool:
    """ "3 Volunteers and activities": a bare number opening a short heading line (no
    sentence end) before a capitalised word is the item's number, not a count."""
    if num != 0 or len(doc) < 2 or para.kind == "table_row" or not re.fullmatch(r"\d{1,3}", doc[0].text):
        return False
    words = para.text.split()
    return (
        doc[1].is_alpha
        and doc[1].text[:1].isupper()
        and len(words) <= MAX_HEADING_WORDS
        and not para.text.rstrip().endswith(SENTENCE_END)
    )


def _scaled(doc: Doc, s: Span, num: int, value: float) -> tuple[float, int]:
    """The value times the scale words of its span ("£1.2m") or right after a count
    ("3 million"); and where the figure ends."""
    end = s.end
    for i in range(num + 1, s.end):  # not s[...]: an empty span at the doc's end rebuilds doc.text
        factor = scale_of(doc[i].text)
        if factor:
            value *= factor
    if s.label_ == "count" and end < len(doc) and doc[end].lower_ in SCALE_WORDS:
        value *= scale_of(doc[end].text) or 1
        end += 1
    return round(value, DECIMALS), end  # 4.1 x 1e6 is 4099999.9999999995 in floats


def candidates(
    doc: Doc, dates: Sequence[DateSpan], para: Paragraph | None = None, currency: str = money.DEFAULT
) -> list[Candidate]:
    """Numbers that are figures, each with its unit; years, dates, ordinals,
    period lengths and identifiers left out. ``currency`` is the paper's, for
    money written without one ("10k under budget")."""
    out: list[Candidate] = []
    for num, s in sorted(_best_unit_spans(doc, blocked_tokens(doc, dates)).items()):
        value = parse_number(doc[num].text)
        if value is None or _is_prose_number(doc, num, s.label_, value, para):
            continue
        value, end = _scaled(doc, s, num, value)
        unit, rule_id = money.own_dollar(s.label_, doc[s.start].text, currency), s.id_
        if unit == money.MONEY:
            unit = money.bare_scaled_unit(doc, s, currency)
            rule_id = rule_id if unit != "count" else f"{rule_id}+no-money-cue"
        start, end, sign = money.sign_of(doc, s.start, end, num, unit)
        out.append(Candidate(start, end, num, value * sign, unit, rule_id))
    return _spread_range_money(doc, _spread_range_units(doc, out))


def _spread_range_money(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "£2–3m": the bounds of a money range share the currency and the scale."""
    out = list(cands)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if b.start - a.end != 1 or doc[a.end].lower_ not in RANGE_WORDS or not money.is_money_unit(a.unit):
            continue
        a_scaled = any(scale_of(t.text) for t in doc[a.num + 1 : a.end])
        b_scale = next((scale_of(t.text) for t in doc[b.num + 1 : b.end] if scale_of(t.text)), None)
        if b_scale and not a_scaled:
            out[k] = replace(a, value=round(a.value * b_scale, DECIMALS), rule_id=f"{a.rule_id}+range-scale")
        if not money.is_money_unit(b.unit):
            out[k + 1] = replace(b, unit=a.unit, rule_id="fig-range-bound")
    return out


def _spread_range_units(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "18 to 25 per cent": the first bound takes the second's unit (two figures)."""
    out = list(cands)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if (
            a.unit == "count"
            and b.unit != "count"
            and b.start - a.end == 1
            and doc[a.end].lower_ in RANGE_WORDS
        ):
            out[k] = replace(a, unit=b.unit, rule_id="fig-range-bound")
    return out
