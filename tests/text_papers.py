"""Papers given as text: a text rendering turned into Paragraphs, for rule tests that
do not need the PDF ingest (scoring is ``boardpapers.evaluation``'s)."""

from __future__ import annotations

import re

from boardpapers.ingest.models import PaperMeta, Paragraph

NUMBER_RE = re.compile(r"^(\d+(?:\.\d+)+)\s+")


def paragraphs_from_text(text: str) -> tuple[PaperMeta, list[Paragraph]]:
    """One Paragraph per non-empty line; a leading "4.2.1"-style number is
    stripped into ``number``; "To:/From:/Date:" lines fill the meta."""
    meta: dict[str, str] = {}
    paras: list[Paragraph] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-•]\s+", "", line).strip()
        if not line:
            continue
        head = re.match(r"^(To|From|Date):\s*(.+)$", line)
        if head:
            meta[{"To": "board", "From": "author", "Date": "date_printed"}[head.group(1)]] = head.group(2)
        number = None
        m = NUMBER_RE.match(line)
        if m:
            number, line = m.group(1), line[m.end() :]
        kind = (
            "footnote"
            if line[:1] in "¹²³⁴⁵⁶⁷⁸⁹"
            else "heading"
            if number and len(line) < 80 and not line.endswith(".")
            else "paragraph"
        )
        paras.append(
            Paragraph(
                seq=len(paras),
                kind=kind,
                text=line,
                page_start=1,
                page_end=1,
                x0=0,
                top=0,
                x1=0,
                bottom=0,
                number=number,
            )
        )
    return PaperMeta(**meta), paras
