"""What a matched date expression means: its start, end and granularity.

``nlp/dates.py`` finds date expressions with the rules of
``nlp/patterns/dates.jsonl``; this module turns one match into dates. One
function per kind of expression (a day, a month, a quarter, a financial
year, a rolling period, a week, year to date, a range), chosen by the
match's label in :data:`NORMALISERS`.

A date printed without its year takes it from the paper (a
:class:`~nlp.context.Context`) and from the tense of the words around it
(``nlp/vocab/dates.yml``): "fell in November" in a January paper is last
November, "will be installed in July" is next July, and with no cue the
month is the latest up to the paper's reporting month (else the one nearest
the meeting).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import cache

from spacy.tokens import Span

from .context import Context
from .months import (
    MONTHS,
    WEEKDAY_NUMBERS,
    add_months,
    financial_year,
    financial_year_of,
    fiscal_year_start,
    month_end,
    month_of,
)
from .numbers import doc_text, parse_number
from .vocabulary import load_vocab

# How far after the anchor a year-less day with no tense cue may fall ("the 20th
# of December" in a January paper is last December, but "6th February" may be next month).
FUTURE_WINDOW_DAYS = 92
# Future words reach back this far before the anchor: a paper is written weeks
# before its meeting, and a log's "by February" read in March is this February.
FUTURE_GRACE_MONTHS = 2
FUTURE_GRACE_DAYS = 31
RANGE_WORDS = {"to", "through", "until", "till", "-", "\u2013", "\u2014", "and", "&"}
DAY_RE = re.compile(r"^([12]?\d|3[01])(st|nd|rd|th)?$", re.I)
YEAR_RE = re.compile(r"^(19[5-9]\d|20\d\d)$")
NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d\d)$")
SLASH_DATE_FIND_RE = re.compile(
    r"(?<![\d/])([1-9]|[012]\d|3[01])/([1-9]|[012]\d|3[01])/(?:(?:19|20)\d\d|\d\d)(?![\d/])"
)
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
SHORT_MONTH_YEAR_RE = re.compile(r"^([A-Za-z]{3,4})[-'\u2019\u2010\u2011\u2013\u2014 ]?(\d{4}|\d\d)$")
SHORT_FY_RE = re.compile(r"^FY ?(\d\d|(?:19|20)\d\d)$", re.I)
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
CELL_SEPARATOR = "|"

Result = tuple[dt.date, dt.date, str] | None


def safe_date(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    """A date, or None for an impossible one (31 February, day 0, year 0)."""
    try:
        return dt.date(y, m, d) if y and m and d is not None else None
    except (ValueError, TypeError, OverflowError):
        return None


def full_year(y: int) -> int:
    """Two-digit years are this century: "21" -> 2021."""
    return 2000 + y if y < 100 else y


# ---------------------------------------------------------------- tense


@cache
def _tense_vocab() -> dict:
    v = load_vocab("dates.yml")

    def alternation(words) -> str:
        return "|".join(
            re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
        )

    return {
        "future": re.compile(rf"\b(?:{alternation(v['future_cues'])})\b"),
        "past": re.compile(rf"\b(?:{alternation(v['past_cues'])})\b"),
        "future_before": re.compile(rf"\b(?:{alternation(v['future_modifiers'])})\b"),
        "past_before": re.compile(rf"\b(?:{alternation(v['past_modifiers'])})\b"),
        "aux": {str(w) for w in v["auxiliaries"]},
        "determiners": {str(w) for w in v["determiners"]},
        "meeting_ahead": re.compile(
            rf"\b(?:{alternation(v['meeting_destination_words'])})\s+(?:the|its|their|our)\s*$"
        ),
        "meeting_at": re.compile(
            rf"\b(?:{alternation(v['meeting_venue_words'])})\s+(?:the|its|their|our)\s*$"
        ),
        "meeting_after": re.compile(rf"^\s*(?:{alternation(v['meeting_words'])})\b"),
        "not_past": {str(w) for w in v["not_past"]},
        "deadline": re.compile(rf"\b(?:{alternation(v['deadline_words'])})(?:\s+the)?\s*$"),
        "month_words": {str(w).lower() for w in v["reporting_month_words"]},
        "relative_days": {str(k).lower(): int(n) for k, n in v["relative_days"].items()},
        "relative_steps": {str(k).lower(): int(n) for k, n in v["relative_steps"].items()},
        "year_before": {str(w).lower() for w in v["year_words_before"]},
        "year_after": {str(w).lower() for w in v["year_words_after"]},
        "us_spellings": {str(w).lower() for w in v["us_spellings"]},
        "uk_spellings": {str(w).lower() for w in v["uk_spellings"]},
    }


def _cues(text: str, before: bool) -> list[tuple[int, str]]:
    """(position, "past"|"future") of each tense cue in lower-cased ``text``;
    ``before``: the text precedes the date, so modifiers ("next", "since") count."""
    v = _tense_vocab()
    cues = [(m.start(), "future") for m in v["future"].finditer(text)]
    if before:
        cues += [(m.start(), "future") for m in v["future_before"].finditer(text)]
    future_at = {pos for pos, _ in cues}
    past = [m.start() for m in v["past"].finditer(text)]
    if before:
        past += [m.start() for m in v["past_before"].finditer(text)]
    past += [m.start() for m in re.finditer(r"\b[a-z]{3,}ed\b", text) if m.group(0) not in v["not_past"]]
    for pos in sorted(set(past) - future_at):
        prev = re.search(r"([a-z']+)\s+$", text[:pos])
        if prev and prev.group(1) in v["aux"]:
            continue  # "will be held", "has been agreed": the auxiliary decides
        if prev and prev.group(1) in v["determiners"]:
            continue  # "a revised forecast": an adjective, no tense
        cues.append((pos, "past"))
    return sorted(cues)


def tense_of(text: str, start: int, end: int) -> str | None:
    """ "past", "future" or None for the date at ``text[start:end]``: the last
    cue before it in its sentence (or table cell), else the first after it."""
    low = text.lower()
    s = max(low.rfind(CELL_SEPARATOR, 0, start) + 1, 0)
    e = low.find(CELL_SEPARATOR, end)
    before, after = low[s:start], low[end : e if e >= 0 else len(low)]
    v = _tense_vocab()
    if v["deadline"].search(before):
        return "future"
    if v["meeting_after"].search(after) and (
        v["meeting_ahead"].search(before)  # "to the January meeting": the coming one
        or v["meeting_at"].search(before)
        and any(tense == "future" for _, tense in _cues(before, before=True))
    ):
        return "future"
    cues = _cues(before, before=True)
    if cues:
        return cues[-1][1]
    cues = _cues(after, before=False)
    return cues[0][1] if cues else None


def span_tense(span: Span) -> str | None:
    """The tense around a matched span, read in its sentence. Kept in
    ``doc.user_data``: a doc's dates are normalised once per context the paper
    tries, the tense is the same each time."""
    doc = span.doc
    key = ("bp_span_tense", span.start, span.end)
    if key not in doc.user_data:
        sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
        # the sentence's text, cut from the doc's (Span.text makes a Token per token)
        text = doc_text(doc)
        doc.user_data[key] = tense_of(
            text[sent.start_char : sent.end_char],
            span.start_char - sent.start_char,
            span.end_char - sent.start_char,
        )
    return doc.user_data[key]


# ---------------------------------------------------------------- year-less dates


def written_by(ctx: Context) -> dt.date | None:
    """The latest day the paper can have been written: its meeting, else two
    months after the period it reports (a paper reporting November is written
    in December or January)."""
    if ctx.meeting_date is not None or ctx.reporting_end is None:
        return ctx.meeting_date
    return month_end(*add_months(ctx.reporting_end.year, ctx.reporting_end.month, FUTURE_GRACE_MONTHS))


def resolve_day(month: int, day: int, ctx: Context, tense: str | None = None) -> dt.date | None:
    """A year-less day: on or before the day the paper was written if the words
    are in the past, from a month before the anchor on if they are in the
    future, else the nearest the anchor not far after it."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    cands = [safe_date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    cands = [c for c in cands if c]
    if tense == "past":
        written = written_by(ctx)
        cands = [c for c in cands if c <= written]
        return max(cands) if cands else None
    if tense == "future":
        cands = [c for c in cands if (anchor - c).days <= FUTURE_GRACE_DAYS]
        return min(cands) if cands else None
    cands = [c for c in cands if (c - anchor).days <= FUTURE_WINDOW_DAYS]
    return min(cands, key=lambda c: abs((c - anchor).days)) if cands else None


def resolve_month(month: int, ctx: Context, tense: str | None = None) -> int | None:
    """The year of a year-less month. Past words: the latest such month that has
    begun by the day the paper was written; future words: the first from two months before the
    reporting end (else the anchor) on; no cue: inside the reporting period
    (see :func:`_within_reporting`), else the one nearest the anchor."""
    anchor, end = ctx.anchor, ctx.reporting_end
    if tense == "past" and anchor is not None:
        written = written_by(ctx)
        return written.year if month <= written.month else written.year - 1
    if tense == "future" and (end or anchor) is not None:
        ry, rm = add_months((end or anchor).year, (end or anchor).month, -FUTURE_GRACE_MONTHS)
        return ry if month >= rm else ry + 1
    if end is not None:
        return _within_reporting(month, ctx)
    if anchor is None:
        return None
    k = anchor.year * 12 + anchor.month - 1
    return min(
        (anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: (abs(y * 12 + month - 1 - k), y)
    )


def _within_reporting(month: int, ctx: Context) -> int:
    """No cue, a paper that reports a period: the month inside a reporting period
    longer than a month (a financial year's columns), else the latest such month
    up to the later of the reporting end and the meeting."""
    end, start = ctx.reporting_end, ctx.reporting_start
    if start is not None and (end - start).days > 31:
        for y in (end.year, end.year - 1):
            if start <= dt.date(y, month, 1) <= end:
                return y
    ref = max(end, ctx.meeting_date) if ctx.meeting_date else end
    return ref.year if month <= ref.month else ref.year - 1


def current_financial_year(q: int, ctx: Context) -> tuple[int, bool] | None:
    """A year-less quarter ("Q3", "the third quarter"): the latest financial-year
    quarter of that number that has begun by the reporting end (else the anchor)."""
    ref = ctx.reporting_end or ctx.anchor
    if ref is None:
        return None
    first = financial_year_of(ref)
    y, m = add_months(first, 4, 3 * (q - 1))
    if dt.date(y, m, 1) > ref:
        first -= 1
    return first, True


def reporting_month(ctx: Context) -> Result:
    """ "Month", "in month": the paper's reporting month."""
    end = ctx.reporting_end
    return (dt.date(end.year, end.month, 1), end, "month") if end else None


def is_reporting_month_word(text: str) -> bool:
    return " ".join(text.lower().replace("-", " ").split()) in _tense_vocab()["month_words"]


# ---------------------------------------------------------------- reading tokens


def parts(tokens: Sequence) -> tuple[int | None, int | None, int | None]:
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


def period_length(tokens: Sequence) -> tuple[int, str] | None:
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


def fy_or_year(text: str) -> tuple[int, bool] | None:
    """("2019/20" -> (2019, True)), ("FY22" -> (2021, True)), ("2023" -> (2023, False))."""
    first = fiscal_year_start(text)
    if first is not None:
        return first, True
    m = SHORT_FY_RE.match(text)
    if m:
        return full_year(int(m.group(1))) - 1, True
    if YEAR_RE.match(text):
        return int(text), False
    return None


# ---------------------------------------------------------------- one normaliser per label


def numeric_date(text: str, day_first: bool | None = True) -> dt.date | None:
    """ "2020-01-23", "23.1.20" (dots: always day first) or "23/01/2020" read in
    the paper's order: ``day_first`` True "4/6/16" is 4 June, False 6 April,
    None the date's own evidence ("4/16/16" can only be April). None otherwise."""
    if m := ISO_DATE_RE.match(text):
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := NUMERIC_DATE_RE.match(text):
        first, second, year = int(m.group(1)), int(m.group(2)), full_year(int(m.group(3)))
        month_first = "/" in text and (day_first is False or (day_first is None and second > 12 >= first))
        return safe_date(year, first, second) if month_first else safe_date(year, second, first)
    return None


def convention_words(text: str) -> tuple[int, int]:
    """(US, UK) spellings in ``text`` ("color", "colour"; ``nlp/vocab/dates.yml``)."""
    v = _tense_vocab()
    words = re.findall(r"[a-z]+", text.lower())
    return sum(w in v["us_spellings"] for w in words), sum(w in v["uk_spellings"] for w in words)


def order_votes(text: str) -> tuple[int, int]:
    """(day first, month first) numeric dates in ``text`` whose order their parts
    settle: "25/3/21" is day first, "3/25/21" month first, "3/4/21" neither."""
    day = month = 0
    for m in SLASH_DATE_FIND_RE.finditer(text):
        first, second = int(m.group(1)), int(m.group(2))
        day += first > 12 >= second
        month += second > 12 >= first
    return day, month


def _one_day(toks: list, ctx: Context, tense: str | None) -> dt.date | None:
    """The day a run of tokens names: a numeric date, or day, month and maybe year."""
    for t in toks:
        if ISO_DATE_RE.match(t.text) or NUMERIC_DATE_RE.match(t.text):
            return numeric_date(t.text, ctx.day_first)
    d, mo, y = parts(toks)
    if d is None or mo is None:
        return None
    return safe_date(y, mo, d) if y else resolve_day(mo, d, ctx, tense)


def _day(toks: list, ctx: Context, tense: str | None) -> Result:
    day = _one_day(toks, ctx, tense)
    return (day, day, "day") if day else None


def _month(toks: list, ctx: Context, tense: str | None) -> Result:
    m = SHORT_MONTH_YEAR_RE.match(toks[0].text) if len(toks) == 1 else None
    if len(toks) == 2 and re.fullmatch(r"\d\d", toks[1].text):  # "Jun 10" in a due-by column
        mo, y = month_of(toks[0].text), full_year(int(toks[1].text))
        if ctx.anchor is None or abs(y - ctx.anchor.year) > 1:
            return None  # "Jun 10" far from the paper's year is the 10th of June
    elif m and month_of(m.group(1)):  # Jan-22, Mar-2011
        mo, y = month_of(m.group(1)), full_year(int(m.group(2)))
    else:
        _, mo, y = parts(toks)
        y = y or (resolve_month(mo, ctx, tense) if mo else None)
    if mo is None or y is None:
        return None
    return dt.date(y, mo, 1), month_end(y, mo), "month"


def _year(toks: list, ctx: Context, tense: str | None) -> Result:
    if not has_year_context(toks):
        return None
    y = int(toks[-1].text)
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"


SHORT_LABEL_TOKENS = 8


def has_year_context(toks: list) -> bool:
    """Whether a bare four-digit number is a year (see ``year_words_before`` in
    ``nlp/vocab/dates.yml``): "calendar 2020", a year word before it, a range
    of years, or a header/label whose numbers are all years."""
    year = toks[-1]
    doc, i = year.doc, year.i
    if _reference(doc, i):
        return False
    if toks[0].lower_ == "calendar":
        return True
    before = [t.lower_ for t in doc[max(i - 3, 0) : toks[0].i] if t.lower_ not in ("the", "-", ",")][-2:]
    words = _tense_vocab()["year_before"]
    if before and (before[-1] in words or " ".join(before) in words or month_of(before[-1])):
        return True
    if i + 1 < len(doc) and doc[i + 1].lower_ in _tense_vocab()["year_after"]:
        return True
    if _year_range(doc, i):
        return True
    return _only_years(doc, year)


def _reference(doc, i: int) -> bool:
    """ "2019-NM-035", "2018–23–51": a year-shaped number joined by a dash to
    what is neither a year nor a financial year's second half is a reference."""
    after = doc[i + 1 : i + 3]
    return (
        len(after) == 2
        and not doc[i].whitespace_
        and after[0].text in RANGE_WORDS
        and not after[0].whitespace_
        and not (YEAR_RE.match(after[1].text) or re.fullmatch(r"\d\d", after[1].text))
    )


def _year_range(doc, i: int) -> bool:
    """ "2007 to 2011", "2021-2026": a year next to another across a range word."""
    after = doc[i + 1 : i + 3]
    before = doc[max(i - 2, 0) : i]
    return (len(after) == 2 and after[0].lower_ in RANGE_WORDS and bool(YEAR_RE.match(after[1].text))) or (
        len(before) == 2 and before[1].lower_ in RANGE_WORDS and bool(YEAR_RE.match(before[0].text))
    )


def _only_years(doc, year) -> bool:
    """A table row of column headers with two or more years and no other number
    ("| 2019 | 2020 |"), or a short label whose only number is the year ("Actual 2020")."""
    row = CELL_SEPARATOR in doc.text
    if not row and len(doc) > SHORT_LABEL_TOKENS:
        return False
    nums = [t for t in doc if t.like_num or any(c.isdigit() for c in t.text)]
    if any(not YEAR_RE.match(t.text) for t in nums):
        return False
    return len(nums) >= 2 if row else True


def _is_deadline(token) -> bool:
    """Whether a deadline word ("by", "before") comes right before ``token``."""
    sent = token.sent if token.doc.has_annotation("SENT_START") else token.doc[:]
    before = token.doc.text[sent.start_char : token.idx].lower()
    return bool(_tense_vocab()["deadline"].search(before))


def _relative(toks: list, ctx: Context, tense: str | None) -> Result:
    """ "tomorrow", "Friday last week", "by next month": from the meeting date, never
    without one; a month only as a deadline ("by next month") in a paper that
    reports no month other than the meeting's."""
    meeting = ctx.meeting_date
    if meeting is None:
        return None
    v = _tense_vocab()
    words = [t.lower_ for t in toks]
    phrase = " ".join(words)
    if phrase in v["relative_days"]:
        day = meeting + dt.timedelta(days=int(v["relative_days"][phrase]))
        return day, day, "day"
    step = next((int(v["relative_steps"][w]) for w in words if w in v["relative_steps"]), None)
    if step is None:
        return None
    if words[-1] == "month":
        if not _is_deadline(toks[0]):
            return None  # "sales fell last month": of the reporting month, or of the meeting?
        end = ctx.reporting_end
        if end is not None and (end.year, end.month) != (meeting.year, meeting.month):
            return None
        y, m = add_months(meeting.year, meeting.month, step)
        return dt.date(y, m, 1), month_end(y, m), "month"
    weekday = next((WEEKDAY_NUMBERS[w] for w in words if w in WEEKDAY_NUMBERS), None)
    if weekday is None:
        return None
    day = meeting - dt.timedelta(days=meeting.weekday()) + dt.timedelta(days=7 * step + weekday)
    return day, day, "day"


def _financial_year(toks: list, ctx: Context, tense: str | None) -> Result:
    given = fy_or_year(toks[-1].text)
    if given is None or not given[1]:
        return None
    return (*financial_year(given[0]), "year")


def _quarter_number(toks: list) -> int | None:
    for t in toks:
        if re.fullmatch(r"Q[1-4]", t.text, re.I):
            return int(t.text[1])
        if t.lower_ in QUARTER_WORDS:
            return QUARTER_WORDS[t.lower_]
        if re.fullmatch(r"[1-4]", t.text):
            return int(t.text)
    return None


def _quarter(toks: list, ctx: Context, tense: str | None) -> Result:
    q = _quarter_number(toks)
    if q is None:
        return None
    given = [fy_or_year(t.text) for t in toks if not re.fullmatch(r"[1-4]", t.text)]
    fy = next((g for g in given if g), None) or current_financial_year(q, ctx)
    if fy is None:
        return None
    year, is_fy = fy
    y, m = add_months(year, 4 if is_fy else 1, 3 * (q - 1))
    ey, em = add_months(y, m, 2)
    return dt.date(y, m, 1), month_end(ey, em), "quarter"


def _rolling(toks: list, ctx: Context, tense: str | None) -> Result:
    if toks[0].like_num and not toks[0]._.is_num:
        return None  # the rule matches spaCy's LIKE_NUM (cheap); "first" etc. is no length
    length = period_length(toks)
    d, m, y = parts(toks[1:] if toks[0]._.is_num else toks)
    if m is None or length is None:
        return None
    y = y or resolve_month(m, ctx)
    if y is None:
        return None
    n, unit = length
    end = safe_date(y, m, d) if d is not None else month_end(y, m)
    if end is None:
        return None
    if unit == "week":
        start = end - dt.timedelta(days=7 * n - 1)
    elif d is not None:
        sy, sm = add_months(end.year, end.month, -n)
        start = min(safe_date(sy, sm, end.day) or month_end(sy, sm), month_end(sy, sm)) + dt.timedelta(days=1)
    else:
        sy, sm = add_months(y, m, -(n - 1))
        start = dt.date(sy, sm, 1)
    return start, end, "period"


def _year_to_date(toks: list, ctx: Context, tense: str | None) -> Result:
    end = ctx.reporting_end or ctx.anchor
    given = fy_or_year(toks[0].text)
    if given is not None:
        year, is_fy = given
        start = dt.date(year, 4 if is_fy else 1, 1)
    elif end is None:
        return None
    elif toks[0].lower_ == "calendar":
        start = dt.date(end.year, 1, 1)
    else:
        start = financial_year(financial_year_of(end))[0]
    if end is None or start > end:
        return None
    return start, end, "period"


def _end_or_start_of(toks: list, ctx: Context, tense: str | None, end: bool) -> Result:
    _, m, y = parts(toks)
    if m is None:
        return None
    y = y or resolve_month(m, ctx, tense)
    if y is None:
        return None
    day = month_end(y, m) if end else dt.date(y, m, 1)
    return day, day, "day"


def _week(toks: list, ctx: Context, tense: str | None) -> Result:
    """ "w/c 3 June", "week commencing 3 June", "w/e 7 June": seven days."""
    words = " ".join(t.lower_ for t in toks)
    day = _one_day(toks, ctx, tense)
    if day is None:
        return None
    if "w/e" in words.replace(" ", "") or "ending" in words:
        return day - dt.timedelta(days=6), day, "period"
    return day, day + dt.timedelta(days=6), "period"


def _range(toks: list, ctx: Context, tense: str | None) -> Result:
    cut = next((i for i, t in enumerate(toks) if i > 0 and t.lower_ in RANGE_WORDS and not t._.is_num), None)
    if cut is None:
        return None
    ld, lm, ly = parts(toks[:cut])
    rd, rm, ry = parts([t for t in toks[cut + 1 :] if t.lower_ != "to"])
    if rm is None:
        return None
    if rd is None and ld is None:  # "April to June 2019"
        if lm is None:
            return None
        ry = ry or resolve_month(rm, ctx, tense)
        if ry is None:
            return None
        ly = ly or (ry if lm <= rm else ry - 1)
        start, end = dt.date(ly, lm, 1), month_end(ry, rm)
    else:
        if rd is None or ld is None:
            return None
        end = safe_date(ry, rm, rd) if ry else resolve_day(rm, rd, ctx, tense)
        if end is None:
            return None
        lm = lm or end.month
        start = safe_date(ly or (end.year if lm <= end.month else end.year - 1), lm, ld)
    if start is None or start > end:
        return None
    return start, end, "period"


NORMALISERS: dict[str, Callable[[list, Context, str | None], Result]] = {
    "DATE_DAY": _day,
    "DATE_MONTH": _month,
    "DATE_YEAR": _year,
    "DATE_FY": _financial_year,
    "DATE_QUARTER": _quarter,
    "DATE_ROLLING": _rolling,
    "DATE_YTD": _year_to_date,
    "DATE_END_OF": lambda toks, ctx, tense: _end_or_start_of(toks, ctx, tense, end=True),
    "DATE_START_OF": lambda toks, ctx, tense: _end_or_start_of(toks, ctx, tense, end=False),
    "DATE_WEEK": _week,
    "DATE_RANGE": _range,
    "DATE_RELATIVE": _relative,
}


def normalise(span: Span, ctx: Context) -> Result:
    """(start, end, granularity) of one matched date expression, or None if it
    does not hold together (an impossible day, a range that runs backwards).
    Never raises: a date that cannot be read is no date."""
    fn = NORMALISERS.get(span.label_)
    if fn is None:
        return None
    try:
        return fn(list(span), ctx, span_tense(span))
    except (ValueError, TypeError, OverflowError):
        return None


__all__ = ["MONTHS", "NORMALISERS", "normalise", "resolve_day", "resolve_month", "tense_of"]
