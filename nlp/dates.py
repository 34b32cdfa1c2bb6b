"""Dates and periods: find them, normalise them to ISO start/end, and learn
the paper's reporting period.

Patterns live in ``nlp/patterns/dates.jsonl``: labels ``DATE_*`` are date or
period expressions, ``REPORTING_PERIOD`` marks statements of the period a
paper reports ("reviewed performance up to the end of November 2019") and
``MONTH_DATA`` marks sentences about the month's own data ("month on month").
This module holds what patterns cannot say: calendar arithmetic, financial
years (April to March), and resolving a year-less date against the paper.

Public helpers other families may use:

- :func:`date_spans` — the normalised date expressions of a Doc;
- :func:`parse_date_span` — the first date expression of a text or Doc as
  ``(start, end, granularity)`` ISO strings;
- :func:`paper_context` — the paper's :class:`~nlp.context.Context`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from boardpapers.ingest.models import PaperMeta, Paragraph

from .context import Context
from .numbers import add_numbers, parse_number
from .records import DateMention
from .rules import load_patterns
from .tokenizer import customize_tokenizer, fiscal_year_start

SPANS_KEY = "bp_dates"
RULER = "bp_date_ruler"
# When expressions overlap, the first label here wins, then the longer span.
PRIORITY = (
    "DATE_ROLLING",
    "DATE_YTD",
    "DATE_RANGE",
    "DATE_END_OF",
    "DATE_START_OF",
    "DATE_QUARTER",
    "DATE_DAY",
    "DATE_FY",
    "DATE_MONTH",
    "DATE_YEAR",
)
# How far after the anchor a year-less date may fall ("the 20th of December"
# in a January paper is last December, but "6th February" may be next month).
FUTURE_WINDOW_DAYS = 92
RANGE_WORDS = {"to", "through", "until", "till", "-", "\u2013", "\u2014", "and"}
CID_RE = re.compile(r"\(cid:\d+\)")
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
MONTHS["sept"] = 9
WEEKDAYS = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
DAY_RE = re.compile(r"^([12]?\d|3[01])(st|nd|rd|th)?$", re.I)
YEAR_RE = re.compile(r"^(19[5-9]\d|20\d\d)$")
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


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


# ---------------------------------------------------------------- pipeline


def add_pipes(nlp: Language) -> None:
    """The date ruler: every pattern of ``dates.jsonl`` into ``doc.spans["bp_dates"]``."""
    add_numbers(nlp)
    if RULER in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True, "overwrite": True}
    )
    ruler.add_patterns(load_patterns("dates.jsonl"))


@cache
def _date_nlp() -> Language:
    """A small pipeline for parsing loose text (meta fields, other families' cells)."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    add_pipes(nlp)
    return nlp


# ---------------------------------------------------------------- calendar helpers


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by n months."""
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def month_of(text: str) -> int | None:
    return MONTHS.get(text.lower().rstrip("."))


def financial_year(first_year: int) -> tuple[dt.date, dt.date]:
    """UK financial year starting in April of ``first_year``."""
    return dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def resolve_day(month: int, day: int, ctx: Context) -> dt.date | None:
    """A year-less day: the date nearest the anchor that is not far after it."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    cands = [_safe_date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    cands = [c for c in cands if c and (c - anchor).days <= FUTURE_WINDOW_DAYS]
    return min(cands, key=lambda c: abs((c - anchor).days)) if cands else None


def resolve_month(month: int, ctx: Context) -> int | None:
    """The year of a year-less month: the latest such month up to the reporting
    end, else the one nearest the anchor that is not far after it."""
    if ctx.reporting_end is not None:
        end = ctx.reporting_end
        return end.year if month <= end.month else end.year - 1
    d = resolve_day(month, 1, ctx)
    return d.year if d else None


# ---------------------------------------------------------------- normalising one span


def _parts(tokens: Sequence) -> tuple[int | None, int | None, int | None]:
    """(day, month, year) read from the tokens of one date."""
    day = month = year = None
    for t in tokens:
        text = t.text
        if month is None and month_of(text):
            month = month_of(text)
        elif year is None and YEAR_RE.match(text):
            year = int(text)
        elif day is None and DAY_RE.match(text):
            day = int(DAY_RE.match(text).group(1))
    return day, month, year


def _period_length(tokens: Sequence) -> tuple[int, str] | None:
    """(n, unit) of "12 months ...", "year ending ...", "quarter to ..."."""
    n = None
    for t in tokens:
        low = t.lower_
        if n is None and t._.is_num:
            n = int(parse_number(t.text) or 0) or None
            continue
        if low.startswith("month"):
            return (n or 1), "month"
        if low.startswith("week"):
            return (n or 1), "week"
        if low.startswith("quarter"):
            return (n or 1) * 3, "month"
        if low.startswith("year") or low == "financial":
            return (n or 1) * 12, "month"
    return None


def _fy_or_year(text: str) -> tuple[int, bool] | None:
    """("2019/20" -> (2019, True)), ("2023" -> (2023, False))."""
    first = fiscal_year_start(text)
    if first is not None:
        return first, True
    if YEAR_RE.match(text):
        return int(text), False
    return None


def normalise(span: Span, ctx: Context) -> tuple[dt.date | None, dt.date | None, str] | None:
    """(start, end, granularity) of one matched date expression, or None if it
    does not hold together (an impossible day, a range that runs backwards)."""
    label = span.label_
    toks = list(span)
    if label == "DATE_DAY":
        if len(toks) == 1 and "/" in toks[0].text:
            d, m, y = (int(x) for x in toks[0].text.split("/"))
            day = _safe_date(y if y > 99 else 2000 + y, m, d)
        else:
            d, m, y = _parts(toks)
            if d is None or m is None:
                return None
            day = _safe_date(y, m, d) if y else resolve_day(m, d, ctx)
        return (day, day, "day") if day else None
    if label == "DATE_MONTH":
        if len(toks) == 1 and re.search(r"[-']\d\d$", toks[0].text):
            m, y = month_of(toks[0].text[:3]), 2000 + int(toks[0].text[-2:])
        else:
            _, m, y = _parts(toks)
            y = y or (resolve_month(m, ctx) if m else None)
        if m is None or y is None:
            return None
        return dt.date(y, m, 1), month_end(y, m), "month"
    if label == "DATE_YEAR":
        y = int(toks[-1].text)
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    if label == "DATE_FY":
        first = fiscal_year_start(toks[-1].text)
        if first is None:
            return None
        return (*financial_year(first), "year")
    if label == "DATE_QUARTER":
        q = None
        for t in toks:
            if re.fullmatch(r"Q[1-4]", t.text):
                q = int(t.text[1])
            elif t.lower_ in QUARTER_WORDS:
                q = QUARTER_WORDS[t.lower_]
            elif re.fullmatch(r"[1-4]", t.text):
                q = int(t.text)
        fy = _fy_or_year(toks[-1].text)
        if fy is None and q is not None:
            fy = _current_financial_year(q, ctx)
        if q is None or fy is None:
            return None
        year, is_fy = fy
        y, m = add_months(year, 4 if is_fy else 1, 3 * (q - 1))
        ey, em = add_months(y, m, 2)
        return dt.date(y, m, 1), month_end(ey, em), "quarter"
    if label == "DATE_ROLLING":
        length = _period_length(toks)
        d, m, y = _parts(toks[1:] if toks[0]._.is_num else toks)
        if m is None or length is None:
            return None
        y = y or resolve_month(m, ctx)
        if y is None:
            return None
        n, unit = length
        if d is not None:
            end = _safe_date(y, m, d)
            if end is None:
                return None
        else:
            end = month_end(y, m)
        if unit == "week":
            start = end - dt.timedelta(days=7 * n - 1)
        elif d is not None:
            sy, sm = add_months(end.year, end.month, -n)
            start = _safe_date(sy, sm, min(end.day, calendar.monthrange(sy, sm)[1])) + dt.timedelta(days=1)
        else:
            sy, sm = add_months(y, m, -(n - 1))
            start = dt.date(sy, sm, 1)
        return start, end, "period"
    if label == "DATE_YTD":
        end = ctx.reporting_end or ctx.anchor
        lead = toks[0].text
        given = _fy_or_year(lead)
        if given is not None:
            year, is_fy = given
            start = dt.date(year, 4 if is_fy else 1, 1)
        elif end is None:
            return None
        elif toks[0].lower_ == "calendar":
            start = dt.date(end.year, 1, 1)
        else:
            start = financial_year(end.year if end.month >= 4 else end.year - 1)[0]
        return start, end, "period"
    if label in ("DATE_END_OF", "DATE_START_OF"):
        _, m, y = _parts(toks)
        if m is None:
            return None
        y = y or resolve_month(m, ctx)
        if y is None:
            return None
        day = month_end(y, m) if label == "DATE_END_OF" else dt.date(y, m, 1)
        return day, day, "day"
    if label == "DATE_RANGE":
        return _normalise_range(toks, ctx)
    return None


def _current_financial_year(q: int, ctx: Context) -> tuple[int, bool] | None:
    """A year-less quarter ("Q3", "the third quarter"): the latest financial-year
    quarter of that number that has begun by the reporting end (else the anchor)."""
    ref = ctx.reporting_end or ctx.anchor
    if ref is None:
        return None
    first = ref.year if ref.month >= 4 else ref.year - 1
    y, m = add_months(first, 4, 3 * (q - 1))
    if dt.date(y, m, 1) > ref:
        first -= 1
    return first, True


def _normalise_range(toks: list, ctx: Context) -> tuple[dt.date, dt.date, str] | None:
    cut = next(
        (i for i, t in enumerate(toks) if i > 0 and t.lower_ in RANGE_WORDS and not t._.is_num),
        None,
    )
    if cut is None:
        return None
    left = toks[:cut]
    right = [t for t in toks[cut + 1 :] if t.lower_ != "to"]
    ld, lm, ly = _parts(left)
    rd, rm, ry = _parts(right)
    if rm is None:
        return None
    if rd is None and ld is None:  # "April to June 2019"
        if lm is None:
            return None
        ry = ry or resolve_month(rm, ctx)
        if ry is None:
            return None
        ly = ly or (ry if lm <= rm else ry - 1)
        start, end = dt.date(ly, lm, 1), month_end(ry, rm)
    else:
        if rd is None or ld is None:
            return None
        end = _safe_date(ry, rm, rd) if ry else resolve_day(rm, rd, ctx)
        if end is None:
            return None
        lm = lm or end.month
        ly = ly or (end.year if lm <= end.month else end.year - 1)
        start = _safe_date(ly, lm, ld)
    if start is None or start > end:
        return None
    return start, end, "period"


# ---------------------------------------------------------------- spans of a doc


def _trim(span: Span) -> Span:
    """Drop a leading "the" and trailing commas from a matched expression."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and doc[start].lower_ == "the":
        start += 1
    while end > start + 1 and doc[end - 1].text == ",":
        end -= 1
    return Span(doc, start, end, label=span.label_, span_id=span.id_)


def _bare_ambiguous_month(span: Span) -> bool:
    """A lone "May"/"March" starting a sentence is a verb, not a month."""
    return (
        span.label_ == "DATE_MONTH"
        and len(span) == 1
        and span[0].is_sent_start
        and span[0].lower_ in {"may", "march"}
    )


def date_spans(doc: Doc, ctx: Context) -> list[DateSpan]:
    """The date expressions of ``doc``, non-overlapping, normalised, in order."""
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
    return sorted(out, key=lambda d: d.start)


def cue_spans(doc: Doc, label: str) -> list[Span]:
    """Cue spans (``REPORTING_PERIOD``, ``MONTH_DATA``) of ``doc``."""
    if SPANS_KEY not in doc.spans:
        return []
    return [s for s in doc.spans[SPANS_KEY] if s.label_ == label]


def parse_date_span(
    doc_or_text: Doc | str, ctx: Context | None = None
) -> tuple[str | None, str | None, str] | None:
    """The first date expression in a text or Doc as ISO ``(start, end, granularity)``.

    >>> parse_date_span("12 months ending June 2019")
    ('2018-07-01', '2019-06-30', 'period')
    """
    ctx = ctx or Context()
    doc = _date_nlp()(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
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
    "data to the end of ...", "month ending ..."); failing that, the month
    before the meeting when at least two paragraphs report that month by name.
    """
    warnings: list[str] = []
    printed = _date_of(meta.date_printed, Context())
    meeting = None
    if meta.meeting_date:
        try:
            meeting = dt.date.fromisoformat(meta.meeting_date[:10])
        except ValueError:
            warnings.append(f"extract: meeting date {meta.meeting_date!r} is not an ISO date")
    meeting = meeting or _date_of(meta.footer, Context())
    base = Context(meeting_date=meeting or printed)
    reporting = _stated_reporting_month(docs, base) or _implied_reporting_month(docs, base)
    if reporting is None:
        return base, warnings
    if meeting is None and printed and printed >= reporting[1]:
        meeting = printed  # a printed date that agrees with the content stands for the meeting
    ctx = Context(meeting_date=meeting, reporting_start=reporting[0], reporting_end=reporting[1])
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


def _stated_reporting_month(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    for doc, _para in docs:
        for cue in cue_spans(doc, "REPORTING_PERIOD"):
            for d in date_spans(doc, base):
                if d.start < cue.end and d.end > cue.start and d.last is not None:
                    return dt.date(d.last.year, d.last.month, 1), month_end(d.last.year, d.last.month)
            # The cue's own words may hold the date ("month ending November 2019").
            parsed = parse_date_span(cue.text, base)
            if parsed and parsed[1]:
                last = dt.date.fromisoformat(parsed[1])
                return dt.date(last.year, last.month, 1), month_end(last.year, last.month)
    return None


def _implied_reporting_month(docs, base: Context) -> tuple[dt.date, dt.date] | None:
    if base.meeting_date is None:
        return None
    y, m = add_months(base.meeting_date.year, base.meeting_date.month, -1)
    hits = 0
    for doc, _para in docs:
        if any(d.granularity == "month" and d.first == dt.date(y, m, 1) for d in date_spans(doc, base)):
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
        for d in date_spans(doc, base):
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
