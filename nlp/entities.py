"""Entities: named operations, organisations and their acronyms, places,
people with roles, and systems.

Shapes are patterns in ``patterns/entities.jsonl``; well-known national names
come from the small gazetteers in ``vocab/gazetteer.yml`` (places: ``nlp/places.py``), turned into token
patterns when the pipeline is built. A paper's own teams, units and systems are
found by shape, not by name: a capitalised name ending in an organisational
head noun ("Demand Hub"), an all-caps acronym defined in brackets, heading its
own noun phrase ("in the IMU at ...") or acting as a subject ("PSD will ..."),
and "<Name> Framework"/"<Name> system" for systems. Code holds what patterns cannot say: whether the words
before "(NRM)" spell the acronym, whether "in <Name>" names a place, and the
normalised key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from boardpapers.ingest.models import Paragraph

from .actions import PERSONISH, QUOTED_TITLE
from .context import Context
from .places import is_place, place_phrase_patterns
from .records import Entity
from .rules import load_patterns, load_vocab

RULER = "bp_entities_ruler"
SPANS_KEY = "bp_entities"
LABELS = ("OPERATION", "ORG", "PLACE", "PERSON", "SYSTEM")
NAME = {
    "TEXT": {
        "REGEX": "^[A-Z][a-zA-Z'’-]+$",
        "NOT_IN": ["Date", "From", "To", "Team", "Office", "Board", "The"],
    }
}
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,5}$")
# "CRT Framework (System)" and "CRT Framework" are one system
SYSTEM_SUFFIX = re.compile(r"\s*\(?\bsystem\)?$", re.I)
CONNECTIVES = {"and", "of", "for", "in", "the", "on", "to", "&"}


@functools.cache
def gazetteer() -> dict:
    return load_vocab("gazetteer.yml")


def _words(text: str) -> list[dict]:
    """Token pattern for a gazetteer name: acronyms exactly, names in any case."""
    return [
        {"ORTH": w}
        if w.isupper() or not w.islower() and any(c.isupper() for c in w[1:])
        else {"LOWER": w.lower()}
        for w in re.findall(r"\w+|[^\w\s]", text)
    ]


def gazetteer_patterns() -> list[dict]:
    g = gazetteer()
    out = []
    for name in g["organisations"]:
        out.append({"label": "ORG", "id": "gazetteer-org", "pattern": _words(str(name))})
    out += place_phrase_patterns("PLACE", "gazetteer-place")
    for name in g["systems"]:
        out.append({"label": "SYSTEM", "id": "gazetteer-system", "pattern": _words(name)})
    stops = [str(w) for w in g["name_stops"]]
    first = {"TEXT": {"REGEX": "^(?:[A-Z][a-zA-Z'’-]+|[A-Z][A-Z&]{1,5})$", "NOT_IN": stops}}
    inner = {"TEXT": {"REGEX": "^(?:[A-Z][a-zA-Z'’-]+|[A-Z][A-Z&]{1,5}|and|&|of|for)$"}, "OP": "{0,3}"}
    heads = [str(h) for h in g["org_heads"]]
    out.append(
        {"label": "ORG", "id": "entity-org-head-noun", "pattern": [first, inner, {"ORTH": {"IN": heads}}]}
    )
    sys_heads = [str(h) for h in g["system_heads"]]
    out.append(
        {
            "label": "SYSTEM",
            "id": "entity-system-head-noun",
            "pattern": [first, {**inner, "OP": "?"}, {"ORTH": {"IN": sys_heads}}],
        }
    )
    for role in g["person_roles"]:
        pattern = [{"ORTH": w} for w in role.split()] + [NAME, {**NAME, "OP": "?"}]
        out.append({"label": "PERSON", "id": "entity-person-role", "pattern": pattern})
    return out


def add_pipes(nlp: Language) -> None:
    ruler = nlp.add_pipe("span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True})
    ruler.add_patterns(load_patterns("entities.jsonl") + gazetteer_patterns())


def entity_key(label: str, text: str) -> str:
    """The normalised form: gazetteer full name for a known acronym, "operation
    x" for "Op X", lower case and single spaces otherwise."""
    text = text.strip(SUPERSCRIPTS + " ")
    orgs = {str(k): v for k, v in gazetteer()["organisations"].items()}
    if label == "ORG" and text in orgs:
        text = orgs[text]
    if label == "SYSTEM":
        text = SYSTEM_SUFFIX.sub("", text) or text
    if label == "OPERATION":
        text = re.sub(r"^(?:op\.?|operation)\s+", "operation ", text, flags=re.I)
    return re.sub(r"\s+", " ", text).casefold()


def spells(words: Sequence[str], acronym: str) -> bool:
    """Whether the initials of ``words`` (connectives optional) spell ``acronym``."""
    target = acronym.rstrip("s").upper() if len(acronym) > 2 and acronym.endswith("s") else acronym.upper()

    def match(i: int, j: int) -> bool:
        if j == len(target):
            return i == len(words)
        if i == len(words):
            return False
        w = words[i]
        if w[0].upper() == target[j] and match(i + 1, j + 1):
            return True
        return w.lower() in CONNECTIVES and match(i + 1, j)

    return match(0, 0)


def acronym_definition(span: Span) -> Span | None:
    """ "National Referral Mechanism (NRM)" from the span "(NRM)"."""
    acronym = span[1].text
    doc = span.doc
    start = span.start
    n = len(acronym.rstrip("s")) if len(acronym) > 2 else len(acronym)
    for k in range(n, min(2 * n + 2, start) + 1):
        words = [t.text for t in doc[start - k : start]]
        if words and words[0][0].isupper() and spells(words, acronym):
            return doc[start - k : span.end]
    return None


def place_name(span: Span) -> Span | None:
    """ "in Peterborough" -> Peterborough when the name looks like a place."""
    name = span[1:]
    if is_place(name.text):
        return name
    return None


def extract_entities(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Entity]:
    out: list[Entity] = []
    for doc, p in docs:
        found: list[Span] = []
        for span in doc.spans.get(SPANS_KEY, []):
            if span.label_ == "ACRONYM_DEF":
                span = acronym_definition(span)
                if span is not None:
                    found.append(Span(doc, span.start, span.end, label="ORG", span_id="entity-org-acronym"))
            elif span.label_ == "PLACE_CUE":
                name = place_name(span)
                if name is not None:
                    found.append(Span(doc, name.start, name.end, label="PLACE", span_id=span.id_))
            elif span.label_ == "ORG_ACRONYM":
                acr = next(t for t in span if ACRONYM.match(t.text))
                found.append(Span(doc, acr.i, acr.i + 1, label="ORG", span_id=span.id_))
            elif span.label_ in LABELS:
                found.append(span)
        # among spans of equal length the first wins: names from the gazetteer
        # (which know an acronym's full name) before the general shapes
        found.sort(key=lambda s: not (s.id_ or "").startswith("gazetteer"))
        for span in filter_spans(found):
            text = span.text.rstrip(SUPERSCRIPTS)
            out.append(
                Entity(
                    para=p.seq,
                    label=span.label_,
                    text=text,
                    key=entity_key(span.label_, text),
                    page=p.page_at(span.start_char),
                    char_start=span.start_char,
                    char_end=span.start_char + len(text),
                    rule_id=span.id_ or span.label_.lower(),
                )
            )
        out.extend(title_owner(p))
    return out


def title_owner(p: Paragraph) -> list[Entity]:
    """The person named in brackets after a quoted action title."""
    if p.kind != "action_title":
        return []
    m = QUOTED_TITLE.match(p.text)
    if not m or not m["owner"] or not PERSONISH.match(m["owner"].strip()):
        return []
    name = m["owner"].strip()
    start = p.text.index(name, m.start("owner"))
    return [
        Entity(
            p.seq,
            "PERSON",
            name,
            name.casefold(),
            p.page_at(start),
            start,
            start + len(name),
            "entity-person-action-owner",
        )
    ]
