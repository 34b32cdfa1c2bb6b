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


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Our priorities for the coming winter are: faster handovers, discharge and flow and staff wellbeing.",
            ["faster handovers", "discharge and flow", "staff wellbeing"],
        ),
        (
            "The Authority's corporate priorities for 2026 are road safety, community resilience and net zero.",
            ["road safety", "community resilience", "net zero"],
        ),
        (
            "This plan sets out our priorities: safer streets, cleaner parks and better transport.",
            ["safer streets", "cleaner parks", "better transport"],
        ),
        (
            "The focus areas this quarter are recruitment and retention, estates and digital.",
            ["recruitment and retention", "estates", "digital"],
        ),
        (
            "Key priorities: cutting waiting lists, restoring financial balance.",
            ["cutting waiting lists", "restoring financial balance"],
        ),
        (
            "The Trust's strategic priorities for 2025/26 will be: quality, people and money.",
            ["quality", "people", "money"],
        ),
        (
            "Our priority areas for the rest of the year are early help, school readiness, and youth services.",
            ["early help", "school readiness", "youth services"],
        ),
        # no list, or no priorities
        ("The priorities set last year are reviewed annually.", []),
        ("The risk register was reviewed and the principal risks are unchanged.", []),
        ("Members noted the agenda items: apologies, finance report and any other business.", []),
    ],
)
def test_priorities_for_a_period(nlp, text, names):
    got = run(nlp, [para(0, text)])
    assert [p.name for p in got] == names
    for p in got:
        assert text[p.char_start : p.char_end] == p.name


def test_a_list_after_a_colon_in_paragraphs_ends_with_the_list(nlp):
    ps = [
        para(0, "The Board's priority areas for the remainder of the year are:"),
        para(1, "Elective recovery"),
        para(2, "Cancer waiting times"),
        para(3, "Mental health access"),
        para(4, "Finance", "heading", "4.1"),
        para(5, "The position is on plan."),
    ]
    assert [p.name for p in run(nlp, ps)] == [
        "Elective recovery",
        "Cancer waiting times",
        "Mental health access",
    ]


def test_a_colon_cue_followed_by_prose_lists_nothing(nlp):
    ps = [
        para(0, "Our priorities for the year are:"),
        para(1, "The Board will receive a detailed delivery plan at its next meeting in the new year."),
    ]
    assert run(nlp, ps) == []


# ---------------------------------------------------------------- classes fixed after heldout3


def test_bullets_after_priorities_for_a_period(nlp):
    ps = [
        para(1, "The Trust agreed its strategic priorities for 2031/32:"),
        para(2, "Faster diagnosis", "bullet"),
        para(3, "• Fewer falls in care homes"),  # a marker the layout left in the text
        para(4, "– Digital outpatient letters"),
        para(5, "Item 7 Finance report"),  # the list of bullets has ended
    ]
    assert [a.name for a in run(nlp, ps)] == [
        "Faster diagnosis",
        "Fewer falls in care homes",
        "Digital outpatient letters",
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Our focus areas this year are river water quality, walking routes and access for visitors with disabilities.",
            ["river water quality", "walking routes", "access for visitors with disabilities"],
        ),
        (
            "Our focus areas this year are river water quality and walking routes with a new emphasis on the coast.",
            ["river water quality", "walking routes"],
        ),
        (
            "Our focus areas this year are river water quality and walking routes, with partners across the county.",
            ["river water quality", "walking routes"],
        ),
    ],
)
def test_with_ends_a_list_only_before_a_clause(nlp, text, names):
    assert [a.name for a in run(nlp, [para(1, text)])] == names
