"""Action-log table rows -> actions.

Which column holds the action, owner, due date and status comes from the
header words (``vocab/status.yml`` ``columns``), or, for a headerless log,
from the cells themselves. A status cell reads as a whole (``cells``, with
common misspellings), by its first words ("Done. Names were ..."), by the cue
phrases in it, or — a RAG rating printed as a coloured cell with no words —
by its fill colour (``cell_colours``). An empty status cell in a log is a new
action (``empty_status_in_log``); a row carried forward past its own due date
is delayed (``past_due``). A table is an action log only when enough of its rows carry a
status the vocabulary knows. A cell of two statuses ("Open – overdue") takes the
more specific (the first in ``precedence``); a "Status at last meeting" column
(role ``previous_status``) is kept apart from the status now; a RAG key the paper
prints ("Blue – complete; Green – on track") overrides the colours' usual meanings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from boardpapers.ingest.models import Paragraph

from .action_rules import (
    StatusRules,
    actor_in,
    due_in,
    judge_status,
    normalise_cell,
    owner_from_cue,
    parse_due,
    status_cues,
)
from .context import Context
from .records import Action

INITIALS = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}|All)(?:\s*[/&,]\s*[A-Z][A-Za-z]{0,3})*$")

# Two statuses in one cell ("Open – overdue", "Open / on track").
PART_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*/\s*|\s*;\s*")
# "Blue – complete", "Green = on track", "Amber: at risk of ...": one entry of a
# RAG key, after a colour of ``cell_colours``.
KEY_ENTRY = r"\b({colours})\s*(?:[–—=:-]|\bis\b|\bmeans\b)\s*([^;,.\n|]+)"


def rag_key(texts: Iterable[str], rules: StatusRules) -> StatusRules:
    """``rules`` with the colours a paper's own RAG key defines ("Blue –
    complete; Green – on track; Red – off track") read as its statuses: a
    paragraph naming at least two colours of ``cell_colours`` with a meaning
    the vocabulary knows."""
    entry = re.compile(KEY_ENTRY.format(colours="|".join(map(re.escape, rules.colours))), re.I)
    for text in texts:
        key = {}
        for colour, meaning in entry.findall(text):
            status = rules.cell(meaning) or (rules.lead(meaning) or (None,))[0]
            if colour.casefold() in rules.colours and status and status != "unknown":
                key[colour.casefold()] = status
        if len(key) >= 2:
            cells = {**rules.cells, **{normalise_cell(c): s for c, s in key.items()}}
            return dataclasses.replace(rules, cells=cells, colours={**rules.colours, **key})
    return rules


def two_part_status(text: str | None, rules: StatusRules) -> str | None:
    """The status of a cell of two statuses joined by a dash or slash: the
    more specific, by ``precedence`` ("Open – overdue" is delayed)."""
    parts = [q for q in PART_SEPARATOR.split(" ".join((text or "").split())) if q.strip()]
    found = [rules.cell(q) for q in parts]
    if len(parts) < 2 or None in found:
        return None
    return min(found, key=rules.rank)


# A table is an action log when at least this share of its rows carry a status
# the vocabulary recognises; otherwise (a layoff list, a statistics table whose
# columns merely sit where an action log's would) its rows are not actions.
MIN_KNOWN_STATUS_SHARE = 0.3


def action_log_tables(rows: Sequence[tuple[Action, tuple]]) -> set[tuple]:
    """Headers of the tables whose rows read as an action log."""
    total: dict[tuple, int] = {}
    known: dict[tuple, int] = {}
    for action, table in rows:
        total[table] = total.get(table, 0) + 1
        known[table] = known.get(table, 0) + (action.status != "unknown" and "empty" not in action.rule_id)
    return {t for t, n in total.items() if known[t] >= MIN_KNOWN_STATUS_SHARE * n}


def column_roles(header: Sequence[str | None] | None, rules: StatusRules) -> dict[str, int]:
    """Which column holds which role, from the header words; {} when the
    header names neither an action nor a status column."""
    roles: dict[str, int] = {}
    for n, h in enumerate(header or ()):
        role = rules.columns.get(normalise_cell(h))
        if role and role not in roles:
            roles[role] = n
    return roles if {"action", "status"} & set(roles) else {}


def cell_status(
    text: str | None, doc: Doc, p: Paragraph, rules: StatusRules, fill: str | None = None
) -> tuple[str, str | None, str]:
    """(status, evidence, rule id) for a status cell: the whole cell or its
    first words from the vocabulary, else the cue phrases inside it, else the
    cell's fill colour."""
    norm = normalise_cell(text)
    if not norm:
        if fill and fill.casefold() in rules.colours:
            return rules.colours[fill.casefold()], fill, "action-log-cell-colour"
        return rules.empty_status, None, "action-log-empty"
    whole = " ".join(text.split())
    if status := rules.cell(text):
        return status, whole, "action-log-cell"
    if status := two_part_status(text, rules):
        return status, whole, "action-log-cell-two-part"
    if lead := rules.lead(text):
        return lead[0], whole, "action-log-cell-lead"
    start = p.text.find(text.strip())
    cues = status_cues(doc, start, start + len(text.strip())) if start >= 0 else []
    status, evidence = judge_status(cues, rules)
    if status == "unknown" and fill and fill.casefold() in rules.colours:
        return rules.colours[fill.casefold()], f"{whole} [{fill}]", "action-log-cell-colour"
    return status, whole, "action-log-cues" + "".join(f"+{s.id_}" for s in evidence)


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
        rules.cell(text) is not None or any(norm.startswith(v + " ") for v in rules.cells if len(v) > 3)
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


def _fill_of(p: Paragraph, column: int | None) -> str | None:
    fills = getattr(p, "cell_fills", None)
    return fills[column] if fills and column is not None and column < len(fills) else None


def _row_status(doc, p, cells, roles, rules, more) -> tuple[str, str | None, str]:
    """Status of a log row: its status cell, else a status printed in another
    cell or on the continuation rows, else a closing stamp in the ref cell."""
    n = roles.get("status")
    status_text = (cells[n] or "").strip() or None if n is not None and n < len(cells) else None
    status, evidence, rule = cell_status(status_text, doc, p, rules, _fill_of(p, n))
    if status in ("unknown", rules.empty_status) and not status_text:
        extra = [c.strip() for k, c in enumerate(cells) if k not in roles.values() and (c or "").strip()]
        for candidate in [*extra, more]:
            if looks_like_status(candidate, rules):
                status, evidence, rule = cell_status(candidate, doc, p, rules)
                rule += "+continuation" if candidate == more else ""
                break
    _, stamp = split_ref(cells[roles["ref"]] if "ref" in roles and roles["ref"] < len(cells) else None, rules)
    if stamp and looks_like_status(stamp, rules):
        # "Action closed" stamped into the ref cell: the log's latest word on the action
        stamp_status, stamp_text, _ = cell_status(stamp, doc, p, rules)
        if stamp_status != "unknown":
            return stamp_status, stamp_text, "action-log-ref-cell"
    return status, evidence, rule


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
    if "status" in roles and "action" not in roles:  # a log whose action header was not printed
        free = [
            n for n in range(len(cells)) if n not in roles.values() and len((cells[n] or "").split()) >= 3
        ]
        if free:
            roles["action"] = max(free, key=lambda n: len(cells[n] or ""))
    if "action" not in roles or "status" not in roles and len(roles) < 3:
        return None

    def cell(role: str) -> str | None:
        n = roles.get(role)
        return (cells[n] or "").strip() or None if n is not None and n < len(cells) else None

    title = cell("action")
    if not title or normalise_cell(title) in rules.columns:
        return None
    if all(normalise_cell(c) in rules.columns or not normalise_cell(c) for c in cells):
        return None  # a repeated header row
    status, evidence, rule = _row_status(doc, p, cells, roles, rules, more)
    start = max(p.text.find(title), 0)
    owner = (
        cell("owner")
        or (owner_from_cue(heading[0]) if heading else None)
        or actor_in(doc, start, start + len(title))
    )
    due = parse_due(cell("due"), ctx) or due_in(doc, ctx, start, len(p.text))
    carried = normalise_cell(evidence) in rules.past_due_cues
    if due and carried and ctx.anchor and dt.date.fromisoformat(due) < ctx.anchor:
        status, rule = rules.past_due_status, rule + "+past-due"
    return Action(
        para=p.seq,
        title=re.sub(r"\s+", " ", title),
        status=status,
        page=p.page_at(start),
        rule_id=rule,
        ref=split_ref(cell("ref"), rules)[0],
        owner=re.sub(r"\s+", " ", owner) if owner else None,
        due=due,
        status_text=re.sub(r"\s+", " ", evidence) if evidence else None,
        char_start=start,
        char_end=start + len(title),
    )
