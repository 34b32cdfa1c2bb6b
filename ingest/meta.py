"""Where a paper says what it is: found by position and shape, kept as printed.

Ingest only *finds* the places real papers put their metadata and hands them
on as raw strings (``PaperMeta.fields``, ``title_lines``, ``head_lines``,
``header``/``footer``, ``file_name``, ``furniture``); which of them is the
meeting date, the board or the author is decided in ``nlp.paper`` (ingest
parses no dates and knows no label words).

- label/value pairs: cells of a table on page 1 whose first cell is a short
  label (``Date | 30th July 2015``), the two rows of a one-row table under a
  header row (``Meeting | Date | Agenda item | Author``), and memo lines
  ``Label: value`` or ``Label<wide gap>value`` among page 1's first lines;
- the title block: the prominent (bold or large) lines at the top of page 1,
  before the first numbered line;
- the head lines: page 1's first body lines (title block included).
"""

from __future__ import annotations

import os
import re

from boardpapers.ingest.models import Line, PaperMeta, Table

NUMBERED = re.compile(r"^(\d{1,3}(\.\d{1,3})*\.?|\(?[a-z]\))\s+\S", re.I)  # "1.0 Purpose", "(a) ..."
HEAD_LINES = 25  # page 1 lines searched for labels, title and dates
LABEL_WORDS = 4  # a label is at most this many words
LABEL_COLON = re.compile(r"^\s*([A-Za-z][\w'’&/().\- ]{0,40}?)\s*[:;]\s+(\S.*)$")
WIDE_GAP = 3.0  # a blank wider than this many font sizes separates a label from its value
COVER_ROWS = 12  # rows of a page-1 table read as label/value cells
PROMINENT = 1.15  # a title line's size relative to page 1's median size


def locate_meta(
    first_lines: list[Line],
    first_tables: list[Table],
    header: str | None,
    footer: str | None,
    path: str | None = None,
    furniture: tuple[tuple[str, str], ...] = (),
) -> PaperMeta:
    """The raw places of page 1 (and the running lines) where metadata lives."""
    head = first_lines[:HEAD_LINES]
    fields = [*_table_fields(first_tables), *_line_fields(head)]
    return PaperMeta(
        footer=footer,
        header=header,
        fields=tuple(fields),
        title_lines=tuple(
            (ln.text.strip(), round(ln.size, 1), group) for ln, group in title_block(first_lines)
        ),
        head_lines=tuple(ln.text.strip() for ln in head),
        file_name=os.path.basename(path) if path else None,
        furniture=furniture,
    )


def _short(cell: str | None) -> bool:
    return bool(cell) and 0 < len(cell.split()) <= LABEL_WORDS and not cell.strip()[:1].isdigit()


def _table_fields(tables: list[Table]) -> list[tuple[str, str, str]]:
    """(label, value, "table") from page-1 tables: label cell + value cells per
    row, and header cell + value cell for a table of one header and one value row;
    ("", text, "caption") for a first row of one cell spanning the table."""
    out: list[tuple[str, str, str]] = []
    for table in tables:
        rows = [[(c or "").strip() for c in row] for row in table.rows[:COVER_ROWS]]
        rows = [[c for c in row if c] for row in rows]
        rows = [row for row in rows if row]
        if rows and len(rows[0]) == 1 and len(rows) > 1:  # a caption row spanning the table
            out.append(("", rows.pop(0)[0], "caption"))
        if len(rows) == 2 and len(rows[0]) == len(rows[1]) >= 2 and all(_short(c) for c in rows[0]):
            out.extend((h, v, "table") for h, v in zip(rows[0], rows[1], strict=True))
            continue
        for row in rows:
            if len(row) >= 2 and _short(row[0]):
                out.append((row[0], " ".join(row[1:]), "table"))
    return out


def _line_fields(lines: list[Line]) -> list[tuple[str, str, str]]:
    """(label, value, "memo") from ``Label: value`` lines and ``Label   value``
    lines whose first words stand apart from the rest by a wide blank."""
    out: list[tuple[str, str, str]] = []
    for ln in lines:
        m = LABEL_COLON.match(ln.text)
        if m and len(m.group(1).split()) <= LABEL_WORDS:
            out.append((m.group(1).strip(), m.group(2).strip(), "memo"))
            continue
        words = ln.words
        for i in range(1, min(len(words), LABEL_WORDS + 1)):
            gap = words[i].x0 - words[i - 1].x1
            if gap >= WIDE_GAP * max(ln.size, 6.0):
                label = " ".join(w.text for w in words[:i])
                value = " ".join(w.text for w in words[i:])
                if not label[:1].isdigit():
                    out.append((label, value, "memo"))
                break
    return out


def title_block(lines: list[Line]) -> list[tuple[Line, int]]:
    """(line, group) of the prominent lines (bold, or larger than page 1's median
    size) at the top of page 1, before its first numbered line; label lines are
    not titles. Lines of one style, one under the other, share a group."""
    size = _median_size(lines)
    out: list[tuple[Line, int]] = []
    group, prev = 0, None
    for ln in lines[:HEAD_LINES]:
        text = ln.text.strip()
        if NUMBERED.match(text):
            break
        prominent = ln.bold or ln.size >= PROMINENT * size
        if not prominent or not re.search(r"[^\W\d_]{2}", text) or LABEL_COLON.match(text):
            prev = None
            continue
        if prev is None or not _same_style(prev, ln):
            group += 1
        out.append((ln, group))
        prev = ln
    return out


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 0.5 and a.bold == b.bold and 0 <= b.top - a.bottom <= 1.2 * (b.size or 10.0)


def _median_size(lines: list[Line]) -> float:
    sizes = sorted(ln.size for ln in lines if ln.size)
    return sizes[len(sizes) // 2] if sizes else 10.0
