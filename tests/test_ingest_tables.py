"""Tables without ruling, header rows, and the action logs of the shared corpus."""

from __future__ import annotations

import collections

import pytest

from boardpapers.ingest import tables
from boardpapers.ingest.document import read_document
from boardpapers.ingest.models import Line, Word

LOGS = "real/datagovuk-boards"


@pytest.mark.parametrize(
    "cells, header",
    [
        (("Action", "Due", "Status", ""), True),
        (("Meeting date", "Action", "Deadline", "Progress"), True),
        (("NO", "ACTION", "OWNER", "UPDATE"), True),
        (("Ref", "Action", "Owner", "Due", "Status"), True),
        (("Circulate minutes and actions from thirteenth meeting", "New"), False),
        (("Review for next meeting", "KK/HS", "Ongoing"), False),
        (("Clerk", "Salary", "331.00"), False),
        (("Status", ""), False),  # one label is not a header row
    ],
)
def test_header_row(cells, header):
    assert tables.is_header_row(cells) == header


@pytest.mark.parametrize(
    "rows, header",
    [
        (
            [
                ("Circulate minutes and actions from the meeting", "KK", "New"),
                ("Publish note and actions on the website", "KK", "New"),
                ("Review the register for next meeting", "KK/HS", "Ongoing"),
                ("Establish date and objectives for the event", "All", "Ongoing"),
            ],
            ("Action", "Owner", "Status"),
        ),
        (  # every cell different: no status column to infer
            [
                ("Clerk salary for the month of March", "331.00"),
                ("Hall hire for the annual meeting", "40.00"),
                ("Printing of the parish newsletter", "75.50"),
            ],
            None,
        ),
    ],
)
def test_infer_header(rows, header):
    assert tables.infer_header(rows) == header


def _line(top, *cells):
    return Line(page=1, words=tuple(Word(t, x, top, x + 6 * len(t), top + 10, size=10) for x, t in cells))


def test_aligned_column_rows():
    lines = [
        _line(100, (72, "Secretariat")),
        _line(112, (72, "Circulate"), (130, "minutes"), (420, "New")),
        _line(124, (72, "Survey"), (112, "of"), (128, "all"), (150, "users"), (420, "Carried")),
        _line(136, (420, "forward")),
        _line(148, (72, "Investigate"), (144, "options"), (420, "New")),
        _line(160, (72, "with"), (104, "authorities")),
        _line(190, (72, "Next"), (104, "heading")),
    ]
    columns = tables.find_columns(lines, 10)
    assert columns == [420]
    body, found = tables.split_aligned(lines, columns, 1, 10)
    assert [ln.text for ln in body] == ["Secretariat", "Next heading"]
    (table,) = found
    assert table.rows == (
        ("Circulate minutes", "New"),
        ("Survey of all users", "Carried forward"),
        ("Investigate options with authorities", "New"),
    )


def test_hanging_numbers_are_no_column():
    lines = [_line(100 + 12 * i, (72, f"{i}.1"), (110, "Introduction")) for i in range(5)]
    assert tables.find_columns(lines, 10) == []


# The real logs: action rows and their status cells, counted by reading the PDFs.
REAL = {
    "ODUG_Action_Log_14_May_2013.pdf": (39, {"New": 11, "Ongoing": 2, "Carried forward": 19, "Completed": 7}),
    "ODUG_Action_Log_July_13_final_10.pdf": (19, {"New": 15, "Ongoing": 4}),
    "TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf": (9, None),
    "TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf": (16, None),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_action_logs_one_row_per_action(corpus, name):
    rows_expected, statuses = REAL[name]
    doc = read_document(str(corpus / LOGS / name), ocr=False)
    rows = [p for p in doc.paragraphs if p.kind == "table_row"]
    assert len(rows) == rows_expected
    assert all(p.text == " | ".join(p.cells) for p in rows)
    if statuses:
        assert all(p.header and p.header[-1] == "Status" for p in rows)
        assert collections.Counter(p.cells[-1] for p in rows) == statuses
        body = " ".join(p.text for p in doc.paragraphs if p.kind != "table_row")
        assert "forward" not in body and "Carried" not in body


def test_section_headings_stay_before_their_rows(corpus):
    doc = read_document(str(corpus / LOGS / "ODUG_Action_Log_14_May_2013.pdf"), ocr=False)
    paras = doc.paragraphs
    at = next(i for i, p in enumerate(paras) if p.text.startswith("National Address Dataset"))
    assert paras[at].kind == "heading"
    assert paras[at + 1].kind == "table_row" and paras[at + 1].cells[1] == "Carried forward"


@pytest.mark.parametrize(
    "name, title",
    [
        ("real/datagovuk-boards/ODUG_Action_Log_14_May_2013.pdf", "ODUG Action Log – 14 May 2013"),
        (
            "real/datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf",
            "Status update on Transparency Board actions from last meeting 19.11.10",
        ),
        (
            "real/souldern-pc/minutes__2023-01-25_SPC_minutes.pdf",
            "MINUTES OF THE SOULDERN PARISH COUNCIL MEETING",
        ),
    ],
)
def test_paper_title(corpus, name, title):
    from boardpapers.pipeline import interpret

    assert interpret(read_document(str(corpus / name), ocr=False)).meta.title == title
