"""Matching actions across papers: by ref, else by title similarity.

A paper's actions are first reduced to one row per action (an action-log row
and the same action narrated in the text are one action). Actions are then
paired with the previous paper's: by ref (unless the ref is only the number
of the paragraph it is printed in), else by title similarity above a
threshold; a title close to several candidates is paired by section, or
reported as ambiguous and never guessed. Unpaired actions are new or dropped;
actions past their due date and not completed are overdue.
"""

from __future__ import annotations

import difflib
import re

from . import queries
from .comparison import ActionChange, Ambiguity, Overdue, Warning
from .series import month_end, order_key, paper_month
from .table_cells import normalise

TITLE_MATCH_THRESHOLD = 0.8
MIN_PREFIX_CHARS = 30  # a title cut at a line end still names its action when this long
AMBIGUITY_MARGIN = 0.05


def norm_ref(ref: str | None) -> str | None:
    ref = re.sub(r"[^0-9a-z]+", ".", (ref or "").lower()).strip(".")
    return ref or None


def norm_title(title: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (title or "").lower()).split())


def similarity(a: str | None, b: str | None) -> float:
    """How alike two action titles are; 1.0 when one is the other cut short
    (a title wrapped onto a second line is often read only to its line end)."""
    na, nb = norm_title(a), norm_title(b)
    if normalise(na) == normalise(nb):
        return 1.0
    short, long = sorted((na, nb), key=len)
    if len(short) >= MIN_PREFIX_CHARS and long.startswith(short):
        return 1.0
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


def _positional(row: dict) -> bool:
    """The ref is only the number of the paragraph the action is printed in,
    which moves when actions are added above it."""
    return norm_ref(row["ref"]) is not None and norm_ref(row["ref"]) == norm_ref(row.get("paragraph_number"))


def one_per_action(rows: list[dict], threshold: float) -> tuple[list[dict], dict[int, dict]]:
    """A paper that narrates its plan actions and also lists them in an action-log
    table reports each action twice. Keep the log row (it carries the ref, owner,
    due date and status field) and return, per kept row id, the narrated row.
    A narrated action alike to several log rows is left unpaired."""
    logged = [r for r in rows if r.get("paragraph_kind") == "table_row"]
    narrative: dict[int, dict] = {}
    merged: set[int] = set()
    for r in rows:
        if r.get("paragraph_kind") == "table_row":
            continue
        hits = [
            log
            for log in logged
            if log["id"] not in narrative and similarity(r["title"], log["title"]) >= threshold
        ]
        if len(hits) == 1:
            narrative[hits[0]["id"]] = r
            merged.add(r["id"])
    return [r for r in rows if r["id"] not in merged], narrative


def status_conflicts(paper: dict, rows: list[dict], narrative: dict[int, dict], cite) -> tuple[Warning, ...]:
    """Warnings for actions whose log row and narrated text give different statuses."""
    out = []
    for r in rows:
        told = narrative.get(r["id"])
        if told and "unknown" not in (r["status"], told["status"]) and told["status"] != r["status"]:
            where = (
                f"paragraph {told['paragraph_number']}"
                if told["paragraph_number"]
                else f"page {told['page']}"
            )
            out.append(
                Warning(
                    paper["id"],
                    paper_month(paper),
                    f"{r['ref'] or r['title']}: the action log says {r['status'].replace('_', ' ')}, "
                    f"{where} says {told['status'].replace('_', ' ')} (the brief uses the log)",
                    "check",
                    cite(told),
                )
            )
    return tuple(out)


def _action_change(kind, c, p, cite, matched_by=None, ratio=None, narrative=None) -> ActionChange:
    row = c or p
    retitled = p and c and normalise(p["title"]) != normalise(c["title"])
    return ActionChange(
        kind=kind,
        title=row["title"] or "",
        ref=row["ref"],
        previous_title=p["title"] if retitled else None,
        previous_status=p["status"] if p else None,
        current_status=c["status"] if c else None,
        status_text=row["status_text"],
        owner=row["owner"] or (p["owner"] if p else None),
        due=row["due"] or (p["due"] if p else None),
        matched_by=matched_by,
        similarity=round(ratio, 3) if ratio is not None else None,
        previous_source=cite(p) if p else None,
        current_source=cite(c) if c else None,
        narrative_source=cite(narrative) if narrative else None,
    )


def _pair_by_ref(cur: list[dict], prev: list[dict], threshold: float) -> dict[int, tuple[int, str, None]]:
    """Pairs (index in cur -> index in prev) of actions with the same ref."""
    prev_by_ref: dict[str, list[int]] = {}
    for j, p in enumerate(prev):
        if ref := norm_ref(p["ref"]):
            prev_by_ref.setdefault(ref, []).append(j)
    pairs: dict[int, tuple[int, str, None]] = {}
    used: set[int] = set()
    for i, c in enumerate(cur):
        free = [
            j
            for j in prev_by_ref.get(norm_ref(c["ref"]) or "", [])
            if j not in used
            and (
                not (_positional(c) or _positional(prev[j]))
                or similarity(c["title"], prev[j]["title"]) >= threshold
            )
        ]
        if free:
            pairs[i] = (free[0], "ref", None)
            used.add(free[0])
    return pairs


def _pair_by_title(cur, prev, pairs, threshold, cite) -> list[Ambiguity]:
    """Adds title pairs to ``pairs`` for actions the refs left unpaired; returns the ambiguous ones."""
    used = {j for j, _, _ in pairs.values()}
    ambiguous = []
    for i, c in enumerate(cur):
        if i in pairs:
            continue
        scored = sorted(
            ((similarity(c["title"], prev[j]["title"]), j) for j in range(len(prev)) if j not in used),
            reverse=True,
        )
        scored = [(r, j) for r, j in scored if r >= threshold]
        if not scored:
            continue
        close = [(r, j) for r, j in scored if scored[0][0] - r < AMBIGUITY_MARGIN]
        how = "title"
        if len(close) > 1:
            section = norm_title(c["section_title"])
            same = [(r, j) for r, j in close if section and norm_title(prev[j]["section_title"]) == section]
            if len(same) != 1:
                ambiguous.append(
                    Ambiguity(
                        kind="action",
                        text=c["title"] or "",
                        candidates=tuple(prev[j]["title"] or "" for _, j in close),
                        sources=(cite(c), *(cite(prev[j]) for _, j in close)),
                    )
                )
                continue
            close, how = same, "title+section"
        ratio, j = close[0]
        pairs[i] = (j, how, ratio)
        used.add(j)
    return ambiguous


def compare_actions(db, current, previous, cite, threshold=TITLE_MATCH_THRESHOLD):
    """(action changes, ambiguous matches, status-conflict warnings) of ``current`` against ``previous``."""
    cur, cur_told = one_per_action(queries.actions(db, current["id"]), threshold)
    prev, prev_told = one_per_action(queries.actions(db, previous["id"]), threshold) if previous else ([], {})
    pairs = _pair_by_ref(cur, prev, threshold)
    ambiguous = _pair_by_title(cur, prev, pairs, threshold, cite)

    out = []
    unsure = {a.text for a in ambiguous}
    for i, c in enumerate(cur):
        if i in pairs:
            j, how, ratio = pairs[i]
            kind = "changed" if c["status"] != prev[j]["status"] else "unchanged"
            out.append(_action_change(kind, c, prev[j], cite, how, ratio, cur_told.get(c["id"])))
        elif (c["title"] or "") not in unsure:
            out.append(_action_change("new", c, None, cite, narrative=cur_told.get(c["id"])))
    used = {j for j, _, _ in pairs.values()}
    ambiguous_prev = {s for a in ambiguous for s in a.candidates}
    for j, p in enumerate(prev):
        if j not in used and (p["title"] or "") not in ambiguous_prev:
            out.append(_action_change("dropped", None, p, cite, narrative=prev_told.get(p["id"])))
    return tuple(out), tuple(ambiguous), status_conflicts(current, cur, cur_told, cite)


def overdue(db, current, cite, threshold=TITLE_MATCH_THRESHOLD) -> tuple[Overdue, ...]:
    """Actions of ``current`` due before the end of its month and not completed."""
    key = order_key(current)
    today = month_end(key) if key else None
    if today is None:
        return ()
    out = []
    for a in one_per_action(queries.actions(db, current["id"]), threshold)[0]:
        due = month_end(a["due"]) if a["due"] else None
        if due and due < today and a["status"] != "completed":
            out.append(
                Overdue(
                    title=a["title"] or "",
                    ref=a["ref"],
                    due=a["due"],
                    status=a["status"],
                    source=cite(a),
                    owner=a["owner"],
                )
            )
    return tuple(out)
