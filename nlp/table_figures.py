"""Table cells as figures: a number cell measures its row label and column header.

Ingest hands each table row over as a ``table_row`` paragraph with its
``cells`` (and ``header`` when it judged one). This module groups consecutive
rows with the same number of cells into a table and reads it as a reader
does: a first row holding one cell is the caption (else the short paragraph
right before the table); rows without numbers are header rows (stacked ones
join per column; a spanned group header such as "Spend (inc VAT)" printed
over the first of twelve month columns carries over the next pure-period
headers); a row with a label but no numbers continues into an unlabelled
row after it (a wrapped label).

Each number cell becomes a figure: unit from the cell's own marks (``£``,
``%``), else the column header (``£000``, ``$ SPENT``, ``% of budget used``,
``Budget``), else the row label, else the caption ("Spending v Budget");
value scaled by the header (``£'000s``) and signed by brackets or
``A``/``F``; measure "row label (column header)"; period from the column
header, else the caption. Header rows, caption rows, reference and date
columns, and "#####" cells give no figures (``nlp/vocab/tables.yml``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from boardpapers.ingest.models import Paragraph

from . import money
from .context import Context
from .measures import metric_key
from .months import MONTHS
from .periods import period_of_text, table_context
from .records import Figure
from .rules import load_vocab

CELL_NUMBER = re.compile(
    r"^(?P<plus>\+)?(?P<open>[(\-\u2212\u2013])?(?P<cur>[A-Z]{1,3}\$|[£$€])?(?P<open2>[(\-\u2212])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<scale>k|m|mn|bn)?(?P<pct>%)?(?P<close>\))?(?P<flag>A|F|adv|fav)?$",
    re.I,
)
MAX_HEADER_CHARS = 40
YEAR_CELL = re.compile(r"^(19[5-9]\d|20\d\d)$")
# "£000", "($000)": a header's scale, not a number
SCALE_MARK = re.compile(r"^\(?([A-Z]{1,3}\$|[£$€])0{3}s?\)?$")
AT_DAY = re.compile(r"\b(?:as at|as of|at|on)\s+(?:the\s+)?\d", re.I)  # "Balances at 31 March 2025"
PERIOD_WORD = re.compile(r"^(q[1-4]|fy\d{2,4}|\d{2,4}[/\-]\d{2,4}|(19|20)\d\d|[a-z]{3,9}-\d{2})$", re.I)


@cache
def _vocab() -> dict:
    return load_vocab("tables.yml")


@cache
def _units() -> dict:
    return load_vocab("units.yml")


NORM_WORD = re.compile(r"[a-z0-9#]+")


@lru_cache(maxsize=4096)  # headers and vocabulary phrases, asked for every cell
def _norm(text: str | None) -> str:
    return " ".join(NORM_WORD.findall((text or "").lower()))


@lru_cache(maxsize=4096)
def is_reference_header(header: str | None) -> bool:
    """A column of references, codes or dates ("Ref", "Item no", "Date paid")."""
    norm = _norm(header)
    if not norm:
        return False
    if norm in {_norm(h) for h in _vocab().get("reference_headers", [])}:
        return True
    for phrase in _vocab().get("not_reference_phrases", []):
        norm = f" {norm} ".replace(f" {_norm(phrase)} ", " ").strip()
    return any(f" {_norm(w)} " in f" {norm} " for w in _vocab().get("reference_header_words", []))


@cache
def _placeholders() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in _vocab().get("not_figure_cells", []))


@lru_cache(maxsize=4096)  # cells repeat ("-", "0", "n/a")
def _is_placeholder(chunk: str) -> bool:
    return any(p.fullmatch(chunk.lower()) for p in _placeholders())


def number_chunks(cell: str | None) -> list[tuple[int, re.Match]] | None:
    """The numbers of a cell that holds only numbers ("98.00", "(2.3)", "96.07 #####"),
    with their offsets; None for a cell with words (its numbers are read as prose)."""
    out = []
    for hit in re.finditer(r"\S+", cell or ""):
        chunk = hit.group(0)
        if _is_placeholder(chunk) or chunk in "()":
            continue
        m = CELL_NUMBER.match(chunk)
        if m is None or SCALE_MARK.match(chunk):
            return None
        out.append((hit.start(), m))
    return out


TWO_LETTERS = re.compile(r"[A-Za-z]{2}")


def _has_words(cell: str | None) -> bool:
    return bool(TWO_LETTERS.search(cell or ""))


def _is_number_cell(cell: str | None) -> bool:
    chunks = number_chunks(cell)
    return bool(chunks)


# ---------------------------------------------------------------- reading a table


@dataclass
class TableView:
    """What the rows of one table share: headers per column, caption and its period."""

    header: list[str] = field(default_factory=list)
    caption: str | None = None
    ctx: Context = field(default_factory=Context)
    caption_period: tuple[dt.date, dt.date] | None = None
    # column -> the units its cells print themselves ("usd", "percent")
    marks: dict[int, set[str]] = field(default_factory=dict)
    as_of: dt.date | None = None  # "Bank reconciliation at 31 October": every cell is a point value


@dataclass(frozen=True)
class RowView:
    """One data row: its table, its label (wrapped lines joined) and the row's header."""

    table: TableView
    header: tuple[str, ...]
    label: str | None


def _spread_group_headers(header: list[str]) -> list[str]:
    """ "Spend (inc VAT) April | May | June": the group words of the first header
    carry over the pure-period headers after it."""
    out = list(header)
    group = ""
    for n, h in enumerate(header):
        words = (h or "").split()
        kept = [w for w in words if not _is_period_word(w)]
        if words and not kept and group:
            out[n] = f"{group} {h}"
        elif kept and len(kept) < len(words):
            group = " ".join(kept)
        else:
            group = ""
    return out


def _is_period_word(word: str) -> bool:
    w = word.strip("()[],.")
    return w.lower() in MONTHS or bool(PERIOD_WORD.match(w))


def _is_header_row(para: Paragraph) -> bool:
    """Two or more short cells, none a number or a sentence."""
    cells = [c.strip() for c in para.cells or () if (c or "").strip()]
    return (
        len(cells) >= 2
        and not any(_is_number_cell(c) for c in cells)
        and all(len(c) <= MAX_HEADER_CHARS and not c.endswith(".") for c in cells)
    )


def _caption_before(paragraphs: Sequence[Paragraph], k: int) -> str | None:
    if k == 0:
        return None
    prev = paragraphs[k - 1]
    limit = int(_vocab().get("max_caption_chars", 120))
    if prev.kind == "table_row" or len(prev.text) > limit or prev.text.rstrip().endswith(":"):
        return None
    return prev.text


def _new_table(paragraphs: Sequence[Paragraph], k: int, ctx: Context) -> TableView:
    table = TableView(caption=_caption_before(paragraphs, k), ctx=ctx)
    _set_caption(table, table.caption, ctx)
    return table


def _set_caption(table: TableView, caption: str | None, ctx: Context) -> None:
    table.caption = caption
    table.caption_period = period_of_text(caption, ctx) if caption else None
    table.ctx = table_context(table.caption_period, ctx)
    start, end = table.caption_period or (None, None)
    point = start is not None and start == end and AT_DAY.search(caption or "")
    table.as_of = end if point else None
    if point:
        table.caption_period = None


def read_tables(paragraphs: Sequence[Paragraph], ctx: Context) -> dict[int, RowView | None]:
    """For every table row (by ``seq``): its RowView, or None for header and caption rows."""
    out: dict[int, RowView | None] = {}
    table: TableView | None = None
    width, after_data, pending = -1, False, None
    for k, para in enumerate(paragraphs):
        if para.kind != "table_row" or not para.cells:
            table, width = None, -1
            continue
        cells = list(para.cells)
        if table is None or len(cells) != width:
            table, width, after_data, pending = _new_table(paragraphs, k, ctx), len(cells), False, None
        filled = [c for c in cells if (c or "").strip()]
        if len(filled) == 1 and not after_data and not _is_number_cell(filled[0]) and not table.header:
            _set_caption(table, filled[0], ctx)
            out[para.seq] = None
        elif _is_header_row(para) and (not after_data or _header_like(para)):
            table.header = _stack_header(table.header if not after_data else [], cells)
            after_data, pending = False, None
            out[para.seq] = None
        else:
            label = _label(para, table)
            if not any(_is_number_cell(c) for c in cells) and label:
                pending = label
            elif pending and (label is None or label[:1].islower()):
                label = f"{pending} {label or ''}".strip()
                pending = None
            else:
                pending = None
            header = tuple(para.header) if para.header else tuple(_spread_group_headers(table.header))
            out[para.seq] = RowView(table, header, label)
            _note_marks(table, cells)
            after_data = True
    return out


def _note_marks(table: TableView, cells: list[str]) -> None:
    """Remember the units a column's cells print themselves: an accounting layout
    prints "$" or "%" only on a column's first and total rows."""
    for n, cell in enumerate(cells):
        for _, m in number_chunks(cell) or []:
            unit = (
                money.currency_in(m.group("cur")) if m.group("cur") else "percent" if m.group("pct") else None
            )
            if unit:
                table.marks.setdefault(n, set()).add(unit)


def _header_like(para: Paragraph) -> bool:
    """A header row repeated after data rows (a new page, a new sub-table): most
    cells short and title-cased, none a sentence."""
    cells = [c.strip() for c in para.cells or () if (c or "").strip()]
    return all(len(c) <= 30 and not c.endswith(".") for c in cells) and sum(
        c[:1].isupper() or c[:1] in "£$€%" for c in cells
    ) >= max(2, len(cells) - 1)


def _stack_header(header: list[str], cells: list[str]) -> list[str]:
    """Header rows joined per column; an empty header cell is the spanned part of
    the header on its left ("Budget |  | Actual |  " over four columns)."""
    row = [(c or "").strip() for c in cells]
    for n in range(1, len(row)):
        row[n] = row[n] or row[n - 1]
    if not header:
        return row
    return [f"{h} {c}".strip() for h, c in zip(header, row, strict=False)]


def _label(para: Paragraph, table: TableView) -> str | None:
    """The row's label: its description column's cell (``description_headers``),
    then the other word cells before its first number."""
    cells = list(para.cells or ())
    header = list(para.header or table.header or [])
    first_num = next((n for n, c in enumerate(cells) if _is_number_cell(c)), len(cells))
    words = [
        (n, " ".join(c.split()))
        for n, c in enumerate(cells[:first_num])
        if _has_words(c) and not (n < len(header) and is_reference_header(header[n]) and len(c.split()) < 2)
    ]
    if not words:
        return None
    described = [_norm(h) for h in _units().get("description_headers", [])]
    rank = {
        n: described.index(_norm(header[n]))
        for n, _ in words
        if n < len(header) and _norm(header[n]) in described
    }
    words.sort(key=lambda nw: (rank.get(nw[0], len(described)), nw[0]))
    main, rest = words[0][1], [w for _, w in words[1:]]
    return f"{main} – {', '.join(rest)}" if rest else main


# ---------------------------------------------------------------- cells to figures


@dataclass(frozen=True)
class _Cell:
    column: int
    char_start: int
    text: str
    match: re.Match


def _cells_of(para: Paragraph) -> list[_Cell]:
    """Number cells of the row with where they sit in the row's text."""
    out, pos = [], 0
    for n, cell in enumerate(para.cells or ()):
        text = (cell or "").strip()
        at = para.text.find(text, pos) if text else -1
        if at < 0:
            continue
        pos = at + len(text)
        for offset, m in number_chunks(text) or []:
            out.append(_Cell(n, at + offset, m.group(0), m))
    return out


def cell_spans(para: Paragraph) -> list[tuple[int, int]]:
    """Character spans of the row's number cells (sentence figures there are replaced)."""
    return [(c.char_start, c.char_start + len(c.text)) for c in _cells_of(para)]


def _unit(
    cell: _Cell, col_header: str, row: RowView, currency: str, corner: money.HeaderUnit | None = None
) -> tuple[str, float, str]:
    """(unit, scale, rule id) of one number cell: its own marks, else its column
    header (a money header without a scale takes the table's, ``corner``), else
    the marks other cells of its column print, else the table's unit, else the
    row label or caption."""
    m = cell.match
    if m.group("cur"):
        unit = money.own_dollar(money.currency_in(m.group("cur")) or currency, m.group("cur"), currency)
        return unit, 1.0, "tbl-cell-currency"
    if m.group("pct"):
        return "percent", 1.0, "tbl-cell-percent"
    if row.label and money.is_percent_header(row.label) and "%" in row.label:
        return "percent", 1.0, "tbl-row-percent"
    marks = row.table.marks.get(cell.column, set())
    found = money.header_unit(col_header, currency)
    if found is not None:
        if corner and found.unit in money.money_units() and found.scale == 1.0:
            return (
                money.currency_in(col_header) or corner.unit,
                corner.scale,
                f"{found.rule_id}-column-corner",
            )
        return found.unit, found.scale, f"{found.rule_id}-column"
    if len(marks) == 1:
        unit = next(iter(marks))
        scale = corner.scale if corner and unit in money.money_units() else 1.0
        return unit, scale, "tbl-column-cells"
    if corner:
        return corner.unit, corner.scale, f"{corner.rule_id}-corner"
    for text, rule in ((row.label, "tbl-row"), (row.table.caption, "tbl-caption")):
        found = money.header_unit(text, currency)
        if found is not None and (rule != "tbl-row" or found.unit != "percent"):
            return found.unit, found.scale, f"{found.rule_id}-{rule.split('-')[1]}"
    return "count", 1.0, "tbl-cell-number"


def _corner_unit(
    header: list[str], label_cols: int, caption: str | None, currency: str
) -> money.HeaderUnit | None:
    """What the whole table is printed in: a bare currency or scale over its label
    column ("£m", "£'000", "($000)" in the top-left cell), else a caption's scaled
    currency ("Income and expenditure (£m)")."""
    for h in header[:label_cols]:
        found = money.header_unit(h, currency)
        if found and found.unit in money.money_units() and (found.scale != 1.0 or not _norm(money_free(h))):
            return found  # "£m", "Programme (A$'000)"
    if caption and money.currency_in(caption):
        found = money.header_unit(caption, currency)
        if found and found.unit in money.money_units() and found.scale != 1.0:
            return found
    return None


def _value(cell: _Cell, scale: float) -> float:
    """The cell's number, scaled by its own suffix or else the header's, and signed:
    brackets or a minus, and a trailing "A"/"adv" (adverse) make it negative."""
    m = cell.match
    value = float(m.group("num").replace(",", ""))
    suffix = (m.group("scale") or "").lower()
    value = round(value * {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}.get(suffix, scale), 6)
    negative = bool(m.group("open") or m.group("open2")) or (m.group("flag") or "").lower() in ("a", "adv")
    return -value if negative else value


def _strip_periods(header: str) -> str:
    return " ".join(w for w in header.split() if not _is_period_word(w))


def _measure(label: str | None, header: str, numbers_in_row: int) -> str | None:
    """ "Clerk salary (Totals)": the row label with the column header's words
    (its period words left to the period); the header alone for an unlabelled row."""
    words = _strip_periods(money_free(header))
    if label and words and (numbers_in_row > 1 or _norm(words) not in {"amount", "value", "total", "totals"}):
        return f"{label} ({words})" if numbers_in_row > 1 else label
    return label or words or None


def money_free(header: str) -> str:
    """A header without its currency marks and scale: "Total £s" -> "Total", "(£'000)" -> ""."""
    text = re.sub(r"\(?([A-Z]{1,3}\$|[£$€])\s*('?0{3}s?|'?(?:k|m|bn)\b|s)?\)?", " ", header or "")
    return " ".join(text.split())


def _period(col_header: str, row: RowView) -> tuple[dt.date | None, dt.date | None]:
    """The column header's period, else the row label's when the label is a period
    ("October 2025 | 81.9 | 47.2": a run-rate table), else the caption's."""
    found = period_of_text(money_free(col_header), row.table.ctx) if col_header else None
    if not found and _is_period_label(row.label):
        found = period_of_text(row.label, row.table.ctx)
    found = found or row.table.caption_period
    return found if found else (None, None)


def _is_period_label(label: str | None) -> bool:
    words = (label or "").split()
    return bool(words) and all(_is_period_word(w) for w in words)


def _derived_money(typed: list[tuple]) -> list[tuple]:
    """ "Budget £ | Spent | Remaining": a column derived from money columns
    (``derived_headers``) whose cells carry no unit is money like them."""
    money_cells = [(u, s) for _, _, u, s, _ in typed if u in money.money_units()]
    if not money_cells:
        return typed
    derived = {_norm(h) for h in _vocab().get("derived_headers", [])}
    out = []
    for cell, header, unit, scale, rule in typed:
        if rule == "tbl-cell-number" and derived & set(_norm(header).split()):
            unit, scale, rule = *money_cells[0], "tbl-column-derived"
        out.append((cell, header, unit, scale, rule))
    return out


def row_figures(para: Paragraph, row: RowView, currency: str, low: bool) -> list[Figure]:
    """The figures of one data row's number cells; numbers before the row's label
    ("4.2 | Budget update") are item numbers, not figures."""
    cells = _cells_of(para)
    header = list(row.header)
    label_col = next((n for n, c in enumerate(para.cells or ()) if _has_words(c)), 0)
    first_num = min((c.column for c in cells if c.column >= label_col), default=0)
    corner = _corner_unit(header, first_num, row.table.caption, currency)
    typed = []
    for cell in cells:
        col_header = header[cell.column] if cell.column < len(header) else ""
        if cell.column < label_col or is_reference_header(col_header):
            continue
        typed.append((cell, col_header, *_unit(cell, col_header, row, currency, corner)))
    out = []
    for cell, col_header, unit, scale, rule in _derived_money(typed):
        if YEAR_CELL.match(cell.text) and unit == "count":
            continue
        label = None if _is_period_label(row.label) else row.label
        measure = _measure(label, col_header, len(cells))
        start, end = _period(col_header, row)
        out.append(
            Figure(
                para=para.seq,
                text=cell.text,
                value=_value(cell, scale),
                unit=unit,
                page=para.page_at(cell.char_start),
                char_start=cell.char_start,
                char_end=cell.char_start + len(cell.text),
                rule_id=rule,
                measure=measure,
                metric_key=metric_key(measure),
                period_start=start.isoformat() if start else None,
                period_end=end.isoformat() if end else None,
                as_of=row.table.as_of.isoformat() if row.table.as_of and not end else None,
                low_confidence=low,
            )
        )
    return out
