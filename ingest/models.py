"""The values that flow out of ingest: pages, lines, paragraphs and the paper.

Every stage exchanges frozen dataclasses. Coordinates are PDF points with the
origin at the top-left of the page as the reader sees it (pdfplumber's
``x0``/``top``/``x1``/``bottom``); page numbers are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PARAGRAPH_KINDS = ("heading", "paragraph", "bullet", "action_title", "table_row", "footnote")
PAPER_STATUSES = ("ok", "partial", "failed", "rejected")


@dataclass(frozen=True)
class Word:
    """One word as printed, with its font and box."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    fontname: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    conf: float | None = None  # OCR confidence 0-100; None for a text layer


@dataclass(frozen=True)
class Line:
    """Words that share a baseline, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max((w.size for w in self.words), default=0.0)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words if w.text.strip())

    @property
    def italic(self) -> bool:
        return all(w.italic for w in self.words if w.text.strip())


@dataclass(frozen=True)
class Table:
    """A table found on a page: rows of cell strings (None for an empty cell)."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: tuple[tuple[str | None, ...], ...]
    row_boxes: tuple[tuple[float, float, float, float], ...] = ()
    fills: tuple[tuple[str | None, ...], ...] = ()  # colour name behind each cell (RAG ratings), row by row


@dataclass(frozen=True)
class Page:
    """One page read the way a reader sees it."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    tables: tuple[Table, ...] = ()
    source: str = "text"  # "text", "ocr" or "none"
    flags: tuple[str, ...] = ()  # "needs_ocr", "cid_garbage", "error", "rotated", "ocr_low_confidence"
    error: str | None = None
    ocr_confidence: float | None = None
    chars: int = 0
    furniture: tuple[Line, ...] = ()  # sidebar/margin-column lines kept out of the body


@dataclass(frozen=True)
class Span:
    """Where characters ``start:end`` of a paragraph's text were printed."""

    start: int
    end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph, heading, bullet, table row or footnote.

    ``seq`` is the 0-based reading order within the paper and is how extracted
    records point back at their paragraph before the database assigns ids.
    """

    seq: int
    kind: str
    text: str
    page_start: int
    page_end: int
    x0: float
    top: float
    x1: float
    bottom: float
    number: str | None = None
    section: int | None = None  # index into Document.sections
    cells: tuple[str, ...] | None = None  # table_row: the row's cells
    header: tuple[str, ...] | None = None  # table_row: the table's header row
    cell_fills: tuple[str | None, ...] | None = None  # table_row: colour behind each cell ("green")
    footnote_marker: str | None = None  # footnote: its marker; body: markers it calls
    confidence: float | None = None  # mean OCR confidence of its words
    spans: tuple[Span, ...] = ()

    def page_at(self, char: int) -> int:
        """The page on which character ``char`` of the text was printed."""
        for s in self.spans:
            if s.start <= char < s.end or char < s.start:
                return s.page
        return self.spans[-1].page if self.spans else self.page_start

    def box_of(self, start: int, end: int) -> tuple[int, float, float, float, float] | None:
        """Union box (page, x0, top, x1, bottom) of the words covering ``start:end``
        on the first page they touch."""
        hit = [s for s in self.spans if s.start < end and s.end > start]
        if not hit:
            return None
        page = hit[0].page
        hit = [s for s in hit if s.page == page]
        return (
            page,
            min(s.x0 for s in hit),
            min(s.top for s in hit),
            max(s.x1 for s in hit),
            max(s.bottom for s in hit),
        )


@dataclass(frozen=True)
class Section:
    """A numbered or headed section; ``parent`` indexes Document.sections."""

    number: str | None
    title: str
    level: int
    page: int
    parent: int | None = None


@dataclass(frozen=True)
class PaperMeta:
    """What the paper says about itself: addressee, author, dates, title."""

    title: str | None = None
    board: str | None = None
    author: str | None = None
    date_printed: str | None = None  # as printed, e.g. "23rd January 2019"
    meeting_date: str | None = None  # ISO, best supported
    footer: str | None = None  # the running footer text, if any
    header: str | None = None  # the running header text, if any
    warnings: tuple[str, ...] = ()
    kind: str | None = None  # minutes/action_log/report/agenda/accounts/other (nlp.paper)
    reporting_period_end: str | None = None  # ISO, where the paper states it (nlp.paper)
    month: str | None = None  # YYYY-MM: meeting month, else its own date, else the file name's (nlp.paper)
    series_title: str | None = None  # the title's words that name its series (nlp.paper)
    sources: tuple[tuple[str, str], ...] = ()  # (field, where its value came from), nlp.paper
    # Where ingest found what the paper says about itself, as printed; nlp.paper interprets it.
    fields: tuple[tuple[str, str, str], ...] = ()  # (label, value, where): cover-table cells, memo lines
    title_lines: tuple[tuple[str, float, int], ...] = ()  # (text, size, group): prominent lines atop page 1
    head_lines: tuple[str, ...] = ()  # page 1's first body lines, in reading order
    file_name: str | None = None  # the file's name, a last resort for date and title
    furniture: tuple[tuple[str, str], ...] = ()  # (kind, text): letterhead, header, footer, sidebar


@dataclass(frozen=True)
class Document:
    """Everything ingest learned about one file; what a worker returns."""

    path: str
    sha256: str
    size: int
    status: str  # one of PAPER_STATUSES
    error: str | None = None
    pages: int = 0
    meta: PaperMeta = field(default_factory=PaperMeta)
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    page_info: tuple[Page, ...] = ()  # pages without lines/tables: flags and sources only
    warnings: tuple[str, ...] = ()
