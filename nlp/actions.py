"""Actions: plan actions with their narrative, action-log table rows, and
the actions minuted in minutes.

This module reads plan actions (a quoted, numbered title followed by its
narrative) and the tasks any paper's sentences set ("ACTION: Head of Finance
to …", "Staff were directed to …"; in papers that are not minutes also "The
Director will present … to the November meeting" and a decision's "Agreed:
the Director to …"), and puts them together in reading order; action-log
rows are read by :mod:`nlp.action_logs`, minutes by :mod:`nlp.minutes`, and
the status rules all three share live in :mod:`nlp.action_rules`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .action_logs import action_log_tables, continuation, log_action, rag_key
from .action_rules import (  # noqa: F401  (parse_due and add_pipes are this family's public names)
    StatusRules,
    actor_in,
    actor_spans,
    add_pipes,
    due_in,
    judge_status,
    normalise_cell,
    owner_from_cue,
    owner_words,
    parse_due,
    spans_labelled,
    status_cues,
)
from .context import Context
from .minutes import (
    Minutes,
    credible_owner,
    decision_mandates,
    extract_minutes,
    is_minutes,
    next_meeting,
    opens_clause,
)
from .priorities import bullet_text
from .records import Action
from .rules import load_vocab
from .sentences import sentence_bounds

NARRATIVE_KINDS = ("paragraph", "bullet")
QUOTES = "'‘’\"“”"
# A quoted title, optionally numbered, optionally followed by "(Owner Name)".
QUOTED_TITLE = re.compile(
    rf"^\s*(?:\d+(?:\.\d+)*\.?\s+)?[{QUOTES}](?P<title>.+)[{QUOTES}]\s*"
    r"(?:\((?P<owner>[^()]{2,60})\))?\s*\.?\s*$",
    re.S,
)
# A request's verb before the one asked ("asked the Company to …").
ASKING = frozenset(
    {"asked", "requested", "instructed", "invited", "tasked", "directed", "mandated", "commissioned"}
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
    rules = rag_key((p.text for _, p in docs if p.kind != "table_row"), StatusRules.load())
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
    nxt = next_meeting(docs, ctx)
    reports = not is_minutes(docs, kind)  # minutes read "X will …" sentences themselves
    minuted = []
    for doc, p in docs:
        if p.seq in taken or p.kind == "table_row" or is_action_title(p):
            continue
        found = list(minuted_actions(doc, p, ctx, nxt))
        found += [a for a in tasked_actions(doc, p, ctx, nxt, reports) if not _overlaps(a, found)]
        if reports:
            found += [a for a in decided_tasks(doc, p, ctx, nxt) if not _overlaps(a, found)]
        minuted += found
    minuted += [a for a in minutes.actions if not _overlaps(a, minuted)]
    seen = {a.para for a in kept + minuted}
    minuted += [a for a in listed_actions(docs, ctx, rules, nxt) if a.para not in seen | taken]
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


def minuted_actions(
    doc: Doc, p: Paragraph, ctx: Context | None = None, nxt: str | None = None
) -> Iterable[Action]:
    """ "Action: X to ..." (and "…; Y to …" after it), and "... X to action",
    in any paper's paragraphs."""
    ctx = ctx or Context()
    heads = filter_spans(
        spans_labelled(doc, "ACTION_MINUTES") + spans_labelled(doc, "ACTION_MINUTES_TRAILING")
    )
    first = min((s.start_char for s in heads if s.label_ == "ACTION_MINUTES"), default=None)
    chained = [
        s
        for s in filter_spans(spans_labelled(doc, "ACTION_MINUTES_NEXT"))
        if first is not None and s.start_char > first
    ]
    spans = sorted(heads + chained, key=lambda s: s.start_char)
    for n, span in enumerate(spans):
        if span.label_ == "ACTION_MINUTES_TRAILING":
            owner = span[0].text
            t0, _ = sentence_bounds(p.text, span.start_char, span.start_char)
            t1 = span.start_char
            if not p.text[t0:t1].strip(" .;:-–"):  # "... mistakes. AS to action": the sentence before
                t1 = t0
                t0, _ = sentence_bounds(p.text, max(t0 - 2, 0), max(t0 - 2, 0))
        else:
            owner = owner_words(span)
            _, e = sentence_bounds(p.text, span.end_char, span.end_char)
            following = [x.start_char for x in spans[n + 1 :] if x.label_ == "ACTION_MINUTES_NEXT"]
            t0, t1 = span.end_char, min([e, *following])
            while t0 < t1 and p.text[t0].isspace():
                t0 += 1
        title = p.text[t0:t1].strip(" .;:-–")
        if not title:
            continue
        yield _planned(doc, ctx, p, span, owner, title, t0, t1, nxt)


def _planned(doc, ctx, p, span, owner, title, t0, t1, nxt, printed=None) -> Action:
    """A new (planned) action whose title starts at ``t0``; the due date is read
    from ``t0`` to ``t1``; ``printed`` is the title's length as printed."""
    return Action(
        para=p.seq,
        title=title,
        status="planned",
        page=p.page_at(t0),
        rule_id=span.id_ or span.label_.lower(),
        owner=owner,
        due=_due_of(doc, ctx, t0, t1, nxt),
        status_text=span.text,
        char_start=t0,
        char_end=t0 + (printed if printed is not None else len(title)),
    )


def tasked_actions(
    doc: Doc, p: Paragraph, ctx: Context | None = None, nxt: str | None = None, reports: bool = False
) -> Iterable[Action]:
    """Tasks set in the words of a sentence: "X was/were directed (asked,
    instructed, requested) to …" in any paper; with ``reports``, also "X
    will present (bring, report, circulate …) … to the Board / by …" — a
    report promised to a meeting or by a date. Planned, owned by X, titled
    from the verb."""
    ctx = ctx or Context()
    labels = ["ACTION_DIRECTED"] + (["ACTION_REPORT_BACK"] if reports else [])
    spans = [s for label in labels for s in spans_labelled(doc, label)] + asked_that(doc)
    for span in filter_spans(spans):
        s, e = sentence_bounds(p.text, span.start_char, span.end_char)
        asked = span.label_ == "ACTION_SUBJUNCTIVE" or span[0].lower_ in ASKING
        owner = owner_words(span[1:] if span[0].lower_ in ASKING else span, drop_last=1 if asked else 0)
        if asked:  # "… asked the Company to …", "… asked that the Clerk circulate …": the one asked
            if not owner or not owner[:1].isupper():
                continue
            if not reports and span.label_ != "ACTION_SUBJUNCTIVE" and credible_owner(owner):
                continue  # minutes read "… asked the Treasurer to …" themselves
        elif not opens_clause(p.text[s : span.start_char]) or not credible_owner(owner):
            continue
        t0 = span[-1].idx
        if span.label_ == "ACTION_REPORT_BACK" and not (
            spans_labelled(doc, "ACTION_FORUM", t0, e)
            or spans_labelled(doc, "ACTION_DUE_NEXT_MEETING", t0, e)
            or due_in(doc, ctx, t0, e)
        ):
            continue  # "The Council will publish the report": no meeting or date to report to
        title = p.text[t0:e].strip(" .;:-–")
        yield _planned(doc, ctx, p, span, owner, " ".join(title.split()), t0, e, nxt, printed=len(title))


def asked_that(doc: Doc) -> list:
    """ "… asked (requested) that the Clerk circulate …": the subjunctive
    clauses a request opens."""
    return [
        span
        for span in spans_labelled(doc, "ACTION_SUBJUNCTIVE")
        if span.start > 0 and doc[span.start - 1].lower_ in ASKING
    ]


def listed_actions(
    docs: Sequence[tuple[Doc, Paragraph]], ctx: Context, rules: StatusRules, nxt: str | None = None
) -> Iterable[Action]:
    """Actions printed as bullets under a heading that names them ("Actions",
    "Follow-ups for the Board"; ``action_list_headings`` in
    ``vocab/minutes.yml``) or after a lead-in ending "Actions:": each bullet
    is an action, owned by the actor its words open with, planned unless its
    own cues say otherwise."""
    headings = _list_headings()
    for i, (_, p) in enumerate(docs):
        text = normalise_cell(p.text)
        short = p.kind == "heading" or p.kind == "paragraph" and len(text.split()) <= 8
        lead = re.search(r"\b(?:" + "|".join(map(re.escape, headings)) + r")\s*:\s*$", p.text, re.I)
        if not (short and any(text == h or text.startswith(h + " ") for h in headings) or lead):
            continue
        for doc, q in docs[i + 1 :]:
            item = bullet_text(q)
            if item is None:
                break
            t0 = q.text.find(item)
            title = item.strip(" .;")
            cues = status_cues(doc, t0, t0 + len(title))
            status, evidence = judge_status(cues, rules)
            if status in ("unknown", "completed"):
                status, evidence = "planned", []
            yield Action(
                para=q.seq,
                title=" ".join(title.split()),
                status=status,
                page=q.page_at(t0),
                rule_id="action-listed-bullet",
                owner=actor_in(doc, t0, t0 + len(title)),
                due=_due_of(doc, ctx, t0, t0 + len(title), nxt),
                status_text=" … ".join(c.text for c in evidence) or None,
                char_start=t0,
                char_end=t0 + len(title),
            )


@functools.cache
def _list_headings() -> tuple[str, ...]:
    return tuple(normalise_cell(h) for h in load_vocab("minutes.yml")["action_list_headings"])


def decided_tasks(
    doc: Doc, p: Paragraph, ctx: Context | None = None, nxt: str | None = None
) -> Iterable[Action]:
    """Tasks a decision sets in a paper that is not minutes ("Agreed: the
    Director to present …", "RESOLVED that … and that the Director report
    on …"): planned, owned by the named actor. (Minutes read their decisions
    in :mod:`nlp.minutes`.)"""
    ctx = ctx or Context()
    cues = filter_spans(spans_labelled(doc, "DECISION"))
    for cue in cues:
        s, e = sentence_bounds(p.text, cue.start_char, cue.end_char)
        actors = [
            a
            for a in actor_spans(doc, s, e)
            if not any(a.start_char < c.end_char and c.start_char < a.end_char for c in cues)
        ]
        for _, span, who in decision_mandates(doc, cue, actors, e):
            t0 = span[-1].idx
            title = p.text[t0:e].strip(" .;:-–")
            yield Action(
                para=p.seq,
                title=" ".join(title.split()),
                status="planned",
                page=p.page_at(t0),
                rule_id=f"{cue.id_}+{span.id_}",
                owner=who,
                due=_due_of(doc, ctx, t0, e, nxt),
                status_text=" ".join(p.text[cue.start_char : span.end_char].split()),
                char_start=t0,
                char_end=t0 + len(title),
            )


def _due_of(doc: Doc, ctx: Context, start: int, end: int, nxt: str | None) -> str | None:
    """The due date the words give ("by 3 May", "to the June meeting"), or
    the next meeting's printed date for "before the next meeting"."""
    if due := due_in(doc, ctx, start, end):
        return due
    return nxt if nxt and spans_labelled(doc, "ACTION_DUE_NEXT_MEETING", start, end) else None
