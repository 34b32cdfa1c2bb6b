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


# ---------------------------------------------------------------- parse_when: one whole string

# A paper for a meeting on 20 January 2022 reporting December 2021.
WHEN_CTX = Context(
    meeting_date=dt.date(2022, 1, 20),
    reporting_start=dt.date(2021, 12, 1),
    reporting_end=dt.date(2021, 12, 31),
)
# (text, start, end, granularity); a year-less one resolves against WHEN_CTX.
WHEN_CASES = [
    ("30th July 2015", "2015-07-30", "2015-07-30", "day"),
    ("Thursday 23 January 2020", "2020-01-23", "2020-01-23", "day"),
    ("23/01/2020", "2020-01-23", "2020-01-23", "day"),
    ("23.1.20", "2020-01-23", "2020-01-23", "day"),
    ("01/04/21", "2021-04-01", "2021-04-01", "day"),
    ("1/4/23", "2023-04-01", "2023-04-01", "day"),
    ("11.01.11", "2011-01-11", "2011-01-11", "day"),
    ("2020-01-23", "2020-01-23", "2020-01-23", "day"),
    ("4th of May 2019", "2019-05-04", "2019-05-04", "day"),
    ("June 7, 2016", "2016-06-07", "2016-06-07", "day"),
    ("14 SEPTEMBER 2018", "2018-09-14", "2018-09-14", "day"),
    ("Jan-22", "2022-01-01", "2022-01-31", "month"),
    ("Mar-2011", "2011-03-01", "2011-03-31", "month"),
    ("Sept 2019", "2019-09-01", "2019-09-30", "month"),
    ("March 2021", "2021-03-01", "2021-03-31", "month"),
    ("OCTOBER 2010", "2010-10-01", "2010-10-31", "month"),
    ("Q3 2021/22", "2021-10-01", "2021-12-31", "quarter"),
    ("Q1 2020", "2020-01-01", "2020-03-31", "quarter"),
    ("FY22", "2021-04-01", "2022-03-31", "year"),
    ("2019/20", "2019-04-01", "2020-03-31", "year"),
    ("FY 2021/22", "2021-04-01", "2022-03-31", "year"),
    ("2012-13", "2012-04-01", "2013-03-31", "year"),
    ("w/c 6 December", "2021-12-06", "2021-12-12", "period"),
    ("week commencing 3 June 2019", "2019-06-03", "2019-06-09", "period"),
    ("w/e 7 June 2020", "2020-06-01", "2020-06-07", "period"),
    ("w/c 03/06/2024", "2024-06-03", "2024-06-09", "period"),
    ("2021/22 Q3", "2021-10-01", "2021-12-31", "quarter"),
    ("end of March", "2021-03-31", "2021-03-31", "day"),
    ("the end of March 2022", "2022-03-31", "2022-03-31", "day"),
    ("late November", "2021-11-01", "2021-11-30", "month"),
    ("mid-October 2020", "2020-10-01", "2020-10-31", "month"),
    ("YTD", "2021-04-01", "2021-12-31", "period"),
    ("Year to date", "2021-04-01", "2021-12-31", "period"),
    ("Month", "2021-12-01", "2021-12-31", "month"),
    ("In month", "2021-12-01", "2021-12-31", "month"),
    ("November", "2021-11-01", "2021-11-30", "month"),
    ("May", "2021-05-01", "2021-05-31", "month"),
    ("12 months to March 2021", "2020-04-01", "2021-03-31", "period"),
]


@pytest.mark.parametrize("text, start, end, granularity", WHEN_CASES)
def test_parse_when(text, start, end, granularity):
    w = dates.parse_when(text, WHEN_CTX)
    assert w is not None, text
    assert (w.start.isoformat(), w.end.isoformat(), w.granularity) == (start, end, granularity)
    assert w.granularity in dates.GRANULARITIES


@pytest.mark.parametrize(
    "text",
    [
        "31 February 2021",  # no such day
        "30/02/2020",
        "0 March 2020",  # day 0
        "May 0000",  # no such year
        "32/01/2020",
        "2021-02-30",
        "03.23.01",  # an item number, not a date (month 23)
        "4.2.10",  # a paragraph number
        "Q5 2021",
        "2019/21",  # not one financial year
        "the report",
        "",
        "   ",
        "Meeting on 3 May 2021 and 4 May 2021",  # two dates: not one whole date
        "£2,019",
    ],
)
def test_parse_when_rejects(text):
    assert dates.parse_when(text, WHEN_CTX) is None


def test_parse_when_never_raises_on_odd_input():
    for text in (None, 12, "((((", "31/31/31", "99999999", "FY", "Q", "w/c", "end of"):
        assert dates.parse_when(text, WHEN_CTX) is None  # type: ignore[arg-type]


def test_relative_periods_need_a_paper():
    assert dates.parse_when("YTD") is None
    assert dates.parse_when("Month") is None
    assert dates.parse_when("November") is None  # no year to give it
    assert dates.parse_when("30th July 2015") is not None


def test_when_is_frozen():
    w = dates.parse_when("March 2021")
    with pytest.raises(AttributeError):
        w.start = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_find_dates_offsets():
    text = "Agreed on 3 May 2021; spend in Q3 2021/22 was £4m; review w/c 6 December 2021."
    found = dates.find_dates(text, WHEN_CTX)
    assert [w.text for w in found] == ["3 May 2021", "Q3 2021/22", "w/c 6 December 2021"]
    for w in found:
        assert text[w.char_start : w.char_end] == w.text and w.rule_id.startswith("date-")


# ---------------------------------------------------------------- year-less dates and tense


@pytest.mark.parametrize(
    "text, meeting, start",
    [
        # a January meeting talking of November: last November
        ("Complaints fell in November.", "2022-01-20", "2021-11-01"),
        # future words: the next such month
        ("The new boiler will be installed by March.", "2021-09-15", "2022-03-01"),
        ("The contractor will start work in July.", "2023-03-30", "2023-07-01"),
        ("The group agreed to meet again in April.", "2022-11-10", "2023-04-01"),
        ("Sickness rose, due to a winter virus, in December.", "2023-01-12", "2022-12-01"),
        ("The bid deadline was missed and deferred to April.", "2023-02-23", "2023-04-01"),
        ("Works are scheduled for October.", "2014-05-29", "2014-10-01"),
        # past words: the last such month
        ("The survey was completed in October.", "2014-05-29", "2013-10-01"),
        ("Invoices paid in March were approved.", "2023-03-30", "2023-03-01"),
        # no cue: the nearest such month
        ("The annual meeting is in September.", "2014-05-29", "2014-09-01"),
        ("Budget papers for July.", "2014-05-29", "2014-07-01"),
        # a participle after "will be" is not past tense
        ("Nominations will be accepted in June.", "2023-03-30", "2023-06-01"),
        # a deadline shortly before the meeting is still this year
        ("The clerk will report back in February.", "2023-03-30", "2023-02-01"),
    ],
)
def test_yearless_month_from_tense(nlp, text, meeting, start):
    ctx = Context(meeting_date=dt.date.fromisoformat(meeting))
    (m,) = mentions(nlp, text, ctx)
    assert m.start == start


@pytest.mark.parametrize(
    "text, meeting, day",
    [
        ("The election will be held on 4th May.", "2023-03-30", "2023-05-04"),
        ("The hall was booked on 12 November.", "2010-11-19", "2010-11-12"),
        (
            "Meetings: 27th July | 26th October | 28th December, all to be held in the hall.",
            "2023-03-30",
            None,
        ),
    ],
)
def test_yearless_day_from_tense(nlp, text, meeting, day):
    ctx = Context(meeting_date=dt.date.fromisoformat(meeting))
    got = mentions(nlp, text, ctx)
    if day is not None:
        assert [m.start for m in got] == [day]
    else:  # the cue after the dates in the last cell is future: every date is this year's
        assert [m.start for m in got][-1] == "2023-12-28"


def test_tense_is_read_per_table_cell():
    from boardpapers.nlp.date_values import tense_of

    text = "Paid in March | will be done in May"
    assert tense_of(text, text.index("March"), text.index("March") + 5) == "past"
    assert tense_of(text, text.index("May"), text.index("May") + 3) == "future"
    assert tense_of("The meeting in June", 15, 19) is None


def test_opening_period_of_an_undated_paper(nlp):
    texts = ["Spending against budget 2021/22", "Item | April | May | June | Jan | Feb | Mar"]
    docs = [(nlp(t), para(t, i)) for i, t in enumerate(texts)]
    ctx, _ = dates.paper_context(PaperMeta(), docs)
    assert (ctx.reporting_start, ctx.reporting_end) == (dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    got = dates.extract_dates(docs, ctx)
    months = {m.text: m.start for m in got if m.granularity == "month"}
    assert months == {
        "April": "2021-04-01",
        "May": "2021-05-01",
        "June": "2021-06-01",
        "Jan": "2022-01-01",
        "Feb": "2022-02-01",
        "Mar": "2022-03-01",
    }


def test_titled_period_from_meta(nlp):
    texts = ["Budget monitoring 2022/23", "Spend | April | March"]
    docs = [(nlp(t), para(t, i)) for i, t in enumerate(texts)]
    meta = PaperMeta(meeting_date="2023-05-10", reporting_period_end="2023-03-31")
    ctx, _ = dates.paper_context(meta, docs)
    assert (ctx.reporting_start, ctx.reporting_end) == (dt.date(2022, 4, 1), dt.date(2023, 3, 31))


def test_month_with_two_digit_year_fits_the_paper(nlp):
    ctx = Context(meeting_date=dt.date(2010, 9, 15))
    assert [(m.text, m.start) for m in mentions(nlp, "Due by: Jun 10 | Publish the data", ctx)] == [
        ("Jun 10", "2010-06-01")
    ]
    # far from the paper's year the number is a day, not a year: only the month is read
    later = Context(meeting_date=dt.date(2016, 4, 6))
    assert [m.text for m in mentions(nlp, "Due by: Jun 10 | Publish the data", later)] == ["Jun"]


def test_month_between_reporting_end_and_meeting(nlp):
    ctx = Context(
        meeting_date=dt.date(2023, 6, 29),
        reporting_start=dt.date(2023, 5, 1),
        reporting_end=dt.date(2023, 5, 31),
    )
    (m,) = mentions(nlp, "Contractor | June grass cut | 414.00", ctx)
    assert m.start == "2023-06-01"


def test_listed_yearless_dates_run_forward(nlp):
    ctx = Context(meeting_date=dt.date(2023, 2, 23))
    text = "Meeting dates: 30th March 27th April 29th June 26th October, 23rd November and 28th December"
    got = [m.start for m in mentions(nlp, text, ctx)]
    assert got == ["2023-03-30", "2023-04-27", "2023-06-29", "2023-10-26", "2023-11-23", "2023-12-28"]
    # not a list: words between the dates, so each resolves on its own
    apart = "The fair is on 28th March. The last one was on 3rd January."
    assert [m.start for m in mentions(nlp, apart, ctx)] == ["2023-03-28", "2023-01-03"]


def test_between_and_is_a_range_a_bare_and_a_list(nlp):
    got = mentions(nlp, "Inspections ran between 3 and 5 May 2021.")
    assert [(m.text, m.start, m.end) for m in got] == [("3 and 5 May 2021", "2021-05-03", "2021-05-05")]
    got = mentions(nlp, "Meetings on 3 May 2021 and 5 July 2021.")
    assert [m.text for m in got] == ["3 May 2021", "5 July 2021"]


# ---------------------------------------------------------------- numeric date order (day or month first)


def paper_of(nlp, texts, meeting=None):
    docs = [(nlp(t), para(t, i)) for i, t in enumerate(texts)]
    ctx, _warnings = dates.paper_context(PaperMeta(meeting_date=meeting), docs)
    return ctx, docs


@pytest.mark.parametrize(
    "texts, day_first",
    [
        # a date whose first part is above 12 settles it: day first
        (["Invoice paid 16/4/2016.", "Review on 5/6/2016."], True),
        # a second part above 12: month first
        (["Invoice paid 4/16/2016.", "Review on 5/6/2016."], False),
        # the majority of the dates that settle it
        (["Paid 4/16/2016 and 4/18/2016.", "Corrected 14/4/2016.", "Review on 5/6/2016."], False),
        # a format the paper names
        (["Enter dates as MM/DD/YYYY.", "Review on 5/6/2016."], False),
        (["Dates are written dd/mm/yy.", "Review on 5/6/16."], True),
        # its conventions: currency, spelling and dates in words
        (["The library spent $4,000 on the program center; color printing $200.", "Due 5/6/2016."], False),
        (["The board met on April 6, 2016 and spent $300.", "Due 5/6/2016."], False),
        (["The centre spent £4,000 on the programme.", "Due 5/6/2016."], True),
        (["The board met on 6 April 2016 and spent $300 on the programme.", "Due 5/6/2016."], True),
        # nothing to go on: day first
        (["Due 5/6/2016."], True),
    ],
)
def test_numeric_date_order_per_paper(nlp, texts, day_first):
    ctx, docs = paper_of(nlp, texts)
    assert ctx.day_first is day_first
    (due,) = [m for m in dates.extract_dates(docs, ctx) if m.text.startswith("5/6/")]
    assert due.start == ("2016-06-05" if day_first else "2016-05-06")


def test_every_numeric_date_of_a_paper_is_read_one_way(nlp):
    ctx, docs = paper_of(nlp, ["Ordered 3/4/2016, received 3/22/2016, paid 4/3/2016."])
    got = [m.start for m in dates.extract_dates(docs, ctx)]
    assert got == ["2016-03-04", "2016-03-22", "2016-04-03"]
    # in a day-first paper a date that is only possible month first is no date
    uk = Context(day_first=True)
    assert dates.find_dates("Received 3/22/2016.", uk) == []


@pytest.mark.parametrize(
    "text, ctx, start",
    [
        ("Due 4/16/2016", None, "2016-04-16"),  # no paper: the string's own dates decide
        ("From 3/4/2016 to 3/22/2016", None, "2016-03-04"),
        ("Due 5/6/2016", None, "2016-06-05"),  # nothing decides: day first
        ("Due 5/6/2016", Context(day_first=False), "2016-05-06"),
        ("Due 05.06.2016", Context(day_first=False), "2016-06-05"),  # dots are day first
        ("Due 2016-05-06", Context(day_first=True), "2016-05-06"),
    ],
)
def test_find_dates_numeric_order(text, ctx, start):
    assert dates.find_dates(text, ctx)[0].start.isoformat() == start


# ---------------------------------------------------------------- relative days and months

MEETING = Context(meeting_date=dt.date(2024, 3, 14))  # a Thursday


@pytest.mark.parametrize(
    "text, surface, start, end",
    [
        ("The bid will be sent tomorrow.", "tomorrow", "2024-03-15", "2024-03-15"),
        ("The site visit took place yesterday.", "yesterday", "2024-03-13", "2024-03-13"),
        ("Members approved the plan today.", "today", "2024-03-14", "2024-03-14"),
        ("The alarm was tested last night.", "last night", "2024-03-13", "2024-03-13"),
        ("The cafe reopened on Friday last week.", "Friday last week", "2024-03-08", "2024-03-08"),
        ("Staff will train on Monday next week.", "Monday next week", "2024-03-18", "2024-03-18"),
        ("The clerk will report back by next month.", "next month", "2024-04-01", "2024-04-30"),
        ("Quotes are due before next month.", "next month", "2024-04-01", "2024-04-30"),
    ],
)
def test_relative_dates_from_the_meeting(nlp, text, surface, start, end):
    (m,) = mentions(nlp, text, MEETING)
    assert (m.text, m.start, m.end, m.rule_id.startswith("date-")) == (surface, start, end, True)
    assert text[m.char_start : m.char_end] == surface


@pytest.mark.parametrize(
    "text, ctx",
    [
        ("The bid will be sent tomorrow.", Context()),  # no meeting date: never resolved
        ("The bid will be sent tomorrow.", Context(reporting_end=dt.date(2024, 2, 29))),
        ("The clerk will report back by next month.", Context()),
        # no exact bounds: a rolling week or a calendar one
        ("The report was circulated last week.", MEETING),
        ("Works start next week.", MEETING),
        # not a deadline: next month after the meeting, or after the month reported?
        ("Costs will be adjusted for next month.", MEETING),
        ("Income fell last month.", MEETING),
        # a paper that reports an earlier month: "next month" counts from either
        (
            "The clerk will report back by next month.",
            Context(
                meeting_date=dt.date(2024, 3, 14),
                reporting_start=dt.date(2024, 1, 1),
                reporting_end=dt.date(2024, 1, 31),
            ),
        ),
    ],
)
def test_relative_dates_that_are_no_date(nlp, text, ctx):
    assert mentions(nlp, text, ctx) == []


def test_relative_dates_do_not_set_the_reporting_period(nlp):
    texts = ["The report was sent yesterday.", "The audit ended last night.", "Minutes follow tomorrow."]
    ctx, _docs = paper_of(nlp, texts, meeting="2024-03-14")
    assert ctx.reporting_end is None


# ---------------------------------------------------------------- a four-digit number is a year only in context


@pytest.mark.parametrize(
    "text, years",
    [
        ("Budget line | 2000 | 1500", []),  # money cells
        ("Hall hire | 2000 |  |", []),
        ("Refurbishment | 2050", []),
        ("Reference 2019-NM-035 was issued.", []),
        ("The fund now holds 2000 copies of the report.", []),
        ("Item | 2019 | 2020 | 2021", ["2019", "2020", "2021"]),  # a header row of years
        ("Actual 2020", ["2020"]),  # a short label
        ("2021", ["2021"]),
        ("The scheme has run since 2014.", ["2014"]),
        ("Usage fell in 2020 but rose after 2021.", ["2020", "2021"]),
        ("Dates for 2023 were agreed.", ["2023"]),
        ("The road will close in the summer of 2025.", ["2025"]),
        ("Numbers grew from 2007 to 2011.", ["2007", "2011"]),
        ("Figures were collected May - August, 2010.", ["2010"]),
        ("2015 was another record year.", ["2015"]),
        ("Services from 2026 onwards are unfunded.", ["2026"]),
    ],
)
def test_year_needs_a_years_context(nlp, text, years):
    got = [m for m in mentions(nlp, text, Context()) if m.rule_id == "date-year"]
    assert [m.text for m in got] == years
    assert all(m.granularity == "year" for m in got)


def test_word_alternatives_match_the_same_spans():
    """The ruler loads each opening word list as one rule per word: same spans as the file's rules."""
    import spacy

    from boardpapers.nlp.rules import load_patterns

    rules = load_patterns("dates.jsonl")
    split = [r for rule in rules for r in dates.word_alternatives(rule)]
    assert len(split) > len(rules)
    text = (
        "The financial year 2019/20 closed; YTD spend to the end of March, w/c 3 June 2024, "
        "Friday next week, the third quarter of 2021/22 and between Monday 3 and Friday 7 May 2021."
    )
    found = []
    for patterns in (rules, split):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": "k"})
        ruler.add_patterns(patterns)
        doc = nlp(text)
        found.append(sorted((s.start, s.end, s.label_, s.id_) for s in doc.spans["k"]))
    assert found[0] == found[1] and found[0]


# ---------------------------------------------------------------- classes fixed after heldout3

NOVEMBER = Context(meeting_date=dt.date(2030, 11, 20))


@pytest.mark.parametrize(
    "text, surface, start, end",
    [
        # month first, no year: the tense and the paper's date give the year
        ("Visitor numbers to August 31 were ahead of plan.", "August 31", "2030-08-31", "2030-08-31"),
        ("The grant claim must be lodged by January 12.", "January 12", "2031-01-12", "2031-01-12"),
        ("Heating costs for February to April were high.", "February to April", "2030-02-01", "2030-04-30"),
        (
            "The contract runs April 1, 2030 – March 31, 2031.",
            "April 1, 2030 – March 31, 2031",
            "2030-04-01",
            "2031-03-31",
        ),
        ("Due end Mar 2031.", "end Mar 2031", "2031-03-31", "2031-03-31"),
        # "to the <month> meeting" and an arrangement made for a day are the coming ones
        (
            "Officers were asked to bring a costed option to the February meeting.",
            "February",
            "2031-02-01",
            "2031-02-28",
        ),  # fmt: skip
        ("Site survey booked for 3 Dec, weather permitting.", "3 Dec", "2030-12-03", "2030-12-03"),
        ("Training booked w/c 8 Dec for new staff.", "w/c 8 Dec", "2030-12-08", "2030-12-14"),
        ("The board will decide at the March 4 meeting.", "March 4", "2031-03-04", "2031-03-04"),
        # past words: the last such month, even after "the expected standard"
        ("Most pupils reached the expected level in the tests in July.", "July", "2030-07-01", "2030-07-31"),
        ("The council approved the plan at the June meeting.", "June", "2030-06-01", "2030-06-30"),
    ],
)
def test_yearless_dates_from_the_paper_and_tense(nlp, text, surface, start, end):
    found = [(m.text, m.start, m.end) for m in mentions(nlp, text, NOVEMBER)]
    assert (surface, start, end) in found, found


@pytest.mark.parametrize(
    "text, surfaces",
    [
        ("He scored 12 in May 2030 and 14 later.", ["May 2030"]),  # a year, not a day
        ("Due by: Jun 10 | Publish the data", ["Jun"]),  # an abbreviation and a number stay a month
        (
            "Dates: 27th July 31st August 28th September 29, 26th October",
            ["27th July", "31st August", "28th September", "26th October"],
        ),  # fmt: skip
    ],
)
def test_month_first_days_do_not_steal_other_dates(nlp, text, surfaces):
    assert [m.text for m in mentions(nlp, text, Context(meeting_date=dt.date(2016, 4, 6)))] == surfaces
