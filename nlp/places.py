"""Places a figure is about: gazetteer names (``nlp/vocab/geography.yml``,
matched by the figure ruler as ``PLACE``) and "in <Capitalised Place>" where
the name ends like a place ("in Leeds City", "in North Ward").

The one place list of the project: UK countries, regions, counties, unitary
authorities, metropolitan and London boroughs, districts, Scottish, Welsh and
Northern Irish councils and major cities (ONS / Ordnance Survey names, Open
Government Licence v3.0; see ``nlp/vocab/README.md``). Entities import it too."""

from __future__ import annotations

from functools import cache

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .quantities import spans
from .rules import load_vocab


@cache
def geography() -> dict:
    return load_vocab("geography.yml")


def place_patterns() -> list[dict]:
    """The gazetteer as span-ruler patterns labelled ``PLACE``."""
    return [{"label": "PLACE", "id": "geo-gazetteer", "pattern": p} for p in geography()["places"]]


def _place_like(name: str) -> bool:
    """A capitalised name after "in" that reads as a place (see geography.yml)."""
    geo = geography()
    last = name.split()[-1]
    return last in set(geo.get("place_words", [])) or any(
        last.lower().endswith(e) for e in geo.get("place_endings", [])
    )


IN = get_string_id("in")  # the LOWER value of a token "in"
LOWERS_KEY = ("bp_token_lowers",)  # ``doc.user_data`` key: a finished doc's LOWER column


def _in_places(doc: Doc, sent: Span) -> list[tuple[int, int, str]]:
    not_places = set(geography().get("not_places", []))
    found = []
    lowers = doc.user_data.get(LOWERS_KEY)
    if lowers is None:  # read from the LOWER column: walking the doc makes a Token per token
        lowers = doc.user_data[LOWERS_KEY] = doc.to_array(LOWER).tolist()
    for i in range(sent.start, sent.end - 1):
        if lowers[i] != IN:
            continue
        j = i + 1
        while j < sent.end and doc[j].is_title and doc[j].text not in not_places:
            j += 1
        if j > i + 1 and _place_like(doc[i + 1 : j].text):
            found.append((i + 1, j, doc[i + 1 : j].text))
    return found


def places(doc: Doc, sent: Span) -> list[tuple[int, int, str]]:
    """Places in a sentence as (start, end, name): longest first wins an overlap,
    and "England and Wales" joins into one."""
    found = [(s.start, s.end, s.text) for s in spans(doc, "PLACE") if sent.start <= s.start < sent.end]
    found += _in_places(doc, sent)
    found.sort(key=lambda p: -(p[1] - p[0]))
    keep: list[tuple[int, int, str]] = []
    for p in found:
        if not any(p[0] < q[1] and q[0] < p[1] for q in keep):
            keep.append(p)
    keep.sort()
    joined: list[tuple[int, int, str]] = []
    for p in keep:
        if joined and p[0] == joined[-1][1] + 1 and doc[p[0] - 1].lower_ == "and":
            q = joined.pop()
            p = (q[0], p[1], doc[q[0] : p[1]].text)
        joined.append(p)
    return joined


def nearest_place(doc: Doc, sent: Span, start: int) -> str | None:
    """The place of the sentence nearest token ``start``."""
    found = places(doc, sent)
    return min(found, key=lambda p: abs(p[0] - start))[2] if found else None


@cache
def place_names() -> frozenset[str]:
    """Every listed place name, the ambiguous ones ("Reading", "Bath") too."""
    geo = geography()
    return frozenset(str(n) for n in (*geo["places"], *geo.get("ambiguous_places", [])))


def is_place(name: str) -> bool:
    """A listed place ("Peterborough") or a name shaped like one ("Leeds City",
    "Wellingborough"): for a name a rule already found after "in"."""
    return name.strip() in place_names() or _place_like(name)


@cache
def place_phrase_patterns(label: str = "PLACE", rule_id: str = "gazetteer-place") -> list[dict]:
    """The unambiguous listed names as phrase patterns (the ambiguous ones, such
    as "Reading" or "Swale", are left to rules that already expect a place)."""
    return [{"label": label, "id": rule_id, "pattern": str(name)} for name in geography()["places"]]
