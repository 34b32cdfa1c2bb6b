"""What each paper is (issue 12): board, meeting date, author, title, kind, month.

Unit tests feed nlp.paper the raw places ingest finds (label/value fields,
title block, first lines, running lines, file name) with sentences written
for the test; the end-to-end tests read generated PDFs and the shared corpus.
"""

from __future__ import annotations

import pathlib

import pytest

from boardpapers.db.series import series_key
from boardpapers.ingest.meta import locate_meta
from boardpapers.ingest.models import PaperMeta, Paragraph, Table
from boardpapers.nlp import paper
from boardpapers.pipeline import read_paper
from tests import memo_series


def _para(seq: int, text: str) -> Paragraph:
    return Paragraph(
        seq=seq, kind="paragraph", text=text, page_start=1, page_end=1, x0=0, top=0, x1=1, bottom=1
    )


def _src(meta: PaperMeta) -> dict:
    return dict(meta.sources)


def test_cover_table_label_value_cells():
    raw = PaperMeta(
        fields=(
            ("Title of Meeting", "Harbour Trust - Board Meeting", "table"),
            ("Date", "30th July 2015", "table"),
            ("Place", "Room 2, Civic Centre", "table"),
        ),
        title_lines=(("OPEN BOARD MEETING MINUTES", 16.0, 1),),
    )
    meta = paper.interpret(raw)
    assert (meta.board, meta.meeting_date, meta.kind) == ("Harbour Trust Board", "2015-07-30", "minutes")
    assert meta.date_printed == "30th July 2015" and meta.month == "2015-07"
    assert _src(meta)["board"] == _src(meta)["meeting_date"] == "cover_table"
    assert meta.title == "OPEN BOARD MEETING MINUTES"


def test_cover_table_header_row_and_value_row():
    table = Table(
        page=1,
        bbox=(0, 0, 500, 60),
        rows=(
            ("Meeting", "Date", "Agenda item", "Author"),
            ("Finance Committee", "12 March 2019", "7", "Head of Finance"),
        ),
    )
    raw = locate_meta([], [table], None, None, "/x/item7.pdf")
    meta = paper.interpret(raw)
    assert (meta.board, meta.meeting_date, meta.author) == (
        "Finance Committee",
        "2019-03-12",
        "Head of Finance",
    )


def test_memo_header_meeting_in_subject_beats_memo_date():
    """A memo dated in one month for the next month's meeting belongs to the meeting's month."""
    raw = PaperMeta(
        fields=(
            ("DATE", "February 26, 2024", "memo"),
            ("TO", "Board of Governors", "memo"),
            ("FROM", "Sam Carter, Chief Executive", "memo"),
            ("RE", "Chief Executive's Report for the March 7, 2024 Board Meeting", "memo"),
        )
    )
    meta = paper.interpret(raw)
    assert (meta.board, meta.author) == ("Board of Governors", "Sam Carter, Chief Executive")
    assert (meta.meeting_date, meta.month, meta.kind) == ("2024-03-07", "2024-03", "report")
    assert _src(meta)["meeting_date"] == "title"


def test_title_block_minutes_of_the_meeting_of_a_board():
    raw = PaperMeta(
        title_lines=(
            ("Minutes of the meeting of the Harbour Trust Board", 14.0, 1),
            ("held on 4 June 2021", 14.0, 1),
        ),
        head_lines=(
            "Minutes of the meeting of the Harbour Trust Board",
            "held on 4 June 2021",
            "Present: all",
        ),
    )
    meta = paper.interpret(raw)
    assert (meta.board, meta.meeting_date, meta.kind) == ("Harbour Trust Board", "2021-06-04", "minutes")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Status update on actions from the last meeting", "action_log"),
        ("Audit Committee Action Log - 3 May 2019", "action_log"),
        ("Minutes of the Planning Committee", "minutes"),
        ("Board of Governors Special Meeting Agenda", "agenda"),
        ("Statement of Accounts 2019/20", "accounts"),
        ("Quarterly Performance Report", "report"),
        ("Cycle lanes", "other"),
    ],
)
def test_kind_from_title_cues(title, kind):
    assert paper.interpret(PaperMeta(title_lines=((title, 14.0, 1),))).kind == kind


def test_board_from_an_acronym_before_the_kind():
    meta = paper.interpret(PaperMeta(title_lines=(("HTB Action Log – 14 May 2013", 12.0, 1),)))
    assert (meta.board, meta.meeting_date, meta.kind) == ("HTB", "2013-05-14", "action_log")


def test_accounts_state_their_period_and_have_no_meeting():
    raw = PaperMeta(
        fields=(("", "Harbour PC Spending v Budget 2021/22", "caption"),),
        file_name="Harbour_Parish_Council_accounts_31Mar22.pdf",
    )
    meta = paper.interpret(raw)
    assert (meta.kind, meta.reporting_period_end, meta.meeting_date) == ("accounts", "2022-03-31", None)
    assert meta.board == "Harbour Parish Council" and _src(meta)["board"] == "file_name"


def test_running_footer_against_printed_date_warns():
    raw = PaperMeta(
        fields=(("To", "Harbour Trust Board", "memo"), ("Date", "9th March 2020", "memo")),
        footer="Harbour Trust Board 9 March 2021 Page 1 of 4",
    )
    paras = [_para(0, "Waiting times fell in January 2021 and February 2021.")]
    meta = paper.interpret(raw, paras)
    assert meta.meeting_date == "2021-03-09" and _src(meta)["meeting_date"] == "footer"
    [warning] = [w for w in meta.warnings if "conflict" in w]
    assert "9th March 2020" in warning and "2021-03-09" in warning


def test_file_name_is_the_last_resort_and_a_pdf_date_gives_it_a_year():
    meta = paper.interpret(PaperMeta(file_name="Harbour_Board_minutes_2019-04-17.pdf"))
    assert (meta.meeting_date, _src(meta)["meeting_date"], meta.kind) == (
        "2019-04-17",
        "file_name",
        "minutes",
    )
    raw = PaperMeta(
        file_name="HB_2_1_UPDATE_19_Nov.pdf", fields=(("created", "D:20101208151359Z", "pdf_info"),)
    )
    assert paper.interpret(raw).meeting_date == "2010-11-19"


def test_printed_date_cited_as_the_previous_meeting_is_stale():
    raw = PaperMeta(fields=(("Date", "12th May 2016", "table"),), file_name="board-minutes-2016-07-14.pdf")
    paras = [
        _para(0, "Date | 12th May 2016"),
        _para(1, "Minutes of previous meeting (12th May 2016) were agreed."),
    ]
    meta = paper.interpret(raw, paras)
    assert meta.meeting_date == "2016-07-14" and any("previous meeting" in w for w in meta.warnings)
    fresh = paper.interpret(raw, paras[:1])
    assert fresh.meeting_date == "2016-05-12" and any("conflict" in w for w in fresh.warnings)


def test_a_previous_meeting_date_in_a_title_is_not_this_meeting():
    raw = PaperMeta(
        title_lines=(("Progress on actions from last meeting 19.11.20", 12.0, 1),), file_name="x_12.01.21.pdf"
    )
    assert paper.interpret(raw).meeting_date == "2021-01-12"


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("hx-bcb-2020-01.pdf", "2020-01"),
        ("Harbour_Board_minutes_-__2010-09-15.pdf", "2010-09"),
        ("XYZ_Action_Log_14_May_2013.pdf", "2013-05"),
        ("XYZ_Action_Log_July_13_final_10.pdf", "2013-07"),
        ("HB51_Status_update_02_03_11v3.pdf", "2011-03"),
        ("HB41.i_Status_update_-_11.01.11.pdf", "2011-01"),
        ("report.pdf", None),
    ],
)
def test_file_name_dates(name, month):
    got = paper.file_name_date(name)
    assert (got.start.isoformat()[:7] if got else None) == month


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("MINUTES OF THE HARBOUR PARISH COUNCIL MEETING", "HARBOUR PARISH COUNCIL"),
        ("Status update on Harbour Board actions from last meeting", "Harbour Board"),
        ("Minutes of Trustees of The Friends of Elm Library", "Trustees of The Friends of Elm Library"),
        ("COMITÉ DE DÉMOLITION", "COMITÉ DE DÉMOLITION"),
        ("OPEN BOARD MEETING MINUTES", None),
        ("The Board", None),
    ],
)
def test_body_name(text, name):
    assert paper.body_name(text) == name


def test_series_title_drops_dates_kinds_and_board_words():
    assert (
        paper.series_title("Harbour Trust Board Minutes, 4 June 2021 - Part A", "Harbour Trust Board") == ""
    )
    assert (
        paper.series_title("Director's Report for the May 9, 2024 Board Meeting", "Board of Trustees")
        == "director"
    )


# ---------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def memos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memos")
    return [(read_paper(str(path), ocr=False), truth) for path, truth in memo_series.write_series(folder)]


def test_memo_series_is_one_series_by_meeting_month(memos):
    keys = {series_key(doc.meta, doc.path) for doc, _ in memos}
    assert len(keys) == 1 and None not in keys
    for doc, truth in memos:
        assert (doc.meta.meeting_date, doc.meta.month) == (truth["meeting_date"], truth["month"])
        assert doc.meta.board == memo_series.ADDRESSEE and doc.meta.author == memo_series.AUTHOR


def test_memo_letterhead_and_sidebar_are_furniture_not_text(memos):
    changed = memo_series.REPLACEMENT[1]
    for doc, truth in memos:
        furniture = [text for kind, text in doc.meta.furniture if kind in ("letterhead", "sidebar")]
        body = " ".join(p.text for p in doc.paragraphs)
        for line in (" ".join(t.split()) for t in (*truth["letterhead"], *truth["trustees"])):
            assert line in furniture
            assert line not in body and line not in doc.meta.board and line not in doc.meta.author
        assert "Circulation" in body
    assert any(changed in t["trustees"] for _, t in memos)


SUFFOLK = "real/suffolk-libraries"


def test_suffolk_board_minutes_form_one_series_in_order(corpus):
    paths = sorted((corpus / SUFFOLK).glob("board-meeting-minutes-*.pdf"))
    assert len(paths) == 18
    docs = [read_paper(str(p), ocr=False) for p in paths]
    keys = {series_key(d.meta, d.path) for d in docs}
    assert len(keys) == 1 and None not in keys
    named = [pathlib.Path(d.path).stem.removeprefix("board-meeting-minutes-") for d in docs]
    assert [d.meta.meeting_date for d in docs] == named


def test_running_banner_is_furniture_not_the_title(tmp_path):
    from tests.pdfgen import make_pdf

    banner = "OPEN BOARD MEETING MINUTES"
    pages = [
        [
            banner,
            "Minutes of the Harbour Trust Board held on 4 June 2021",
            "1. Apologies were received from two members.",
        ],
        [banner, "2. The board approved the budget for the coming year."],
        [banner, "3. The next meeting will be held in the usual room."],
    ]
    doc = read_paper(str(make_pdf(tmp_path / "minutes.pdf", pages)), ocr=False)
    assert doc.meta.title == "Minutes of the Harbour Trust Board held on 4 June 2021"
    assert (doc.meta.board, doc.meta.meeting_date, doc.meta.kind) == (
        "Harbour Trust Board",
        "2021-06-04",
        "minutes",
    )
    assert ("header", banner) in doc.meta.furniture
    assert not any(banner in p.text for p in doc.paragraphs)


# ---------------------------------------------------------------- the paper's conventions


def _dated(body: str, value: str = "03/04/2026") -> str | None:
    raw = PaperMeta(fields=(("Meeting date", value, "table"), ("Board", "Harbour Board", "table")))
    return paper.interpret(raw, [_para(0, body)] if body else []).meeting_date


@pytest.mark.parametrize(
    ("body", "meeting_date"),
    [
        ("Spending was $4.2m against a budget of $4.5m.", "2026-03-04"),  # US dollars: month first
        ("Spending was 4.2m USD against a budget of 4.5m USD.", "2026-03-04"),
        ("Spending was £4.2m against a budget of £4.5m.", "2026-04-03"),
        ("Spending was €4.2m against a budget of €4.5m.", "2026-04-03"),
        ("Spending was A$4.2m against a budget of A$4.5m.", "2026-04-03"),
        ("Spending was 4.2m AUD against a budget of 4.5m AUD.", "2026-04-03"),
        ("Spending was NZ$4.2m against a budget of NZ$4.5m.", "2026-04-03"),
        # a bare "$" in a paper that also prints "A$" is the Australian dollar
        ("Grants were A$1.1m; fees $0.2m, rent $0.3m and parking $0.1m.", "2026-04-03"),
        ("The program center reviewed its behavior.", "2026-03-04"),  # US spellings
        ("The programme centre reviewed its behaviour.", "2026-04-03"),
        ("The panel last met on March 5, 2026.", "2026-03-04"),  # dates in words, month first
        ("", "2026-04-03"),  # nothing tells: day first
    ],
)
def test_numeric_meeting_date_is_read_in_the_papers_order(body, meeting_date):
    assert _dated(body) == meeting_date


@pytest.mark.parametrize(
    ("body", "value", "meeting_date"),
    [
        ("Spending was £4.2m.", "12/25/2025", "2025-12-25"),  # only one reading is a date
        ("Spending was $4.2m.", "25/12/2025", "2025-12-25"),
        ("Spending was $4.2m.", "4th March 2026", "2026-03-04"),  # words need no order
    ],
)
def test_a_date_that_settles_its_own_order_keeps_it(body, value, meeting_date):
    assert _dated(body, value) == meeting_date


def test_a_file_name_date_follows_the_papers_order():
    raw = PaperMeta(file_name="board_minutes_03_04_26.pdf", title_lines=(("Board Minutes", 14.0, 1),))
    uk = paper.interpret(raw, [_para(0, "Costs were £2m.")])
    us = paper.interpret(raw, [_para(0, "Costs were $2m.")])
    assert (uk.meeting_date, us.meeting_date) == ("2026-04-03", "2026-03-04")


# ---------------------------------------------------------------- reporting periods in titles


def _period(title: str, body: str = "", meeting: str | None = None) -> str | None:
    fields = [("Subject", title, "memo"), ("To", "Harbour Board", "memo")]
    if meeting:
        fields.append(("Meeting date", meeting, "memo"))
    return paper.interpret(
        PaperMeta(fields=tuple(fields)), [_para(0, body)] if body else []
    ).reporting_period_end


@pytest.mark.parametrize(
    ("title", "body", "meeting", "end"),
    [
        ("Finance Report Month 8 2025/26", "Costs were £2m.", None, "2025-11-30"),
        ("Finance Report Month 8 2025/26", "", None, "2025-11-30"),  # a year written as two: April
        ("Finance Report M8 2025-26", "Costs were £2m.", None, "2025-11-30"),
        ("Finance Report Period 6", "Costs were £2m.", "20 October 2025", "2025-09-30"),
        ("Finance Report Period 6", "Costs were £2m.", "2 May 2026", "2025-09-30"),
        ("Finance Report Period 6", "Costs were £2m.", None, None),  # no year, no meeting
        ("Performance Report Quarter 2 2026/27", "Costs were £2m.", None, "2026-09-30"),
        ("Performance Report Q3 2019/20", "Costs were £2m.", None, "2019-12-31"),
        ("Performance Report Q3 FY2025", "Costs were £2m.", None, "2024-12-31"),
        ("Performance Report Q2 2025", "Costs were £2m.", None, "2025-06-30"),  # a calendar quarter
        ("Finance Report Month 8 2025/26", "Costs were A$2m.", None, "2026-02-28"),  # July start
        ("Finance Report Month 8 2025", "Costs were £2m.", None, None),  # of which year?
        # a US paper, or one that gives no sign of its convention: no guess
        ("Performance Report Q3 FY2025", "Costs were $2m.", None, None),
        ("Performance Report Q3 FY2025", "", None, None),
        ("Finance Report Month 8 2025/26", "Costs were $2m.", None, None),
        ("Budget 2025/26", "Costs were $2m.", None, None),
        ("Budget 2025/26", "Costs were £2m.", None, "2026-03-31"),
        ("Review of a consultation period 2 weeks long", "Costs were £2m.", "2 May 2026", None),
    ],
)
def test_reporting_period_from_the_title(title, body, meeting, end):
    assert _period(title, body, meeting) == end


def test_financial_year_start_is_vocabulary(monkeypatch):
    """A US body's paper.yml names its fiscal year (October): "Q3 FY2025" is April-June 2025."""
    import copy

    changed = copy.deepcopy(paper.vocab())
    changed["financial_year"]["by_currency"]["usd"] = 10
    monkeypatch.setattr(paper, "vocab", lambda: changed)
    assert _period("Performance Report Q3 FY2025", "Costs were $2m.") == "2025-06-30"
    assert _period("Finance Report Month 1 2025/26", "Costs were $2m.") == "2025-10-31"
