"""Priority areas added and dropped, trends that reversed, operations newly named."""

from __future__ import annotations

from . import queries
from .action_matching import norm_title
from .comparison import Named, Reversal


def _named(rows: list[dict], cite, name_field: str) -> dict[str, Named]:
    out: dict[str, Named] = {}
    for r in rows:
        key = r["key"] or norm_title(r[name_field])
        out.setdefault(key, Named(key=key, name=r[name_field] or key, source=cite(r)))
    return out


def compare_priorities(db, current, previous, cite):
    """(added, dropped, kept) priority areas, matched by key."""
    cur = _named(queries.priority_areas(db, current["id"]), cite, "name")
    if previous is None:
        return tuple(cur.values()), (), ()
    prev = _named(queries.priority_areas(db, previous["id"]), cite, "name")
    added = tuple(v for k, v in cur.items() if k not in prev)
    dropped = tuple(v for k, v in prev.items() if k not in cur)
    kept = tuple(v for k, v in cur.items() if k in prev)
    return added, dropped, kept


def _reversal_of(c: dict, prev: list[dict], cite) -> Reversal | None:
    subject = norm_title(c["subject"])
    for p in prev:
        if norm_title(p["subject"]) != subject or p["direction"] not in ("up", "down"):
            continue
        if c["horizon"] and p["horizon"] and c["horizon"] != p["horizon"]:
            continue
        if p["direction"] != c["direction"]:
            return Reversal(
                subject=c["subject"],
                previous=p["direction"],
                current=c["direction"],
                previous_text=p["text"] or "",
                current_text=c["text"] or "",
                previous_source=cite(p),
                current_source=cite(c),
            )
    return None


def reversals(db, current, previous, cite) -> tuple[Reversal, ...]:
    """Trend statements about one subject (and horizon) whose direction flipped."""
    if previous is None:
        return ()
    prev = queries.trends(db, previous["id"])
    out, seen = [], set()
    for c in queries.trends(db, current["id"]):
        subject = norm_title(c["subject"])
        if c["direction"] not in ("up", "down") or subject in seen:
            continue
        if found := _reversal_of(c, prev, cite):
            seen.add(subject)
            out.append(found)
    return tuple(out)


def new_operations(db, current, previous, earlier, cite) -> tuple[Named, ...]:
    """Operations named in ``current`` and in no earlier paper of the series."""
    known: set[str] = set()
    for p in earlier + ([previous] if previous else []):
        known |= {r["key"] or norm_title(r["text"]) for r in queries.operations(db, p["id"])}
    named = _named(queries.operations(db, current["id"]), cite, "text")
    return tuple(v for k, v in named.items() if k not in known)
