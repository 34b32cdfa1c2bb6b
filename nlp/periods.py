"""Periods: which period or point in time a figure refers to, and what it is compared with.

In a sentence: a date expression the figure owns ("8.1% in the 12 months
ending September"), else the sentence's period, else the paper's reporting
month where the sentence reports the month ("month on month"), else the
period carried from an earlier sentence of the paragraph. "As at 31 March"
gives a point date (``as_of``); "down from 8.1% in ..." is a comparison.

In a table: the column header's period ("Month", "YTD", "Q3", "Jan-22",
"2019/20", a bare month inside the caption's financial year), else the
caption's. :func:`period_of_text` is the one place a header or caption is
read as a period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from .context import Context
from .dates import DateSpan, parse_date_span, resolve_month
from .months import MONTHS, month_end
from .quantities import Candidate

# How close a period expression must follow a comparison figure to belong to it.
OWNED_GAP = 4
RANK = {"period": 0, "quarter": 1, "year": 2, "month": 3}
UPDATE_MARKS = {"-", "\u2013", "\u2014", ":"}
# "Month", "In-month", "Month Actual", "Current month variance" (not "Month 8").
MONTH_HEADER_RE = re.compile(r"^(?:this |current |in[- ])?month(?: [a-z/&()]+)*$", re.I)


@dataclass(frozen=True)
class SentenceDates:
    as_of: dt.date | None
    periods: list[DateSpan]  # usable as a figure's period
    compared: list[DateSpan]  # baselines of comparisons ("compared to November 2018")

    def first_period(self) -> DateSpan | None:
        """The broadest period of the sentence, carried to the sentences after it."""
        ranked = sorted(self.periods, key=lambda d: RANK.get(d.granularity, 9))
        return ranked[0] if ranked else None


def classify_dates(
    sent: Span,
    dates: list[DateSpan],
    cmp_cues: list[Span],
    asof_cues: list[Span],
    to_cues: Sequence[Span] = (),
) -> SentenceDates:
    """The sentence's dates as a point ("as at ...", "on 31 March"), periods ("in
    May"; "the six months to 30 September": a period of unstated start) and
    comparison baselines."""
    as_of = None
    periods, compared = [], []
    for d in dates:
        if not (sent.start <= d.start < sent.end):
            continue
        if _is_update_label(sent, d):
            as_of = d.last
            continue
        if d.granularity == "day":
            if any(d.start == c.end for c in to_cues):
                span = replace(d, first=None, granularity="period")
                (compared if any(0 <= d.start - c.end <= 2 for c in cmp_cues) else periods).append(span)
            elif any(0 <= d.start - c.end <= 1 for c in asof_cues):
                as_of = d.first
            continue
        if any(0 <= d.start - c.end <= 2 for c in cmp_cues):
            compared.append(d)
        else:
            periods.append(d)
    return SentenceDates(as_of, periods, compared)


def _is_update_label(sent: Span, d: DateSpan) -> bool:
    """ "Feb23 - 3 quotes received", "12 March: 40 replies": a date that heads an
    update is the point the update speaks of."""
    doc = sent.doc
    lead = all(t.is_punct or t.text == "|" for t in doc[sent.start : d.start])
    return lead and d.end < sent.end and doc[d.end].text in UPDATE_MARKS and d.last is not None


def owned_periods(group: list[Candidate], baseline: set[int], sd: SentenceDates) -> dict[int, DateSpan]:
    """Comparison figures own the date right after them ("down from 8.1% in September")."""
    owned = {}
    for c in group:
        if c.num in baseline:
            nxt = [d for d in sd.periods + sd.compared if 0 <= d.start - c.end <= OWNED_GAP]
            if nxt:
                owned[c.num] = nxt[0]
    return owned


def period_for(
    cand: Candidate,
    is_baseline: bool,
    sd: SentenceDates,
    owned: dict[int, DateSpan],
    reports_month: bool,
    carried: DateSpan | None,
    ctx: Context,
    others: Sequence[Candidate] = (),
) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of the period a sentence's figure refers to. A date after the
    meeting ("the 78% trajectory for March 2026") belongs to the figure next to it,
    not to one with another figure in between."""
    if cand.num in owned:
        d = owned[cand.num]
        return d.first, d.last
    if is_baseline:
        return None, None
    free = [d for d in sd.periods if d not in owned.values() and not _taken_future(cand, d, others, ctx)]
    if free:
        d = min(free, key=lambda d: cand.start - d.end if d.end <= cand.start else d.start - cand.end + 1)
        return d.first, d.last
    if reports_month and ctx.reporting_end:
        return ctx.reporting_start, ctx.reporting_end
    if carried is not None:
        return carried.first, carried.last
    return None, None


def _taken_future(cand: Candidate, d: DateSpan, others: Sequence[Candidate], ctx: Context) -> bool:
    """A future date with another figure between it and ``cand``."""
    if not (ctx.meeting_date and d.last and d.last > ctx.meeting_date):
        return False
    lo, hi = (cand.end, d.start) if cand.end <= d.start else (d.end, cand.start)
    return any(lo <= o.start and o.end <= hi for o in others if o is not cand)


def same_month_earlier_year(d: DateSpan, ctx: Context) -> bool:
    """ "compared to November 2018" in a paper reporting November 2019."""
    end = ctx.reporting_end
    return bool(
        end
        and d.granularity == "month"
        and d.first
        and d.first.month == end.month
        and d.first.year < end.year
    )


def comparison(
    doc: Doc, cand: Candidate, sent: Span, cands: list[Candidate], cmp_cues: list[Span], dates: list[DateSpan]
) -> str | None:
    """ "down from 55.5% in the 12 months ending March 2019" for the figure it follows."""
    later = [c for c in cands if c.start >= cand.end and c.start < sent.end]
    for cue in cmp_cues:
        if not (cand.end <= cue.start < sent.end):
            continue
        if any(c.start < cue.start for c in later):
            return None
        end = None
        target = next((c for c in later if 0 <= c.start - cue.end <= 2), None)
        if target is not None:
            end = target.end
        date = next((d for d in dates if 0 <= d.start - (end or cue.end) <= OWNED_GAP), None)
        if date is not None and (end is None or date.start - end <= OWNED_GAP):
            end = max(end or 0, date.end)
        if end is None:
            return None
        return doc[cue.start : end].text
    before = [q for q in cmp_cues if sent.start <= q.start and q.end <= cand.start]
    for cue in reversed(before):
        if any(cue.end <= c.start < cand.start for c in cands):
            break
        date = next((d for d in dates if 0 <= d.start - cue.end <= 2), None)
        if date is not None:
            return doc[cue.start : date.end].text
    return None


# ---------------------------------------------------------------- headers and captions


def period_of_text(text: str | None, ctx: Context) -> tuple[dt.date, dt.date] | None:
    """The period a column header or caption names, or None.

    "Month" is the reporting month; a bare month name ("May", "Sept") the
    month inside the context's year; anything else goes to the date parser
    ("YTD", "Q3", "Jan-22", "2019/20", "Paid in Mar").
    """
    words = " ".join((text or "").split())
    if not words:
        return None
    if MONTH_HEADER_RE.match(words):
        if ctx.reporting_end and ctx.reporting_start:
            return ctx.reporting_start, ctx.reporting_end
        return None
    month = MONTHS.get(words.lower().rstrip("."))
    if month is not None:
        year = resolve_month(month, ctx)
        return (dt.date(year, month, 1), month_end(year, month)) if year else None
    # One switch: boardpapers.nlp.dates.parse_when(text, ctx) replaces this when it lands.
    found = parse_date_span(words, ctx)
    if found is None or not found[1]:
        return None
    start, end = found[0], found[1]
    return (dt.date.fromisoformat(start) if start else dt.date.fromisoformat(end)), dt.date.fromisoformat(end)


def table_context(caption_period: tuple[dt.date, dt.date] | None, ctx: Context) -> Context:
    """The context a table's headers are read in: a caption's year ("Spending
    2021/22") makes its month columns ("April" ... "Mar") fall inside that year,
    unless the paper's reporting month already does."""
    if caption_period is None:
        return ctx
    start, end = caption_period
    inside = ctx.reporting_end is not None and start <= ctx.reporting_end <= end
    if (end - start).days > 300 and not inside:
        return replace(ctx, reporting_start=start, reporting_end=end)
    if (end - start).days <= 31 and end == month_end(end.year, end.month):
        # "Income and expenditure to 30 November 2025": its Month and YTD columns end there
        return replace(ctx, reporting_start=end.replace(day=1), reporting_end=end)
    return ctx
