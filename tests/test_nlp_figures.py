"""Figures: phrase -> the figures a careful analyst would copy, and nothing else.

Phrases are invented in the genre (police, NHS and council performance papers,
finance items in minutes), not taken from the seed paper."""

from __future__ import annotations

import datetime as dt

import pytest

from boardpapers.ingest.models import Paragraph
from boardpapers.nlp import figures
from boardpapers.nlp.context import Context

CTX = Context(
    meeting_date=dt.date(2020, 1, 23),
    reporting_start=dt.date(2019, 11, 1),
    reporting_end=dt.date(2019, 11, 30),
)


def run(nlp, text, ctx=CTX, confidence=None, footnote_marker=None):
    para = Paragraph(
        seq=0,
        kind="paragraph",
        text=text,
        page_start=3,
        page_end=3,
        x0=0,
        top=0,
        x1=0,
        bottom=0,
        confidence=confidence,
        footnote_marker=footnote_marker,
    )
    return figures.extract_figures([(nlp(text), para)], ctx)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Recorded crime rose by 11.3% in the month.", [(11.3, "percent")]),
        (
            "Satisfaction ranged from 18 to 25 per cent across the districts.",
            [(18, "percent"), (25, "percent")],
        ),
        ("Between 40 and 45 percent of patients were seen on time.", [(40, "percent"), (45, "percent")]),
        ("The trust employs 12 345 staff.", [(12345, "count")]),
        (
            "The trust employs 12\u2009345 staff and 1\u00a0204 volunteers.",
            [(12345, "count"), (1204, "count")],
        ),
        ("The forecast overspend is £1.2m for the year.", [(1_200_000, "gbp")]),
        (
            "Agency spend of £450k was reported, against a budget of £3.4bn.",
            [(450_000, "gbp"), (3_400_000_000, "gbp")],
        ),
        ("Capital receipts of £12,500 were banked.", [(12_500, "gbp")]),
        ("In 2012–13 the council collected 97.1% of council tax due.", [(97.1, "percent")]),
        ("There were 340¹ open cases awaiting review.", [(340, "count")]),
        (
            "Sickness absence fell 0.4 percentage points to 4.1%.",
            [(0.4, "percentage_points"), (4.1, "percent")],
        ),
        ("Vacancies fell by 1.5pp.", [(1.5, "percentage_points")]),
        ("Eleven new Special Constables were attested.", [(11, "count")]),
        ("Two new sergeants and three PCSOs joined the team.", []),
        ("In the 12 months ending November 2019 there were 1,234 dwelling burglaries.", [(1234, "count")]),
        ("999 and 101 call volumes fell month on month.", []),
        ("Calls to the 101 non-emergency line rose to 18,204.", [(18204, "count")]),
        ("See paragraph 4.2 and page 12 of Appendix 3 for details.", []),
        ("This is the 4th consecutive month of improvement.", []),
        ("A 5 day induction, a 24hr operation and a review in 3 months-time are planned.", []),
        ("Officers will attend training for 5 days over the next 2 years.", []),
        ("Patients waited an average of 14 days for a bed.", [(14, "days")]),
        ("Volunteers gave 3,120 hours in the quarter.", [(3120, "hours")]),
        ("Response times averaged 12 minutes in rural areas.", [(12, "minutes")]),
        (
            "In a dip sample (n=40) of the files, 30% lacked a risk assessment.",
            [(40, "count"), (30, "percent")],
        ),
        ("(cid:12)(cid:34) 45 (cid:56)(cid:3) 12%", []),
        ("The Police and Crime Act 2017 came into force in January 2019.", []),
        ("Over Christmas the team ran the 12 Days of Christmas campaign.", []),
    ],
)
def test_figures_found(nlp, text, expected):
    got = [(f.value, f.unit) for f in run(nlp, text)]
    assert got == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("There are just over 340 crimes awaiting review.", "just over"),
        ("Queues were in excess of 500 items.", "in excess of"),
        ("The Specials gave an estimated 50,687 duty hours.", "estimated"),
        ("The team diverted more than 50 cases.", "more than"),
        ("Staff completed approximately 1,200 appraisals.", "approximately"),
        ("Each gave just under 20 hours per month.", "just under"),
        ("Nearly 90% of calls were answered.", "nearly"),
        ("The trust treated 4,000 patients.", None),
    ],
)
def test_qualifier(nlp, text, qualifier):
    (fig,) = run(nlp, text)
    assert fig.qualifier == qualifier


def test_period_from_sentence_and_comparison(nlp):
    text = "The charge rate in October 2021 was 7.2%, down from 8.1% in the 12 months ending September 2021."
    a, b = run(nlp, text)
    assert (a.value, a.period_start, a.period_end) == (7.2, "2021-10-01", "2021-10-31")
    assert "8.1%" in a.comparison and "September 2021" in a.comparison
    assert (b.value, b.period_start, b.period_end) == (8.1, "2020-10-01", "2021-09-30")
    assert "charge rate" in a.measure and a.metric_key == "charge_rate" == b.metric_key


def test_month_only_period_resolves_to_reporting_month(nlp):
    (fig,) = run(nlp, "There were 14 knife crime offences recorded in November.")
    assert (fig.period_start, fig.period_end) == ("2019-11-01", "2019-11-30")
    assert "knife crime offences" in fig.measure


def test_month_on_month_reports_the_month(nlp):
    (fig,) = run(
        nlp, "Admissions rose month on month, with an additional 120 patients compared to November 2018."
    )
    assert fig.period_end == "2019-11-30"
    assert fig.comparison == "compared to November 2018"


def test_as_at_is_a_point_date(nlp):
    (fig,) = run(nlp, "As at 31st March 2020, there were 1,024 vacancies across the trust.")
    assert fig.as_of == "2020-03-31" and fig.period_end is None
    assert "vacancies" in fig.measure


def test_geography_from_gazetteer_and_in_rule(nlp):
    (a,) = run(nlp, "Of respondents in England and Wales, 61% were satisfied.")
    assert a.geography == "England and Wales"
    (b,) = run(nlp, "In Leeds City there were 230 burglaries.")
    assert b.geography == "Leeds City"


def test_metric_key_is_stable_across_wordings(nlp):
    (a,) = run(nlp, "The prosecution possible outcome rate was 9.8%.")
    (b,) = run(nlp, "In December the rolling prosecution possible outcome rate stood at 10.1%.")
    assert a.metric_key == b.metric_key == "prosecution_possible_outcome_rate"
    (c,) = run(nlp, "The trust received 87 formal complaints about discharge letters.")
    (d,) = run(nlp, "There were 92 formal complaints about discharge letters.")
    assert c.metric_key == d.metric_key


def test_provenance_and_low_confidence(nlp):
    text = "Staff turnover was 12.5% in the year."
    (fig,) = run(nlp, text, confidence=41.0)
    assert text[fig.char_start : fig.char_end] == fig.text == "12.5%"
    assert fig.page == 3 and fig.rule_id == "fig-percent-sign" and fig.low_confidence
    (fig,) = run(nlp, text, confidence=95.0)
    assert not fig.low_confidence


def test_plain_digit_footnote_call_is_not_a_figure(nlp):
    assert [f.value for f in run(nlp, "Detections rose to 27%2 this month.", footnote_marker="2")] == [27.0]


# ---------------------------------------------------------------- review fixes (issue 3)


@pytest.mark.parametrize(
    "text, value, key",
    [
        # the subject before "has been restated", not the verb, names the metric
        ("Recorded crime for October has been restated as 5,314.", 5314, "recorded_crime"),
        (
            "After audit, the number of crimes recorded in October has been restated as 5,314.",
            5314,
            "recorded_crime",
        ),
        ("The charge rate for October was revised to 7.4%.", 7.4, "charge_rate"),
        ("Bed occupancy for October has been corrected to 92.1%.", 92.1, "bed_occupancy"),
        (
            "The October figure for delayed discharges has been amended to 61.",
            61,
            "delayed_transfers_of_care",
        ),
        # or the metric named earlier in the sentence
        (
            "Recorded crime was first reported as 5,201 but has since been restated as 5,314.",
            5314,
            "recorded_crime",
        ),
        ("Last month's sickness absence figure of 4.9% has been restated as 5.1%.", 5.1, "sickness_absence"),
    ],
)
def test_restated_value_keeps_its_metric(nlp, text, value, key):
    fig = next(f for f in run(nlp, text) if f.value == value)
    assert fig.metric_key == key
    assert "restated" not in (fig.measure or "") and "revised" not in (fig.measure or "")
    assert (fig.period_start, fig.period_end) == ("2019-10-01", "2019-10-31") or "October" not in text


@pytest.mark.parametrize(
    "text, rate_key",
    [
        ("Victim satisfaction was 78% (n=39).", "victim_satisfaction"),
        ("In the dip sample the charge rate was 12% (n=250).", "charge_rate"),
        ("Of patients surveyed, 91% (n = 412) would recommend the ward.", None),
        ("Staff turnover stood at 11.2% (n=87).", "staff_turnover"),
    ],
)
def test_sample_size_has_its_own_key(nlp, text, rate_key):
    rate, size = run(nlp, text)
    assert rate.unit == "percent" and size.unit == "count" and size.rule_id == "fig-sample-size"
    assert size.metric_key != rate.metric_key
    assert size.metric_key == f"{rate.metric_key}__sample_size"
    assert size.measure.startswith("sample size")
    if rate_key:
        assert rate.metric_key == rate_key


@pytest.mark.parametrize(
    "text, expected",
    [
        ("TB (5) 1.i Action Log", []),
        ("BCB (20) 3 Quarterly Performance Report", []),
        ("See TB(2)1 and Paper 4 for the options.", []),
        ("As set out in Appendix 2 and Item 7, the overspend is £1.4m.", [(1_400_000, "gbp")]),
        ("Paper 12 sets out the 340 complaints received.", [(340, "count")]),
        ("Enclosure 3 and Papers 5 and 6 were noted.", []),
        ("Report FA 23/11 covers 45 inspections.", [(45, "count")]),
        ("The 7 Principles of Public Life apply to all members.", []),
    ],
)
def test_headings_and_paper_references_are_identifiers(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]


def row(cells, header):
    text = " | ".join(cells)
    para = Paragraph(
        seq=0,
        kind="table_row",
        text=text,
        page_start=2,
        page_end=2,
        x0=0,
        top=0,
        x1=0,
        bottom=0,
        cells=tuple(cells),
        header=tuple(header),
    )
    return text, para


@pytest.mark.parametrize(
    "header, cells, expected",
    [
        (
            ("Payee", "Detail", "Amount"),
            ("J Smith", "Clerk's salary", "331.00"),
            [(331.0, "gbp", "Clerk's salary")],
        ),
        (
            ("Supplier", "Description", "Net", "VAT", "Gross"),
            ("Acme Ltd", "Grass cutting", "1,200.00", "240.00", "1,440.00"),
            [
                (1200.0, "gbp", "Grass cutting (Net)"),
                (240.0, "gbp", "Grass cutting (VAT)"),
                (1440.0, "gbp", "Grass cutting (Gross)"),
            ],
        ),
        (
            ("Service", "Budget 2024/25", "Spend to date"),
            ("Libraries", "250,000", "187,400"),
            [(250000.0, "gbp", "Libraries (Budget 2024/25)"), (187400.0, "gbp", "Libraries (Spend to date)")],
        ),
        (("Item", "Cost £"), ("Replacement dog bin", "312.50"), [(312.5, "gbp", "Replacement dog bin")]),
        (("Item", "Payment"), ("Hall hire", "£45"), [(45.0, "gbp", "Hall hire")]),
        # not money columns: a count table, a payment date
        (
            ("Indicator", "Target", "Actual"),
            ("Home fire safety visits", "900", "874"),
            [(900.0, "count", None), (874.0, "count", None)],
        ),
        (("Payee", "Payment date", "Detail"), ("Clerk", "12/03/2024", "Salary"), []),
    ],
)
def test_money_columns_without_pound_sign(nlp, header, cells, expected):
    text, para = row(cells, header)
    got = figures.extract_figures([(nlp(text), para)], CTX)
    assert [(f.value, f.unit) for f in got] == [(v, u) for v, u, _ in expected]
    for f, (_, unit, measure) in zip(got, expected, strict=True):
        if unit == "gbp":
            assert f.measure == measure and f.metric_key == figures.metric_key(measure)
        assert text[f.char_start : f.char_end] == f.text


@pytest.mark.parametrize(
    "measure, key",
    [
        ("A&E 4-hour performance", "ae_four_hours"),
        ("patients seen within four hours in the emergency department", "ae_four_hours"),
        ("RTT 18-week performance", "rtt_18_weeks"),
        ("incomplete pathways within 18 weeks", "rtt_18_weeks"),
        ("62-day cancer standard", "cancer_62_days"),
        ("general and acute occupancy", "bed_occupancy"),
        ("ambulance handover delays over 60 minutes", "ambulance_handover_60_minutes"),
        ("average ambulance handover time", "ambulance_handover_time"),
        ("in-year collection of council tax", "council_tax_collection"),
        ("days to process new claims for housing benefit", "housing_benefit_new_claims_days"),
        ("housing benefit change of circumstances", "housing_benefit_changes_days"),
        ("FOI requests answered within 20 working days", "foi_on_time"),
        ("stage 1 complaints", "complaints"),
        ("average response time to dwelling fires", "average_response_time"),
        ("incidents attended by crews", "incidents_attended"),
        ("home fire safety checks completed", "home_fire_safety_visits"),
        ("safe and well visits", "home_fire_safety_visits"),
    ],
)
def test_metric_vocabulary_for_other_bodies(measure, key):
    assert figures.metric_key(measure) == key


def test_metric_vocabulary_directions():
    metrics = {m["key"]: m for m in figures._metrics()["metrics"]}
    assert metrics["ae_four_hours"]["better"] == "up" and metrics["bed_occupancy"]["better"] == "down"
    assert metrics["home_fire_safety_visits"]["better"] == "up" and metrics["complaints"]["better"] == "down"
    assert all(
        2 <= len(m["synonyms"]) <= 9
        for m in metrics.values()
        if m["key"]
        in {
            "ae_four_hours",
            "rtt_18_weeks",
            "cancer_62_days",
            "bed_occupancy",
            "ambulance_handover_time",
            "council_tax_collection",
            "housing_benefit_processing_days",
            "foi_on_time",
            "complaints",
            "average_response_time",
            "incidents_attended",
            "home_fire_safety_visits",
        }
    )
