"""A generated monthly memo-style director's report (issue 12's hard case).

Each month's paper is one A4 page: a letterhead (the body's name, a postal
address, phone and fax numbers, a web address), a memo header
(``DATE:/TO:/FROM:/RE:``) whose own date falls in the month before the
meeting it reports to, a few body paragraphs, and a right-hand sidebar
listing the trustees in a smaller type. One trustee's name changes in one
month. All names and text are invented for the test.
"""

from __future__ import annotations

import datetime as dt
import pathlib

from fpdf import FPDF

LETTERHEAD = (
    "Alderbrook Valley Public Library",
    "48 Quarry Lane, Alderbrook, OH 45001",
    "Phone (513) 555-0142   Fax (513) 555-0143   www.alderbrook.example",
)
TRUSTEES = [
    "Our Trustees",
    "Priya Lindqvist, President",
    "Marcus Oyelaran, Vice President",
    "Helen Dubrovnik, Secretary",
    "Tomas Ferreira",
    "Grace Whitcombe",
    "Owen Achterberg",
    "Lena Moravec",
]
REPLACEMENT = (5, "Ruth Kalinowski")  # in the third month this trustee is replaced
AUTHOR = "Dana Whitfield, Library Director"
ADDRESSEE = "Board of Trustees"
BODY = [
    "Circulation",
    "Checkouts of printed books rose over the month while e-book loans held steady. "
    "The children's room saw strong attendance at the weekly story hour sessions.",
    "Facilities",
    "The roof repair on the north wing is complete and the meeting room has reopened "
    "to community groups. The parking lot lights will be replaced next month.",
    "Programs",
    "Volunteers led a series of computer skills classes for older adults, and the "
    "summer reading challenge planning committee met twice this month.",
]
MEETINGS = [dt.date(2024, 3, 14), dt.date(2024, 4, 11), dt.date(2024, 5, 9), dt.date(2024, 6, 13)]


def _long(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdf.get_string_width(trial) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def write_memo(path: pathlib.Path, month: int) -> dict:
    """The director's report for ``MEETINGS[month]``; returns what a reader should find."""
    meeting = MEETINGS[month]
    memo_date = meeting - dt.timedelta(days=10)  # often in the previous month
    trustees = list(TRUSTEES)
    if month == 2:
        trustees[REPLACEMENT[0]] = REPLACEMENT[1]
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(72, 60, LETTERHEAD[0])
    pdf.set_font("Helvetica", size=9)
    pdf.text(72, 74, LETTERHEAD[1])
    pdf.text(72, 86, LETTERHEAD[2])
    pdf.set_font("Helvetica", size=11)
    y = 150.0
    for label, value in (
        ("DATE:", _long(memo_date)),
        ("TO:", ADDRESSEE),
        ("FROM:", AUTHOR),
        ("RE:", f"Director's Report for the {_long(meeting)} Board Meeting"),
    ):
        pdf.text(72, y, f"{label} {value}")
        y += 16
    y += 14
    for i, text in enumerate(BODY):
        pdf.set_font("Helvetica", "B" if i % 2 == 0 else "", 11)
        for line in _wrap(pdf, text, 340):
            pdf.text(72, y, line)
            y += 15
        y += 6
    pdf.set_font("Helvetica", size=8)
    sy = 160.0
    for name in trustees:
        pdf.text(450, sy, name)
        sy += 23
    pdf.output(str(path))
    return {
        "meeting_date": meeting.isoformat(),
        "month": meeting.isoformat()[:7],
        "memo_date": memo_date.isoformat(),
        "trustees": trustees,
        "letterhead": LETTERHEAD,
    }


def write_series(folder: pathlib.Path) -> list[tuple[pathlib.Path, dict]]:
    """Four months of the report in ``folder``, named by month."""
    out = []
    for month, meeting in enumerate(MEETINGS):
        path = folder / f"directors-report-{meeting:%Y-%m}.pdf"
        out.append((path, write_memo(path, month)))
    return out
