"""Layout rules on the shared corpus and on unit inputs: spacing, columns, rotation, tables, dates."""

from __future__ import annotations

import random

import pytest

from boardpapers.ingest import layout
from boardpapers.ingest.document import read_document
from boardpapers.ingest.models import Line, Word
from boardpapers.pipeline import interpret

REAL = "real"


def test_page_number_lines_are_running():
    assert layout.PAGE_NUMBER.match("Page 3 of 10") and layout.PAGE_NUMBER.match("- 4 -")
    assert not layout.PAGE_NUMBER.match("4.2 Performance")


def test_a_tie_between_running_lines_goes_to_the_first_printed_on_every_run():
    import os
    import subprocess
    import sys

    # Two footer lines on every page, equally common: which one names the
    # footer must not depend on the interpreter's string hashing.
    code = (
        "from boardpapers.ingest import layout\n"
        "from boardpapers.ingest.models import Line, Word\n"
        "def page(n):\n"
        "    body = Line(n, (Word('Body text', 50, 300, 200, 310),))\n"
        "    a = Line(n, (Word('Board of Governors meeting', 50, 780, 250, 790),))\n"
        "    b = Line(n, (Word('Official sensitive', 300, 780, 400, 790),))\n"
        "    return [body, a, b], 800.0\n"
        "print(layout.find_running([page(n) for n in range(4)]).footer)\n"
    )
    footers = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert footers == {"Board of Governors meeting"}


def test_two_columns_split():
    words = [
        Word(f"w{i}", x0, top, x0 + 230, top + 10)
        for i in range(30)
        for x0, top in ((50, 100 + i * 12), (320, 100 + i * 12))
    ]
    cols = layout.split_columns(words, 600)
    assert len(cols) == 2 and all(w.x0 < 300 for w in cols[0])


def test_tight_producer_words_are_spaced(corpus):
    doc = read_document(str(corpus / REAL / "souldern-pc/minutes__2023-01-25_SPC_minutes.pdf"), ocr=False)
    text = " ".join(p.text for p in doc.paragraphs)
    assert "IN THE VILLAGE HALL" in text and "INTHE" not in text
    rows = [p for p in doc.paragraphs if p.kind == "table_row"]
    assert rows and rows[0].header == ("NO", "ACTION", "OWNER", "UPDATE")
    assert any("Dog Bin" in p.text for p in rows)
    meta = interpret(doc).meta
    assert meta.board == "SOULDERN PARISH COUNCIL" and meta.meeting_date == "2023-01-25"


@pytest.mark.parametrize(
    "name, status_col",
    [
        ("datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf", None),
        ("datagovuk-boards/TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf", "Progress"),
        ("datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf", None),
    ],
)
def test_action_logs_give_table_rows(corpus, name, status_col):
    doc = read_document(str(corpus / REAL / name), ocr=False)
    rows = [p for p in doc.paragraphs if p.kind == "table_row"]
    assert len(rows) >= 5
    assert all(len(p.cells) == len(p.header) and p.text == " | ".join(p.cells) for p in rows)
    if status_col:
        col = rows[0].header.index(status_col)
        assert all(p.cells[col] for p in rows)
    body = " ".join(p.text for p in doc.paragraphs if p.kind != "table_row")
    longest = max((c for p in rows for c in p.cells), key=len)
    assert longest[:30] not in body  # table text is not also body text


@pytest.mark.parametrize("characters", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(
    "name, phrase",
    [  # /Rotate 90 on a page whose text is drawn upright; text drawn 90 degrees anticlockwise on an upright page
        (
            "fx-pdfplumber/nics-background-checks-2015-11-rotated.pdf",
            "These statistics represent the number of firearm background checks",
        ),
        (
            "fx-camelot/anticlockwise_table_2.pdf",
            "Table 21 Current use of contraception by background characteristics",
        ),
    ],
)
def test_rotated_page_reads_the_right_way(corpus, name, phrase, characters):
    from boardpapers.ingest.document import read_document_from

    doc = read_document_from(str(corpus / REAL / name), characters=characters, ocr=False)
    assert "rotated" in doc.page_info[0].flags
    text = " ".join(p.text for p in doc.paragraphs)
    assert phrase in text  # not reversed, not letter-spaced


def test_multicolumn_reads_column_by_column(corpus):
    doc = read_document(str(corpus / REAL / "fx-pypdf-samples/multicolumn.pdf"), ocr=False)
    assert doc.status == "ok"
    longest = max(doc.paragraphs, key=lambda p: len(p.text))
    assert longest.x1 - longest.x0 < 0.6 * 612  # a column's width, not the page's
    text = " ".join(p.text for p in doc.paragraphs)
    assert "This is a sample document with two columns filled with Lorem Ipsum text." in text


@pytest.mark.parametrize(
    "phrase",
    [  # each runs down one column across a line break; read row-wise it would be interleaved
        "This section of the FEDERAL REGISTER contains notices to the public of the proposed issuance",
        "Hatta International Airport in Jakarta, Indonesia, resulting in 189 fatalities.",
        "altitude disagree alert, and may affect the flightcrew’s ability to accomplish continued safe flight",
    ],
)
def test_three_columns_read_column_by_column(federal_register_text, phrase):
    """A running header across the top and a footer line across the bottom do not hide the gutters."""
    assert phrase in federal_register_text


@pytest.fixture(scope="module")
def federal_register_text(corpus):
    doc = read_document(str(corpus / REAL / "fx-pdfplumber/federal-register-2020-17221.pdf"), ocr=False)
    return " ".join(" ".join(p.text.split()) for p in doc.paragraphs)


def _column(x0: float, top: float, texts: list[str], *, size: float = 11.0, step: float = 15.0) -> list[Word]:
    words = []
    for i, text in enumerate(texts):
        x = x0
        for w in text.split():
            width = 6.0 * len(w)
            words.append(Word(w, x, top + i * step, x + width, top + i * step + size, size=size))
            x += width + 3.0
    return words


BODY_LINES = ["the quick members agreed the plan for the coming year in full"] * 20
SIDE_LINES = ["Anna Field", "Ben Moss", "Cara Lind", "Dev Hart", "Eli Stone", "Fay Rowe"]


def test_sidebar_of_short_lines_is_kept_out_of_the_body():
    body = _column(72, 100, BODY_LINES)
    side = _column(460, 104, SIDE_LINES, size=8.0, step=23.0)
    kept, sidebar = layout.split_sidebar(body + side)
    assert sorted(w.text for w in sidebar) == sorted(" ".join(SIDE_LINES).split())
    assert len(kept) == len(body)


def test_table_status_column_is_not_a_sidebar():
    """Short cells on the body's own baselines (a status column) stay in the body."""
    body = _column(72, 100, BODY_LINES[:8])
    status = _column(460, 100, ["Done", "Open", "Done", "Late", "Open", "Done", "Done", "Open"])
    kept, sidebar = layout.split_sidebar(body + status)
    assert sidebar == [] and len(kept) == len(body) + len(status)


def _line(text: str, top: float, size: float = 10.0) -> Line:
    return Line(page=1, words=tuple(_column(72, top, [text], size=size)))


def test_letterhead_needs_contact_details():
    head = [_line("Riverside Arts Trust", 40, 16), _line("Tel 0161 496 0000  info@example.org", 60)]
    body = [_line("Minutes of the meeting", 150), _line("Present: all members", 170)]
    assert layout.find_letterhead(head + body, 842) == head
    venue = [_line("Riverside Arts Trust", 40, 16), _line("12 High Street, Leeds LS1 4AB", 60)]
    assert layout.find_letterhead(venue + body, 842) == []


def test_coverage_counts_the_words_over_each_point():
    rng = random.Random(7)
    words = []
    for _ in range(300):
        x0 = rng.uniform(10, 500)
        words.append(Word(text="w", x0=x0, top=0, x1=x0 + rng.choice([0, 0.4, 3, 40, 120]), bottom=10))
    left = min(w.x0 for w in words)
    size = int(max(w.x1 for w in words) - left) + 2
    counted = [0] * size
    for w in words:
        for x in range(max(0, int(w.x0 - left)), min(size, int(w.x1 - left) + 1)):
            counted[x] += 1
    assert layout._coverage(words, left, size) == counted
    assert layout._coverage(words, left + 50, size - 60) == [
        sum(
            1 for w in words if max(0, int(w.x0 - left - 50)) <= x < min(size - 60, int(w.x1 - left - 50) + 1)
        )
        for x in range(size - 60)
    ]
