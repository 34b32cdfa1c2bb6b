"""Actions: plan actions with their narrative, action-log table rows, and
"Action: X to ..." lines in minutes.

Cue phrases are spaCy patterns in ``patterns/actions.jsonl`` (labels
``STATUS_<TIER>`` for status evidence, ``ACTION_*`` for owners, due dates and
minuted actions). ``vocab/status.yml`` says how status cues are weighed
(precedence and combinations), how an action log's status cells read and which
header words name which column. The only judgement held in code is applying
that precedence (:func:`judge_status`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .context import Context
from .dates import parse_date_span
from .records import STATUSES, Action
from .rules import load_patterns, load_vocab

RULER = "bp_actions_ruler"
PRECEDENCE = "bp_status_precedence"
SPANS_KEY = "bp_actions"
STATUS_PREFIX = "STATUS_"
WEAK_SUFFIX = "_weak"

NARRATIVE_KINDS = ("paragraph", "bullet")
QUOTES = "'‘’\"“”"
# A quoted title, optionally numbered, optionally followed by "(Owner Name)".
QUOTED_TITLE = re.compile(
    rf"^\s*(?:\d+(?:\.\d+)*\.?\s+)?[{QUOTES}](?P<title>.+)[{QUOTES}]\s*"
    r"(?:\((?P<owner>[^()]{2,60})\))?\s*\.?\s*$",
    re.S,
)
PERSONISH = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}$")
INITIALS = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}|All)(?:\s*[/&,]\s*[A-Z][A-Za-z]{0,3})*$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])|\n")


# ---------------------------------------------------------------- rule files


def normalise_cell(text: str | None) -> str:
    """Lower case, single spaces, no surrounding punctuation: how cells and
    headers are looked up in the vocabulary."""
    text = re.sub(r"[\s‐‑–—-]+", lambda m: " " if m.group().isspace() else "-", text or "")
    return re.sub(r"\s+", " ", text).strip(" .,:;!*()[]").casefold()


# ---------------------------------------------------------------- status rules


@dataclass(frozen=True)
class StatusRules:
    """How status evidence is weighed, read from ``vocab/status.yml``."""

    precedence: tuple[str, ...]
    combinations: tuple[tuple[frozenset[str], str], ...]
    cells: dict[str, str]
    columns: dict[str, str]
    ref_shape: re.Pattern = re.compile(r"\d+(?:\.\d+)*")
    ref_max_length: int = 16

    @classmethod
    @functools.cache
    def load(cls) -> StatusRules:
        v = load_vocab("status.yml")
        cells = {normalise_cell(c): status for status, cs in v["cells"].items() for c in cs}
        columns = {normalise_cell(h): role for role, hs in v["columns"].items() for h in hs}
        combos = tuple((frozenset(c["all"]), c["status"]) for c in v.get("combinations") or ())
        for status in [*cells.values(), *(s for _, s in combos)]:
            if status not in STATUSES:
                raise ValueError(f"vocab/status.yml: unknown status {status!r}")
        shape = re.compile(str(v.get("ref_shape") or r"\d+(?:\.\d+)*"))
        return cls(tuple(v["precedence"]), combos, cells, columns, shape, int(v.get("ref_max_length", 16)))

    def rank(self, tier: str) -> int:
        return self.precedence.index(tier) if tier in self.precedence else len(self.precedence)


def tier_of(span: Span) -> str:
    return span.label_.removeprefix(STATUS_PREFIX).lower()


def class_of(tier: str) -> str:
    return tier.removesuffix(WEAK_SUFFIX)


def status_cues(doc: Doc, start: int = 0, end: int | None = None) -> list[Span]:
    """Status evidence spans of ``doc`` lying within characters ``start:end``."""
    end = len(doc.text) if end is None else end
    return [
        s
        for s in doc.spans[SPANS_KEY]
        if s.label_.startswith(STATUS_PREFIX) and s.start_char >= start and s.end_char <= end
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


# ---------------------------------------------------------------- due dates

MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})\b")
DAY_NAME_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})\b")
MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?[\s‐‑–—-]+(\d{4}|\d{2})\b")
MONTH_ONLY = re.compile(r"\b([A-Za-z]{3,9})\b")


def parse_due(text: str | None, ctx: Context | None = None) -> str | None:
    """A due date as ISO: a day, or the last day of a month or period ("by
    December 2019" -> 2019-12-31), from nlp.dates; action logs' short forms
    ("11.01.11", "Mar-2011") by the local rules below."""
    if not text:
        return None
    try:
        parsed = parse_date_span(text, ctx)
    except Exception:  # noqa: BLE001 - a due cell must never stop extraction
        parsed = None
    if parsed and parsed[1]:
        return parsed[1]
    anchor = ctx.anchor if ctx else None

    def year(y: str) -> int:
        return int(y) + 2000 if len(y) == 2 else int(y)

    def last_day(y: int, m: int) -> str:
        return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()

    if m := DAY_MONTH_YEAR.search(text):
        try:
            return dt.date(year(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    if (m := DAY_NAME_YEAR.search(text)) and m[2].lower() in MONTHS:
        try:
            return dt.date(int(m[3]), MONTHS[m[2].lower()], int(m[1])).isoformat()
        except ValueError:
            return None
    for m in MONTH_YEAR.finditer(text):
        if m[1].lower() in MONTHS:
            return last_day(year(m[2]), MONTHS[m[1].lower()])
    if anchor:
        for m in MONTH_ONLY.finditer(text):
            if m[1].lower() in MONTHS and m[1].lower() == calendar.month_name[MONTHS[m[1].lower()]].lower():
                month = MONTHS[m[1].lower()]
                y = anchor.year + (1 if month < anchor.month - 6 else 0)
                return last_day(y, month)
    return None


# ---------------------------------------------------------------- extraction


def extract_actions(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Action]:
    """Plan actions, action-log rows and minuted actions, in reading order."""
    rules = StatusRules.load()
    out: list[tuple[Action, tuple | None]] = []  # with the header of the table a row came from
    seen_rows: set[tuple[str, str]] = set()
    heading: tuple[Doc, Paragraph] | None = None
    for i, (doc, p) in enumerate(docs):
        if p.kind == "heading":
            heading = (doc, p)
        if is_action_title(p):
            out.append((plan_action(docs, i, ctx, rules), None))
        elif p.kind == "table_row":
            action = log_action(doc, p, ctx, rules, heading, continuation(docs, i))
            key = (
                (normalise_cell(action.ref), normalise_cell(action.title)) if action and action.ref else None
            )
            if action and (key is None or key not in seen_rows):  # summary tables repeat numbered rows
                seen_rows.add(key)
                out.append((action, tuple(p.header or ())))
        else:
            out.extend((a, None) for a in minuted_actions(doc, p))
    logs = _action_logs([(a, table) for a, table in out if table is not None])
    return [a for a, table in out if table is None or table in logs]


# A table is an action log when at least this share of its rows carry a status
# the vocabulary recognises; otherwise (a layoff list, a statistics table whose
# columns merely sit where an action log's would) its rows are not actions.
MIN_KNOWN_STATUS_SHARE = 0.3


def _action_logs(rows: Sequence[tuple[Action, tuple]]) -> set[tuple]:
    """Headers of the tables whose rows read as an action log."""
    total: dict[tuple, int] = {}
    known: dict[tuple, int] = {}
    for action, table in rows:
        total[table] = total.get(table, 0) + 1
        known[table] = known.get(table, 0) + (action.status != "unknown")
    return {t for t, n in total.items() if known[t] >= MIN_KNOWN_STATUS_SHARE * n}


def is_action_title(p: Paragraph) -> bool:
    if p.kind == "action_title":
        return True
    return p.kind in NARRATIVE_KINDS and bool(p.number) and bool(QUOTED_TITLE.match(p.text))


def narrative_of(docs: Sequence[tuple[Doc, Paragraph]], i: int) -> list[tuple[Doc, Paragraph]]:
    """The unnumbered paragraphs after an action title, up to the next
    numbered paragraph, heading or title."""
    out = []
    for doc, p in docs[i + 1 :]:
        if p.kind not in NARRATIVE_KINDS or p.number or is_action_title(p):
            break
        out.append((doc, p))
    return out


def spans_labelled(doc: Doc, label: str) -> list[Span]:
    return [s for s in doc.spans[SPANS_KEY] if s.label_ == label]


def owner_from_cue(doc: Doc) -> str | None:
    """The name after "Owner:" / "Lead:" in ``doc``, if any."""
    cues = filter_spans(spans_labelled(doc, "ACTION_OWNER"))
    return cues[0][1:].text.lstrip(":-–— ").strip() or None if cues else None


def plan_action(docs: Sequence[tuple[Doc, Paragraph]], i: int, ctx: Context, rules: StatusRules) -> Action:
    doc, p = docs[i]
    m = QUOTED_TITLE.match(p.text)
    if m:
        title, start, end = m["title"].strip(), m.start("title"), m.end("title")
        owner = m["owner"].strip() if m["owner"] and PERSONISH.match(m["owner"].strip()) else None
    else:
        title, start, end, owner = p.text.strip(), 0, len(p.text), None
    narrative = narrative_of(docs, i)
    cues = [c for d, _ in narrative for c in status_cues(d)]
    status, evidence = judge_status(cues, rules)
    owner = owner or next((o for d, _ in [(doc, p), *narrative] if (o := owner_from_cue(d))), None)
    due = next(
        (
            d
            for nd, _ in narrative
            for s in filter_spans(spans_labelled(nd, "ACTION_DUE"))
            if (d := parse_due(s.text, ctx))
        ),
        None,
    )
    return Action(
        para=p.seq,
        title=title,
        status=status,
        page=p.page_at(start),
        rule_id="action-plan-title" + (f"+{'+'.join(s.id_ for s in evidence)}" if evidence else ""),
        ref=p.number,
        owner=owner,
        due=due,
        status_text=" … ".join(s.text for s in evidence) or None,
        char_start=start,
        char_end=end,
        narrative="\n\n".join(np.text for _, np in narrative) or None,
    )


# ---------------------------------------------------------------- action logs


def column_roles(header: Sequence[str | None] | None, rules: StatusRules) -> dict[str, int]:
    """Which column holds which role, from the header words; {} when the
    header names neither an action nor a status column."""
    roles: dict[str, int] = {}
    for n, h in enumerate(header or ()):
        role = rules.columns.get(normalise_cell(h))
        if role and role not in roles:
            roles[role] = n
    return roles if {"action", "status"} & set(roles) else {}


def cell_status(text: str | None, doc: Doc, p: Paragraph, rules: StatusRules) -> tuple[str, str | None, str]:
    """(status, evidence, rule id) for a status cell: the whole cell or its
    first words from the vocabulary, else the cue phrases inside it."""
    norm = normalise_cell(text)
    if not norm:
        return "unknown", None, "action-log-empty"
    if norm in rules.cells:
        return rules.cells[norm], text.strip(), "action-log-cell"
    for value, status in sorted(rules.cells.items(), key=lambda kv: -len(kv[0])):
        if len(value) > 2 and re.match(rf"{re.escape(value)}\b\s*[.:;,–—-]", norm):
            return status, text.strip(), "action-log-cell-lead"
    start = p.text.find(text.strip())
    cues = status_cues(doc, start, start + len(text.strip())) if start >= 0 else []
    status, evidence = judge_status(cues, rules)
    return status, text.strip(), "action-log-cues" + "".join(f"+{s.id_}" for s in evidence)


def split_ref(text: str | None, rules: StatusRules) -> tuple[str | None, str | None]:
    """(ref, the cell's other words) for a ref cell: "Dec22.05" -> ("Dec22.05",
    None); "Action closedDec22.05" -> ("Dec22.05", "Action closed"); a cell
    with no short identifier in it -> (None, its text)."""
    text = " ".join((text or "").split())
    if not text:
        return None, None
    if rules.ref_shape.fullmatch(text) and len(text) <= rules.ref_max_length:
        return text, None
    found = [m for m in rules.ref_shape.finditer(text) if len(m[0]) <= rules.ref_max_length]
    if not found:
        return None, text
    m = max(found, key=lambda m: len(m[0]))
    rest = " ".join(f"{text[: m.start()]} {text[m.end() :]}".split()).strip(" .,;:-–—") or None
    return m[0].strip(), rest


def looks_like_status(text: str | None, rules: StatusRules) -> bool:
    norm = normalise_cell(text)
    return bool(norm) and (
        norm in rules.cells or any(norm.startswith(v + " ") for v in rules.cells if len(v) > 3)
    )


def infer_roles(cells: Sequence[str | None], rules: StatusRules) -> dict[str, int]:
    """Roles for a row without a usable header: the status cell is the last
    one the status vocabulary knows, the action the longest other cell, the
    owner a short initials-like cell."""
    status = [n for n, c in enumerate(cells) if looks_like_status(c, rules)]
    if not status:
        return {}
    roles = {"status": status[-1]}
    rest = [n for n in range(len(cells)) if n != roles["status"] and (cells[n] or "").strip()]
    if not rest:
        return {}
    roles["action"] = max(rest, key=lambda n: len(cells[n] or ""))
    owners = [n for n in rest if n != roles["action"] and INITIALS.match((cells[n] or "").strip())]
    if owners:
        roles["owner"] = owners[0]
    return roles


def continuation(docs: Sequence[tuple[Doc, Paragraph]], i: int) -> str:
    """Text of the rows after row ``i`` that carry no action of their own
    (a status cell the table finder split off: "On track for" / "due date")."""
    parts = []
    for _, q in docs[i + 1 :]:
        if q.kind != "table_row" or not q.cells or q.cells[0].strip() or q.header != docs[i][1].header:
            break
        if sum(1 for c in q.cells if c.strip()) > 1:
            break
        parts += [c.strip() for c in q.cells if c.strip()]
    return " ".join(parts)


def log_action(
    doc: Doc,
    p: Paragraph,
    ctx: Context,
    rules: StatusRules,
    heading: tuple[Doc, Paragraph] | None,
    more: str = "",
) -> Action | None:
    """An action-log row as an Action, or None when the row is no action.
    ``more`` is status text printed on continuation rows below it."""
    cells = tuple(p.cells or ())
    if not cells:
        return None
    if p.header and [normalise_cell(c) for c in cells] == [normalise_cell(h) for h in p.header]:
        return None
    roles = column_roles(p.header, rules) or infer_roles(cells, rules)
    if "action" not in roles or "status" not in roles and len(roles) < 3:
        return None

    def cell(role: str) -> str | None:
        n = roles.get(role)
        return (cells[n] or "").strip() or None if n is not None and n < len(cells) else None

    title = cell("action")
    if not title or normalise_cell(title) in rules.columns:
        return None
    status_text = cell("status")
    status, evidence, rule = cell_status(status_text, doc, p, rules)
    if status == "unknown" and not status_text:
        # a status printed in a column the header did not name, or split onto
        # the rows below by broken ruling
        extra = [c.strip() for n, c in enumerate(cells) if n not in roles.values() and (c or "").strip()]
        for candidate in [*extra, more]:
            if looks_like_status(candidate, rules):
                status_text = candidate
                status, evidence, rule = cell_status(status_text, doc, p, rules)
                rule += "+continuation" if candidate == more else ""
                break
    ref, stamp = split_ref(cell("ref"), rules)
    if stamp and looks_like_status(stamp, rules):
        # "Action closed" stamped into the ref cell: the log's latest word on the action
        stamp_status, stamp_text, _ = cell_status(stamp, doc, p, rules)
        if stamp_status != "unknown":
            status, evidence, rule = stamp_status, stamp_text, "action-log-ref-cell"
    owner = cell("owner")
    if not owner and heading:
        owner = owner_from_cue(heading[0])
    start = p.text.find(title)
    start = max(start, 0)
    return Action(
        para=p.seq,
        title=re.sub(r"\s+", " ", title),
        status=status,
        page=p.page_at(start),
        rule_id=rule,
        ref=ref,
        owner=re.sub(r"\s+", " ", owner) if owner else None,
        due=parse_due(cell("due"), ctx),
        status_text=re.sub(r"\s+", " ", evidence) if evidence else None,
        char_start=start,
        char_end=start + len(title),
    )


# ---------------------------------------------------------------- minutes


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around characters ``start:end``."""
    s = max((m.end() for m in SENTENCE_END.finditer(text) if m.end() <= start), default=0)
    e = next((m.start() for m in SENTENCE_END.finditer(text) if m.start() >= end), len(text))
    return s, e


def minuted_actions(doc: Doc, p: Paragraph) -> Iterable[Action]:
    """ "Action: X to ..." and "... X to action" in minutes' paragraphs."""
    for span in filter_spans(
        spans_labelled(doc, "ACTION_MINUTES") + spans_labelled(doc, "ACTION_MINUTES_TRAILING")
    ):
        if span.label_ == "ACTION_MINUTES":
            owner = span[2:-1].text
            s, e = sentence_bounds(p.text, span.end_char, span.end_char)
            t0, t1 = span.end_char, e
            while t0 < t1 and p.text[t0].isspace():
                t0 += 1
        else:
            owner = span[0].text
            t0, _ = sentence_bounds(p.text, span.start_char, span.start_char)
            t1 = span.start_char
            if not p.text[t0:t1].strip(" .;:-–"):  # "... mistakes. AS to action": the sentence before
                t1 = t0
                t0, _ = sentence_bounds(p.text, max(t0 - 2, 0), max(t0 - 2, 0))
        title = p.text[t0:t1].strip(" .;:-–")
        if not title:
            continue
        yield Action(
            para=p.seq,
            title=title,
            status="planned",
            page=p.page_at(t0),
            rule_id=span.id_ or span.label_.lower(),
            owner=owner,
            status_text=span.text,
            char_start=t0,
            char_end=t0 + len(title),
        )
