"""Attendance in minutes: who was present, sent apologies, was absent or in
attendance, from "Present: A, B and C" lines, label | names table rows and
"Apologies were received from …" sentences. The labels and the role each
gives are in ``vocab/minutes.yml`` (``attendance``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc

from boardpapers.ingest.models import Paragraph

from .records import Attendee
from .rules import load_vocab
from .sentences import sentence_spans

PERSON = re.compile(
    r"(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-z'’-]+)"
    r"(?:\s*\((?P<initials>[A-Z]{2,4})\))?"
)


def role_label(v: dict) -> re.Pattern:
    """An attendance label ("Present", "Apologies were received from") at a position."""
    labels = [label for labels in v["attendance"].values() for label in labels]
    alternatives = "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True))
    return re.compile(rf"\s*(?P<label>{alternatives})\b\s*(?:[:–—-]|\bfrom\b)?\s*", re.I)


@functools.cache
def _vocab() -> dict:
    v = load_vocab("minutes.yml")
    roles = {label.casefold(): role for role, labels in v["attendance"].items() for label in labels}
    return {"roles": roles, "role_label": role_label(v)}


def cell_span(p: Paragraph, n: int) -> tuple[int, int]:
    """Characters of cell ``n`` in the row's text ("a | b | c")."""
    pos = 0
    for k, cell in enumerate(p.cells or ()):
        if k == n:
            return pos, pos + len(cell)
        pos += len(cell) + 3
    return 0, 0


def split_names(text: str) -> list[tuple[str, int, int, str | None, str | None]]:
    """(name, start, end, initials, detail) for each name in a list: commas,
    "and", bullets and semicolons separate names; "(Chair)" is detail,
    "(AB)" initials; a list with no separators is read name by name."""
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "_" * (len(m[0]) - 2) + ")", text)
    out = []
    for piece in re.finditer(r"(?:(?![,;\uf0b7•\n]|\s(?:and|&)\s).)+", masked):
        starts = [m.start() for m in PERSON.finditer(piece[0])]
        if len(starts) < 2 or len(piece[0].split()) <= 4:
            starts = [0]
        for k, s in enumerate(starts):
            ms = piece.start() + s
            me = piece.start() + (starts[k + 1] if k + 1 < len(starts) else len(piece[0]))
            name, initials, detail = _name_parts(text[ms:me])
            if name:
                lead = text[ms:me].find(name)
                out.append((name, ms + lead, ms + lead + len(name), initials, detail))
    return out


def _name_parts(text: str) -> tuple[str | None, str | None, str | None]:
    text = re.sub(r"^\s*(?:and|&)\s+", "", text).strip(" .:-–")
    initials = detail = None
    for m in re.finditer(r"\(([^()]*)\)", text):
        if re.fullmatch(r"[A-Z]{2,4}", m[1]):
            initials = m[1]
        else:
            detail = m[1].strip()
    name = re.sub(r"\s*\([^()]*\)", "", text).strip(" .:-–")
    if m := re.search(r"(?:\s+[A-Z]{3,})+$", name):  # "Jane Doe CHAIR"
        detail, name = detail or m[0].strip().title(), name[: m.start()]
    if (
        not name
        or not name[0].isupper()
        or len(name.split()) > 6
        or name.casefold().startswith(("none", "no "))
    ):
        return None, None, None
    return name, initials, detail


def attendance(docs: Sequence[tuple[Doc, Paragraph]]) -> Iterator[Attendee]:
    """Who was present, sent apologies or was in attendance, from "Present:
    A, B" lines, label | names table rows and "Apologies were received from …"."""
    v = _vocab()
    for i, (_, p) in enumerate(docs):
        for role, label, a, b in _attendance_lists(p, v):
            rest = p.text[a:b].strip(" :")
            if (not rest or v["role_label"].fullmatch(rest + ":")) and i + 1 < len(
                docs
            ):  # names on the next line
                q = docs[i + 1][1]
                yield from _attendees(q, q.text, 0, len(q.text), role, label)
            else:
                yield from _attendees(p, p.text, a, b, role, label)


def _attendance_lists(p: Paragraph, v: dict) -> Iterator[tuple[str, str, int, int]]:
    if p.kind == "table_row" and p.cells:
        cells = list(p.cells)
        for n, cell in enumerate(cells[:-1]):
            role = v["roles"].get((cell or "").strip(" :").casefold())
            rest = next((k for k in range(n + 1, len(cells)) if (cells[k] or "").strip()), None)
            if role and rest is not None:
                a, b = cell_span(p, rest)
                yield role, cell.strip(), a, b
    starts = r"(?<=\s)(?=apologies\s+(?:were|had\s+been)\s+received\s+from)"
    if p.kind != "table_row":
        starts = r"(?:^|(?<=[.:]\s)|" + starts + ")"
    for m in re.finditer(starts, p.text, re.I):
        label = v["role_label"].match(p.text, m.start())
        if label:
            end = sentence_spans(p.text[label.end() :])
            stop = label.end() + (end[0][1] if end else 0)
            yield v["roles"][label["label"].casefold()], label["label"], label.end(), stop
            return


def _attendees(p: Paragraph, text: str, a: int, b: int, role: str, label: str) -> Iterator[Attendee]:
    for name, s, e, initials, detail in split_names(text[a:b]):
        yield Attendee(
            p.seq, name, role, p.page_at(a + s), a + s, a + e, f"attendance-{role}", initials, detail
        )
