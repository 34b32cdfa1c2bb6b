"""Figures: phrase -> the figures a careful analyst would copy, and nothing else.

Phrases are invented in the genre (police, NHS and council performance papers,
finance items in minutes), not taken from the seed paper."""

from __future__ import annotations

import datetime as dt

import pytest

from boardpapers.ingest.models import Paragraph
from boardpapers.nlp import figures
from boardpapers.nlp.context import Context
from boardpapers.nlp.rules import load_vocab

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
        ("Reserves stood at £4.1m and the deficit at £0.7m.", [(4_100_000, "gbp"), (700_000, "gbp")]),
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
            [(331.0, "gbp", "Clerk's salary – J Smith")],
        ),
        (
            ("Supplier", "Description", "Net", "VAT", "Gross"),
            ("Acme Ltd", "Grass cutting", "1,200.00", "240.00", "1,440.00"),
            [
                (1200.0, "gbp", "Grass cutting – Acme Ltd (Net)"),
                (240.0, "gbp", "Grass cutting – Acme Ltd (VAT)"),
                (1440.0, "gbp", "Grass cutting – Acme Ltd (Gross)"),
            ],
        ),
        (
            ("Service", "Budget 2024/25", "Spend to date"),
            ("Libraries", "250,000", "187,400"),
            [(250000.0, "gbp", "Libraries (Budget)"), (187400.0, "gbp", "Libraries (Spend to date)")],
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
    metrics = {m["key"]: m for m in load_vocab("metrics.yml")["metrics"]}
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


# ---------------------------------------------------------------- money in any currency (issue 17)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The library spent $12,400 on new stock.", [(12_400, "usd")]),
        ("Capital spend reached $3.2M by year end.", [(3_200_000, "usd")]),
        ("The grant of €300k was confirmed.", [(300_000, "eur")]),
        ("A contribution of USD 1,500 was received.", [(1_500, "usd")]),
        ("Fees of 2,000 EUR were waived.", [(2_000, "eur")]),
        ("The donation of 5,000 dollars was accepted.", [(5_000, "usd")]),
        ("Income of GBP 40,000 was banked.", [(40_000, "gbp")]),
        ("Staff costs are 12k under budget this month.", [(12_000, "gbp")]),
        ("Premises costs show a (2.3)k adverse variance.", [(-2_300, "gbp")]),
        ("The pay variance is £1.1m adverse.", [(-1_100_000, "gbp")]),
        ("Energy costs were £0.4m favourable to plan.", [(400_000, "gbp")]),
        ("A net movement of -£1.2m was reported.", [(-1_200_000, "gbp")]),
        ("Three quotes came in at £1700-£2000 each.", [(1_700, "gbp"), (2_000, "gbp")]),
        ("The event raised £2000 for the appeal.", [(2_000, "gbp")]),
        ("Attendance reached 20k visitors in the summer.", [(20_000, "count")]),
        ("A further 21contracts were awarded.", [(21, "count")]),
        ("We surveyed ~40 businesses.", [(40, "count")]),
    ],
)
def test_money_in_any_currency(nlp, text, expected):
    got = run(nlp, text)
    assert [(f.value, f.unit) for f in got] == [(float(v), u) for v, u in expected]
    assert all(text[f.char_start : f.char_end] == f.text for f in got)


def test_bare_scaled_money_takes_the_papers_currency(nlp):
    texts = ["The budget is $40,000 for the year.", "Staff costs are 12k under budget."]
    paras = [
        Paragraph(seq=n, kind="paragraph", text=t, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0)
        for n, t in enumerate(texts)
    ]
    got = figures.extract_figures([(nlp(p.text), p) for p in paras], CTX)
    assert [(f.value, f.unit) for f in got] == [(40_000.0, "usd"), (12_000.0, "usd")]
    assert "costs" in got[1].measure.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Call the district office at (555) 123-4567 ext. 2210 for access.",
        "The office is at 4410 W. Oak Boulevard, Springfield, IL 62704.",
        "Under Education Code 44932 and Government Code 54957.6 the board met.",
        "The committee noted the letter of 14 MAY from the minister.",
        "The meeting closes at 12noon.",
    ],
)
def test_addresses_phones_and_legal_references_are_not_figures(nlp, text):
    assert [(f.text, f.unit) for f in run(nlp, text)] == []


@pytest.mark.parametrize(
    "text, as_of",
    [
        ("Mar24 - 12 applications received so far.", "2024-03-31"),
        ("Update 5 June: 40 replies have been logged.", None),
    ],
)
def test_a_date_heading_an_update_is_its_point_in_time(nlp, text, as_of):
    ctx = Context(meeting_date=dt.date(2024, 4, 18))
    (fig,) = run(nlp, text, ctx=ctx)
    assert fig.as_of == as_of


@pytest.mark.parametrize(
    "measure, key",
    [
        ("Pay costs (Month)", "pay_cost"),
        ("Pay costs (YTD)", "pay_cost_ytd"),
        ("Pay costs (Budget)", "pay_cost_budget"),
        ("Pay costs year to date budget", "pay_cost__ytd__budget"),
        ("Staff costs under budget", "staff_cost_budget__variance"),
        ("agency spend forecast", "agency_spend__forecast"),
    ],
)
def test_metric_key_keeps_the_basis(measure, key):
    assert figures.metric_key(measure) == key


# ---------------------------------------------------------------- tables as figures (issue 17)


def table(rows, caption=None, header=None):
    """Paragraphs of one table: an optional caption paragraph, then one table_row per row."""
    paras = []
    if caption:
        paras.append(
            Paragraph(
                seq=0, kind="paragraph", text=caption, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0
            )
        )
    for cells in rows:
        text = " | ".join(cells)
        paras.append(
            Paragraph(
                seq=len(paras),
                kind="table_row",
                text=text,
                page_start=1,
                page_end=1,
                x0=0,
                top=0,
                x1=0,
                bottom=0,
                cells=tuple(cells),
                header=tuple(header) if header else None,
            )
        )
    return paras


def extract_table(nlp, paras, ctx=CTX):
    return figures.extract_figures([(nlp(p.text), p) for p in paras], ctx)


@pytest.mark.parametrize(
    "rows, expected",
    [
        (  # a currency and a percent in the headers type every cell
            [
                ("Line", "$ BUDGETED FY2024", "$ SPENT", "% OF BUDGET USED"),
                ("Books", "52,000", "31,200.50", "60%"),
            ],
            [(52_000, "usd"), (31_200.5, "usd"), (60, "percent")],
        ),
        (  # a scale in the header: £000
            [("Service", "Budget £000", "Actual £000"), ("Highways", "1,250", "1,310")],
            [(1_250_000, "gbp"), (1_310_000, "gbp")],
        ),
        (  # £'000s and brackets as negatives
            [("Area", "Variance £'000s"), ("Adult care", "(245)")],
            [(-245_000, "gbp")],
        ),
        (  # (£m) and a trailing A for adverse
            [("Directorate", "Forecast (£m)", "Variance (£m)"), ("Children's services", "41.2", "1.3A")],
            [(41_200_000, "gbp"), (-1_300_000, "gbp")],
        ),
        (  # a money word without a currency: the paper's currency
            [("Item", "Budget", "Spend"), ("Grounds maintenance", "3000", "2,450.00")],
            [(3_000, "gbp"), (2_450, "gbp")],
        ),
        (  # a count table stays counts; a reference column gives no figures
            [("Ref", "Indicator", "Target", "Actual"), ("4.2", "Households visited", "900", "874")],
            [(900, "count"), (874, "count")],
        ),
        (  # spreadsheet overflow cells and blank cells are not figures
            [("Heading", "Q1", "Q2"), ("Repairs", "#####", "1,204")],
            [(1_204, "count")],
        ),
        (  # the top-left header cell scales every cell, money words in the column headers or not
            [("£m", "Plan", "Actual", "Budget"), ("Clinical income", "12.5", "(0.4)", "13.0")],
            [(12_500_000, "gbp"), (-400_000, "gbp"), (13_000_000, "gbp")],
        ),
        (  # a corner "€'000" and a percent column beside it
            [("€'000", "Forecast", "Variance %"), ("Roads", "2,150", "4.5")],
            [(2_150_000, "eur"), (4.5, "percent")],
        ),
        (  # accounting layout: the currency printed only on a column's first row
            [
                ("Fund", "Adopted", "Year to date"),
                ("General", "$4,000,000", "$1,250,000"),
                ("Sewer", "900,000", "310,500"),
            ],
            [(4_000_000, "usd"), (1_250_000, "usd"), (900_000, "usd"), (310_500, "usd")],
        ),
        (  # a percent column printing "%" on some rows only, beside a corner scale
            [("£'000", "Spend", "Share"), ("North", "120", "31.5%"), ("South", "95", "28.2")],
            [(120_000, "gbp"), (31.5, "percent"), (95_000, "gbp"), (28.2, "percent")],
        ),
    ],
)
def test_table_cells_are_figures(nlp, rows, expected):
    got = extract_table(nlp, table(rows))
    assert [(f.value, f.unit) for f in got] == [(float(v), u) for v, u in expected]
    paras = table(rows)
    for f in got:
        assert paras[f.para].text[f.char_start : f.char_end] == f.text
        assert f.rule_id.startswith("tbl-")


def test_table_measure_is_row_label_and_column_header(nlp):
    rows = [
        ("Cost centre", "Month £000", "YTD £000"),
        ("Pay costs", "120", "1,440"),
        ("Non-pay", "35", "410"),
    ]
    got = extract_table(nlp, table(rows))
    assert [f.measure for f in got] == [
        "Pay costs (Month)",
        "Pay costs (YTD)",
        "Non-pay (Month)",
        "Non-pay (YTD)",
    ]
    month, ytd = got[0], got[1]
    assert month.metric_key != ytd.metric_key
    assert (month.period_start, month.period_end) == ("2019-11-01", "2019-11-30")
    assert ytd.period_end == "2019-11-30" and ytd.period_start < month.period_start


def test_table_periods_from_month_columns_inside_the_captions_year(nlp):
    rows = [
        ("Parish spending 2022/23", "", "", ""),
        ("Heading", "Budget", "Spend (inc VAT) April", "May"),
        ("Insurance", "600", "", "512.40"),
        ("", "", "80.00", "512.40"),
    ]
    got = extract_table(nlp, table(rows))
    assert [(f.value, f.unit, f.period_end) for f in got] == [
        (600.0, "gbp", "2023-03-31"),
        (512.4, "gbp", "2022-05-31"),
        (80.0, "gbp", "2022-04-30"),
        (512.4, "gbp", "2022-05-31"),
    ]
    assert got[0].measure == "Insurance (Budget)"
    assert "Spend" in got[3].measure  # an unlabelled total row takes the spanned group header


def test_table_caption_paragraph_gives_the_period(nlp):
    rows = [("Payee", "Detail", "Total £s"), ("Village hall", "Hire", "45.00")]
    ctx = Context(meeting_date=dt.date(2024, 4, 18))
    (fig,) = extract_table(nlp, table(rows, caption="Paid by standing order in March"), ctx)
    assert (fig.value, fig.unit, fig.period_end) == (45.0, "gbp", "2024-03-31")
    assert "Hire" in fig.measure and "Village hall" in fig.measure


def test_item_numbers_and_prose_cells_in_minutes_tables(nlp):
    rows = [("7", "Finance: the account holds £12,300 after payments.", "CF")]
    got = extract_table(nlp, table(rows))
    assert [(f.value, f.unit) for f in got] == [(12_300.0, "gbp")]


# ---------------------------------------------------------------- periods and points (issue 17)


def test_a_day_after_on_is_a_point_and_after_to_ends_a_period(nlp):
    (point,) = run(nlp, "The caseload stood at 1,204 on 31 January 2020.")
    assert (point.as_of, point.period_end) == ("2020-01-31", None)
    (spend,) = run(nlp, "Capital spend for the nine months to 31 December 2019 was £4.2m.")
    assert (spend.period_start, spend.period_end) == (None, "2019-12-31")
    (upto,) = run(nlp, "Income up to the end of October 2019 was £812k.")
    assert upto.period_end == "2019-10-31"
    (now,) = run(nlp, "Arrears were 3.1%, compared to 31 March 2019.")
    assert now.period_end is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("Calls rose to 4,310 in the quarter, up 6% on the same quarter of 2018/19.", 4310),
        ("The list fell to 5,300, a reduction of 120 from October.", 5300),
    ],
)
def test_a_comparison_baseline_is_not_the_figures_period(nlp, text, value):
    fig = next(f for f in run(nlp, text) if f.value == value)
    assert fig.period_end not in ("2019-03-31", "2019-10-31")


def test_a_future_target_date_belongs_to_the_target(nlp):
    actual, _ = run(nlp, "Compliance was 81% in the month, below the 85% target for June 2020.")
    assert actual.period_end != "2020-06-30"
    ctx = Context(meeting_date=dt.date(2020, 1, 23))
    first, second = run(nlp, "Uptake was 64%, short of the 70% ambition for March 2021.", ctx)
    assert first.period_end is None and second.period_end == "2021-03-31"


def test_table_caption_at_a_day_gives_point_values(nlp):
    rows = [("Account", "£"), ("Current account", "8,150.20"), ("Deposit account", "20,000.00")]
    got = extract_table(nlp, table(rows, caption="Balances held at 31 December 2019"))
    assert [(f.value, f.unit, f.as_of, f.period_end) for f in got] == [
        (8150.2, "gbp", "2019-12-31", None),
        (20000.0, "gbp", "2019-12-31", None),
    ]


def test_table_caption_to_a_month_end_sets_month_and_ytd_columns(nlp):
    rows = [("£000", "Month Actual", "YTD Actual"), ("Pay", "410", "2,870")]
    ctx = Context(meeting_date=dt.date(2020, 1, 23))
    month, ytd = extract_table(nlp, table(rows, caption="Income and expenditure to 31 October 2019"), ctx)
    assert (month.value, month.period_start, month.period_end) == (410_000, "2019-10-01", "2019-10-31")
    assert ytd.period_end == "2019-10-31" and ytd.period_start < "2019-10-01"


def test_a_dated_subject_keeps_its_noun_not_its_date(nlp):
    for text in (
        "After validation, the number of thefts recorded in October 2019 has been restated as 1,120.",
        "The number of crimes recorded in October 2019 has since been revised to 1,120.",
    ):
        (fig,) = run(nlp, text)
        assert "crimes" in fig.measure or "thefts" in fig.measure, fig.measure


@pytest.mark.parametrize(
    "text, word",
    [
        ("Police staff numbers stood at 1,840 FTE at the end of the month.", "staff"),
        ("The college reported that 2,300 FTE learners enrolled.", "learners"),
        ("Admissions averaged 212 per day over the winter.", "Admissions"),
        ("Tenant satisfaction remains stable at 84%.", "satisfaction"),
        ("The caseload has grown by 6% since the spring.", "caseload"),
        ("The working balance will remain at £3.1m.", "balance"),
        ("The deficit for the nine months to 31 December 2019 is £2.6m.", "deficit"),
    ],
)
def test_measure_is_the_subject_not_a_unit_word_a_state_or_a_period(nlp, text, word):
    (fig,) = run(nlp, text)
    assert word in (fig.measure or ""), fig.measure


# ---------------------------------------------------------------- other dollars (issue 17)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The shire's surplus was A$2.84 million.", [(2_840_000, "aud")]),
        ("A grant of AU$ 120,000 was received.", [(120_000, "aud")]),
        ("The council borrowed NZ$3.2m for the bridge.", [(3_200_000, "nzd")]),
        ("Fees of C$40,000 were waived.", [(40_000, "cad")]),
        ("Rates of AUD 1,200 per property were levied.", [(1_200, "aud")]),
        ("The city paid $250,000 for the study.", [(250_000, "usd")]),
    ],
)
def test_dollars_of_other_countries(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]


def test_a_bare_dollar_is_the_papers_own_dollar(nlp):
    texts = ["Revenue was A$4.1m against a budget of A$4.0m.", "Fees were $250,000 in the month."]
    paras = [
        Paragraph(seq=n, kind="paragraph", text=t, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0)
        for n, t in enumerate(texts)
    ]
    got = figures.extract_figures([(nlp(p.text), p) for p in paras], CTX)
    assert [(f.value, f.unit) for f in got] == [(4_100_000, "aud"), (4_000_000, "aud"), (250_000, "aud")]


def test_a_label_column_header_with_a_scale_scales_the_table(nlp):
    rows = [("Program (A$'000)", "Budget", "Actual"), ("Waste services", "2,400", "(310)")]
    got = extract_table(nlp, table(rows))
    assert [(f.value, f.unit) for f in got] == [(2_400_000, "aud"), (-310_000, "aud")]


@pytest.mark.parametrize(
    "text",
    [
        "Category 2 response times improved in the month.",
        "Loan 77 was repaid early.",
        "Categories 3 and 4 fell.",
    ],
)
def test_numbered_categories_and_loans_are_identifiers(nlp, text):
    assert run(nlp, text) == []


# ---------------------------------------------------------------- second fresh batch (issue 17)


def test_a_scaled_amount_ending_a_sentence_is_split_from_its_full_stop(nlp):
    got = run(nlp, "The reserve closed at $4.5M. Grants added $310K.")
    assert [(f.value, f.unit) for f in got] == [(4_500_000, "usd"), (310_000, "usd")]
    assert got[1].measure and "Grants" in got[1].measure


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Transfers from the Capital Fund (Fund 410) were approved.", []),
        ("Stock fund 18,717 - Project fund 240,060", [(18717, "count"), (240060, "count")]),
        ("Readmissions (Indicator 14) rose to 9.2%.", [(9.2, "percent")]),
        (
            "Falls were 4.1 per 1,000 occupied bed days, and 620 per 100,000 population.",
            [(4.1, "count"), (620, "count")],
        ),
        ("Cheques 120031 to 120036 were signed.", []),
    ],
)
def test_fund_and_indicator_numbers_and_rate_bases(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]


def test_a_figure_after_from_is_the_baseline_of_the_figure_before_it(nlp):
    now, then = run(nlp, "Missed collections fell to 310 in the month from 455 in October.")
    assert (now.value, then.value) == (310, 455)
    assert now.period_end == "2019-11-30" and then.period_end == "2019-10-31"
    funded, partners = run(nlp, "The scheme received £2m from 3 partners.")
    assert partners.measure and "partners" in partners.measure


def test_a_remaining_column_beside_money_columns_is_money(nlp):
    rows = [("Heading", "Budget £", "Spent", "Remaining"), ("Allotments", "1,500", "900", "600")]
    got = extract_table(nlp, table(rows))
    assert [(f.value, f.unit) for f in got] == [(1500, "gbp"), (900, "gbp"), (600, "gbp")]
    rows = [("Indicator", "Target", "Actual", "Variance"), ("Visits", "900", "874", "(26)")]
    assert [f.unit for f in extract_table(nlp, table(rows))] == ["count", "count", "count"]


# ---------------------------------------------------------------- third fresh batch (issue 17)


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            [("Project", "Budget £'m", "Forecast £'m"), ("Depot", "4.5", "4.9")],
            [(4_500_000, "gbp"), (4_900_000, "gbp")],
        ),
        (
            [("Offence", "12 months", "Change"), ("Robbery", "410", "+7.5%")],
            [(410, "count"), (7.5, "percent")],
        ),
    ],
)
def test_apostrophe_scales_and_plus_signs_in_cells(nlp, rows, expected):
    assert [(f.value, f.unit) for f in extract_table(nlp, table(rows))] == [
        (float(v), u) for v, u in expected
    ]


def test_a_table_whose_rows_are_months(nlp):
    rows = [("Month", "Income", "Spend"), ("August 2019", "12.5", "11.9"), ("September 2019", "12.8", "12.6")]
    got = extract_table(nlp, table(rows, caption="Run rate, £m"))
    assert [(f.value, f.period_end, f.measure) for f in got] == [
        (12_500_000, "2019-08-31", "Income"),
        (11_900_000, "2019-08-31", "Spend"),
        (12_800_000, "2019-09-30", "Income"),
        (12_600_000, "2019-09-30", "Spend"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Options costing £4–6m were shortlisted.", [(4_000_000, "gbp"), (6_000_000, "gbp")]),
        ("The gap is c.£12m before mitigation.", [(12_000_000, "gbp")]),
        ("Patrols covered Wards 3 to 7 last month.", []),
        ("See Forward Plan ref KD 2210 for the decision.", []),
    ],
)
def test_money_ranges_hedges_and_coded_references(nlp, text, expected):
    assert [(f.value, f.unit) for f in run(nlp, text)] == [(float(v), u) for v, u in expected]
