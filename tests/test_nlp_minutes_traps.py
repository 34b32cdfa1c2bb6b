"""Traps found in real minutes (../shared/corpus/real: parish council, library
board and transparency board minutes), restated as invented phrases: numbers
that are not figures, and money that must be gbp with a measure."""

from __future__ import annotations

import datetime as dt

import pytest

from boardpapers.ingest.models import Paragraph
from boardpapers.nlp import figures
from boardpapers.nlp.context import Context
from boardpapers.nlp.dates import date_spans

CTX = Context(meeting_date=dt.date(2023, 3, 30))


def run(nlp, text, ctx=CTX):
    para = Paragraph(
        seq=0, kind="paragraph", text=text, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0
    )
    return figures.extract_figures([(nlp(text), para)], ctx)


@pytest.mark.parametrize(
    "text",
    [
        "The minutes of the meeting held on 26 th January 2023 were approved.",  # superscript split off
        "Future meetings: 27 th April, 25 th May and 29 th June.",
        "The 14 th meeting of the group was held at the ODI.",
        "ODI, 3 rd Floor, 65 Clifton Street, London, EC2A 4JE.",
        "Contact the clerk on 01234 567890 or (01869) 345 678.",
        "Page 2 of 4",
        "Meeting opened at 7.30pm in the village hall.",
        "Nomination forms must be submitted by 4 th April at 4pm.",
        "Time | 10.30 – 12.30 |",
        "1. | Welcome and apologies",
        "2 | Actions and minutes from last meeting",
        "Agenda: 1. All standing items. 2. Away Day 3. Signage 4. Web Services Update",
        "Feb 23.05 | AS to order replacement signs | In hand",
        "Feb 23 - In hand. Sleepers have now been moved.",
        "AS to action 20mph limit on the High Street.",
        "Rohan Silva (No. 10) joined the meeting.",
        "The purpose of Regulation 16.1 is for the committee to review the policies.",
        "Fees rise in Year 2 of the new agreement.",
        "The Safety report could be a 6-monthly update.",
        "Minute 08.23.05 was amended.",
        "The forecast will be updated at month 12.",
    ],
)
def test_not_figures(nlp, text):
    assert [(f.text, f.unit) for f in run(nlp, text)] == []


@pytest.mark.parametrize(
    "text, value, measure_word",
    [
        ("The clerk's salary of £1,234.56 was approved for payment.", 1234.56, "salary"),
        ("The report cost £48.00.", 48, "cost"),
        ("Total pledges £17,700.", 17700, "pledges"),
        ("A public meeting was held and £15K pledged.", 15000, "pledged"),
        ("The Support Services costs are £48k over budget due to dual running.", 48000, "costs"),
        ("The net revenue budget is £412.6m.", 412_600_000, "budget"),
    ],
)
def test_money_in_minutes(nlp, text, value, measure_word):
    (fig,) = run(nlp, text)
    assert (fig.value, fig.unit) == (pytest.approx(value), "gbp")
    assert measure_word in (fig.measure or "").lower()


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("held on 26 th January 2023", "2023-01-26", "2023-01-26"),
        ("Crews attended 2,318 incidents in Q3.", "2023-10-01", "2023-12-31"),
        ("in the third quarter", "2023-10-01", "2023-12-31"),
    ],
)
def test_split_ordinals_and_bare_quarters_are_dates(nlp, text, start, end):
    ctx = Context(
        meeting_date=dt.date(2024, 2, 7),
        reporting_start=dt.date(2023, 12, 1),
        reporting_end=dt.date(2023, 12, 31),
    )
    (d,) = date_spans(nlp(text), ctx)
    assert (d.first.isoformat(), d.last.isoformat()) == (start, end)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ambulance handover delays over 60 minutes reduced to 112.", [(112, "count")]),
        ("48 patients waited over 24 hours for a bed.", [(48, "count")]),
        ("There were 3,120 volunteer hours in the quarter.", [(3120, "hours")]),
        ("Members totalled 36. The board welcomed the growth.", [(36, "count")]),
        ("Debts outstanding over 90 days total £48,200.", [(48_200, "gbp")]),
        ("Eleven returns are overdue by more than 14 days.", [(11, "count")]),
    ],
)
def test_thresholds_are_not_figures_but_quantities_are(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        # references joined by a dash or slash are one identifier, every part of it
        ("Planning application DC-204417-22 was refused on appeal.", []),
        ("Council adopted Ordinance No. 2024-31 without amendment.", []),
        ("The change to Section 4-12 of the Municipal Code was deferred.", []),
        ("Receipts nos. 55120–55126 were voided.", []),
        (
            "A range of 5-10 complaints a month is typical; 14 were received.",
            [(5, "count"), (10, "count"), (14, "count")],
        ),
        # vote tallies
        ("The motion carried 6-1 with one abstention.", []),
        ("Amendment failed 3-4.", []),
        ("The vote was 9 to 2 in favour.", []),
        # list enumerators in resolutions
        ("AGREED (1) that the accounts be approved; (2) that the auditor be reappointed.", []),
        ("The committee noted (1) the risk register and (2) the audit plan.", []),
        ("Complaints (12) and compliments (30) were reported.", [(12, "count"), (30, "count")]),
        # ranks, ages and numbered stations are not measured quantities
        ("The force remains in the top 10 nationally for victim satisfaction.", []),
        ("Flu vaccination is offered to people over 50 and to carers.", []),
        ("Crews from Station 12 attended the flooding.", []),
        ("Those aged 16 to 24 made up 41% of new claimants.", [(41, "percent")]),
        ("Matters arising 5.3: the fence has been repaired.", []),
        ("The 101 answer time improved to 42 seconds.", [(42, "seconds")]),
    ],
)
def test_identifiers_tallies_and_enumerators_are_not_figures(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]


def heading(nlp, text):
    para = Paragraph(seq=0, kind="heading", text=text, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0)
    return figures.extract_figures([(nlp(text), para)], CTX)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4 Finance and Governance", []),
        ("12 Any Other Business", []),
        ("7 Minutes of the last meeting", []),
        ("90 volunteers attended the open day", [(90, "count")]),  # lower case: a count
        ("14 Councillors attended the meeting.", [(14, "count")]),  # a sentence
    ],
)
def test_bare_item_number_opening_a_heading_line(nlp, text, expected):
    assert [(f.value, f.unit) for f in heading(nlp, text)] == [(float(v), u) for v, u in expected]
