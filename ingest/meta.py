"""What a paper says about itself: To/From/Date block, title, board, meeting date.

Dates are parsed with a small month table (no dateutil). When the printed
date, the running footer and the dates the paper reports on disagree, the
best supported date wins and a warning says why.
"""

from __future__ import annotations

import re
from datetime import date

from boardpapers.ingest.models import Line, PaperMeta, Paragraph

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s?(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b")
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b", re.I)
NUMBERED = re.compile(
    r"^(\d{1,3}(\.\d{1,3})*\.?|\(?[a-z]\))\s+\S", re.I
)  # "1.0 Purpose", "2. ...", "(a) ..."
TITLE_LINES = 3
LABEL = re.compile(r"^\s*(to|from|date|title|subject|meeting|author|report of|paper)\s*:\s*(.*)$", re.I)
MINUTES_OF = re.compile(
    r"minutes\s+of\s+(?:the\s+)?(?:(?:meeting|proceedings)\s+of\s+(?:the\s+)?)?(.+?(?:board|council|committee|group|trust|forum|panel|authority))\b",
    re.I,
)


def parse_dates(text: str) -> list[tuple[str, date]]:
    """Every full date in ``text`` as (surface, date), day-first for numeric forms."""
    found: list[tuple[int, str, date]] = []
    for m in DAY_MONTH_YEAR.finditer(text):
        found.append((m.start(), m.group(0), _make(m.group(3), m.group(2), m.group(1))))
    for m in MONTH_DAY_YEAR.finditer(text):
        found.append((m.start(), m.group(0), _make(m.group(3), m.group(1), m.group(2))))
    for m in NUMERIC.finditer(text):
        year = m.group(3)
        year = ("20" + year if int(year) < 70 else "19" + year) if len(year) == 2 else year
        try:
            found.append((m.start(), m.group(0), date(int(year), int(m.group(2)), int(m.group(1)))))
        except ValueError:
            pass
    found = [f for f in found if f[2] is not None]
    return [(s, d) for _, s, d in sorted(found, key=lambda f: f[0])]


def _make(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        return None


def latest_month(texts: list[str]) -> date | None:
    """The latest month-year the body text mentions (what the paper reports on)."""
    best = None
    for text in texts:
        for m in MONTH_YEAR.finditer(text):
            d = date(int(m.group(2)), MONTHS[m.group(1).lower().rstrip(".")], 1)
            best = d if best is None or d > best else best
    return best


def read_meta(
    first_lines: list[Line], paragraphs: list[Paragraph], header: str | None, footer: str | None
) -> PaperMeta:
    """Metadata from page 1's opening lines, the running lines and the body."""
    fields: dict[str, str] = {}
    for ln in first_lines[:25]:
        m = LABEL.match(ln.text)
        if m and m.group(2).strip():
            fields.setdefault(m.group(1).lower(), m.group(2).strip())
    title = fields.get("title") or fields.get("subject") or prominent_title(first_lines)
    board = fields.get("to")
    if title is None:
        title = next((ln.text.strip() for ln in first_lines[:6] if MINUTES_OF.search(ln.text)), None)
    if board is None:
        for text in [title or ""] + [ln.text for ln in first_lines[:6]]:
            m = MINUTES_OF.search(text)
            if m:
                board = m.group(1).strip()
                break
    author = fields.get("from") or fields.get("author") or fields.get("report of")
    printed = None
    printed_text = fields.get("date") or fields.get("meeting")
    if printed_text:
        got = parse_dates(printed_text)
        printed = got[0] if got else None
    if printed is None:
        for ln in first_lines[:10]:
            got = parse_dates(ln.text)
            if got:
                printed = got[0]
                break
    running = [(label, parse_dates(t)) for label, t in (("footer", footer), ("header", header)) if t]
    running_date = next(((label, got[0]) for label, got in running if got), None)
    meeting, warnings = _choose(printed, running_date, latest_month([p.text for p in paragraphs]))
    return PaperMeta(
        title=title,
        board=board,
        author=author,
        date_printed=printed[0] if printed else (printed_text or None),
        meeting_date=meeting.isoformat() if meeting else None,
        footer=footer,
        header=header,
        warnings=tuple(warnings),
    )


def prominent_title(lines: list[Line]) -> str | None:
    """The largest bold-or-large lines at the top of page 1, before the first
    numbered line: not the To/From/Date block, a date or a number. Up to
    TITLE_LINES consecutive lines in one style are joined."""
    body_size = _median_size(lines)
    groups: list[list[Line]] = []
    for ln in lines[:25]:
        text = ln.text.strip()
        if NUMBERED.match(text):
            break
        prominent = (ln.bold or ln.size >= 1.15 * body_size) and len(text.split()) >= 2  # not "Purpose"
        if not prominent or LABEL.match(text) or _only_date(text) or not re.search(r"[A-Za-z]{3}", text):
            if groups and groups[-1]:
                groups.append([])
            continue
        if groups and groups[-1] and _same_style(groups[-1][-1], ln) and len(groups[-1]) < TITLE_LINES:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    groups = [g for g in groups if g]
    if not groups:
        return None
    best = max(groups, key=lambda g: g[0].size)  # the first of the largest
    return " ".join(ln.text.strip() for ln in best)


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 0.5 and a.bold == b.bold and 0 <= b.top - a.bottom <= 1.2 * (b.size or 10.0)


def _only_date(text: str) -> bool:
    got = parse_dates(text)
    return bool(got) and len(text) - sum(len(g[0]) for g in got) < 8


def _median_size(lines: list[Line]) -> float:
    sizes = sorted(ln.size for ln in lines if ln.size)
    return sizes[len(sizes) // 2] if sizes else 10.0


def _choose(printed, running, reported: date | None) -> tuple[date | None, list[str]]:
    """Pick the meeting date best supported by the printed date, running line and content."""
    if printed is None and running is None:
        return None, []
    if running is None:
        return printed[1], []
    label, (run_text, run_date) = running
    if printed is None or printed[1] == run_date:
        return run_date, []
    text, p_date = printed

    def plausible(d: date) -> bool:  # a paper is not dated before the months it reports on
        return reported is None or (d.year, d.month) >= (reported.year, reported.month)

    if plausible(run_date) and not plausible(p_date):
        chosen, why = run_date, f"the printed date is before {reported:%B %Y}, which the paper reports on"
    elif plausible(p_date) and not plausible(run_date):
        chosen, why = p_date, f"the {label} date is before {reported:%B %Y}, which the paper reports on"
    else:
        chosen, why = run_date, f"the {label} repeats on every page"
    warning = (
        f"meeting date conflict: printed {text}, {label} says {run_text}; using {chosen.isoformat()} ({why})"
    )
    return chosen, [warning]
