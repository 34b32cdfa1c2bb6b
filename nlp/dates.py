"""Dates and periods: find them, read them, and learn the paper's reporting period.

The one date parser of the project. Patterns live in
``nlp/patterns/dates.jsonl``: labels ``DATE_*`` are date or period
expressions, ``REPORTING_PERIOD`` marks statements of the period a paper
reports ("reviewed performance up to the end of November 2019") and
``MONTH_DATA`` marks sentences about the month's own data ("month on month").
What a match means (calendar arithmetic, financial years, a year-less date
resolved from the paper and the tense) is in ``nlp/date_values.py``; month
names and month arithmetic in ``nlp/months.py``.

Public API, for any code that reads a date (paper metadata, table headers,
due dates):

- :func:`parse_when` — one whole string as a :class:`When` ("30th July 2015",
  "23/01/2020", "Jan-22", "Q3 2021/22", "FY22", "w/c 3 June", "YTD", "Month"),
  or None; never raises;
- :func:`find_dates` — every date in a longer string, as :class:`When` values
  with character offsets;
- :func:`date_spans` — the normalised date expressions of a Doc;
- :func:`parse_date_span` — the first date expression of a text or Doc as
  ``(start, end, granularity)`` ISO strings;
- :func:`paper_context` — the paper's :class:`~nlp.context.Context`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from boardpapers.ingest.models import PaperMeta, Paragraph

from . import money
from .context import Context
from .date_values import (
    convention_words,
    is_reporting_month_word,
    normalise,
    order_votes,
    reporting_month,
    resolve_day,
    resolve_month,
)
from .gating import gate_rulers
from .months import MONTH_ALTERNATION, add_months, month_end
from .numbers import add_numbers
from .records import DateMention
from .rules import load_patterns, load_vocab
from .sentences import add_sentences
from .spangroups import labelled_spans
from .tokenizer import customize_tokenizer

__all__ = [
    "DateSpan",
    "When",
    "add_pipes",
    "cue_spans",
    "date_spans",
    "day_first_of",
    "extract_dates",
    "find_dates",
    "has_cid_garbage",
    "paper_context",
    "parse_date_span",
    "parse_when",
    "resolve_day",
    "resolve_month",
]

SPANS_KEY = "bp_dates"
RULER = "bp_date_ruler"
# When expressions overlap, the first label here wins, then the longer span.
PRIORITY = (
    "DATE_ROLLING",
    "DATE_YTD",
    "DATE_WEEK",
    "DATE_RANGE",
    "DATE_END_OF",
    "DATE_START_OF",
    "DATE_QUARTER",
    "DATE_RELATIVE",
    "DATE_DAY",
    "DATE_FY",
    "DATE_MONTH",
    "DATE_YEAR",
)
CID_RE = re.compile(r"\(cid:\d+\)")
# What may surround a whole-string date besides the date itself: punctuation and
# the small words of a label ("Date: the 3rd of May", "as at 31 March").
FILLER_RE = re.compile(
    r"^(?:[\s,.;:()\[\]'\"\u2018\u2019\u201c\u201d-]|\b(?:the|on|in|at|as|of|by|for|from|dated?)\b)*$", re.I
)
GRANULARITIES = ("day", "month", "quarter", "year", "period")


@dataclass(frozen=True)
class DateSpan:
    """A normalised date expression inside a Doc (token indices ``start:end``)."""

    label: str
    rule_id: str
    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    granularity: str
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class When:
    """A date or period as read from text: ``start``..``end`` inclusive.

    ``granularity`` is one of "day", "month", "quarter", "year", "period";
    ``text`` is the expression as printed and ``char_start``/``char_end`` its
    place in the string it was found in; ``rule_id`` the pattern that found it.
    """

    start: dt.date
    end: dt.date
    granularity: str
    text: str
    char_start: int = 0
    char_end: int = 0
    rule_id: str = ""


# ---------------------------------------------------------------- pipeline


def add_pipes(nlp: Language) -> None:
    """The date ruler: every pattern of ``dates.jsonl`` into ``doc.spans["bp_dates"]``."""
    add_numbers(nlp)
    if RULER in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True, "overwrite": True}
    )
    ruler.add_patterns([r for rule in load_patterns("dates.jsonl") for r in word_alternatives(rule)])


# A word list this long or shorter that can open a match is matched as one rule per word.
MAX_OPENING_WORDS = 4


def word_alternatives(rule: dict) -> list[dict]:
    """``rule`` as rules that match the same spans, with each word list that can
    open a match (``{"LOWER": {"IN": [...]}}``, optional or not) split into one
    rule per word (``{"LOWER": "w/c"}``) and, if optional, one without it.

    The matcher tries every rule at every token, and a word list is a Python
    call per token where a single word is compared in C: this keeps the ruler
    fast however many word lists the rule file opens with.
    """
    pattern = rule["pattern"]
    if not isinstance(pattern, list):
        return [rule]
    for k, tok in enumerate(pattern):
        words = _opening_words(tok)
        if words is not None:
            head, rest = pattern[:k], pattern[k + 1 :]
            variants = [head + [{"LOWER": w}] + rest for w in words]
            if tok.get("OP") == "?" and head + rest:
                variants += [r["pattern"] for r in word_alternatives({**rule, "pattern": head + rest})]
            return [{**rule, "pattern": v} for v in variants]
        if tok.get("OP") not in ("?", "*"):
            break
    return [rule]


def _opening_words(tok: dict) -> list[str] | None:
    lower = tok.get("LOWER")
    if set(tok) - {"LOWER", "OP"} or tok.get("OP") not in (None, "?") or not isinstance(lower, dict):
        return None
    words = lower.get("IN") if set(lower) == {"IN"} else None
    return list(words) if isinstance(words, list) and len(words) <= MAX_OPENING_WORDS else None


@cache
def _date_nlp() -> Language:
    """A small pipeline for parsing loose text (meta fields, other families' cells)."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    add_sentences(nlp)
    add_pipes(nlp)
    gate_rulers(nlp)
    return nlp


# ---------------------------------------------------------------- spans of a doc


def _trim(span: Span) -> Span:
    """Drop a leading "the" or "between" and trailing commas from a matched expression."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and doc[start].lower_ in ("the", "between"):
        start += 1
    while end > start + 1 and doc[end - 1].text == ",":
        end -= 1
    return Span(doc, start, end, label=span.label_, span_id=span.id_)


def _bare_ambiguous_month(span: Span) -> bool:
    """A lone "May"/"March" starting a sentence is a verb, not a month (but a
    text that is nothing else, such as a column header, names the month)."""
    return (
        span.label_ == "DATE_MONTH"
        and len(span) == 1
        and span[0].is_sent_start
        and span[0].lower_ in {"may", "march"}
        and any(t.is_alpha for t in span.doc if not span.start <= t.i < span.end)
    )


def date_spans(doc: Doc, ctx: Context) -> list[DateSpan]:
    """The date expressions of ``doc``, non-overlapping, normalised, in order."""
    # Figures, dates and actions each ask for a doc's dates: work them out once per
    # doc and context (the doc's tokens and date spans are final once it leaves the pipeline).
    key = ("bp_date_spans", ctx)
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = tuple(_date_spans(doc, ctx))
    return list(found)


def _date_spans(doc: Doc, ctx: Context) -> list[DateSpan]:
    if SPANS_KEY not in doc.spans:
        return []
    cands = [s for s in doc.spans[SPANS_KEY] if s.label_ in PRIORITY]
    cands.sort(key=lambda s: (PRIORITY.index(s.label_), -len(s), s.start))
    taken: set[int] = set()
    out: list[DateSpan] = []
    for span in cands:
        if any(i in taken for i in range(span.start, span.end)) or _bare_ambiguous_month(span):
            continue
        norm = normalise(span, ctx)
        if norm is None:
            continue
        taken.update(range(span.start, span.end))
        s = _trim(span)
        first, last, gran = norm
        out.append(
            DateSpan(s.label_, s.id_, s.start, s.end, first, last, gran, s.text, s.start_char, s.end_char)
        )
    return _lists_in_order(sorted(out, key=lambda d: d.start), doc)


LIST_JOINERS = {"and", "&", "|", "then"}
YEAR_SHAPE = re.compile(r"(?:19|20)\d\d|\d[/.-]\d|[A-Za-z][-'\u2019]?\d\d$")


def _yearless(d: DateSpan) -> bool:
    return d.granularity in ("day", "month") and d.label != "DATE_RELATIVE" and not YEAR_SHAPE.search(d.text)


def _lists_in_order(spans: list[DateSpan], doc: Doc) -> list[DateSpan]:
    """Year-less dates printed one after another ("27th July, 26th October,
    28th December") run forward: one that resolved before the date listed just
    before it is the next year's."""
    out: list[DateSpan] = []
    for d in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _yearless(d)
            and d.first is not None
            and prev.first is not None
            and d.first < prev.first
            and all(not t.is_alpha or t.lower_ in LIST_JOINERS for t in doc[prev.end : d.start])
        ):
            moved = _next_year(d)
            d = moved if moved is not None and moved.first >= prev.first else d
        out.append(d)
    return out


def _next_year(d: DateSpan) -> DateSpan | None:
    try:
        first = d.first.replace(year=d.first.year + 1)
        last = month_end(first.year, first.month) if d.granularity == "month" else first
    except ValueError:  # 29 February
        return None
    return dataclasses.replace(d, first=first, last=last)


def cue_spans(doc: Doc, label: str) -> list[Span]:
    """Cue spans (``REPORTING_PERIOD``, ``MONTH_DATA``) of ``doc``."""
    if SPANS_KEY not in doc.spans:
        return []
    return [s for found, s in labelled_spans(doc, SPANS_KEY) if found == label]


# ---------------------------------------------------------------- the public parser


def find_dates(text: str, ctx: Context | None = None) -> list[When]:
    """Every date or period expression in ``text``, in order, with offsets.

    >>> [w.text for w in find_dates("Due 23/01/2020, reviewed in Q3 2021/22.")]
    ['23/01/2020', 'Q3 2021/22']
    """
    if not text or not text.strip():
        return []
    ctx = ctx or Context()
    if ctx.day_first is None:  # no paper decided the order: the string's own dates do
        day, month = order_votes(text)
        ctx = dataclasses.replace(ctx, day_first=day > month) if day != month else ctx
    try:
        spans = date_spans(_date_nlp()(text), ctx)
    except (ValueError, TypeError, OverflowError):
        return []
    return [
        When(d.first, d.last, d.granularity, d.text, d.char_start, d.char_end, d.rule_id)
        for d in spans
        if d.first is not None and d.last is not None
    ]


def parse_when(text: str, ctx: Context | None = None) -> When | None:
    """The date or period a whole string names, or None (never raises).

    The string must be one date expression, give or take punctuation:
    "Thursday 23 January 2020", "23.1.20", "Jan-22", "FY 2021/22", "w/c 3 June";
    "YTD" and "Month" read against ``ctx``'s reporting month. A year-less
    date takes its year from ``ctx`` (None without one). An impossible date
    ("31 February") is None.

    >>> w = parse_when("Q3 2021/22")
    >>> (w.start.isoformat(), w.end.isoformat(), w.granularity)
    ('2021-10-01', '2021-12-31', 'quarter')
    """
    if not isinstance(text, str) or not text.strip():
        return None
    ctx = ctx or Context()
    if is_reporting_month_word(text.strip(" .:")):
        month = reporting_month(ctx)
        return When(*month, text.strip(), 0, len(text), "reporting-month") if month else None
    found = find_dates(text, ctx)
    if len(found) != 1:
        return None
    w = found[0]
    rest = text[: w.char_start] + text[w.char_end :]
    return w if FILLER_RE.match(rest) else None


def parse_date_span(
    doc_or_text: Doc | str, ctx: Context | None = None
) -> tuple[str | None, str | None, str] | None:
    """The first date expression in a text or Doc as ISO ``(start, end, granularity)``.

    >>> parse_date_span("12 months ending June 2019")
    ('2018-07-01', '2019-06-30', 'period')
    """
    ctx = ctx or Context()
    if isinstance(doc_or_text, str):
        return _parse_text(doc_or_text, ctx)
    return _first_date(doc_or_text, ctx)


@lru_cache(maxsize=4096)  # cells and meta fields repeat ("Q3", "31 March 2020")
def _parse_text(text: str, ctx: Context) -> tuple[str | None, str | None, str] | None:
    return _first_date(_date_nlp()(text), ctx)


def _first_date(doc: Doc, ctx: Context) -> tuple[str | None, str | None, str] | None:
    spans = date_spans(doc, ctx)
    if not spans:
        return None
    d = spans[0]
    return _iso(d.first), _iso(d.last), d.granularity


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def has_cid_garbage(text: str) -> bool:
    """Text with ``(cid:NN)`` glyph codes: unreadable, so nothing is extracted from it."""
    return bool(CID_RE.search(text))


# ---------------------------------------------------------------- the paper's context

FORMAT_LABEL_RE = re.compile(r"\b(dd|mm)[/.-](dd|mm)[/.-](?:yyyy|yy)\b", re.I)
WRITTEN_MONTH_FIRST_RE = re.compile(
    rf"\b(?:{MONTH_ALTERNATION})\.? \d{{1,2}}(?:st|nd|rd|th)?, (?:19|20)\d\d\b", re.I
)
WRITTEN_DAY_FIRST_RE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTH_ALTERNATION})\.?,? (?:19|20)\d\d\b", re.I
)


def day_first_of(texts: Sequence[str]) -> bool:
    """The order the paper writes numeric dates ("4/6/16") in: True day first
    (UK), False month first (US); every date of the paper is read this way.
    Day first unless :func:`stated_order` says month first.
    """
    return stated_order(texts) is not False


def stated_order(texts: Sequence[str]) -> bool | None:
    """The order the paper's own evidence gives its numeric dates: True day
    first, False month first, None when nothing tells.

    Its own dates settle it first ("25/3/21" day first, "3/25/21" month first,
    the majority), then a format it names ("MM/DD/YYYY"); failing both, its
    conventions vote once each (see ``us_spellings`` and ``day_first_currencies``
    in ``nlp/vocab/dates.yml``): the currency it prints most (a bare "$" in a
    paper printing "A$" is Australian), its spellings, how it writes dates in
    words. A tie is None.
    """
    day = month = 0
    for text in texts:
        d, m = order_votes(text)
        day, month = day + d, month + m
    if day != month:
        return day > month
    joined = "\n".join(texts)
    labels = [first.lower() for first, _second in FORMAT_LABEL_RE.findall(joined)]
    if labels.count("dd") != labels.count("mm"):
        return labels.count("dd") > labels.count("mm")
    us, uk = convention_words(joined)
    written_us = len(WRITTEN_MONTH_FIRST_RE.findall(joined))
    written_uk = len(WRITTEN_DAY_FIRST_RE.findall(joined))
    currency = money.printed_currency(texts)
    by_currency = currency_orders()
    votes_us = (by_currency.get(currency) is False) + (us > uk) + (written_us > written_uk)
    votes_uk = (by_currency.get(currency) is True) + (uk > us) + (written_uk > written_us)
    return None if votes_us == votes_uk else votes_uk > votes_us


@cache
def currency_orders() -> dict[str, bool]:
    """Currency -> True for a day-first convention, False month first (``nlp/vocab/dates.yml``)."""
    v = load_vocab("dates.yml")
    orders = {str(c): True for c in v.get("day_first_currencies", ("gbp", "eur"))}
    orders.update({str(c): False for c in v.get("month_first_currencies", ("usd",))})
    return orders


def _date_of(text: str | None, ctx: Context) -> dt.date | None:
    if not text:
        return None
    parsed = parse_date_span(text, ctx)
    if not parsed or parsed[2] != "day" or not parsed[0]:
        return None
    return dt.date.fromisoformat(parsed[0])


def paper_context(meta: PaperMeta, docs: Sequence[tuple[Doc, Paragraph]]) -> tuple[Context, list[str]]:
    """The paper's meeting date and reporting period, with warnings.

    The meeting date is ``meta.meeting_date`` (else a date in the running
    footer, else the printed date). The reporting period is the month of the
    first statement of it ("performance up to the end of November 2019",
    "data to the end of ...", "month ending ..."); else the period the paper's
    title names (``meta.reporting_period_end``, "Budget 2021/22"); failing
    that, the month before the meeting when at least two paragraphs report
    that month by name.
    """
    warnings: list[str] = []
    order = day_first_of([para.text for _doc, para in docs])
    printed = _date_of(meta.date_printed, Context(day_first=order))
    meeting = None
    if meta.meeting_date:
        try:
            meeting = dt.date.fromisoformat(meta.meeting_date[:10])
        except ValueError:
            warnings.append(f"extract: meeting date {meta.meeting_date!r} is not an ISO date")
    meeting = meeting or _date_of(meta.footer, Context(day_first=order))
    base = Context(meeting_date=meeting or printed, day_first=order)
    reporting = (
        _stated_reporting_month(docs, base)
        or _titled_period(meta, docs, base)
        or _opening_period(docs, base)
        or _implied_reporting_month(docs, base)
    )
    if reporting is None:
        return base, warnings
    if meeting is None and printed and printed >= reporting[1]:
        meeting = printed  # a printed date that agrees with the content stands for the meeting
    ctx = Context(
        meeting_date=meeting, reporting_start=reporting[0], reporting_end=reporting[1], day_first=order
    )
    end = ctx.reporting_end
    if printed and end and end > printed:
        warnings.append(
            f"extract: reporting period ends {end.isoformat()}, after the paper's printed date "
            f"{printed.isoformat()} (date conflict: the printed date is probably wrong)"
        )
    if meeting and end and end > meeting and meeting != printed:
        warnings.append(
            f"extract: reporting period ends {end.isoformat()}, after the meeting date {meeting.isoformat()}"
        )
    return ctx, warnings


def _printed_spans(doc: Doc, base: Context) -> list[DateSpan]:
    """The dates a paper prints: what its reporting period is read from ("tomorrow",
    "next month" count from the meeting and say nothing of the period)."""
    return [d for d in date_spans(doc, base) if d.label != "DATE_RELATIVE"]


def _stated_reporting_month(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    for doc, _para in docs:
        for cue in cue_spans(doc, "REPORTING_PERIOD"):
            for d in _printed_spans(doc, base):
                if d.start < cue.end and d.end > cue.start and d.last is not None:
                    return dt.date(d.last.year, d.last.month, 1), month_end(d.last.year, d.last.month)
            # The cue's own words may hold the date ("month ending November 2019").
            parsed = parse_date_span(cue.text, base)
            if parsed and parsed[1]:
                last = dt.date.fromisoformat(parsed[1])
                return dt.date(last.year, last.month, 1), month_end(last.year, last.month)
    return None


def _titled_period(meta: PaperMeta, docs, base: Context) -> tuple[dt.date, dt.date] | None:
    """The period whose end ``meta.reporting_period_end`` gives (set from the title):
    the longest period the paper prints that ends that day, else that day's month."""
    try:
        end = dt.date.fromisoformat((getattr(meta, "reporting_period_end", None) or "")[:10])
    except ValueError:
        return None
    starts = [d.first for doc, _para in docs for d in _printed_spans(doc, base) if d.last == end and d.first]
    return (min(starts, default=dt.date(end.year, end.month, 1)), end)


OPENING_PARAGRAPHS = 3


def _opening_period(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    """A paper with no date of its own ("Spending v Budget 2021/22", a schedule
    or accounts): the first financial year, quarter or month its opening
    paragraphs print is the period it reports."""
    if base.anchor is not None:
        return None
    for doc, _para in docs[:OPENING_PARAGRAPHS]:
        for d in _printed_spans(doc, base):
            if (
                d.granularity in ("year", "quarter", "month")
                and d.label != "DATE_YEAR"
                and d.first
                and d.last
            ):
                return d.first, d.last
    return None


def _implied_reporting_month(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    if base.meeting_date is None:
        return None
    y, m = add_months(base.meeting_date.year, base.meeting_date.month, -1)
    hits = 0
    for doc, _para in docs:
        if any(d.granularity == "month" and d.first == dt.date(y, m, 1) for d in _printed_spans(doc, base)):
            hits += 1
    if hits >= 2:
        return dt.date(y, m, 1), month_end(y, m)
    return _most_reported_month(docs, base)


def _most_reported_month(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    """The month in which most of the paper's stated periods and snapshot dates
    end ("Q3 2023/24", "October to December 2023", "as at 31 December 2023"),
    among the months up to the meeting and at most six months before it; at
    least two mentions, the later month on a tie."""
    meeting = base.meeting_date
    if meeting is None:
        return None
    earliest = dt.date(*add_months(meeting.year, meeting.month, -6), 1)
    counts: dict[tuple[int, int], int] = {}
    for doc, _para in docs:
        for d in _printed_spans(doc, base):
            if d.granularity == "year" or d.last is None or not (earliest <= d.last <= meeting):
                continue
            if d.label == "DATE_YTD" or (d.granularity == "day" and d.last == meeting):
                continue
            key = (d.last.year, d.last.month)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    (y, m), n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return (dt.date(y, m, 1), month_end(y, m)) if n >= 2 else None


# ---------------------------------------------------------------- the dates family


def extract_dates(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[DateMention]:
    """One DateMention per date or period expression, in reading order."""
    out: list[DateMention] = []
    for doc, para in docs:
        if has_cid_garbage(para.text):
            continue
        for d in date_spans(doc, ctx):
            out.append(
                DateMention(
                    para=para.seq,
                    text=d.text,
                    start=_iso(d.first),
                    end=_iso(d.last),
                    granularity=d.granularity,
                    page=para.page_at(d.char_start),
                    char_start=d.char_start,
                    char_end=d.char_end,
                    rule_id=d.rule_id,
                )
            )
    return out
