"""Trends: narrative direction statements ("999 and 101 call volumes fell
month on month", "the long term trend for 101 calls continues to decline",
"incident demand remained stable") -> subject, direction, horizon.

Direction and horizon phrases are patterns in ``patterns/trends.jsonl``; how a
phrase finds its subject (clause openers, words to trim, anaphors, "trend for
X") is in ``vocab/trends.yml``. There is no parser: the subject is the clause
text before the direction phrase, or X after "trend for", or the previous
subject when the clause has none of its own ("..., but increased when ...").
A direction after a comma (", up 4% on last year", ", a fall of 3%")
qualifies the figure clause before it: its subject is that clause's subject,
or the noun its number counts ("Crews attended 3,412 incidents"); a relative
clause (", which have risen") is about the noun phrase before the comma.
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
# ", from 1,344 a year earlier": a direction the two numbers give (the figure of
# the clause before the comma against the one after "from").
CHANGE = "TREND_CHANGE"
NUMBER = r"\d[\d,]*(?:\.\d+)?"
# "improved from 68 days to 57 days": the numbers, not the verb, give the direction.
FROM_TO = re.compile(rf"[\s,]*from\s+[£$€]?(?P<old>{NUMBER})[^\d,;.]{{0,16}}?\s+to\s+[£$€]?(?P<new>{NUMBER})")
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
        "reported": re.compile(rf"^.*\b(?:{words('reporting_verbs')})\s+that\s+", re.I | re.S),
        "label": re.compile(r"^[^:]{1,60}:\s+(?=\S)"),
        "max_words": int(v["max_subject_words"]),
        "adjective_after": {w.casefold() for w in v.get("adjective_after") or ()},
        "level_now": re.compile(
            rf"\s*(?:{words('level_anaphors')})\b[^.\d]{{0,40}}?\b(?:{words('level_now_words')})\b[^.\d]{{0,40}}?"
            r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>%|[a-z]+)",
            re.I,
        ),
        "relatives": {w.casefold() for w in v["relatives"]},
        "shared": re.compile(rf"\b(?:{words('shared_subject_links')})\s*$", re.I),
        "counted_of": re.compile(
            rf"\s+of\s+[A-Za-z][\w'’-]*(?:\s+(?!(?:{words('counted_noun_ends')})\b)[A-Za-z][\w'’-]*){{0,2}}",
            re.I,
        ),
        "counted": re.compile(
            rf"\d[\d,.]*\s+(?P<x>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){{0,4}}?)"
            rf"(?=\s+(?:{words('counted_noun_ends')})\b|\s*[,;:(]|\s*$)",
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
    text = v["label"].sub("", v["reported"].sub("", text))  # "Fees: the X", "Y reported that the X"
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


def adjunct_subject(text: str) -> str | None:
    """The subject of a figure clause that a trailing ", up 4%" / ", a fall
    of 3%" qualifies: "X was 41 minutes" -> X; "Crews attended 3,412
    incidents in the quarter" (no copula, or "There were …") -> the counted
    noun "incidents"."""
    v = _vocab()
    m = v["verb"].search(text)
    if m and (subject := clean_subject(text[: m.start()])):
        # "68% of pupils were in school, up from 61%": the share is of the whole clause
        return (clean_subject(text) or subject) if re.match(rf"{NUMBER}\s*%", subject) else subject
    counted = v["counted"].search(text)
    if not counted:
        return clean_subject(text)
    of = v["counted_of"].match(text, counted.end("x"))  # "1,027 incidents of fly-tipping"
    return clean_subject(counted["x"] + (of[0] if of else ""))


def antecedent(text: str) -> str | None:
    """What a relative clause (", which have risen") is about: the noun
    phrase ending the clause before it ("The main risks are continuing
    costs, which …" -> "continuing costs")."""
    v = _vocab()
    text = text.rstrip(" ,;")
    verbs = list(v["verb"].finditer(text))
    subject = clean_subject(text[verbs[-1].end() :] if verbs else text)
    return subject if subject and any(c.isalpha() for c in subject) else None


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


def _compare(old: str, new: str) -> str:
    a, b = (float(x.replace(",", "")) for x in (old, new))
    return "up" if b > a else "down" if b < a else "stable"


def direction_of(move, text: str, clause_start: int, clause_end: int) -> tuple[str, str] | None:
    """The direction of a phrase: its label's, unless numbers "from A to B"
    follow it ("improved from 68 days to 57 days" is down); for ", from A" the
    clause's figure before the comma against A (None without one). With the
    suffix the rule id takes when the numbers decided."""
    if move.label_ == CHANGE:
        before = re.findall(NUMBER, text[clause_start : move.start_char])
        old = re.search(NUMBER, text[move.start_char : move.end_char])
        return (_compare(old[0], before[-1]), "") if before and old else None
    if move.label_ != "TREND_STABLE" and (m := FROM_TO.match(text, move.end_char, clause_end)):
        return _compare(m["old"], m["new"]), "+from-to"
    return DIRECTIONS[move.label_], ""


def paragraph_trends(doc: Doc, p: Paragraph) -> list[Trend]:
    v = _vocab()
    spans = list(doc.spans.get(SPANS_KEY, []))
    moves = filter_spans(
        [s for s in spans if (s.label_ in DIRECTIONS or s.label_ == CHANGE) and not _adjectival(s, v)]
    )
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
            adjunct = move[0].text == ","  # "…, up 4% on last year": about the clause before the comma
            own = object_subject(text, move.end_char, clause_end) or (
                adjunct_subject(segment) if adjunct else clean_subject(segment)
            )
            if v["shared"].search(segment) and v["verb"].search(segment):  # "X was £2m and is reducing"
                own = clause_subject(segment)
            opener = (segment.split() or [""])[0].casefold()
            if not own and clause_start > s_start and opener in v["relatives"]:
                own = antecedent(text[s_start:clause_start])
            if not own and clause_start > s_start and opener not in ("and", "but"):
                own = clause_subject(text[s_start:clause_start])
            if not own and not subject and clause_start > s_start:  # "X was £2m, and is reducing"
                own = clause_subject(text[s_start:clause_start])
            subject = own or subject
            previous_end = move.end_char
            judged = direction_of(move, text, clause_start, clause_end)
            if not subject or judged is None:
                continue
            direction, by_numbers = judged
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
                    direction=direction,
                    text=text[clause_start:clause_end].strip(" ,;"),
                    page=p.page_at(move.start_char),
                    char_start=move.start_char,
                    char_end=move.end_char,
                    rule_id=(move.id_ or move.label_.lower()) + by_numbers,
                    horizon=horizon,
                )
            )
    return out
