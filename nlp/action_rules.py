"""Action status rules: how status evidence is weighed, how a status cell
reads, and due dates — shared by plan actions, action logs and minutes.

Cue phrases are spaCy patterns in ``patterns/actions.jsonl`` (labels
``STATUS_<TIER>`` for status evidence, ``ACTION_*`` for owners, due dates and
minuted actions). ``vocab/status.yml`` says how status cues are weighed
(precedence and combinations), how an action log's status cells read (words,
common misspellings, fill colours) and which header words name which column.
The only judgement held in code is applying that precedence
(:func:`judge_status`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .context import Context
from .dates import parse_date_span
from .numbers import doc_text
from .records import STATUSES
from .rules import load_patterns, load_vocab
from .spangroups import labelled_spans

RULER = "bp_actions_ruler"
PRECEDENCE = "bp_status_precedence"
SPANS_KEY = "bp_actions"
STATUS_PREFIX = "STATUS_"
WEAK_SUFFIX = "_weak"
# A task's due date more than this many days before the paper's date was
# printed without its year and is the next such date ("to the November meeting").
DUE_GRACE_DAYS = 31


DASHES_OR_SPACES = re.compile(r"[\s‐‑–—-]+")
SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)  # cells and headers repeat down a table
def normalise_cell(text: str | None) -> str:
    """Lower case, single spaces, no surrounding punctuation: how cells and
    headers are looked up in the vocabulary."""
    text = DASHES_OR_SPACES.sub(lambda m: " " if m.group().isspace() else "-", text or "")
    return SPACES.sub(" ", text).strip(" .,:;!*()[]").casefold()


@dataclass(frozen=True)
class StatusRules:
    """How status evidence is weighed, read from ``vocab/status.yml``."""

    precedence: tuple[str, ...]
    combinations: tuple[tuple[frozenset[str], str], ...]
    cells: dict[str, str]
    columns: dict[str, str]
    ref_shape: re.Pattern = re.compile(r"\d+(?:\.\d+)*")
    ref_max_length: int = 16
    colours: dict[str, str] = field(default_factory=dict)
    misspelling_cutoff: float = 0.84
    misspelling_min_length: int = 6
    empty_status: str = "unknown"
    past_due_cues: frozenset[str] = frozenset()
    past_due_status: str = "delayed"

    @classmethod
    @functools.cache
    def load(cls) -> StatusRules:
        v = load_vocab("status.yml")
        cells = {normalise_cell(c): status for status, cs in v["cells"].items() for c in cs}
        columns = {normalise_cell(h): role for role, hs in v["columns"].items() for h in hs}
        combos = tuple((frozenset(c["all"]), c["status"]) for c in v.get("combinations") or ())
        colours = {str(k).casefold(): s for k, s in (v.get("cell_colours") or {}).items()}
        empty = v.get("empty_status_in_log") or "unknown"
        past_due = v.get("past_due") or {}
        carried = frozenset(normalise_cell(c) for c in past_due.get("cues") or ())
        late = past_due.get("status") or "delayed"
        for status in [*cells.values(), *(s for _, s in combos), *colours.values(), empty, late]:
            if status not in STATUSES:
                raise ValueError(f"vocab/status.yml: unknown status {status!r}")
        shape = re.compile(str(v.get("ref_shape") or r"\d+(?:\.\d+)*"))
        return cls(
            tuple(v["precedence"]),
            combos,
            cells,
            columns,
            shape,
            int(v.get("ref_max_length", 16)),
            colours,
            float(v.get("misspelling_cutoff", 0.84)),
            int(v.get("misspelling_min_length", 6)),
            empty,
            carried,
            late,
        )

    def rank(self, tier: str) -> int:
        return self.precedence.index(tier) if tier in self.precedence else len(self.precedence)

    def cell(self, text: str | None) -> str | None:
        """The status a whole cell names: a vocabulary value, or a near
        spelling of one ("compelted", "on-goin"); None otherwise."""
        norm = normalise_cell(text)
        if not norm:
            return None
        if norm in self.cells:
            return self.cells[norm]
        if len(norm) < self.misspelling_min_length or len(norm.split()) > 2:
            return None
        near = [v for v in self.cells if len(v) >= self.misspelling_min_length]
        match = difflib.get_close_matches(norm, near, n=1, cutoff=self.misspelling_cutoff)
        return self.cells[match[0]] if match else None

    def lead(self, text: str | None) -> tuple[str, str] | None:
        """(status, the words that say it) when a cell starts with a status and
        goes on: "Completed. Subject to ...", "Commenced COI have published ..."."""
        raw = " ".join((text or "").split())
        low = raw.casefold()
        for value, status in sorted(self.cells.items(), key=lambda kv: -len(kv[0])):
            if len(value) <= 2 or not low.startswith(value):
                continue
            rest = raw[len(value) :]
            if re.match(r"\s*[.:;,–—-]|\s+[A-Z0-9(]", rest):
                return status, raw[: len(value)]
        return None


def tier_of(span: Span) -> str:
    return span.label_.removeprefix(STATUS_PREFIX).lower()


def class_of(tier: str) -> str:
    return tier.removesuffix(WEAK_SUFFIX)


def status_cues(doc: Doc, start: int = 0, end: int | None = None) -> list[Span]:
    """Status evidence spans of ``doc`` lying within characters ``start:end``
    (``end`` None: to the end; ``doc.text`` would rebuild the text)."""
    return [
        s
        for label, s in labelled_spans(doc, SPANS_KEY)
        if label.startswith(STATUS_PREFIX) and s.start_char >= start and (end is None or s.end_char <= end)
    ]


def judge_status(cues: Sequence[Span], rules: StatusRules | None = None) -> tuple[str, list[Span]]:
    """The status the cues support and the spans that decided it.

    The highest tier in ``precedence`` wins; a combination (e.g. completed +
    planned -> on_track) applies when the winner is part of it and all its
    tiers are present. No cue: ``unknown``.
    """
    rules = rules or StatusRules.load()
    if not cues:
        return "unknown", []
    by_tier: dict[str, Span] = {}
    for span in cues:
        by_tier.setdefault(tier_of(span), span)
    best = min(by_tier, key=rules.rank)
    for tiers, status in rules.combinations:
        if best in tiers and tiers <= set(by_tier):
            return status, [c for c in cues if any(c is by_tier[t] for t in tiers)]
    return class_of(best), [by_tier[best]]


@Language.factory(PRECEDENCE, default_config={"spans_key": SPANS_KEY})
def make_status_precedence(nlp: Language, name: str, *, spans_key: str) -> StatusPrecedence:
    return StatusPrecedence(spans_key)


class StatusPrecedence:
    """Keep one status cue per stretch of text: the longest ("not yet
    completed" over "completed"), so judge_status weighs distinct evidence."""

    def __init__(self, spans_key: str):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(self.spans_key, []))
        status = filter_spans([s for s in spans if s.label_.startswith(STATUS_PREFIX)])
        other = [s for s in spans if not s.label_.startswith(STATUS_PREFIX)]
        doc.spans[self.spans_key] = sorted(status + other, key=lambda s: (s.start, s.end))
        return doc


def add_pipes(nlp: Language) -> None:
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULER,
        config={"spans_key": SPANS_KEY, "validate": True, "phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(load_patterns("actions.jsonl"))
    nlp.add_pipe(PRECEDENCE, name=PRECEDENCE, config={"spans_key": SPANS_KEY})


def spans_labelled(doc: Doc, label: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The ruler's ``label`` spans within characters ``start:end`` (``end`` None: to the end)."""
    return [
        s
        for found, s in labelled_spans(doc, SPANS_KEY)
        if found == label and s.start_char >= start and (end is None or s.end_char <= end)
    ]


def owner_from_cue(doc: Doc) -> str | None:
    """The name after "Owner:" / "Lead:" in ``doc``, if any."""
    cues = filter_spans(spans_labelled(doc, "ACTION_OWNER"))
    return cues[0][1:].text.lstrip(":-–— ").strip() or None if cues else None


def due_in(doc: Doc, ctx: Context, start: int = 0, end: int | None = None) -> str | None:
    """The first due date a due cue ("by …", "at the end of …", "scheduled
    for …") gives within characters ``start:end`` of ``doc``."""
    for span in filter_spans(spans_labelled(doc, "ACTION_DUE", start, end)):
        if due := parse_due(span.text, ctx, ahead=True):
            return due
    return None


# ---------------------------------------------------------------- due dates


def parse_due(text: str | None, ctx: Context | None = None, ahead: bool = False) -> str | None:
    """A due date as ISO: a day, or the last day of a month or period ("by
    December 2019" -> 2019-12-31, "11.01.11", "Mar-2011"), read by nlp.dates,
    the project's one date parser. ``ahead``: the words set a task ("to the
    November meeting"), so a date that reads as past the paper's date is read
    again as nlp.dates reads future words ("will …": November 2025, not 2024)."""
    if not text:
        return None
    due = _parsed_end(text, ctx)
    anchor = ctx.anchor if ctx else None
    if ahead and due and anchor and dt.date.fromisoformat(due) < anchor - dt.timedelta(days=DUE_GRACE_DAYS):
        return _parsed_end(f"will {text}", ctx) or due
    return due


def _parsed_end(text: str, ctx: Context | None) -> str | None:
    try:
        parsed = parse_date_span(text, ctx)
    except Exception:  # noqa: BLE001 - a due cell must never stop extraction
        parsed = None
    return parsed[1] if parsed and parsed[1] else None


@dataclass(frozen=True)
class ActorWords:
    """How an owner is read off "X to …", "X will …", "Action: X to …"
    (``vocab/minutes.yml`` ``actors``)."""

    verbs: frozenset[str]  # end the owner: "The Clerk *to* write"
    after_owner: frozenset[str]  # also end it in a cue: "X *was* asked"
    leads: frozenset[str]  # open a cue before its owner: "Action:", "; ", "that the"
    not_actors: frozenset[str]  # a one-word subject naming nobody: "It will …"
    pronouns: frozenset[str]  # a one-word subject naming someone unnamed: "She will …"

    @classmethod
    @functools.cache
    def load(cls) -> ActorWords:
        v = load_vocab("minutes.yml")["actors"]
        return cls(**{k: frozenset(str(w).casefold() for w in v[k]) for k in cls.__dataclass_fields__})


def actor_of(span: Span) -> str | None:
    """The owner words of an ACTION_ACTOR span: "The General Manager will
    meet" -> "General Manager"; None for "It will …", "This will …"."""
    vocab = ActorWords.load()
    words = []
    for token in span:
        if token.lower_ in vocab.verbs:
            break
        words.append(token)
    while words and words[0].lower_ == "the":
        words = words[1:]
    while words and words[-1].is_punct:  # "The General Manager, Public Works, will …"
        words = words[:-1]
    if not words or (len(words) == 1 and words[0].lower_ in vocab.not_actors | vocab.pronouns):
        return None
    return span.doc[words[0].i : words[-1].i + 1].text


def actor_spans(doc: Doc, start: int = 0, end: int | None = None) -> list[Span]:
    return filter_spans(spans_labelled(doc, "ACTION_ACTOR", start, end))


def actor_in(doc: Doc, start: int = 0, end: int | None = None) -> str | None:
    """Who a row's own words say will act: the actor at the start of
    characters ``start:end`` or after a leading label ("Signage – HD to …")."""
    for span in actor_spans(doc, start, end):
        before = doc_text(doc)[start : span.start_char]
        if not before.strip() or re.search(r"[:–—-]\s*$", before) and len(before.split()) <= 8:
            return actor_of(span)
    return None


def owner_words(span: Span, drop_last: int = 0) -> str | None:
    """The owner a cue span names: the words between its lead ("Action:",
    "; ", "that the") and its verb ("to", "will", "was asked"): "Action: Head
    of Finance to" -> "Head of Finance". ``drop_last`` tokens (a bare verb,
    "that the Clerk write") are left off first."""
    vocab = ActorWords.load()
    ends = vocab.verbs | vocab.after_owner
    tokens = list(span[: len(span) - drop_last])
    while tokens and tokens[0].lower_ in vocab.leads:
        tokens = tokens[1:]
    words = []
    for token in tokens:
        if token.lower_ in ends and words:
            break
        words.append(token)
    if not words or words[0].lower_ in vocab.not_actors:
        return None
    return span.doc[words[0].i : words[-1].i + 1].text
