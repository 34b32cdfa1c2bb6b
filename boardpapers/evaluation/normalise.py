"""How gold and extracted values are compared: text normalisation and one-to-one matching.

These are the matching rules the gold files' headers describe (and the
project's reference scorer applies): case, spacing, dashes and quotes never
matter; a measure word matches its simple plural or singular; two names are
the same when equal or when the shorter, long enough, sits inside the longer.
"""

from __future__ import annotations

import datetime as dt
import re

UNIT_ALIASES = {
    "%": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage": "percent",
    "£": "gbp",
    "pounds": "gbp",
    "pp": "percentage_points",
    "percentage point": "percentage_points",
    "hour": "hours",
    "hrs": "hours",
    "day": "days",
    "second": "seconds",
    "secs": "seconds",
    "minute": "minutes",
    "mins": "minutes",
}
MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
DASHES = re.compile(r"[\u2010-\u2015\u2212]")
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def iso(value) -> str | None:
    """A gold or database date-ish value as text ('2019-11', '2019-12-20'), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def norm_ws(text) -> str:
    """Lower case, curly quotes and dashes made plain, runs of space made one."""
    text = DASHES.sub("-", str(text or "").translate(QUOTES))
    return re.sub(r"\s+", " ", text).strip().lower()


def norm_words(text) -> str:
    """Lower case; every run of characters other than letters and digits -> one space."""
    text = norm_ws(text).replace("'s ", " ")
    return re.sub(r"[^0-9a-z\u00c0-\u024f]+", " ", text).strip()


def norm_para(number) -> str | None:
    """A paragraph number without bullets or a trailing full stop ('4.1.' -> '4.1')."""
    if number is None:
        return None
    text = re.sub(r"^[-\u2022\s]+", "", str(number).strip()).rstrip(".").strip()
    return text or None


def norm_unit(unit) -> str:
    text = norm_ws(unit)
    return UNIT_ALIASES.get(text, text)


def norm_ref(ref) -> str | None:
    return re.sub(r"\s+", "", str(ref or "")).lower().rstrip(".") or None


def norm_token(text) -> str | None:
    """'On track' and 'on-track' -> 'on_track'."""
    return re.sub(r"[\s\-]+", "_", norm_ws(text)) or None


def to_float(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        try:
            return float(str(value).replace(",", "").replace("£", "").strip())
        except ValueError:
            return None


def word_in(word, haystack: str) -> bool:
    """``word`` (or its simple plural/singular) inside the normalised ``haystack``."""
    w = norm_ws(word)
    if not w:
        return True
    variants = {w, w + "s"}
    if w.endswith("ies") and len(w) > 4:
        variants.add(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        variants.add(w[:-2])
    if w.endswith("s") and len(w) > 2:
        variants.add(w[:-1])
    if w.endswith("y") and len(w) > 2:
        variants.add(w[:-1] + "ies")
    return any(v in haystack for v in variants)


def all_words_in(words, haystack: str) -> bool:
    return all(word_in(w, haystack) for w in words or ())


def fuzzy_eq(got, want) -> bool:
    """Equal names, or the shorter inside the longer when it has two or more words or is
    at least half as long."""
    a, b = norm_words(got), norm_words(want)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return f" {short} " in f" {long_} " and (len(short.split()) >= 2 or len(short) >= 0.5 * len(long_))


def text_hit(gold_text, row_text) -> bool:
    """The gold date text inside the row's text, the rest of which holds no digit or
    month name ("31 March 2020" does not match gold "March 2020")."""
    gold, row = norm_ws(gold_text), norm_ws(row_text)
    if not gold or gold not in row:
        return False
    rest = row.replace(gold, " ", 1)
    return not re.search(r"\d", rest) and not MONTH_NAME.search(rest)


def ratio(num: int, den: int) -> float | None:
    return None if not den else num / den


def f1(precision: float | None, recall: float | None) -> float | None:
    """F1; None only when both are undefined. One undefined means the other side is
    empty, so F1 is 0."""
    if precision is None and recall is None:
        return None
    if precision is None or recall is None or precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def assign(candidates: list[list[int]], order: list[int]) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths). ``candidates[i]`` lists, best first,
    the rows gold entry ``i`` accepts; gold entries are visited in ``order``.
    Returns {gold index: row index}."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for row in candidates[i]:
            if row in seen:
                continue
            seen.add(row)
            if row not in owner or augment(owner[row], seen):
                owner[row] = i
                return True
        return False

    for i in order:
        augment(i, set())
    return {g: r for r, g in owner.items()}


def required_first(optional: list[bool]) -> list[int]:
    """Gold indices, non-optional first, so an optional entry never displaces one that counts."""
    return [i for i, o in enumerate(optional) if not o] + [i for i, o in enumerate(optional) if o]
