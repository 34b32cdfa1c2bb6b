"""Tables the ruling does not show, and which table rows are headers.

Two jobs that both work on what is printed, not on any paper's wording:

- ``find_columns`` / ``split_aligned``: a right-hand column of short cells
  that starts at the same x on at least three lines, after a gutter, is a
  table column even when no rule is drawn (or when the finder dropped a
  one-row table). Lines with cells there become rows; a line holding only
  column cells ("forward" under "Carried") or only left text set tight below
  continues the row above.
- ``is_header_row`` and ``infer_header``: a first row is a header only when
  its cells are short labels (words from ``table_headers.yml``); a headerless
  log gets column names read from its cells (long text, initials, a few
  repeated status words) or none.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from boardpapers.ingest.models import Line, Table, Word

GUTTER_EM = 1.2  # blank width (in font sizes) that separates two cells on a line
COLUMN_TOL = 3.0  # points by which cell starts of one column may differ
MIN_COLUMN_LINES = 3  # lines that must start a cell at the same x
SHORT_CELL_WORDS = 4
SHORT_CELL_CHARS = 30
CONTINUE_EM = 0.5  # a left-only line this close below a row continues its first cell
LABEL_WORDS = 4  # a header cell has at most this many words
INITIALS = re.compile(r"^[A-Z][A-Za-z]{0,3}(?:/[A-Z][A-Za-z]{0,3})*$")
DATE_CELL = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^[A-Z][a-z]{2,8}[\s‐-]\d{2,4}$")


@cache
def vocabulary() -> dict:
    text = resources.files(__package__).joinpath("table_headers.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {
        "header_words": frozenset(str(w).lower() for w in data["header_words"]),
        "inferred": dict(data["inferred"]),
    }


# ---------------------------------------------------------------- header rows


def _norm(cell: str | None) -> str:
    return " ".join((cell or "").lower().split())


def is_header_row(cells: tuple[str, ...] | list[str]) -> bool:
    """Short label-like cells, at least one a known header word ("Action", "Due date")."""
    filled = [_norm(c) for c in cells if (c or "").strip()]
    if len(filled) < 2:
        return False
    words = vocabulary()["header_words"]
    for c in filled:
        if len(c.split()) > LABEL_WORDS or re.search(r"[.;!?]$", c) or re.search(r"\d{3,}", c):
            return False
    known = sum(1 for c in filled if c in words or c.split()[0].rstrip(".:") in words)
    return known >= 1 and known * 2 >= len(filled) - 1


def infer_header(rows: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """Column names for a headerless log, read from its cells; None unless an
    action column (long text) and a status column (a few repeated short words) show."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    columns = [[(r[i] if i < len(r) else "").strip() for r in rows] for i in range(width)]
    filled = [[c for c in col if c] for col in columns]
    roles: dict[int, str] = {}
    mean_words = [statistics.mean(len(c.split()) for c in col) if col else 0 for col in filled]
    action = max(range(width), key=lambda i: mean_words[i])
    if mean_words[action] < 3:
        return None
    roles[action] = "action"
    for i in range(width - 1, -1, -1):
        col = filled[i]
        if i == action or len(col) < 2:
            continue
        distinct = {_norm(c) for c in col}
        short = all(len(c.split()) <= SHORT_CELL_WORDS for c in col)
        if short and len(distinct) <= max(2, len(col) // 3) and not all(INITIALS.match(c) for c in col):
            roles[i] = "status"
            break
    if "status" not in roles.values():
        return None
    for i, col in enumerate(filled):
        if i in roles or not col:
            continue
        if sum(1 for c in col if INITIALS.match(c)) >= 0.8 * len(col):
            roles[i] = "owner"
        elif sum(1 for c in col if DATE_CELL.match(c)) >= 0.8 * len(col):
            roles[i] = "date"
    names = vocabulary()["inferred"]
    return tuple(names[roles[i]] if i in roles else "" for i in range(width))


# ---------------------------------------------------------------- aligned columns


def _size(line: Line, default: float) -> float:
    return line.size or default


def cells_of(line: Line, size: float) -> list[list[Word]]:
    """The line's words grouped at gaps of at least GUTTER_EM font sizes."""
    gap = GUTTER_EM * _size(line, size)
    groups: list[list[Word]] = [[line.words[0]]]
    for prev, w in zip(line.words, line.words[1:], strict=False):
        if w.x0 - prev.x1 >= gap:
            groups.append([w])
        else:
            groups[-1].append(w)
    return groups


def _short(words: list[Word]) -> bool:
    text = " ".join(w.text for w in words)
    return len(words) <= SHORT_CELL_WORDS and len(text) <= SHORT_CELL_CHARS


def find_columns(lines: list[Line], size: float) -> list[float]:
    """x positions where short right-hand cells start on at least three lines."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    middle = (left + right) / 2
    starts: list[float] = []
    for ln in lines:
        groups = cells_of(ln, size)
        if len(groups) < 2 or groups[0][-1].x1 - groups[0][0].x0 < 0.25 * (right - left):
            continue  # a row's first cell is wide text; a hanging number is not
        for g in groups[1:]:
            if g[0].x0 >= middle and _short(g):
                starts.append(g[0].x0)
    starts.sort()
    columns: list[float] = []
    cluster: list[float] = []
    for x in starts + [float("inf")]:
        if cluster and x - cluster[0] > 2 * COLUMN_TOL:
            if len(cluster) >= MIN_COLUMN_LINES:
                columns.append(statistics.median(cluster))
            cluster = []
        cluster.append(x)
    return columns


@dataclass
class _Row:
    lines: list[Line]
    cells: list[list[Word]] = field(default_factory=list)


def _column_of(x: float, columns: list[float]) -> int | None:
    for n, c in enumerate(columns):
        if abs(x - c) <= COLUMN_TOL:
            return n + 1
    return None


def _as_row(line: Line, columns: list[float], size: float) -> list[list[Word]] | None:
    """Cells of a table row (first cell may be empty), or None when the line is not one."""
    groups = cells_of(line, size)
    cells: list[list[Word]] = [[] for _ in range(len(columns) + 1)]
    first = columns[0] - COLUMN_TOL
    for n, g in enumerate(groups):
        col = _column_of(g[0].x0, columns)
        if col is None:
            if n == 0 and g[-1].x1 < first:
                cells[0] = g
                continue
            return None
        if not _short(g) or cells[col]:
            return None
        cells[col] = g
    if not any(cells[1:]):
        return None
    return cells


def split_aligned(
    lines: list[Line], columns: list[float], page: int, size: float
) -> tuple[list[Line], list[Table]]:
    """Take the rows of aligned-column tables out of ``lines``: (other lines, tables)."""
    if not columns:
        return lines, []
    body: list[Line] = []
    runs: list[list[_Row]] = []
    current: list[_Row] | None = None
    for ln in lines:
        cells = _as_row(ln, columns, size)
        row = current[-1] if current else None
        if cells is not None and row is not None and _continues(row, ln, cells, size):
            row.lines.append(ln)
            for n, words in enumerate(cells):
                row.cells[n].extend(words)
            continue
        if cells is not None and cells[0]:
            current = current if current is not None else []
            if not current:
                runs.append(current)
            current.append(_Row(lines=[ln], cells=cells))
            continue
        if row is not None and _left_continuation(row, ln, columns, size):
            row.lines.append(ln)
            row.cells[0].extend(ln.words)
            continue
        current = None
        body.append(ln)
    tables = [_table(run, page) for run in runs]
    return body, tables


def _gap_ok(row: _Row, line: Line, size: float) -> bool:
    last = row.lines[-1]
    return last.page == line.page and 0 <= line.top - last.bottom <= CONTINUE_EM * _size(line, size) + 1.0


def _continues(row: _Row, line: Line, cells: list[list[Word]], size: float) -> bool:
    """Column cells alone under a row ("forward" under "Carried"), or a line
    whose every cell starts in lower case: the row's cells wrapped."""
    if not _gap_ok(row, line, size):
        return False
    if not cells[0]:
        return True
    return all(c[0].text[:1].islower() for c in cells if c)


def _left_continuation(row: _Row, line: Line, columns: list[float], size: float) -> bool:
    """Left text set tight below the row, in the row's style, inside the first column."""
    first = row.cells[0]
    if not first or not _gap_ok(row, line, size) or line.x1 >= columns[0] - COLUMN_TOL:
        return False
    if abs(line.x0 - first[0].x0) > COLUMN_TOL:
        return False
    style = (all(w.bold for w in first), all(w.italic for w in first))
    return style == (line.bold, line.italic)


def _table(run: list[_Row], page: int) -> Table:
    rows = tuple(tuple(" ".join(w.text for w in c) or None for c in r.cells) for r in run)
    boxes = tuple(
        (
            round(min(ln.x0 for ln in r.lines), 2),
            round(min(ln.top for ln in r.lines), 2),
            round(max(ln.x1 for ln in r.lines), 2),
            round(max(ln.bottom for ln in r.lines), 2),
        )
        for r in run
    )
    bbox = (min(b[0] for b in boxes), boxes[0][1], max(b[2] for b in boxes), boxes[-1][3])
    return Table(page=page, bbox=bbox, rows=rows, row_boxes=boxes)
