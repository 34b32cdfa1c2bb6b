"""Entities: operations, organisations and acronyms, places, people, systems."""

from __future__ import annotations

import pytest

from boardpapers.nlp.context import Context
from boardpapers.nlp.entities import entity_key, extract_entities, spells
from tests.test_nlp_actions import para, seed_paragraphs


def run(nlp, paragraphs):
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
    return extract_entities(docs, Context())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Op Alcoa was implemented in the IMU.",
            [("OPERATION", "Op Alcoa", "operation alcoa"), ("ORG", "IMU", "imu")],
        ),
        (
            "The week of action named Operation Astragal II took place.",
            [("OPERATION", "Operation Astragal II", "operation astragal ii")],
        ),
        ("The Operation culminated in a day of action.", []),
        (
            "The National Referral Mechanism (NRM) referrals rose.",
            [("ORG", "National Referral Mechanism (NRM)", "national referral mechanism (nrm)")],
        ),
        (
            "Published by the ONS and the Home Office.",
            [("ORG", "ONS", "office for national statistics"), ("ORG", "Home Office", "home office")],
        ),
        (
            "Growth was driven by thefts in Peterborough and in Wellingborough.",
            [("PLACE", "Peterborough", "peterborough"), ("PLACE", "Wellingborough", "wellingborough")],
        ),
        (
            "The move of Superintendent Laura Hunt and the format proposed by DCC Gyford.",
            [
                ("PERSON", "Superintendent Laura Hunt", "superintendent laura hunt"),
                ("PERSON", "DCC Gyford", "dcc gyford"),
            ],
        ),
        (
            "The CRT Framework (System) replaces Athena workflows.",
            [("SYSTEM", "CRT Framework (System)", "crt framework"), ("SYSTEM", "Athena", "athena")],
        ),
        ("Meetings are held in June.", []),
    ],
)
def test_entities(nlp, text, expected):
    got = run(nlp, [para(0, text)])
    assert [(e.label, e.text, e.key) for e in got] == expected
    for e in got:
        assert text[e.char_start : e.char_end] == e.text


# Teams, units, acronyms and systems a paper names for itself: found by their
# shape (capitalised name + organisational head noun, an acronym heading its
# own noun phrase or acting as a subject, "<Name> Framework"/"<Name> system"),
# not by a list of names.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Calls are triaged by the Patient Flow Hub before transfer.", [("ORG", "Patient Flow Hub")]),
        ("The Rapid Response Team attended 40 incidents.", [("ORG", "Rapid Response Team")]),
        (
            "Savings were reported to the Finance and Resources Committee.",
            [("ORG", "Finance and Resources Committee")],
        ),
        ("Cases were escalated to the Adult Safeguarding Unit.", [("ORG", "Adult Safeguarding Unit")]),
        ("The plan was agreed by the Transformation Directorate.", [("ORG", "Transformation Directorate")]),
        ("The Fire Protection Service inspected 12 premises.", [("ORG", "Fire Protection Service")]),
        ("Referrals were passed to the MASH as agreed.", [("ORG", "MASH")]),
        ("Staff from the ICB and the trust met twice.", [("ORG", "ICB")]),
        ("LGSCO has published its annual review.", [("ORG", "LGSCO")]),
        ("The Risk Management Framework was refreshed.", [("SYSTEM", "Risk Management Framework")]),
        ("Cases are logged on the Mosaic system each day.", [("SYSTEM", "Mosaic system")]),
        # not names: a lone head noun, a sentence opener, initials in minutes,
        # an acronym that modifies a noun, a roman numeral
        ("The Team met on Tuesday.", []),
        ("Each Board receives the report.", []),
        ("AS has spoken to another builder.", []),
        ("The ASB figures rose and the NHP officers attended.", []),
        ("Phase III was completed.", []),
        ("Minutes of the AGM were approved.", []),
    ],
)
def test_entity_shapes(nlp, text, expected):
    got = run(nlp, [para(0, text)])
    assert [(e.label, e.text) for e in got] == expected
    assert all(e.rule_id.startswith("entity-") for e in got)


def test_system_key_ignores_system_suffix():
    assert entity_key("SYSTEM", "Mosaic system") == entity_key("SYSTEM", "Mosaic (System)") == "mosaic"


def test_owner_in_brackets_after_action_title(nlp):
    (e,) = run(nlp, [para(0, "'Promote reporting' (Becky Tipping)", "action_title", "6.2.5")])
    assert (e.label, e.text) == ("PERSON", "Becky Tipping")


@pytest.mark.parametrize(
    ("words", "acronym", "ok"),
    [
        ("Tactical Tasking and Coordination Group", "TTCG", True),
        ("Police Service Volunteers", "PSVs", True),
        ("Citizens in Policing", "CiP", True),
        ("Neighbourhood Policing", "NHP", False),
    ],
)
def test_acronym_spelling(words, acronym, ok):
    assert spells(words.split(), acronym) is ok


def test_key_normalises_operation_prefix():
    assert entity_key("OPERATION", "Op Galileo") == entity_key("OPERATION", "Operation Galileo")


def test_seed_samples(nlp):
    got = run(nlp, seed_paragraphs())
    texts = {(e.label, e.text) for e in got}
    for op in ("Op Alcoa", "Operation Astragal II", "Op Galileo"):
        assert ("OPERATION", op) in texts
    for org in ("ONS", "NPCC", "IOPC", "Home Office", "OPCC", "Demand Hub", "IMU"):
        assert ("ORG", org) in texts
    for place in ("Cambridge City", "East Cambridgeshire", "Peterborough", "England and Wales"):
        assert ("PLACE", place) in texts
    assert {"Becky Tipping", "Superintendent Laura Hunt"} <= {e.text for e in got if e.label == "PERSON"}
