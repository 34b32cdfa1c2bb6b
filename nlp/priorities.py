"""Priority areas: the month's priorities, from explicit statements ("This
month's priority areas were Action against Hate, Modern Slavery and Policing
Neighbourhoods") and from the subsection headings of the section that reports
on them ("5.0 Priority Updates" -> "5.1 Action Against Hate", ...).

The statement lead-ins are patterns in ``patterns/priorities.jsonl``; section
headings, list separators and stop words are in ``vocab/priorities.yml``.
One row per key per paper; an explicit list wins, headings confirm it or stand
in for it.
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
from .records import PriorityArea
from .rules import load_patterns, load_vocab
from .sentences import SENTENCE_END

RULER = "bp_priorities_ruler"
SPANS_KEY = "bp_priorities"


def add_pipes(nlp: Language) -> None:
    ruler = nlp.add_pipe("span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True})
    ruler.add_patterns(load_patterns("priorities.jsonl"))


@functools.cache
def _vocab() -> dict:
    v = load_vocab("priorities.yml")
    return {
        "sections": {normalise_name(h) for h in v["section_headings"]},
        "items": [re.compile(s) for s in v["item_separators"]],
        "final": re.compile("|".join(f"(?:{s})" for s in v["final_separators"]), re.I),
        "stop": re.compile(r"\b(?:" + "|".join(map(re.escape, v["stop_words"])) + r")\b.*$", re.I | re.S),
        "qualifier": re.compile(
            r"(,\s*)?\b(?:" + "|".join(map(re.escape, v.get("qualifier_stop_words") or ["-"])) + r")\b", re.I
        ),
        "clause_words": int(v.get("qualifier_clause_words", 3)),
        "item_words": int(v.get("list_item_max_words", 8)),
        "marks": "".join(str(m) for m in v.get("bullet_marks") or ()),
    }


def _list_end(text: str, start: int, end: int) -> int:
    """Where an inline list ends: at a stop word, or at a qualifier ("with")
    that opens a clause (after a comma, or followed by enough words)."""
    v = _vocab()
    stop = v["stop"].search(text, start, end)
    end = stop.start() if stop else end
    for m in v["qualifier"].finditer(text, start, end):
        if m.group(1) or len(text[m.end() : end].split()) >= v["clause_words"]:
            return m.start()
    return end


def bullet_text(p: Paragraph) -> str | None:
    """The item of a bullet: a ``bullet`` paragraph's text, or a paragraph's
    whose marker the layout left in the text ("• A", "– B"); None otherwise."""
    marks = _vocab()["marks"]
    text = p.text.strip()
    if p.kind == "bullet":
        return text.lstrip(marks + " ")
    if p.kind == "paragraph" and len(text) > 2 and text[0] in marks and text[1] == " ":
        return text.lstrip(marks + " ")
    return None


def normalise_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,:;'\"‘’“”").casefold()


def priority_key(name: str) -> str:
    """A stable key: lower case, words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def listed_names(text: str, start: int, section_names: set[str]) -> list[tuple[str, int, int]]:
    """Names (with their char spans) in the list that starts at ``start``;
    a name the section headings know is kept whole even if it holds "and"."""
    end_m = SENTENCE_END.search(text, start)
    end = end_m.start() if end_m else len(text)
    end = _list_end(text, start, end)
    pieces = _split(text, start, end)
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        # rejoin "Stalking" + "Harassment" when a heading says "Stalking and Harassment"
        if out and normalise_name(text[out[-1][0] : b]) in section_names:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    names = []
    for a, b in out:
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip(" .,:;'\"‘’“”"))
        name = raw.strip(" .,:;'\"‘’“”")
        if name and any(c.isalpha() for c in name) and len(name.split()) <= 8:
            names.append((name, a + lead, a + lead + len(name)))
    return names


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of "A, B and C" / "A; B; and C" as char spans: split on the
    first item separator the list holds, then the last piece once more on its
    last final separator ("and"), so "urgent and emergency care, … and C"
    keeps an "and" inside an earlier item."""
    v = _vocab()
    sep = next((r for r in v["items"] if r.search(text, start, end)), None)
    pieces, pos = [], start
    for m in sep.finditer(text, start, end) if sep else ():
        pieces.append((pos, m.start()))
        pos = m.end()
    last = list(v["final"].finditer(text, pos, end))
    if last:
        pieces.append((pos, last[-1].start()))
        pos = last[-1].end()
    pieces.append((pos, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def section_headings(docs: Sequence[tuple[Doc, Paragraph]]) -> list[Paragraph]:
    """Subsection headings of the section whose heading reports on priorities."""
    sections = _vocab()["sections"]
    out: list[Paragraph] = []
    for i, (_, p) in enumerate(docs):
        if p.kind != "heading" or normalise_name(p.text) not in sections:
            continue
        prefix = (p.number or "").split(".")[0]
        for _, q in docs[i + 1 :]:
            if q.kind != "heading" or not q.number:
                continue
            if not prefix or q.number.split(".")[0] != prefix:
                break
            if q.number.count(".") == 1 and not q.number.endswith(".0"):
                out.append(q)
    return out


def extract_priority_areas(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[PriorityArea]:
    headings = section_headings(docs)
    heading_names = {normalise_name(h.text) for h in headings}
    out: dict[str, PriorityArea] = {}
    for doc, p in docs:
        for cue in filter_spans(list(doc.spans.get(SPANS_KEY, []))):
            names = listed_names(p.text, cue.end_char, heading_names)
            if len(names) == 1 and not cue.text.endswith(":") and not names[0][0][:1].isupper():
                continue  # "The priorities set last year are reviewed annually": no list
            for name, a, b in names:
                key = priority_key(name)
                out.setdefault(
                    key, PriorityArea(p.seq, name, key, cue.id_ or "priority-list", p.page_at(a), a, b)
                )
    if not out:
        for area in listed_bullets(docs):
            out.setdefault(area.key, area)
    if not out:
        for h in headings:
            name = h.text.strip()
            key = priority_key(name)
            out.setdefault(
                key, PriorityArea(h.seq, name, key, "priority-section-heading", h.page_start, 0, len(h.text))
            )
    return list(out.values())


def listed_bullets(docs: Sequence[tuple[Doc, Paragraph]]) -> list[PriorityArea]:
    """Priorities listed as bullets under a heading that names them ("Our
    priorities this quarter") or under a lead-in ending in ":" — there also
    as short unnumbered paragraphs (a list the layout did not mark as
    bullets), up to the first longer or numbered paragraph or heading; a
    list of bullets ends at its first paragraph that is no bullet. A bullet's
    marker left in its text ("– A", "• B") is no part of the name."""
    v = _vocab()
    out: list[PriorityArea] = []
    for i, (doc, p) in enumerate(docs):
        named = normalise_name(p.text) in v["sections"] and p.kind in ("heading", "paragraph")
        cue = p.text.rstrip().endswith(":") and any(
            not p.text[c.end_char :].strip(" :") for c in doc.spans.get(SPANS_KEY, [])
        )
        if not (named or cue):
            continue
        bullets = False
        for _, q in docs[i + 1 :]:
            item = bullet_text(q)
            short = q.kind == "paragraph" and not q.number and len(q.text.split()) <= v["item_words"]
            if item is None and (bullets or not (cue and short)):
                break  # a list of bullets ends at its first paragraph
            bullets = bullets or item is not None
            item = item if item is not None else q.text.strip()
            name = re.split(r"\s[–—-]\s|:\s|\.\s", item, maxsplit=1)[0].strip(" .,:;" + v["marks"])
            if name and len(name.split()) <= 8:
                start = q.text.find(name)
                rule = "priority-bullets-under-heading" if named else "priority-bullets-after-cue"
                out.append(
                    PriorityArea(
                        q.seq, name, priority_key(name), rule, q.page_at(start), start, start + len(name)
                    )
                )
    return out
