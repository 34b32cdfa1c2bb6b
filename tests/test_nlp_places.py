"""The one UK place list (nlp/vocab/geography.yml via nlp/places.py): sourced,
licensed, covering the four nations, and used by both figures and entities."""

from __future__ import annotations

import pytest

from boardpapers.nlp import entities, places
from boardpapers.nlp.rules import RULES_DIR

GEOGRAPHY = RULES_DIR / "vocab" / "geography.yml"


def test_list_names_its_source_and_licence():
    head = GEOGRAPHY.read_text(encoding="utf-8")[:2000]
    assert "Open Government Licence v3.0" in head and "Office for National Statistics" in head
    readme = (RULES_DIR / "vocab" / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in readme


def test_list_covers_the_four_nations():
    names = places.place_names()
    for name in (
        "Cumbria",
        "Tower Hamlets",
        "Kirklees",
        "Milton Keynes",
        "South Lanarkshire",
        "Gwynedd",
        "Mid Ulster",
        "Newry, Mourne and Down",
        "Yorkshire and The Humber",
        "Isle of Anglesey",
    ):
        assert name in names, name
    assert len(places.geography()["places"]) > 400


def test_no_duplicates_and_ambiguous_names_kept_apart():
    geo = places.geography()
    listed = [str(n) for n in geo["places"]]
    assert len(listed) == len(set(listed))
    assert not set(listed) & {str(n) for n in geo["ambiguous_places"]}
    assert "Reading" in places.place_names() and "Reading" not in listed


def test_no_other_vocabulary_lists_places():
    gazetteer = (RULES_DIR / "vocab" / "gazetteer.yml").read_text(encoding="utf-8")
    assert "\nplaces:" not in gazetteer and "place_suffixes" not in gazetteer


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Peterborough", True),
        ("Reading", True),
        ("Leeds City", True),
        ("Wellingborough", True),
        ("Board", False),
    ],
)
def test_is_place(name, expected):
    assert places.is_place(name) is expected


def run(nlp, text):
    from boardpapers.ingest.models import Paragraph
    from boardpapers.nlp.context import Context

    para = Paragraph(
        seq=0, kind="paragraph", text=text, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0
    )
    return [
        (e.label, e.text, e.char_start) for e in entities.extract_entities([(nlp(text), para)], Context())
    ]


def test_places_as_entities_match_case(nlp):
    text = "Reading the report, members noted thefts in Reading and in North Tyneside."
    got = [(t, start) for label, t, start in run(nlp, text) if label == "PLACE"]
    assert got == [("Reading", text.index("in Reading") + 3), ("North Tyneside", text.index("North"))]
    # names that are also words are never places on their own, in any case
    assert [
        e for e in run(nlp, "The hackney carriage fee and the Swale drainage were set.") if e[0] == "PLACE"
    ] == []
