"""Priority areas from explicit statements and from the priorities section."""

from __future__ import annotations

import pytest

from boardpapers.nlp.context import Context
from boardpapers.nlp.priorities import extract_priority_areas, priority_key
from tests.test_nlp_actions import para, seed_paragraphs


def run(nlp, paragraphs):
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
    return extract_priority_areas(docs, Context())


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "This month's priority areas were Action against Hate, Modern Slavery and Policing Neighbourhoods.",
            ["Action against Hate", "Modern Slavery", "Policing Neighbourhoods"],
        ),
        ("The priorities this month are Road Safety and Burglary.", ["Road Safety", "Burglary"]),
        (
            "Our focus areas for the quarter are: Delayed Discharges; Cancer Waits; Staff Sickness.",
            ["Delayed Discharges", "Cancer Waits", "Staff Sickness"],
        ),
        ("The report will update on the priorities which sit under the pillar.", []),
        ("The strategy is delivered for priority crime areas.", []),
    ],
)
def test_explicit_statement(nlp, text, names):
    got = run(nlp, [para(0, text)])
    assert [p.name for p in got] == names
    for p in got:
        assert text[p.char_start : p.char_end] == p.name
        assert p.key == priority_key(p.name)


def test_headings_stand_in_and_keep_names_whole(nlp):
    ps = [
        para(0, "Priority Updates", "heading", "5.0"),
        para(1, "Stalking and Harassment", "heading", "5.1"),
        para(2, "Text.", number="5.1.1"),
        para(3, "Modern Slavery", "heading", "5.2"),
        para(4, "Communities Updates", "heading", "6.0"),
        para(5, "Neighbourhoods", "heading", "6.1"),
    ]
    assert [p.key for p in run(nlp, ps)] == ["stalking_and_harassment", "modern_slavery"]
    ps.append(para(6, "This month's priority areas were Stalking and Harassment and Modern Slavery."))
    assert [p.name for p in run(nlp, ps)] == ["Stalking and Harassment", "Modern Slavery"]


def test_seed_priority_areas(nlp):
    got = run(nlp, seed_paragraphs())
    assert sorted(p.name.casefold() for p in got) == [
        "action against hate",
        "modern slavery",
        "policing neighbourhoods",
    ]


@pytest.mark.parametrize(
    ("paragraphs", "names"),
    [
        (
            [("paragraph", "Our priorities this quarter are recruitment, estates and digital services.")],
            ["recruitment", "estates", "digital services"],
        ),
        (
            [("paragraph", "The key risks are supplier failure and data loss.")],
            ["supplier failure", "data loss"],
        ),
        (
            [
                ("heading", "Key risks"),
                ("bullet", "Staff turnover in frontline teams"),
                ("bullet", "Cyber security – ransomware attacks"),
                ("heading", "Finance"),
            ],
            ["Staff turnover in frontline teams", "Cyber security"],
        ),
        (
            [
                ("paragraph", "The areas of focus for the year are:"),
                ("bullet", "Reducing waiting times"),
                ("bullet", "Workforce wellbeing"),
            ],
            ["Reducing waiting times", "Workforce wellbeing"],
        ),
        (
            [
                ("heading", "Focus areas"),
                ("bullet", "Road safety"),
                ("paragraph", "Other text follows here."),
            ],
            ["Road safety"],
        ),
    ],
)
def test_other_bodies_wording(nlp, paragraphs, names):
    ps = [para(n, text, kind) for n, (kind, text) in enumerate(paragraphs)]
    assert [a.name for a in run(nlp, ps)] == names
