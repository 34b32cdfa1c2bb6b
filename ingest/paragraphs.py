"""Body lines -> numbered paragraphs, headings, bullets, action titles, footnotes and table rows.

A paragraph starts where the reader sees one start: a number or bullet after
a finished sentence or a hanging gap, a blank gap, or a change of style
(bold heading, italic title). It continues across page and column breaks
while the sentence is unfinished. A numbered paragraph followed by its own
sub-numbers ("6.1" then "6.1.1") is a section heading.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from boardpapers.ingest import tables
from boardpapers.ingest.models import Line, Paragraph, Section, Span, Table, Word

DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")  # 1.1  4.2.1  08.23.05  1.0
BARE = re.compile(r"^\d{1,3}[.)]?$")  # 5.  5)  5
LETTERED = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4})\)$|^\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)$", re.I)  # (a) a) (iv)
BULLETS = frozenset("•-–—▪●◦○■□➢►✓*·")
FOOTNOTE_MARK = re.compile(r"^(\d{1,2}|[*†‡§])[.)]?$")
SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
GLUED_SUPERSCRIPT = re.compile(r"(?<=\w)([¹²³⁴⁵⁶⁷⁸⁹⁰]+)$")
QUOTES = "'‘’\"“”"
SENTENCE_END = re.compile(r"[.!?:;]['’\"”)]*$")
OWNER_END = re.compile(r"\([^()]{1,60}\)\s*$")  # "(Owner Name)" ending a title's last line
HEADING_MAX_CHARS = 160
HEADING_MAX_WORDS = 8  # "8.0 Recommendation": an X.0 number over a short title is a heading
PARA_GAP = 0.5  # blank space (in font sizes) that separates two paragraphs
HANG_GAP = 0.6  # gap after a number (in font sizes) that marks a hanging number


@dataclass
class PageBody:
    """What paragraphs are built from: one page's body lines and tables."""

    number: int
    height: float
    lines: list[Line]
    tables: list[Table] = field(default_factory=list)


@dataclass
class _Unit:
    kind: str
    lines: list[Line]
    number: str | None = None
    marker_word: Word | None = None  # the number or bullet word, kept out of the text
    footnote_marker: str | None = None
    table: Table | None = None
    row: int = 0
    header: tuple[str, ...] | None = None


def body_font_size(pages: list[PageBody]) -> float:
    sizes = [w.size for p in pages for ln in p.lines for w in ln.words for _ in w.text if w.size]
    return statistics.median(sizes) if sizes else 10.0


def to_paragraphs(pages: list[PageBody]) -> tuple[list[Paragraph], list[Section]]:
    """Build paragraphs and sections for a whole document, in reading order."""
    size = body_font_size(pages)
    units: list[_Unit] = []
    pending: list[_Unit] = []  # footnotes wait until the paragraph they interrupt has ended
    last_table: tuple[int, Table, tuple[str, ...] | None] | None = None
    split = [_split_footnotes(page.lines, size) for page in pages]
    columns = tables.find_columns([ln for body, _ in split for ln in body], size)
    for page, (body, notes) in zip(pages, split, strict=True):
        body, aligned = tables.split_aligned(body, columns, page.number, size)
        stream: list[Line | Table] = list(body)
        for t in sorted([*page.tables, *aligned], key=lambda t: t.bbox[1]):
            at = next(
                (i for i, ln in enumerate(stream) if isinstance(ln, Line) and ln.top > t.bbox[1]), len(stream)
            )
            stream.insert(at, t)
        for item in stream:
            if isinstance(item, Table):
                last_table = _add_table(units, item, last_table, page.number)
            else:
                _add_line(units, _strip_superscripts(item), size, pending)
        for note in notes:
            _add_footnote_line(pending, note)
    units.extend(pending)
    _infer_headers(units)
    _mark_headings(units, size)
    return _finish(units)


def _split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """Small-type lines below the body text that start with a marker."""
    body_bottom = max((ln.bottom for ln in lines if ln.size >= 0.9 * size), default=0)
    notes = [ln for ln in lines if ln.top > body_bottom and ln.size <= 0.85 * size]
    if not notes or not FOOTNOTE_MARK.match(notes[0].words[0].text):
        return lines, []
    keep = set(map(id, notes))
    return [ln for ln in lines if id(ln) not in keep], notes


def _strip_superscripts(line: Line) -> Line:
    """Drop footnote calls (raised small digits, or ¹²³ glued to a word) from body text.

    The call is kept on the word's fontname slot as ``^marker`` so the paragraph
    can record which footnote it calls."""
    sizes = [w.size for w in line.words if w.size]
    if not sizes:
        return line
    big = max(sizes)
    bottom = max(w.bottom for w in line.words)
    words: list[Word] = []
    for w in line.words:
        raised = w.size and w.size <= 0.8 * big and w.bottom < bottom - 0.15 * big
        if raised and FOOTNOTE_MARK.match(w.text) and words:
            prev = words[-1]
            words[-1] = Word(**{**prev.__dict__, "fontname": prev.fontname + "^" + w.text.rstrip(".)")})
            continue
        glued = GLUED_SUPERSCRIPT.search(w.text)
        if glued:
            mark = glued.group(1).translate(SUPERSCRIPT_DIGITS)
            w = Word(**{**w.__dict__, "text": w.text[: glued.start()], "fontname": w.fontname + "^" + mark})
        words.append(w)
    return Line(page=line.page, words=tuple(words)) if words else line


def _lead(line: Line, size: float) -> tuple[str | None, str | None]:
    """(number, bullet) the line starts with, if any.

    A bare integer ("90 active volunteers") only counts when it hangs in a
    number column; the caller also wants the previous sentence finished."""
    words = line.words
    if len(words) < 2:
        return None, None
    first, second = words[0].text, words[1]
    hang = second.x0 - words[0].x1 >= HANG_GAP * (words[0].size or size)
    if first in BULLETS or (first == "o" and hang):
        return None, first
    if DOTTED.match(first) or LETTERED.match(first):
        return first.rstrip("."), None
    if BARE.match(first) and first[-1] in ".)":
        return first.rstrip(".)"), None
    if BARE.match(first) and hang:
        return first.rstrip(".)"), None
    return None, None


def _add_line(units: list[_Unit], line: Line, size: float, pending: list[_Unit]) -> None:
    number, bullet = _lead(line, size)
    prev = units[-1] if units else None
    starts = (
        prev is None or prev.kind in ("table_row", "footnote") or _breaks(prev, line, number or bullet, size)
    )
    if not starts:
        prev.lines.append(line)
        return
    units.extend(pending)
    pending.clear()
    kind = "bullet" if bullet else "paragraph"
    lead = line.words[0] if (number or bullet) else None
    units.append(_Unit(kind=kind, lines=[line], number=number, marker_word=lead))


def _breaks(prev: _Unit, line: Line, lead: str | None, size: float) -> bool:
    last = prev.lines[-1]
    finished = bool(SENTENCE_END.search(last.text))  # the unit's text ends as its last line does
    same_flow = last.page == line.page and line.top > last.top
    if not same_flow:  # page or column break: continue an unfinished sentence in the same style
        return bool(lead) or finished or _mostly_italic(prev.lines) != _mostly_italic([line])
    gap = line.top - last.bottom
    if gap > PARA_GAP * (line.size or size):
        return True
    if lead and finished:
        return True
    if lead and _hanging(line, size) and not line.words[0].text.isdigit():
        return True
    if not lead and _title_open(prev) and (line.words[0].italic or OWNER_END.fullmatch(line.text.strip())):
        return False  # an italic title wrapping onto a line that ends "(Owner Name)"
    if _style(last) != _style(line):
        return True
    return False


def _title_open(u: _Unit) -> bool:
    """An italic quoted title still taking its lines (its owner not yet given)."""
    first = next((w for ln in u.lines for w in ln.words if w is not u.marker_word), None)
    if first is None or first.text[:1] not in QUOTES or not _mostly_italic(u.lines):
        return False
    return not OWNER_END.search(u.lines[-1].text)


def _mostly_italic(lines: list[Line]) -> bool:
    words = [w for ln in lines for w in ln.words]
    total = sum(len(w.text) for w in words) or 1
    return sum(len(w.text) for w in words if w.italic) / total >= 0.6


def _hanging(line: Line, size: float) -> bool:
    w = line.words
    return len(w) > 1 and w[1].x0 - w[0].x1 >= HANG_GAP * (w[0].size or size)


def _style(line: Line) -> tuple[bool, bool]:
    words = line.words[1:] if len(line.words) > 1 and (DOTTED.match(line.words[0].text)) else line.words
    bold = all(w.bold for w in words)
    italic = all(w.italic for w in words)
    return bold, italic


def _add_footnote_line(units: list[_Unit], line: Line) -> None:
    first = line.words[0].text
    if FOOTNOTE_MARK.match(first) and len(line.words) > 1:
        mark = first.rstrip(".)")
        units.append(_Unit(kind="footnote", lines=[line], marker_word=line.words[0], footnote_marker=mark))
    elif units and units[-1].kind == "footnote":
        units[-1].lines.append(line)
    else:
        units.append(_Unit(kind="footnote", lines=[line]))


def _add_table(units, table: Table, last, page: int):
    """One unit per data row. The first row is the header only when it reads
    like one; a table continuing the one before (same width, this or the
    previous page) keeps its header and drops a repeat of it."""
    rows = [tuple(c or "" for c in r) for r in table.rows]
    width = len(rows[0])
    header: tuple[str, ...] | None = None
    start = 0
    if tables.is_header_row(rows[0]):
        header, start = rows[0], 1
    elif last is not None and last[0] >= page - 1 and len(last[1].rows[0]) == width and last[2] is not None:
        header = last[2]
    for i in range(start, len(rows)):
        if not any(c.strip() for c in rows[i]):
            continue
        units.append(_Unit(kind="table_row", lines=[], table=table, row=i, header=header))
    return (page, table, header)


def _infer_headers(units: list[_Unit]) -> None:
    """Name the columns of headerless logs: runs of same-width rows with at
    most short headings between them, read together."""
    runs: list[list[_Unit]] = []
    prev_at = 0  # where the last unit of the last run stands in ``units``
    for n, u in enumerate(units):
        if u.kind != "table_row" or u.header is not None:
            continue
        prev = runs[-1][-1] if runs else None
        between = units[prev_at + 1 : n] if prev is not None else []
        prev_at = n
        joined = (
            prev is not None
            and len(prev.table.rows[prev.row]) == len(u.table.rows[u.row])
            and u.table.page - prev.table.page <= 1
            and all(b.kind != "table_row" and not b.number and len(b.lines) <= 2 for b in between)
        )
        if joined:
            runs[-1].append(u)
        else:
            runs.append([u])
    for run in runs:
        header = tables.infer_header([tuple(c or "" for c in u.table.rows[u.row]) for u in run])
        for u in run:
            u.header = header


def _norm(row) -> tuple[str, ...]:
    return tuple(" ".join((c or "").lower().split()) for c in row)


def _mark_headings(units: list[_Unit], size: float) -> None:
    numbered = [u for u in units if u.number and u.kind == "paragraph"]
    for u, nxt in zip(numbered, numbered[1:] + [None], strict=False):
        text = _plain(u)
        if len(text) > HEADING_MAX_CHARS or text.endswith("."):
            continue
        key = _section_key(u.number)
        has_children = nxt is not None and _section_key(nxt.number).startswith(key + ".")
        styled = _is_styled(u, size) and (key.count(".") == 0)
        short_title = u.number.endswith(".0") and len(text.split()) <= HEADING_MAX_WORDS
        if has_children or styled or short_title:
            u.kind = "heading"
    for u, nxt in zip(units, units[1:] + [None], strict=False):
        if u.kind == "paragraph" and not u.number and nxt is not None and nxt.kind == "table_row":
            if _is_label(u) and all(w.italic for w in _words(u)):
                u.kind = "heading"  # an italic group title over a table's rows
        if u.kind == "paragraph" and not u.number and _is_styled(u, size):
            text = _plain(u)
            if (
                len(text) <= HEADING_MAX_CHARS
                and not SENTENCE_END.search(text.rstrip(":"))
                and len(u.lines) <= 2
            ):
                u.kind = "heading"
        if u.kind == "paragraph" and _is_action_title(u):
            u.kind = "action_title"


def _is_label(u: _Unit) -> bool:
    text = _plain(u)
    return (
        bool(text) and len(text) <= HEADING_MAX_CHARS and not SENTENCE_END.search(text) and len(u.lines) <= 2
    )


def _section_key(number: str) -> str:
    n = number.strip("()").rstrip(".")
    return n[:-2] if n.endswith(".0") else n


def _words(u: _Unit) -> list[Word]:
    return [w for ln in u.lines for w in ln.words if w is not u.marker_word]


def _plain(u: _Unit) -> str:
    return " ".join(w.text for w in _words(u)).strip()


def _is_styled(u: _Unit, size: float) -> bool:
    words = _words(u)
    if not words:
        return False
    return all(w.bold for w in words) or min(w.size for w in words) >= 1.15 * size


def _is_action_title(u: _Unit) -> bool:
    words = _words(u)
    if not words:
        return False
    italic = sum(len(w.text) for w in words if w.italic) / sum(len(w.text) for w in words)
    return italic >= 0.6 and (bool(u.number) or words[0].text[:1] in QUOTES)


def _dehyphenate(words: list[Word], lines: list[Line]) -> list[Word]:
    ends = {id(ln.words[-1]) for ln in lines if ln.words}
    out: list[Word] = []
    for w in words:
        if out and id(out[-1]) in ends and out[-1].text.endswith("-") and len(out[-1].text) > 2:
            prev = out[-1]
            if prev.text[-2].islower() and w.text[:1].islower():
                merged = Word(**{**prev.__dict__, "text": prev.text[:-1]})
                out[-1] = merged
                out.append(Word(**{**w.__dict__, "fontname": w.fontname + "~join"}))
                continue
        out.append(w)
    return out


def _text_and_spans(words: list[Word]) -> tuple[str, list[Span], list[str]]:
    text = ""
    spans: list[Span] = []
    calls: list[str] = []
    for w in words:
        join = w.fontname.endswith("~join")
        font = w.fontname.removesuffix("~join")
        if "^" in font:
            calls.append(font.rsplit("^", 1)[1])
        if text and not join:
            text += " "
        start = len(text)
        text += w.text
        spans.append(Span(start, len(text), 0, w.x0, w.top, w.x1, w.bottom))
    return text, spans, calls


def _finish(units: list[_Unit]) -> tuple[list[Paragraph], list[Section]]:
    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    stack: list[tuple[int, int]] = []  # (level, section index)
    for u in units:
        if u.kind == "table_row":
            paragraphs.append(_table_paragraph(u, len(paragraphs), stack[-1][1] if stack else None))
            continue
        words: list[tuple[Word, int]] = [
            (w, ln.page) for ln in u.lines for w in ln.words if w is not u.marker_word
        ]
        if not words:
            continue
        pages = [p for _, p in words]
        clean = _dehyphenate([w for w, _ in words], u.lines)
        text, spans, calls = _text_and_spans(clean)
        spans = [
            Span(s.start, s.end, p, s.x0, s.top, s.x1, s.bottom) for s, p in zip(spans, pages, strict=True)
        ]
        first = u.lines[0]
        on_first = [ln for ln in u.lines if ln.page == first.page]
        if u.kind == "heading":
            level = _section_key(u.number).count(".") + 1 if u.number else 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            sections.append(Section(number=u.number, title=text, level=level, page=first.page, parent=parent))
            stack.append((level, len(sections) - 1))
        confs = [w.conf for w, _ in words if w.conf is not None]
        marker = u.footnote_marker if u.kind == "footnote" else (",".join(dict.fromkeys(calls)) or None)
        paragraphs.append(
            Paragraph(
                seq=len(paragraphs),
                kind=u.kind,
                text=text,
                page_start=first.page,
                page_end=u.lines[-1].page,
                x0=min(ln.x0 for ln in on_first),
                top=min(ln.top for ln in on_first),
                x1=max(ln.x1 for ln in on_first),
                bottom=max(ln.bottom for ln in on_first),
                number=u.number,
                section=stack[-1][1] if stack else None,
                footnote_marker=marker,
                confidence=round(sum(confs) / len(confs), 1) if confs else None,
                spans=tuple(spans),
            )
        )
    return paragraphs, sections


def _table_paragraph(u: _Unit, seq: int, section: int | None) -> Paragraph:
    table = u.table
    cells = tuple(c or "" for c in table.rows[u.row])
    box = table.row_boxes[u.row] if u.row < len(table.row_boxes) else table.bbox
    text = " | ".join(cells)
    spans, pos = [], 0
    for c in cells:  # one span per cell, on the row's box (cell words are not kept separately)
        if c:
            spans.append(Span(pos, pos + len(c), table.page, *box))
        pos += len(c) + 3
    return Paragraph(
        seq=seq,
        kind="table_row",
        text=text,
        page_start=table.page,
        page_end=table.page,
        x0=box[0],
        top=box[1],
        x1=box[2],
        bottom=box[3],
        section=section,
        cells=cells,
        header=u.header,
        cell_fills=table.fills[u.row] if u.row < len(table.fills) else None,
        spans=tuple(spans),
    )
