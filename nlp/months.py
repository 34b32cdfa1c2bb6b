"""Months and the calendar: the one home for month names and month arithmetic.

Names come from the standard library's :mod:`calendar` (English names and
three-letter abbreviations, read at import in the C locale Python starts in),
plus the board-paper spelling ``Sept``. Every other module of ``nlp`` that
needs a month name, a month's last day, months added to a month or the UK
financial year imports it from here.

- :data:`MONTHS` — ``{"january": 1, "jan": 1, ..., "sept": 9, ...}``;
- :data:`MONTH_NAMES` — the same keys as a frozenset;
- :data:`WEEKDAYS` — day names and abbreviations, lower-cased;
  :data:`WEEKDAY_NUMBERS` the same with Monday 0 .. Sunday 6;
- :func:`month_of` — ``"Sept."`` -> 9;
- :func:`month_end`, :func:`add_months`, :func:`financial_year`,
  :func:`financial_year_of`, :func:`fiscal_year_start`;
- token extensions for the rules in ``nlp/patterns/*.jsonl``:
  ``{"_": {"is_month": true}}`` is a month name as printed in prose
  ("March", "Sept.", not the verb "march"), ``{"_": {"is_month_any_case":
  true}}`` one in any case ("29 MAY", after a day number);
  :func:`expand_token_checks` spells them as plain token attributes when
  rules are loaded (``nlp/rules.py``), so they cost the matcher nothing extra.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from spacy.tokens import Token

FULL_NAMES = tuple(calendar.month_name[1:])
ABBREVIATIONS = tuple(calendar.month_abbr[1:])
# Spellings papers print besides the full name and the three-letter abbreviation.
EXTRA_SPELLINGS = {"sept": 9}

MONTHS: dict[str, int] = (
    {m.lower(): i for i, m in enumerate(FULL_NAMES, 1)}
    | {m.lower(): i for i, m in enumerate(ABBREVIATIONS, 1)}
    | EXTRA_SPELLINGS
)
MONTH_NAMES = frozenset(MONTHS)
WEEKDAYS = frozenset(d.lower() for d in (*calendar.day_name, *calendar.day_abbr))
# Day names and abbreviations -> Monday 0 .. Sunday 6.
WEEKDAY_NUMBERS: dict[str, int] = (
    {d.lower(): i for i, d in enumerate(calendar.day_name)}
    | {d.lower(): i for i, d in enumerate(calendar.day_abbr)}
    | {"tues": 1, "thur": 3, "thurs": 3}
)

# A month name as a regular-expression alternation (longest first), for code
# that must find months in raw strings.
MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))

# Financial year as printed: "2019/20", "2012-13", "FY2019/2020", "19/20".
FISCAL_YEAR = r"(?:FY)?(?P<y1>(?:19|20)\d\d|\d\d)[/\u2013\u2014-](?P<y2>(?:19|20)\d\d|\d\d)"
FISCAL_YEAR_RE = re.compile(rf"^{FISCAL_YEAR}$")
# The UK public-sector financial year starts in April.
FINANCIAL_YEAR_START_MONTH = 4


def month_of(text: str) -> int | None:
    """The month number of a name or abbreviation (``"Sept."`` -> 9), else None."""
    return MONTHS.get(text.strip().lower().rstrip("."))


def is_full_month_name(text: str) -> bool:
    """``"March"`` but not ``"Mar"``: full names only."""
    return text.strip().lower() in {m.lower() for m in FULL_NAMES}


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by n months."""
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def financial_year(first_year: int) -> tuple[dt.date, dt.date]:
    """UK financial year starting in April of ``first_year``."""
    return (
        dt.date(first_year, FINANCIAL_YEAR_START_MONTH, 1),
        month_end(*add_months(first_year, FINANCIAL_YEAR_START_MONTH, 11)),
    )


def financial_year_of(day: dt.date) -> int:
    """The first calendar year of the financial year ``day`` falls in."""
    return day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1


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


def is_month_token(text: str) -> bool:
    """A month name or abbreviation in title case ("March", "Sept", "Dec.")."""
    word = text.rstrip(".")
    return word[:1].isupper() and word[1:].islower() and month_of(word) is not None


# The month checks as spaCy token attributes: what a rule's ``{"_": {"is_month": true}}``
# means, spelled as an attribute the matcher tests without calling Python per
# token (an extension getter runs on every token of every paragraph, for every ruler).
MONTH_FORMS_TITLE = frozenset(f"{m.capitalize()}{dot}" for m in MONTHS for dot in ("", "."))
MONTH_FORMS_LOWER = frozenset(f"{m}{dot}" for m in MONTHS for dot in ("", "."))
TOKEN_CHECKS = {
    "is_month": ("TEXT", MONTH_FORMS_TITLE),
    "is_month_any_case": ("LOWER", MONTH_FORMS_LOWER),
}


def expand_token_checks(rule: dict) -> dict:
    """A pattern rule with each ``{"_": {"is_month": true}}`` (or ``is_month_any_case``)
    token check spelled as the equivalent ``{"TEXT": {"IN": [...]}}`` (``LOWER``): the
    same tokens match, faster. Other keys and phrase patterns are left as they are."""
    pattern = rule.get("pattern")
    if not isinstance(pattern, list):
        return rule
    return {**rule, "pattern": [_expand_token(tok) for tok in pattern]}


def _expand_token(tok):
    ext = tok.get("_") if isinstance(tok, dict) else None
    if not isinstance(ext, dict):
        return tok
    names = [n for n, v in ext.items() if n in TOKEN_CHECKS and v is True and TOKEN_CHECKS[n][0] not in tok]
    if len(names) != 1:
        return tok
    attr, forms = TOKEN_CHECKS[names[0]]
    rest = {n: v for n, v in ext.items() if n != names[0]}
    out = {k: v for k, v in tok.items() if k != "_"} | {attr: {"IN": sorted(forms)}}
    return out | ({"_": rest} if rest else {})


if not Token.has_extension("is_month"):
    Token.set_extension("is_month", getter=lambda t: is_month_token(t.text))
if not Token.has_extension("is_month_any_case"):
    Token.set_extension("is_month_any_case", getter=lambda t: month_of(t.text) is not None)
