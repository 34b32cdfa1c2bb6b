"""Minutes: items with their numbers, attendance, decisions and the actions
minuted in other bodies' wording.

A paper is minutes when its opening says so (``vocab/minutes.yml``). Its
prose — paragraphs, or the text cell of a minutes table (item | text | action
initials) — is read as blocks with an item number. In a block:

- a decision ("RESOLVED that …", "Agreed: …", "It was agreed …", "… was
  approved", "proposed … and seconded by …") is a :class:`Decision` and an
  action whose status is ``completed`` (a decision taken) — unless its
  grammar sets a task: an actor with "to"/"will"/"would" or a bare verb right
  after the cue ("Agreed: the Treasurer to …", "It was agreed that the Chair
  would write …") is a new, ``planned`` action instead, and a later "… and
  that the X report …" clause a planned action besides it;
- "X to …", "X will …", "… asked X to …" and "… will be arranged" are
  actions, ``planned`` unless the sentence's own cues say otherwise; the owner
  is X, or the initials printed in the row's Action column beside it;
- each numbered sub-item of a "Matters arising" or "Decisions" item is an
  action with the status its sentences give; matters arising keep the
  previous minutes' item number and a match key (``updates_ref``,
  ``updates_key``) so the database can link them to the action they update.

Attendance is read by :mod:`nlp.attendance`. Cue phrases are spaCy patterns in ``patterns/actions.jsonl`` (labels
``DECISION``, ``ACTION_ACTOR``, ``ACTION_ASKED``, ``ACTION_PASSIVE``, ``ACTION_SUBJUNCTIVE``); words
that steer the reading are in ``vocab/minutes.yml``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .action_rules import (
    StatusRules,
    actor_of,
    actor_spans,
    due_in,
    judge_status,
    owner_words,
    parse_due,
    spans_labelled,
    status_cues,
)
from .attendance import attendance, cell_span, role_label
from .context import Context
from .numbers import doc_text
from .records import Action, Attendee, Decision, MinuteItem
from .rules import load_vocab
from .sentences import sentence_spans

ITEM_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*|[A-Z]?\d{1,2}[./]\d{2}(?:[./]\d{1,3})*)\.?\s*$")
SUB_ITEM = re.compile(r"(?:^|(?<=[\s.:]))(\d{1,2})\.\s+(?=[A-Z])")
INITIALS_CELL = re.compile(r"^(?:[A-Z][A-Za-z]{0,3})(?:\s*[/&,]\s*[A-Z][A-Za-z]{0,3}){0,3}$")
MIN_PROSE_WORDS = 8


@dataclass(frozen=True)
class Minutes:
    """What the minutes module found in one paper."""

    actions: tuple[Action, ...] = ()
    decisions: tuple[Decision, ...] = ()
    attendance: tuple[Attendee, ...] = ()
    items: tuple[MinuteItem, ...] = ()


@dataclass
class Block:
    """A stretch of minutes prose: characters ``start:end`` of a paragraph."""

    doc: Doc
    p: Paragraph
    start: int
    end: int
    item: str | None
    section: str | None = None  # "matters_arising" / "decisions" when inside such an item
    initials: tuple[int, int] | None = None  # char span of an Action-column cell in the row
    claimed: list[tuple[int, int]] = field(default_factory=list)  # sentences that became actions


@functools.cache
def _vocab() -> dict:
    v = load_vocab("minutes.yml")
    sections = {w.casefold(): s for s, ws in v["action_sections"].items() for w in ws}
    return {
        "markers": re.compile(r"\b(?:" + "|".join(map(re.escape, v["markers"])) + r")\b", re.I),
        "first": int(v.get("first_paragraphs", 12)),
        "role_label": role_label(v),
        "sections": sections,
        "section_re": re.compile(
            r"\b(?:" + "|".join(re.escape(k) for k in sorted(sections, key=len, reverse=True)) + r")\b", re.I
        ),
        "not_subjects": {w.casefold() for w in v["not_subjects"]},
        "pronouns": {w.casefold() for w in v["pronoun_actors"]},
        "openers": {w.casefold() for w in v["clause_openers"]},
        "label": re.compile(
            r"(?:^|(?<=[.:;]\s)|(?<=\s[–—-]\s))(?P<label>[A-Z][\w,'’&()/ -]{1,80}?)\s?(?::|\s[–—])\s"
        ),
        "label_words": int(v.get("label_max_words", 9)),
        "actor_words": {w.casefold() for w in v.get("actor_words") or ()},
        "next_meeting": re.compile(
            r"\b(?:"
            + "|".join(re.escape(w) for w in sorted(v.get("next_meeting") or (), key=len, reverse=True))
            + r")\b",
            re.I,
        ),
    }


def is_minutes(docs: Sequence[tuple[Doc, Paragraph]], kind: str | None = None) -> bool:
    """Whether the paper is minutes: its kind, else its opening words."""
    if kind in ("minutes", "action_log", "accounts", "agenda"):
        return kind == "minutes"
    v = _vocab()
    for _, p in docs[: v["first"]]:
        if p.kind != "table_row" and v["markers"].search(p.text):
            return True
        if any(v["role_label"].match(t or "") for t in (p.cells if p.cells else (p.text,))):
            return True
    return False


# ---------------------------------------------------------------- blocks


def blocks_of(docs: Sequence[tuple[Doc, Paragraph]], skip: set[int]) -> Iterator[Block]:
    """Minutes prose in reading order, with the item each block belongs to
    (a row with an empty number cell continues the item above)."""
    item: str | None = None
    section: str | None = None
    for doc, p in docs:
        if p.seq in skip or p.kind in ("heading", "footnote"):
            if p.kind == "heading":
                section = _section_named(p.text) or section
            continue
        if p.kind == "table_row":
            block = _row_block(doc, p)
            if block is None:
                continue
            if block.item:
                item, section = block.item, None
            block.item = item
        else:
            if p.number:
                item, section = p.number, None
            block = Block(doc, p, 0, len(p.text), item)
        section = _section_named(p.text[block.start : block.start + 60]) or section
        block.section = section
        yield block


def _section_named(text: str) -> str | None:
    m = _vocab()["section_re"].search(text)
    return _vocab()["sections"][m[0].casefold()] if m else None


def _row_block(doc: Doc, p: Paragraph) -> Block | None:
    """The prose cell of a minutes-table row, its item number and the
    Action-column initials beside it; None for a row with no prose."""
    cells = list(p.cells or ())
    if not cells:
        return None
    prose = max(range(len(cells)), key=lambda n: len((cells[n] or "").split()))
    if len((cells[prose] or "").split()) < MIN_PROSE_WORDS:
        return None
    start, end = cell_span(p, prose)
    number = next((m[1] for c in cells[:prose] if (m := ITEM_NUMBER.match(c or ""))), None)
    initials = next(
        (
            cell_span(p, n)
            for n in range(prose + 1, len(cells))
            if INITIALS_CELL.match((cells[n] or "").strip())
        ),
        None,
    )
    if initials:
        a, b = initials
        lead = len(p.text[a:b]) - len(p.text[a:b].lstrip())
        initials = (a + lead, a + lead + len(p.text[a:b].strip()))
    return Block(doc, p, start, end, number, initials=initials)


# ---------------------------------------------------------------- extraction


def extract_minutes(
    docs: Sequence[tuple[Doc, Paragraph]], ctx: Context, skip: set[int] | None = None, kind: str | None = None
) -> Minutes:
    """Items, attendance, decisions and actions of a paper that is minutes
    (nothing for other papers). ``skip``: paragraphs already read as
    action-log rows."""
    if not is_minutes(docs, kind):
        return Minutes()
    rules = StatusRules.load()
    actions: list[Action] = []
    decisions: list[Decision] = []
    people = list(attendance(docs))
    names = {w for person in people for w in person.name.split()} | {p.initials for p in people if p.initials}
    nxt = next_meeting(docs, ctx)
    previous: Block | None = None
    for block in blocks_of(docs, skip or set()):
        if previous and block.item == previous.item and not block.section:
            block.section = previous.section
        found = _decision_actions(block, ctx, decisions, nxt)
        found += _sentence_actions(block, ctx, rules, names, nxt)
        found += _sub_item_actions(block, ctx, rules, found)
        actions += _with_initials(block, sorted(found, key=lambda a: a.char_start or 0), people)
        previous = block
    return Minutes(tuple(actions), tuple(decisions), tuple(people), tuple(items(docs)))


def _sentences(block: Block) -> list[tuple[int, int]]:
    text = block.p.text[block.start : block.end]
    return [(block.start + a, block.start + b) for a, b in sentence_spans(text) if text[a:b].strip()]


def _sub_items(block: Block) -> list[tuple[str, int, int]]:
    """(number, start after the marker, end) of the numbered sub-items in a block."""
    text = block.p.text
    marks = [m for m in SUB_ITEM.finditer(text, block.start, block.end)]
    return [
        (m[1], m.end(), marks[k + 1].start() if k + 1 < len(marks) else block.end)
        for k, m in enumerate(marks)
    ]


def _segment_start(block: Block, at: int) -> int:
    """Where the topic holding character ``at`` starts: the latest sub-item
    or short lead-in label ("HR Plan: …") before it, else the block start."""
    v = _vocab()
    starts = [block.start] + [a for _, a, _ in _sub_items(block) if a <= at]
    base = max(starts)
    text = block.p.text[base:at]
    labels = [
        m.start("label") for m in v["label"].finditer(text) if len(m["label"].split()) <= v["label_words"]
    ]
    return base + (labels[-1] if labels else 0)


def _action(block: Block, t0: int, t1: int, status: str, rule: str, **more) -> Action:
    title = block.p.text[t0:t1].strip(" .;:-–")
    t0 += len(block.p.text[t0:t1]) - len(block.p.text[t0:t1].lstrip(" .;:-–"))
    return Action(
        para=block.p.seq,
        title=" ".join(title.split()),
        status=status,
        page=block.p.page_at(t0),
        rule_id=rule,
        char_start=t0,
        char_end=t0 + len(title),
        item=block.item,
        **more,
    )


def _topic_start(block: Block, s: int, e: int) -> int:
    """Where a decision's title starts: the named topic it decides (a
    sub-item or a lead-in label), or the topic a "This was agreed" points
    back to; else its own sentence."""
    t0 = _segment_start(block, s)
    if t0 == block.start and block.p.text[s:e].split()[0].casefold() not in _vocab()["not_subjects"]:
        return s
    return t0


def _topic_end(block: Block, at: int) -> int:
    """Where the topic running at character ``at`` ends: the next sub-item or
    lead-in label, else the block end."""
    v = _vocab()
    text = block.p.text[at : block.end]
    labels = [
        at + m.start("label")
        for m in v["label"].finditer(text)
        if len(m["label"].split()) <= v["label_words"]
    ]
    return min([a for _, a, _ in _sub_items(block) if a > at] + labels + [block.end])


def next_meeting(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> str | None:
    """The next meeting's date, where the minutes state it."""
    v = _vocab()
    for _, p in docs:
        for m in v["next_meeting"].finditer(p.text):
            if when := parse_due(p.text[m.end() : m.end() + 80], ctx):
                return when
    return None


def _due(block: Block, ctx: Context, start: int, end: int, nxt: str | None) -> str | None:
    """The due date the words give ("by 3 May", "before the next meeting")."""
    if due := due_in(block.doc, ctx, start, end):
        return due
    return nxt if nxt and spans_labelled(block.doc, "ACTION_DUE_NEXT_MEETING", start, end) else None


def _decision_actions(
    block: Block, ctx: Context, decisions: list[Decision], nxt: str | None = None
) -> list[Action]:
    """Decisions: a Decision record, and an action ``completed`` titled from
    the topic's start, owned by whoever the minute mandates."""
    out = []
    doc, p = block.doc, block.p
    for s, e in _sentences(block):
        cues = filter_spans(spans_labelled(doc, "DECISION", s, e))
        if not cues:
            continue
        t0 = _topic_start(block, s, e)
        decisions.append(
            Decision(
                p.seq,
                " ".join(p.text[s:e].split()),
                p.page_at(s),
                s,
                e,
                cues[0].id_,
                block.item,
                " ".join(p.text[t0:e].split()),
            )
        )
        sub_end = _topic_end(block, e)
        actors = [
            a
            for a in actor_spans(doc, t0, e)
            if not any(a.start_char < c.end_char and c.start_char < a.end_char for c in cues)
        ]
        owner = next(
            (
                o
                for span in actors
                if _opens_clause(block, t0, span) and _credible(span, set()) and (o := actor_of(span))
            ),
            None,
        )
        mandates = decision_mandates(doc, cues[0], actors, e)
        if not mandates or mandates[0][0] != "direct":
            out.append(
                _action(
                    block,
                    t0,
                    e,
                    "completed",
                    cues[0].id_,
                    owner=owner,
                    due=_due(block, ctx, t0, sub_end, nxt),
                    status_text=cues[0].text,
                )
            )
        for _, span, who in mandates:
            verb = span[-1].idx
            out.append(
                _action(
                    block,
                    verb,
                    e,
                    "planned",
                    f"{cues[0].id_}+{span.id_}",
                    owner=who,
                    due=_due(block, ctx, verb, sub_end, nxt),
                    status_text=" ".join(doc_text(doc)[cues[0].start_char : span.end_char].split()),
                )
            )
        block.claimed.append((t0, e))
    return out


def decision_mandates(doc: Doc, cue: Span, actors: list[Span], e: int) -> list[tuple[str, Span, str]]:
    """The tasks a decision sets: an actor with "to"/"will"/"would" or a bare
    verb right after the cue ("Agreed: the Treasurer to …", "It was agreed
    that the Chair would write …", "RESOLVED that the Clerk write …") —
    ``direct``, the decision is that task — or a later "… and that the X
    report …" clause — ``also``, a task besides the decision. (kind, span, owner)."""
    text = doc_text(doc)  # Doc.text walks every token, and minutes are long docs
    spans = [a for a in actors if a[-1].lower_ not in ("to", "will", "shall", "would", "must")]
    spans += [s for s in spans_labelled(doc, "ACTION_SUBJUNCTIVE", cue.start_char, e)]
    out = []
    for span in sorted(filter_spans(spans), key=lambda s: s.start):
        who = owner_words(span, drop_last=1)
        if not who or not credible_owner(who):
            continue
        start = next(t.idx for t in span if t.lower_ != "that")
        if start < cue.end_char:
            continue
        before = text[cue.end_char : start]
        if re.fullmatch(r"[\s:–—-]*(?:that\s+)?(?:the\s+)?", before, re.I):
            out.append(("direct", span, who))
        elif re.search(r"(?:,|;|\band)\s+that\s+(?:the\s+)?$", before, re.I):
            out.append(("also", span, who))
    return out


def _claimed(block: Block, s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in block.claimed)


def _opens_clause(block: Block, s: int, span: Span) -> bool:
    """Whether an actor span opens its sentence or a clause ("… and X will …")."""
    before = block.p.text[s : span.start_char].rstrip()
    if not before:
        return True
    v = _vocab()
    last = before.split()[-1].casefold()
    asked = spans_labelled(block.doc, "ACTION_ASKED", s, span.start_char)
    return (
        last in v["openers"]
        or before[-1] in v["openers"]
        or bool(asked and asked[-1].end_char >= len(before) + s - 1)
    )


def opens_clause(before: str) -> bool:
    """Whether words that follow ``before`` (their sentence's text up to
    them) open the sentence or a clause (``clause_openers``)."""
    before = before.rstrip()
    if not before:
        return True
    openers = _vocab()["openers"]
    return before.split()[-1].casefold() in openers or before[-1] in openers


def _credible(span: Span, names: set[str]) -> bool:
    """A one-word actor must be an acronym or initials, a name from the
    attendance list, a pronoun or a role word; longer ones are taken as named."""
    owner = actor_of(span)
    if not owner:
        return span[0].lower_ in _vocab()["pronouns"]
    return credible_owner(owner, names)


def credible_owner(owner: str | None, names: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether words read as an owner: several words (a named role or
    person), or one that is an acronym or initials, a role word
    (``actor_words``), a pronoun or a name from the attendance list."""
    words = (owner or "").split()
    if len(words) != 1:
        return bool(words)
    word = words[0]
    v = _vocab()
    return word.isupper() or word.casefold() in v["actor_words"] | v["pronouns"] or word in names


def _sentence_actions(
    block: Block, ctx: Context, rules: StatusRules, names: set[str], nxt: str | None = None
) -> list[Action]:
    """ "X to …", "X will …", "… asked X to …", "… will be arranged"."""
    v = _vocab()
    doc, p = block.doc, block.p
    out = []
    previous = block.start
    for s, e in _sentences(block):
        first = p.text[s:e].split()[0].casefold().strip(",.:;")
        actor = next(
            (a for a in actor_spans(doc, s, e) if _opens_clause(block, s, a) and _credible(a, names)), None
        )
        passive = spans_labelled(doc, "ACTION_PASSIVE", s, e)
        minuted = spans_labelled(doc, "ACTION_MINUTES", s, e) + spans_labelled(
            doc, "ACTION_MINUTES_TRAILING", s, e
        )
        if (
            _claimed(block, s, e)
            or minuted
            or not (actor or passive)
            or not actor
            and first in v["not_subjects"]
        ):
            previous = s
            continue
        owner = actor_of(actor) if actor else None
        t0 = previous if actor and actor[0].lower_ in v["pronouns"] else s
        cues = status_cues(doc, s, e)
        status, evidence = judge_status(cues, rules)
        if status in ("unknown", "completed"):  # a task set ("will …"), whatever else the sentence reports
            status, evidence = "planned", []
        rule = (actor or passive[0]).id_
        out.append(
            _action(
                block,
                t0,
                e,
                status,
                rule,
                owner=owner,
                due=_due(block, ctx, s, e, nxt),
                status_text=" … ".join(c.text for c in evidence) or (actor or passive[0]).text,
            )
        )
        block.claimed.append((s, e))
        previous = s
    return out


def _sub_item_actions(block: Block, ctx: Context, rules: StatusRules, found: list[Action]) -> list[Action]:
    """Each numbered sub-item of a matters-arising or decisions item."""
    out = []
    doc, p = block.doc, block.p
    section = block.section
    for number, a, b in _sub_items(block):
        section = _section_named(p.text[max(block.start, a - 60) : a]) or section
        if not section or any(x.char_start == a for x in found):
            continue
        sentences = [(s, e) for s, e in _sentences(block) if a <= s < b or s <= a < e]
        cues = [c for s, e in sentences if not _claimed(block, s, e) for c in status_cues(doc, s, e)]
        status, evidence = judge_status(cues, rules)
        first_end = min(e for _, e in sentences) if sentences else b
        key = " ".join(re.findall(r"[a-z0-9]+", p.text[a:first_end].casefold())[:6])
        out.append(
            _action(
                block,
                a,
                min(first_end, b),
                status,
                f"action-minutes-{section.replace('_', '-')}",
                due=due_in(doc, ctx, a, b),
                status_text=" … ".join(c.text for c in evidence) or None,
                updates_ref=number if section == "matters_arising" else None,
                updates_key=key if section == "matters_arising" else None,
            )
        )
    block.section = section
    return out


def _with_initials(block: Block, found: list[Action], people: Sequence[Attendee]) -> list[Action]:
    """The initials printed in the row's Action column own the action that
    names their person (by name or by the role the attendance list gives
    them), else the row's last action."""
    if not block.initials or not found:
        return found
    initials = block.p.text[block.initials[0] : block.initials[1]]
    words = _person_words(initials, people)
    named = [n for n, x in enumerate(found) if words and _mentions(x.title, words)]
    chosen = named[0] if named else len(found) - 1
    return [
        x if n != chosen else Action(**{**x.__dict__, "owner": initials, "rule_id": x.rule_id + "+initials"})
        for n, x in enumerate(found)
    ]


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _person_words(initials: str, people: Sequence[Attendee]) -> list[str]:
    """Name and role of the person whose initials these are."""
    out = []
    for person in people:
        full = _initials_of(person.name)
        if initials in (person.initials, full) or len(full) > 2 and initials == full[0] + full[-1]:
            out += [person.name] + ([person.detail] if person.detail else [])
    return out


def _mentions(text: str, phrases: Sequence[str]) -> bool:
    norm = lambda t: " ".join(re.findall(r"[a-z0-9]+", t.casefold().replace("&", " and ")))  # noqa: E731
    return any(f" {norm(ph)} " in f" {norm(text)} " for ph in phrases if norm(ph))


# ---------------------------------------------------------------- attendance and items


def items(docs: Sequence[tuple[Doc, Paragraph]]) -> Iterator[MinuteItem]:
    """Numbered items: a numbered paragraph, or a minutes-table row whose
    number cell opens an item, with the title its first words give."""
    for doc, p in docs:
        if p.kind == "table_row":
            block = _row_block(doc, p)
            if block is None or not block.item:
                continue
            number, start, end = block.item, block.start, block.end
        elif p.number and p.kind in ("paragraph", "heading", "bullet"):
            number, start, end = p.number, 0, len(p.text)
        else:
            continue
        title_end = _title_end(p.text, start, end)
        title = " ".join(p.text[start:title_end].split()).strip(" .:-–")
        if title:
            yield MinuteItem(
                p.seq, number.rstrip("."), title, p.page_at(start), start, start + len(title), "minutes-item"
            )


def _title_end(text: str, start: int, end: int) -> int:
    v = load_vocab("minutes.yml")
    openers = {w.casefold() for w in v["item_title_openers"]}
    most = int(v["item_title_max_words"])
    # the first most + 1 words are all that is read (a numbered paragraph can run long)
    words = list(itertools.islice(re.finditer(r"\S+", text[start:end]), most + 1))
    for n, w in enumerate(words):
        if re.fullmatch(r"\d{1,2}\.", w[0]) or n > 0 and w[0].casefold() == words[n - 1][0].casefold():
            return start + w.start()
        if re.search(r"[:.]$|^[–—-]$", w[0]) and n > 0:
            return start + (w.end() if not re.fullmatch(r"[–—-]", w[0]) else w.start())
        if n > 0 and w[0][0].isupper() and w[0].casefold().strip(",.") in openers:
            return start + w.start()
    return start + (words[min(len(words), most) - 1].end() if words else 0)
