"""Actions: plan actions with their narrative, action-log table rows, and
the actions minuted in minutes.

This module reads plan actions (a quoted, numbered title followed by its
narrative) and puts the three kinds together in reading order; action-log
rows are read by :mod:`nlp.action_logs`, minutes by :mod:`nlp.minutes`, and
the status rules all three share live in :mod:`nlp.action_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .action_logs import action_log_tables, continuation, log_action
from .action_rules import (  # noqa: F401  (parse_due and add_pipes are this family's public names)
    StatusRules,
    add_pipes,
    judge_status,
    normalise_cell,
    owner_from_cue,
    parse_due,
    spans_labelled,
    status_cues,
)
from .context import Context
from .minutes import Minutes, extract_minutes
from .records import Action
from .sentences import sentence_bounds

NARRATIVE_KINDS = ("paragraph", "bullet")
QUOTES = "'‘’\"“”"
# A quoted title, optionally numbered, optionally followed by "(Owner Name)".
QUOTED_TITLE = re.compile(
    rf"^\s*(?:\d+(?:\.\d+)*\.?\s+)?[{QUOTES}](?P<title>.+)[{QUOTES}]\s*"
    r"(?:\((?P<owner>[^()]{2,60})\))?\s*\.?\s*$",
    re.S,
)
PERSONISH = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}$")


def extract_actions(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Action]:
    """Plan actions, action-log rows and minuted actions, in reading order."""
    return extract_all(docs, ctx)[0]


def extract_all(
    docs: Sequence[tuple[Doc, Paragraph]], ctx: Context, kind: str | None = None
) -> tuple[list[Action], Minutes]:
    """Every action of the paper, in reading order, and what its minutes hold
    (items, attendance, decisions)."""
    rules = StatusRules.load()
    out: list[tuple[Action, tuple | None]] = []  # with the header of the table a row came from
    seen_rows: set[tuple[str, str]] = set()
    read_rows: list[tuple[int, tuple]] = []
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
            if action:
                read_rows.append((p.seq, tuple(p.header or ())))
            if action and (key is None or key not in seen_rows):  # summary tables repeat numbered rows
                seen_rows.add(key)
                out.append((action, tuple(p.header or ())))
    logs = action_log_tables([(a, table) for a, table in out if table is not None])
    kept = [a for a, table in out if table is None or table in logs]
    taken = {a.para for a in kept} | {seq for seq, table in read_rows if table in logs}
    minutes = extract_minutes(docs, ctx, taken, kind)
    minuted = [
        a
        for doc, p in docs
        if p.seq not in taken and p.kind != "table_row" and not is_action_title(p)
        for a in minuted_actions(doc, p)
    ]
    minuted += [a for a in minutes.actions if not _overlaps(a, minuted)]
    return sorted(kept + minuted, key=lambda a: (a.para, a.char_start or 0)), minutes


def _overlaps(action: Action, others: Iterable[Action]) -> bool:
    """Whether another action was read from the same characters."""
    return any(
        o.para == action.para
        and (o.char_start or 0) < (action.char_end or 0)
        and (action.char_start or 0) < (o.char_end or 0)
        for o in others
    )


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


# ---------------------------------------------------------------- "Action: X to ..."


def minuted_actions(doc: Doc, p: Paragraph) -> Iterable[Action]:
    """ "Action: X to ..." and "... X to action" in any paper's paragraphs."""
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
