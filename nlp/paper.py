"""What each paper is: its board, meeting date, author, title, kind and month.

Ingest finds where a paper states these (``PaperMeta.fields``: cover-table
cells and memo lines; ``title_lines``; ``head_lines``; the running
``header``/``footer``; ``file_name``) and hands them on as printed. This module
interprets them with the vocabulary ``nlp/vocab/paper.yml`` and the project's
one date parser, trying the sources in order of trust:

1. label/value fields (cover table, memo header), by their label;
2. the title block ("Minutes of the meeting of the X Board held on ...",
   "X Board / Special Meeting / Agenda / 6 April 2016");
3. page 1's first lines;
4. the running header and footer;
5. the file name, last.

Which source gave each field is kept in ``PaperMeta.sources``; when the
printed date and the running line disagree, the date the content supports
wins and a warning says why. Letterhead and sidebar text never reach this
module (ingest keeps it in ``furniture``), so it cannot become a board or an
author.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

from boardpapers.ingest.models import PaperMeta, Paragraph

from . import dates, money
from .context import Context
from .dates import When
from .months import FULL_NAMES, MONTHS, add_months, month_end
from .rules import load_vocab

KINDS = ("minutes", "action_log", "report", "agenda", "accounts", "other")
TITLE_LINE = 16  # words: a longer line naming a kind of paper is a sentence, not a title
SHORT_LINE = 10  # words: a line this short on page 1 is a heading or an address/date block
PDF_DATE = re.compile(r"^D:(\d{4})(\d\d)(\d\d)")


@cache
def vocab() -> dict:
    return load_vocab("paper.yml")


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def when(text: str | None, ctx: Context | None = None) -> When | None:
    """The first date or period expression of ``text`` (the project's one date
    parser); a year-less date takes its year from ``ctx.meeting_date`` and a
    numeric one ("03/04/2026") is read in the paper's order (``ctx.day_first``)
    unless the string itself settles it ("25/03/2026")."""
    found = dates.find_dates(text or "", _own_order(text, ctx))
    return found[0] if found else None


def day(text: str | None, ctx: Context | None = None) -> When | None:
    """The first date of day granularity in ``text``, else None (read as :func:`when`)."""
    found = dates.find_dates(text or "", _own_order(text, ctx))
    return next((w for w in found if w.granularity == "day"), None)


def _own_order(text: str | None, ctx: Context | None) -> Context:
    """``ctx`` with the string's own order when its dates settle it ("3/25/21")."""
    ctx = ctx or Context()
    first, second = dates.order_votes(text or "")
    return dataclasses.replace(ctx, day_first=first > second) if first != second else ctx


def _paper_texts(meta: PaperMeta, paragraphs: Sequence[Paragraph]) -> list[str]:
    """The paper's text and the places ingest found its metadata in: what its
    date order (``nlp.dates.stated_order``: its own dates, a format it names,
    its currency, spellings and dates in words) and currency are decided on."""
    texts = [p.text for p in paragraphs]
    texts += [value for _label, value, where in meta.fields if where != "pdf_info"]
    texts += [text for text, _size, _group in meta.title_lines]
    return [*texts, *meta.head_lines, *(t for t in (meta.header, meta.footer) if t)]


# ---------------------------------------------------------------- labels


def field_values(meta: PaperMeta, field: str) -> list[tuple[str, str]]:
    """(value, where) of every label/value pair whose label names ``field``."""
    labels = {_norm(x) for x in vocab()["labels"][field]}
    return [(value, where) for label, value, where in meta.fields if _norm(label) in labels and value]


# ---------------------------------------------------------------- file names


def file_name_text(name: str | None) -> str:
    """A file name as words: separators to spaces, the extension dropped."""
    if not name:
        return ""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name)
    return " ".join(re.split(r"[_\s]+|(?<=[A-Za-z])-|-(?=[A-Za-z])|\s-\s", stem)).strip()


def file_name_date(name: str | None, anchor: dt.date | None = None, *, day_first: bool = True) -> When | None:
    """The date a file name carries: ``2020-01``, ``2010-09-15``, ``14_May_2013``,
    ``July_13`` (two-digit year), ``02_03_11`` (day, month, two-digit year; month,
    day in a paper written month first: ``day_first`` False), or a year-less
    ``19_Nov`` resolved against ``anchor``. The name is rewritten into words and
    read by the date parser."""
    if not name:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name).lower()
    if m := re.search(
        r"(?<!\d)((?:19|20)\d\d)[-_. ](0[1-9]|1[0-2])(?:[-_. ](0[1-9]|[12]\d|3[01]))?(?!\d)", stem
    ):
        if m[3]:
            return day(f"{int(m[3])}/{int(m[2])}/{m[1]}", Context(day_first=True))
        return when(f"{_month_name(int(m[2]))} {m[1]}")
    words = re.findall(r"[a-z]+|\d+", stem)
    for i, w in enumerate(words):
        if w in MONTHS:
            before = words[i - 1] if i and words[i - 1].isdigit() and 1 <= int(words[i - 1]) <= 31 else ""
            after = words[i + 1] if i + 1 < len(words) and words[i + 1].isdigit() else ""
            year = after if len(after) == 4 else (f"20{after}" if len(after) == 2 else "")
            if before and year:
                return day(f"{before} {w} {year}")
            if year:
                return when(f"{w} {year}")
            if before:
                return day(f"{before} {w}", Context(meeting_date=anchor))
    if m := re.search(r"(?<!\d)(\d\d)[_.](\d\d)[_.](\d\d)(?!\d)", stem):
        return day(f"{int(m[1])}/{int(m[2])}/20{m[3]}", Context(day_first=day_first))
    return None


def _month_name(number: int) -> str:
    return FULL_NAMES[number - 1]


def created_date(meta: PaperMeta) -> dt.date | None:
    """The PDF's creation date (``D:YYYYMMDD...``), when ingest found one."""
    for label, value, where in meta.fields:
        if where == "pdf_info" and label == "created" and (m := PDF_DATE.match(value)):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


# ---------------------------------------------------------------- boards


def _stop_words() -> set[str]:
    v = vocab()
    cue_words = {w for cues in v["kinds"].values() for cue in cues for w in _norm(cue).split()}
    joins = {_norm(c) for c in v["connectors"]}
    return (cue_words | {_norm(w) for w in v["meeting_words"]}) - joins


def body_name(text: str | None) -> str | None:
    """The name of a body in ``text``: a run of capitalised words (joined by
    connectors such as "of the") around a body noun, without kind or meeting
    words — "Public Sector Transparency Board", "Board of Education",
    "SOULDERN PARISH COUNCIL". At least two words."""
    if not text:
        return None
    v = vocab()
    nouns = {_norm(n) for n in v["body_nouns"]}
    joins = {_norm(c) for c in v["connectors"]} | {"&"}
    stops = _stop_words() - nouns
    issues = {_norm(w) for w in v["issue_words"]}
    toks = re.findall(r"[^\W_][\w'’.\-]*[^\W_]|[^\W_]|&", text)
    keys = [_norm(re.sub(r"['’]s$", "", t)) for t in toks]
    for i, key in enumerate(keys):
        if key not in nouns:
            continue

        def part(j: int) -> bool:
            return keys[j] not in stops and (toks[j][:1].isupper() or keys[j] in joins or keys[j] in nouns)

        lo, hi = i, i + 1
        if i > 0 and keys[i - 1] in issues:
            continue  # "OPEN BOARD": a kind of meeting of some board, not its name
        while lo > 0 and part(lo - 1):
            lo -= 1
        while hi < len(toks) and part(hi):
            hi += 1
        while lo < i and keys[lo] in joins:
            lo += 1
        while hi > i + 1 and keys[hi - 1] in joins:
            hi -= 1
        if hi - lo >= 2:
            return " ".join(toks[lo:hi])
    return None


def _board_from_field(value: str) -> str | None:
    """A board-label value cleaned of meeting words: "Suffolk Libraries IPS - Board
    Meeting" -> "Suffolk Libraries IPS Board"; a date is not a board."""
    if day(value):
        return None
    meeting = {_norm(w) for w in vocab()["meeting_words"]}
    words = [w for w in re.split(r"\s+[-–—]\s+|\s+", value.strip()) if w]
    while words and _norm(words[-1]) in meeting:
        words.pop()
    return " ".join(words) or None


def _acronym_before_kind(text: str | None) -> str | None:
    """An acronym followed by a kind cue: "ODUG Action Log - 14 May 2013" -> "ODUG"."""
    if not text:
        return None
    m = re.match(r"^\s*([A-Z][A-Z&]{1,9})\s+(.*)$", text)
    if m and not m.group(2).isupper() and _kind_of(m.group(2)) is not None:
        return m.group(1)
    return None


def find_board(meta: PaperMeta, title: str | None) -> tuple[str | None, str | None]:
    """(board, source) from the fields, the title block, page 1, running lines, file name."""
    for value, where in field_values(meta, "board"):
        if board := _board_from_field(value):
            return board, _where(where)
    lines = [text for text, _size, _group in meta.title_lines]
    for i, text in enumerate(lines):
        if board := body_name(text):
            if _norm(board).split()[0] in {_norm(n) for n in vocab()["body_nouns"]} and i:
                prev = lines[i - 1]
                if not body_name(prev) and not _kind_of(prev) and not when(prev):
                    board = f"{prev} {board}"
            return board, "title_block"
    if board := _acronym_before_kind(title):
        return board, "title_block"
    meeting = {_norm(w) for w in vocab()["meeting_words"]} | {"minutes"}
    for text in meta.head_lines[:10]:
        if meeting & set(_norm(text).split()) and (board := body_name(text)):
            return board, "first_page"
    for where in ("header", "footer"):
        if board := body_name(getattr(meta, where)):
            return board, where
    if board := body_name(file_name_text(meta.file_name)):
        return board, "file_name"
    return None, None


def _where(where: str) -> str:
    return {"table": "cover_table", "memo": "memo_header"}.get(where, where)


# ---------------------------------------------------------------- kinds and titles


def _kind_of(text: str | None) -> str | None:
    """The first kind (in the vocabulary's order) whose cue ``text`` holds."""
    norm = f" {_norm(text or '')} "
    for kind, cues in vocab()["kinds"].items():
        if any(f" {_norm(cue)} " in norm for cue in cues):
            return kind
    return None


def find_kind(meta: PaperMeta, title: str | None) -> tuple[str, str | None]:
    """(kind, source): from the title, else the file name, else the title block."""
    sources = [
        ("title", title),
        ("file_name", file_name_text(meta.file_name)),
        ("title_block", " / ".join(t[0] for t in meta.title_lines)),
    ]
    for where, text in sources:
        if kind := _kind_of(text):
            return kind, where
    if field_values(meta, "board") or field_values(meta, "author"):
        return "report", "memo_header"  # addressed from someone to a board, with no other cue
    return "other", None


def _only_date(text: str) -> bool:
    got = when(text)
    return got is not None and len(text) - len(got.text) < 8


def find_title(meta: PaperMeta) -> tuple[str | None, str | None]:
    """(title, source): a title/subject field, else the largest group of the title
    block (up to three consecutive lines of one size), else None."""
    for value, where in field_values(meta, "title"):
        return value, _where(where)
    groups: dict[int, list[tuple[str, float]]] = {}
    for text, size, group in meta.title_lines:
        if not _only_date(text) and len(groups.setdefault(group, [])) < 3:
            groups[group].append((text, size))
    groups = [g for g in groups.values() if g and any(len(t.split()) >= 2 for t, _ in g)]
    if not groups:
        return _fallback_title(meta)
    best = max(groups, key=lambda g: g[0][1])  # the first of the largest
    return " ".join(t for t, _ in best), "title_block"


# ---------------------------------------------------------------- dates


def _anchor(meta: PaperMeta, day_first: bool = True) -> dt.date | None:
    """What gives a year to a year-less date: the file name's full date, else the PDF's creation date."""
    named = file_name_date(meta.file_name, day_first=day_first)
    if named and named.granularity == "day":
        return named.start
    return created_date(meta)


def printed_date(meta: PaperMeta, title: str | None, ctx: Context) -> tuple[When | None, str | None]:
    """(the date the paper prints for its meeting, source): a meeting-date field;
    a date in a title that names a meeting ("Director's Report for the 14 March
    2024 Board Meeting"); a date field (a memo's own date); the title block;
    page 1's first lines."""
    for value, where in field_values(meta, "meeting_date"):
        if got := day(value, ctx):
            return got, _where(where)
    meeting = {_norm(w) for w in vocab()["meeting_words"]} | {_norm(n) for n in vocab()["body_nouns"]}
    if title and meeting & set(_norm(title).split()) and (got := day(title, ctx)) and not _previous(title):
        return got, "title"
    for value, where in field_values(meta, "date"):
        if got := day(value, ctx):
            return got, _where(where)
    for text, _size, _group in meta.title_lines:
        if got := _meeting_day(text, ctx):
            return got, "title_block"
    titles = {t[0] for t in meta.title_lines}
    for text in meta.head_lines[:10]:
        short = text not in titles and len(text.split()) <= SHORT_LINE
        if got := (day(text, ctx) if short else _meeting_day(text, ctx)):
            return got, "first_page"
    return None, None


def _meeting_day(text: str, ctx: Context) -> When | None:
    """A day date that dates the line's meeting: most of the line ("11 June 2013,
    14:00"), or on a line naming a meeting, a body or a meeting's paper
    ("Minutes, 24th June 2010"), not a date inside a longer title ("Letter of 29 May")."""
    got = day(text, ctx)
    if got is None or _previous(text) or _other_label(text):
        return None
    if len(got.text) >= 0.4 * len(text.strip()):
        return got
    v = vocab()
    cues = {_norm(w) for w in (*v["meeting_words"], *v["body_nouns"])}
    bound = [c for kind in ("minutes", "agenda", "action_log") for c in v["kinds"][kind]]
    norm = f" {_norm(text)} "
    if cues & set(norm.split()) or any(f" {_norm(c)} " in norm for c in bound):
        return got
    return None


def _previous(text: str) -> bool:
    """The line names an earlier meeting ("actions from last meeting 19.11.10")."""
    norm = f" {_norm(text)} "
    return any(f" {_norm(cue)} " in norm for cue in vocab()["previous_meeting"])


def _other_label(text: str) -> bool:
    """A ``Label: date`` line whose label is not a meeting date's ("Updated on: ...")."""
    m = re.match(r"^\s*([^:]{1,30}):", text or "")
    labels = {_norm(x) for key in ("meeting_date", "date") for x in vocab()["labels"][key]}
    return bool(m) and _norm(m.group(1)) not in labels


def running_date(meta: PaperMeta, ctx: Context) -> tuple[When | None, str | None]:
    for where in ("footer", "header"):
        text = getattr(meta, where)
        if text and (got := _meeting_day(text, ctx)):
            return got, where
    return None, None


def cited_as_previous(paragraphs: Sequence[Paragraph], when_: When, day_first: bool | None = None) -> bool:
    """Whether the body cites ``when_`` as an earlier meeting's date
    ("Minutes of previous meeting (29th May 2014)"): the printed date is stale."""
    for para in paragraphs:
        if _previous(para.text) and any(
            w.granularity == "day" and w.start == when_.start
            for w in dates.find_dates(para.text, Context(day_first=day_first))
        ):
            return True
    return False


def latest_month(paragraphs: Sequence[Paragraph], upto: dt.date | None = None) -> dt.date | None:
    """The latest month-year the body mentions up to ``upto`` (what the paper
    reports on; later months are plans, not reports)."""
    months = [w.start for p in paragraphs for w in dates.find_dates(p.text) if w.granularity == "month"]
    return max((m for m in months if upto is None or m <= upto), default=None)


def choose_meeting_date(printed, running, paragraphs) -> tuple[When | None, str | None, list[str]]:
    """(date, source, warnings): the printed date unless the running line disagrees;
    then the date the content supports (a paper is not dated before the months
    it reports on), else the printed one (a running line may carry a draft's date)."""
    (p, p_src), (r, r_src) = printed, running
    if p is None and r is None:
        return None, None, []
    if r is None or (p is not None and p.start == r.start):
        return (p, p_src, []) if p is not None else (r, r_src, [])
    if p is None:
        return r, r_src, []
    reported = latest_month(paragraphs, max(p.start, r.start))

    def plausible(d: dt.date) -> bool:
        return reported is None or (d.year, d.month) >= (reported.year, reported.month)

    if plausible(r.start) and not plausible(p.start):
        chosen, src, why = (
            r,
            r_src,
            f"the printed date is before {reported:%B %Y}, which the paper reports on",
        )
    elif plausible(p.start) and not plausible(r.start):
        chosen, src, why = (
            p,
            p_src,
            f"the {r_src} date is before {reported:%B %Y}, which the paper reports on",
        )
    else:
        chosen, src, why = p, p_src, f"the content does not tell them apart and the {p_src} names the date"
    warning = (
        f"meeting date conflict: printed {p.text}, {r_src} says {r.text}; "
        f"using {chosen.start.isoformat()} ({why})"
    )
    return chosen, src, [warning]


def _against_file_name(meeting, source, named, kind, paragraphs, warnings: list[str], day_first=True):
    """(meeting date, source) once the file name's date is weighed: it stands in
    for a paper that prints none (accounts have no meeting); when the paper's
    date differs, a warning, and the file name wins if the body cites the
    printed date as the previous meeting's."""
    if named is None or named.granularity != "day":
        return meeting, source
    if meeting is None:
        return (named, "file_name") if kind != "accounts" else (None, None)
    if named.start == meeting.start:
        return meeting, source
    stale = named.start > meeting.start and cited_as_previous(paragraphs, meeting, day_first)
    chosen = named if stale else meeting
    why = "the paper cites its printed date as the previous meeting's" if stale else "the paper prints it"
    warnings.append(
        f"meeting date conflict: printed {meeting.text}, the file name says {named.start.isoformat()}; "
        f"using {chosen.start.isoformat()} ({why})"
    )
    return (named, "file_name") if stale else (meeting, source)


# ---------------------------------------------------------------- periods in titles

SPLIT_YEAR = re.compile(
    r"(?<![\d/])(?:FY\s?)?((?:19|20)\d\d)\s?[/\-\u2013]\s?((?:19|20)?\d\d)(?![\d/])", re.I
)
FY_YEAR = re.compile(r"\bFY\s?'?((?:19|20)\d\d|\d\d)\b(?!\s?[/\-\u2013]\s?\d)", re.I)
PLAIN_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d\d)(?![\d/])")


def financial_year_start(currency: str | None, order: bool | None, split: bool) -> int | None:
    """The month the paper's financial year starts in (``financial_year`` in
    paper.yml): by its currency; with none, the default for a paper written day
    first (``order``: its stated date order, None when nothing tells) or whose
    title writes the year as two (``split``, "2025/26"); else None."""
    fy = vocab().get("financial_year") or {}
    if currency is not None:
        return (fy.get("by_currency") or {}).get(currency)
    if order is True or (order is None and split):
        return fy.get("default_start")
    return None


def _title_year(title: str) -> tuple[str, int] | None:
    """("split", first year) for "2025/26", ("fy", year it ends) for "FY2025",
    ("calendar", year) for a plain "2025"."""
    if m := SPLIT_YEAR.search(title):
        first, second = int(m[1]), int(m[2])
        if second % 100 == (first + 1) % 100 and (second < 100 or second == first + 1):
            return "split", first
    if m := FY_YEAR.search(title):
        return "fy", int(m[1]) + (2000 if len(m[1]) == 2 else 0)
    if m := PLAIN_YEAR.search(title):
        return "calendar", int(m[1])
    return None


@cache
def _unit_patterns() -> tuple[tuple[str, re.Pattern, bool], ...]:
    """(unit, pattern, needs a year) of ``period_words`` and ``period_letters``."""
    v = vocab()
    out = []
    for unit, words in (v.get("period_words") or {}).items():
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        after = r"(?!\s?(?:weeks?|days?|months?|years?|hours?|%))"  # "a period 2 weeks long"
        out.append((unit, re.compile(rf"\b(?:{alt})\s?(\d{{1,2}})\b{after}", re.I), False))
    for unit, letters in (v.get("period_letters") or {}).items():
        alt = "|".join(re.escape(w) for w in sorted(letters, key=len, reverse=True))
        out.append((unit, re.compile(rf"\b(?:{alt})(\d{{1,2}})\b"), unit != "quarter"))
    return tuple(out)


def _title_unit(title: str, has_year: bool) -> tuple[str, int] | None:
    """("month", n) for "Month 8"/"Period 8"/"M8", ("quarter", n) for "Quarter 2"/"Q2"."""
    for unit, pattern, needs_year in _unit_patterns():
        m = pattern.search(title)
        if m and (has_year or not needs_year):
            n = int(m[1])
            return (unit, n) if 1 <= n <= (4 if unit == "quarter" else 12) else None
    return None


def _fy_first_month(year: tuple[str, int], start: int) -> tuple[int, int]:
    """(year, month) a financial year begins: "2025/26" in its first year, "FY2025" ending in 2025."""
    how, y = year
    if how == "split":
        return y, start
    return (y - 1, start) if start > 1 else (y, 1)


def title_period(
    title: str | None, start: int | None, anchor: dt.date | None = None
) -> tuple[bool, tuple[dt.date, dt.date] | None]:
    """(whether the title names a period of a financial year, that period) for a
    year starting in month ``start``: "Month 8 2025/26" with April is November
    2025, "Quarter 2 2026/27" July-September 2026, "Q3 FY2025" with October
    April-June 2025, a year-less "Period 6" the latest 6th month begun by
    ``anchor``; "Budget 2025/26" the whole year. (False, None) when it names
    none (other forms are the date parser's); (True, None) when it names one
    that cannot be placed (no ``start``, "Month 8 2025", "Period 6" and no anchor)."""
    if not title:
        return False, None
    year = _title_year(title)
    unit = _title_unit(title, year is not None)
    if unit is None:
        if year is None or year[0] == "calendar":
            return False, None
        if start is None:
            return True, None
        y, m = _fy_first_month(year, start)
        return True, (dt.date(y, m, 1), month_end(*add_months(y, m, 11)))
    what, n = unit
    offset, length = (3 * (n - 1), 3) if what == "quarter" else (n - 1, 1)
    if year is not None and year[0] == "calendar":
        if what != "quarter":
            return True, None  # "Month 8 2025": of the calendar or of a financial year?
        y, m = year[1], 3 * n - 2
    elif start is None:
        return True, None
    elif year is not None:
        y, m = add_months(*_fy_first_month(year, start), offset)
    elif anchor is None:
        return True, None
    else:
        first = anchor.year if anchor.month >= start else anchor.year - 1
        y, m = add_months(first, start, offset)
        if dt.date(y, m, 1) > anchor:
            y -= 1
    return True, (dt.date(y, m, 1), month_end(*add_months(y, m, length - 1)))


def stated_period_end(
    title: str | None, kind: str, start: int | None = 4, anchor: dt.date | None = None
) -> str | None:
    """The end of the period a report's or accounts' title names ("Budget 2021/22",
    "Performance Report Q3 2019/20", "Month 8 2025/26"), in a financial year
    starting in month ``start`` (None: unknown, so such a period is left empty);
    None for a day date or another kind."""
    if kind not in ("report", "accounts"):
        return None
    named, period = title_period(title, start, anchor)
    if named:
        return period[1].isoformat() if period else None
    got = when(title)
    return got.end.isoformat() if got and got.granularity != "day" else None


# ---------------------------------------------------------------- the paper


def interpret(meta: PaperMeta, paragraphs: Sequence[Paragraph] = ()) -> PaperMeta:
    """``meta`` with title, board, author, dates, kind and month interpreted from
    the places ingest found them, and the source of each recorded."""
    texts = _paper_texts(meta, paragraphs)
    order = dates.stated_order(texts)
    day_first = order is not False
    ctx = Context(meeting_date=_anchor(meta, day_first), day_first=day_first)
    title, title_src = find_title(meta)
    board, board_src = find_board(meta, title)
    author, author_src = next(((v, _where(w)) for v, w in field_values(meta, "author")), (None, None))
    kind, kind_src = find_kind(meta, title)
    printed, printed_src = printed_date(meta, title, ctx)
    meeting, meeting_src, warnings = choose_meeting_date(
        (printed, printed_src), running_date(meta, ctx), paragraphs
    )
    named = file_name_date(meta.file_name, created_date(meta), day_first=day_first)
    meeting, meeting_src = _against_file_name(
        meeting, meeting_src, named, kind, paragraphs, warnings, day_first
    )
    own = meeting or printed or named
    split = bool(title and (year := _title_year(title)) and year[0] == "split")
    start = financial_year_start(money.printed_currency(texts), order, split)
    period_end = stated_period_end(title, kind, start, own.start if own else None)
    sources = {
        "reporting_period_end": "title" if period_end else None,
        "title": title_src,
        "board": board_src,
        "author": author_src,
        "kind": kind_src,
        "meeting_date": meeting_src,
    }
    return dataclasses.replace(
        meta,
        title=title,
        board=board,
        author=author,
        date_printed=printed.text if printed else None,
        meeting_date=meeting.start.isoformat() if meeting else None,
        kind=kind,
        reporting_period_end=period_end,
        month=own.start.isoformat()[:7] if own else None,
        series_title=series_title(title, board),
        sources=tuple((k, v) for k, v in sources.items() if v),
        warnings=(*meta.warnings, *warnings),
    )


def _fallback_title(meta: PaperMeta) -> tuple[str | None, str | None]:
    """A caption row atop a page-1 table, else one of page 1's first lines that
    names a meeting's paper ("MINUTES OF THE ... MEETING")."""
    caption = next((v for _label, v, where in meta.fields if where == "caption"), None)
    if caption:
        return caption, "table_caption"
    for text in meta.head_lines[:6]:
        if _kind_of(text) in ("minutes", "agenda", "action_log") and len(text.split()) <= TITLE_LINE:
            return text, "first_page"
    return None, None


def series_title(title: str | None, board: str | None) -> str:
    """The words of a title that name its series: without its dates, month names,
    numbers, kind and meeting words, file-name noise and the board's own words
    ("Suffolk Libraries IPS - Open Board Meeting Minutes, 29 May 2014" -> "")."""
    if not title:
        return ""
    for found in reversed(dates.find_dates(title)):
        title = title[: found.char_start] + " " + title[found.char_end :]
    v = vocab()
    drop = _stop_words() | {_norm(c) for c in v["connectors"]}
    drop |= {_norm(w) for w in (*v["file_noise"], *v["issue_words"])}
    drop |= set(MONTHS) | set(_norm(re.sub(r"['’]s\b", "", board or "")).split())
    words = [_norm(re.sub(r"['’]s\b", "", w)) for w in title.split()]
    kept = [w for w in " ".join(words).split() if w not in drop and w.isalpha() and len(w) > 1]
    return " ".join(kept)
