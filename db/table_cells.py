"""Which table cell a record was read from, named by its row and column headers.

A table row is stored as one paragraph whose text is its cells joined by
``" | "`` (``cells`` and the table's ``header`` row kept as JSON). A figure
that is the whole of its cell (a number, perhaps with a word or two of unit)
is a *cell figure*: it is compared only with the cell in the same row and
column of the previous paper's table, and named by those headers.
"""

from __future__ import annotations

import json
import re

CELL_SEPARATOR = " | "
# A cell holding more words than this beside its figure is prose, not a table value.
MAX_OTHER_WORDS = 3
HEADER_CHARS = 60
_WORD = re.compile(r"[^\W\d_]{2,}")


def _json_list(raw) -> list[str]:
    if not raw:
        return []
    value = json.loads(raw) if isinstance(raw, str) else raw
    return [str(c or "") for c in value] if isinstance(value, list) else []


def cell_index(cells: list[str], char_start: int | None) -> int | None:
    """The index of the cell that holds offset ``char_start`` of the joined row text."""
    if char_start is None:
        return None
    pos = 0
    for i, cell in enumerate(cells):
        if pos <= char_start < pos + len(cell):
            return i
        pos += len(cell) + len(CELL_SEPARATOR)
    return None


def normalise(text: str | None) -> str:
    """Text compared as a reader would: case, spacing and hyphenation ignored."""
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HEADER_CHARS else text[: HEADER_CHARS - 1] + "…"


def row_header(cells: list[str], skip: int | None = None) -> str | None:
    """The first cell of a row that names it: has words and is not the cell ``skip``."""
    for i, cell in enumerate(cells):
        if i != skip and _WORD.search(cell):
            return _short(cell)
    return None


def cell_headers(row: dict) -> tuple[str, str] | None:
    """(row header, column header) of a cell figure, or None when the record is not one.

    ``row`` is a record joined with its paragraph (``paragraph_kind``,
    ``paragraph_cells``, ``paragraph_header``) as :mod:`queries` returns it."""
    if row.get("paragraph_kind") != "table_row":
        return None
    cells = _json_list(row.get("paragraph_cells"))
    index = cell_index(cells, row.get("char_start"))
    if index is None:
        return None
    other = cells[index].replace(row.get("text") or "", " ")
    if len(_WORD.findall(other)) > MAX_OTHER_WORDS:
        return None
    header = _json_list(row.get("paragraph_header"))
    column = header[index] if index < len(header) and header[index].strip() else f"column {index + 1}"
    name = row_header(cells, skip=index)
    return (name, _short(column)) if name else None


def row_label(row: dict) -> str | None:
    """A short name for the table row a record was read from (None outside tables)."""
    if row.get("paragraph_kind") != "table_row":
        return None
    name = row_header(_json_list(row.get("paragraph_cells")))
    return f"row “{name}”" if name else "table row"
