"""Tiny PDFs for ingest tests, made with fpdf2 (no binaries committed)."""

from __future__ import annotations

import pathlib

from fpdf import FPDF


def make_pdf(path: pathlib.Path, pages: list[list[str]], *, size: int = 11) -> pathlib.Path:
    """One text line per string, one list per page."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=size)
        y = 72
        for text in lines:
            pdf.text(72, y, text)
            y += size * 1.4
    pdf.output(str(path))
    return path
