"""Trends: narrative direction statements ("999 and 101 call volumes fell
month on month", "the long term trend for 101 calls continues to decline",
"incident demand remained stable") -> subject, direction, horizon.

Direction and horizon phrases are patterns in ``patterns/trends.jsonl``; how a
phrase finds its subject (clause openers, words to trim, anaphors, "trend for
X") is in ``vocab/trends.yml``. There is no parser: the subject is the clause
text before the direction phrase, or X after "trend for", or the previous
subject when the clause has none of its own ("..., but increased when ...").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .context import Context
from .records import Trend
from .rules import load_patterns, load_vocab
from .sentences import SENTENCE_END

RULER = "bp_trends_ruler"
SPANS_KEY = "bp_trends"
DIRECTIONS = {"TREND_UP": "up", "TREND_DOWN": "down", "TREND_STABLE": "stable"}
HORIZONS = {"HORIZON_MONTH": "month", "HORIZON_YEAR": "year", "HORIZON_LONG_TERM": "long_term"}
ORDINARY_KINDS = ("paragraph", "bullet", "action_title")
PROSE_ROW_WORDS = 12


def add_pipes(nlp: Language) -> None:
    ruler = nlp.add_pipe("span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True})
    ruler.add_patterns(load_patterns("trends.jsonl"))


@functools.cache
def _vocab() -> dict:
    v = load_vocab("trends.yml")
    words = lambda key: "|".join(re.escape(w) for w in sorted(v[key], key=len, reverse=True))  # noqa: E731
    return {
        "opener": re.compile(rf"(?:;|,\s*(?=(?:{words('clause_openers')})\b))", re.I),
        "leading": re.compile(rf"^(?:(?:{words('leading_words')})\b[\s,]*)+", re.I),
        "trailing": re.compile(rf"(?:[\s,]*\b(?:{words('trailing_words')}))+$", re.I),
        "anaphors": {a.casefold() for a in v["anaphors"]},
        "after": re.compile(rf"\b(?:{words('subject_after')})\s+(?:for|in|of)\s+(?P<x>.+)$", re.I),
        "verb": re.compile(rf"\s(?:{words('subject_verbs')})\b", re.I),
        "not": re.compile(rf"^(?:{words('not_subjects')})\b", re.I),
        "max_words": int(v["max_subject_words"]),
        "adjective_after": {w.casefold() for w in v.get("adjective_after") or ()},
        "level_now": re.compile(
            rf"\s*(?:{words('level_anaphors')})\b[^.\d]{{0,40}}?\b(?:{words('level_now_words')})\b[^.\d]{{0,40}}?"
            r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>%|[a-z]+)",
            re.I,
        ),
        "possessive": re.compile(
            rf"\s+(?:{words('possessives')})\s+(?P<x>[^,.;:]+?)(?=\s+(?:by|to|from|for|in|on|over|at)\b|[,.;:]|$)",
            re.I,
        ),
    }


def clean_subject(text: str) -> str | None:
    """The noun phrase a direction statement is about, from the clause text
    before the direction phrase; None when it only points back."""
    v = _vocab()
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–")
    if m := v["after"].search(text):
        text = m["x"]
    for _ in range(3):
        text = v["trailing"].sub("", v["leading"].sub("", text)).strip(" ,;:-–")
    if not text or text.casefold() in v["anaphors"] or not any(c.isalnum() for c in text):
        return None
    if v["not"].match(text) or len(text.split()) > v["max_words"]:
        return None
    return text


def clause_subject(text: str) -> str | None:
    """The subject of a whole clause ("X was 11.3%"): its text up to the first verb."""
    m = _vocab()["verb"].search(text)
    return clean_subject(text[: m.start()]) if m else None


def object_subject(text: str, start: int, end: int) -> str | None:
    """ "X has increased its fees by 5%": a direction verb followed by a
    possessive names what moved — the noun phrase after the possessive."""
    v = _vocab()
    m = v["possessive"].match(text, start, end)
    return clean_subject(m["x"]) if m else None


def is_prose_row(p: Paragraph) -> bool:
    """A table row that holds running text (a minutes table's minute cell)."""
    return p.kind == "table_row" and any(len((c or "").split()) >= PROSE_ROW_WORDS for c in p.cells or ())


def sentences(text: str) -> list[tuple[int, int]]:
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    return list(zip(starts, starts[1:] + [len(text)], strict=True))


def extract_trends(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Trend]:
    out: list[Trend] = []
    for doc, p in docs:
        if p.kind not in ORDINARY_KINDS and not is_prose_row(p):
            continue
        found = paragraph_trends(doc, p)
        out.extend(
            found + [t for t in level_changes(p) if not any(f.char_start == t.char_start for f in found)]
        )
    return out


NUMBER_UNIT = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>%|[a-z]+)"


def level_changes(p: Paragraph) -> list[Trend]:
    """ "X was 7 days … This figure is now under 3 days": a level restated
    now against the one the sentence before gave."""
    v = _vocab()
    text, out = p.text, []
    spans = sentences(text)
    for (a0, a1), (b0, b1) in zip(spans, spans[1:], strict=False):
        now = v["level_now"].match(text, b0, b1)
        if not now:
            continue
        then = [
            m
            for m in re.finditer(
                rf"(?P<s>[\w’' -]{{2,60}}?)\s+(?:of|was|were|at)\s+{NUMBER_UNIT}", text[a0:a1]
            )
        ]
        then = [m for m in then if m["u"].casefold() == now["u"].casefold()]
        if (
            not then
            or (subject := clean_subject(re.split(r"\b(?:was|were|there|a|an)\b", then[-1]["s"])[-1])) is None
        ):
            continue
        old, new = (float(x.replace(",", "")) for x in (then[-1]["n"], now["n"]))
        if old == new:
            continue
        direction = "up" if new > old else "down"
        out.append(
            Trend(
                p.seq,
                subject,
                direction,
                text[a0:b1].strip(),
                p.page_at(b0),
                now.start("n"),
                now.end("u"),
                "trend-level-restated-now",
            )
        )
    return out


def _adjectival(move, v: dict) -> bool:
    """ "the improved quality": a one-word direction after a determiner qualifies a noun."""
    return len(move) == 1 and move.start > 0 and move.doc[move.start - 1].lower_ in v["adjective_after"]


def paragraph_trends(doc: Doc, p: Paragraph) -> list[Trend]:
    v = _vocab()
    spans = list(doc.spans.get(SPANS_KEY, []))
    moves = filter_spans([s for s in spans if s.label_ in DIRECTIONS and not _adjectival(s, v)])
    horizons = filter_spans([s for s in spans if s.label_ in HORIZONS])
    text = p.text
    out: list[Trend] = []
    subject: str | None = None
    for s_start, s_end in sentences(text):
        previous_end = s_start
        in_sentence = [m for m in moves if s_start <= m.start_char < s_end]
        for n, move in enumerate(in_sentence):
            openers = [m.end() for m in v["opener"].finditer(text, previous_end, move.start_char)]
            clause_start = max([previous_end, *openers])
            following = in_sentence[n + 1].start_char if n + 1 < len(in_sentence) else s_end
            closers = [m.start() for m in v["opener"].finditer(text, move.end_char, following)]
            clause_end = min([following, *closers])
            segment = text[clause_start : move.start_char]
            for h in horizons:  # "improved month on month and has risen": no subject of its own
                if clause_start <= h.start_char and h.end_char <= move.start_char:
                    a, b = h.start_char - clause_start, h.end_char - clause_start
                    segment = segment[:a] + " " * (b - a) + segment[b:]
            own = object_subject(text, move.end_char, clause_end) or clean_subject(segment)
            if (
                not own
                and clause_start > s_start
                and not segment.strip(" ,;").lower().startswith(("and", "but"))
            ):
                own = clause_subject(text[s_start:clause_start])
            subject = own or subject
            previous_end = move.end_char
            if not subject:
                continue
            horizon = next(
                (
                    HORIZONS[h.label_]
                    for h in horizons
                    if clause_start <= h.start_char and h.end_char <= clause_end
                ),
                None,
            )
            out.append(
                Trend(
                    para=p.seq,
                    subject=subject,
                    direction=DIRECTIONS[move.label_],
                    text=text[clause_start:clause_end].strip(" ,;"),
                    page=p.page_at(move.start_char),
                    char_start=move.start_char,
                    char_end=move.end_char,
                    rule_id=move.id_ or move.label_.lower(),
                    horizon=horizon,
                )
            )
    return out
