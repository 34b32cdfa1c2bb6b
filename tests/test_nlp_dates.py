"""Dates and periods: phrase -> one normalised mention; the paper's reporting period."""

from __future__ import annotations

import datetime as dt

import pytest

from boardpapers.ingest.models import PaperMeta, Paragraph
from boardpapers.nlp import dates
from boardpapers.nlp.context import Context

CTX = Context(
    meeting_date=dt.date(2020, 1, 23),
    reporting_start=dt.date(2019, 11, 1),
    reporting_end=dt.date(2019, 11, 30),
)


def para(text, seq=0):
    return Paragraph(
        seq=seq, kind="paragraph", text=text, page_start=2, page_end=2, x0=0, top=0, x1=0, bottom=0
    )


def mentions(nlp, text, ctx=CTX):
    return dates.extract_dates([(nlp(text), para(text))], ctx)


@pytest.mark.parametrize(
    "text, surface, start, end, granularity",
    [
        (
            "The meeting was held on 19th December 2019.",
            "19th December 2019",
            "2019-12-19",
            "2019-12-19",
            "day",
        ),
        ("The team went live on the 9th of December.", "9th of December", "2019-12-09", "2019-12-09", "day"),
        (
            "Referrals were higher than in November 2018.",
            "November 2018",
            "2018-11-01",
            "2018-11-30",
            "month",
        ),
        ("Burglary fell in November.", "November", "2019-11-01", "2019-11-30", "month"),
        ("Burglary fell in March.", "March", "2019-03-01", "2019-03-31", "month"),
        (
            "Data for the 12 months ending June 2019 was published.",
            "12 months ending June 2019",
            "2018-07-01",
            "2019-06-30",
            "period",
        ),
        (
            "Growth in the year ending November 2019 was high.",
            "year ending November 2019",
            "2018-12-01",
            "2019-11-30",
            "period",
        ),
        (
            "In the 12 months to the end of November 2019 it rose.",
            "12 months to the end of November 2019",
            "2018-12-01",
            "2019-11-30",
            "period",
        ),
        (
            "Performance up to the end of November 2019 was reviewed.",
            "end of November 2019",
            "2019-11-30",
            "2019-11-30",
            "day",
        ),
        ("The 2019/20 budget is balanced.", "2019/20", "2019-04-01", "2020-03-31", "year"),
        ("Income in 2012–13 was lower.", "2012–13", "2012-04-01", "2013-03-31", "year"),
        ("The FY2021/22 plan was agreed.", "FY2021/22", "2021-04-01", "2022-03-31", "year"),
        ("Spend in Q2 2023/24 was on budget.", "Q2 2023/24", "2023-07-01", "2023-09-30", "quarter"),
        ("Sales in Q2 2023 were flat.", "Q2 2023", "2023-04-01", "2023-06-30", "quarter"),
        (
            "Delivery in the third quarter of 2021/22 improved.",
            "third quarter of 2021/22",
            "2021-10-01",
            "2021-12-31",
            "quarter",
        ),
        ("Spend year to date is £4.1m.", "year to date", "2019-04-01", "2019-11-30", "period"),
        (
            "The week ran from Monday the 18th November through to Friday 22nd November 2019.",
            "Monday the 18th November through to Friday 22nd November 2019",
            "2019-11-18",
            "2019-11-22",
            "period",
        ),
        (
            "Inspections took place 18-22 November 2019.",
            "18-22 November 2019",
            "2019-11-18",
            "2019-11-22",
            "period",
        ),
        (
            "Activity from April to June 2019 rose.",
            "April to June 2019",
            "2019-04-01",
            "2019-06-30",
            "period",
        ),
        ("Returns are due by 31/03/2020.", "31/03/2020", "2020-03-31", "2020-03-31", "day"),
        (
            "Accounts for the year ended 31 March 2020 were approved.",
            "year ended 31 March 2020",
            "2019-04-01",
            "2020-03-31",
            "period",
        ),
        ("The ward opens on 6th February.", "6th February", "2020-02-06", "2020-02-06", "day"),
    ],
)
def test_one_normalised_mention(nlp, text, surface, start, end, granularity):
    got = mentions(nlp, text)
    assert len(got) == 1, got
    m = got[0]
    assert (m.text, m.start, m.end, m.granularity) == (surface, start, end, granularity)
    assert text[m.char_start : m.char_end] == surface and m.page == 2 and m.rule_id.startswith("date-")


@pytest.mark.parametrize(
    "text",
    [
        "May we note the report.",
        "The panel will march on.",
        "The 12 Cops campaign ran for 24/7 coverage.",
        "(cid:3)(cid:12) 12 March 2019",
    ],
)
def test_not_dates(nlp, text):
    assert mentions(nlp, text) == []


def test_parse_date_span_is_public():
    assert dates.parse_date_span("12 months ending June 2019") == ("2018-07-01", "2019-06-30", "period")
    assert dates.parse_date_span("the 20th of December", CTX) == ("2019-12-20", "2019-12-20", "day")
    assert dates.parse_date_span("no date here") is None


@pytest.mark.parametrize(
    "texts, meeting, expected",
    [
        (["The meeting reviewed performance up to the end of November 2019."], "2020-01-23", "2019-11-30"),
        (["This report covers data to the end of March 2021."], None, "2021-03-31"),
        (["Performance for October 2020 is summarised below."], "2020-11-19", "2020-10-31"),
        (["Figures are for the month ending 31 May 2022."], None, "2022-05-31"),
        (["A&E attendances rose in January.", "Sickness fell in January."], "2021-02-10", "2021-01-31"),
        (["Sickness fell in January."], "2021-02-10", None),
        (["The board met on 4th March 2021."], "2021-03-18", None),
    ],
)
def test_reporting_period(nlp, texts, meeting, expected):
    docs = [(nlp(t), para(t, i)) for i, t in enumerate(texts)]
    ctx, warnings = dates.paper_context(PaperMeta(meeting_date=meeting), docs)
    assert (ctx.reporting_end.isoformat() if ctx.reporting_end else None) == expected
    assert warnings == []
    if meeting:
        assert ctx.meeting_date == dt.date.fromisoformat(meeting)


def test_period_after_printed_date_warns(nlp):
    text = "The meeting reviewed performance up to the end of November 2019."
    meta = PaperMeta(date_printed="23rd January 2019", meeting_date="2020-01-23")
    ctx, warnings = dates.paper_context(meta, [(nlp(text), para(text))])
    assert ctx.reporting_end == dt.date(2019, 11, 30)
    assert len(warnings) == 1 and warnings[0].startswith("extract: ") and "printed date" in warnings[0]
