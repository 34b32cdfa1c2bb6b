"""Citing where a value was printed: one numbered :class:`Source` per place.

Each distinct (paper, paragraph, page) is numbered the first time a brief
cites it; a figure read from a table cell is cited by that cell's row and
column headers. Every source links to the Datasette source view
(``{base}/-/source/{paper}/{page}?paragraph=…``) that shows the printed page
with the place highlighted.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .comparison import Source
from .table_cells import cell_headers, row_label

EXCERPT_CHARS = 240
# Where `boardpapers serve` listens by default: the source view links of a brief start here.
DEFAULT_SOURCE_BASE = "http://127.0.0.1:8001"


def source_href(
    base: str | None, paper_id: str, page: int | None, paragraph_id=None, figure_id=None
) -> str | None:
    """The source-view URL of a place in a paper (None without a page or a base)."""
    if base is None or page is None:
        return None
    args = {k: v for k, v in (("paragraph", paragraph_id), ("figure", figure_id)) if v is not None}
    return f"{base.rstrip('/')}/-/source/{paper_id}/{int(page)}" + (f"?{urlencode(args)}" if args else "")


def _excerpt(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


class Citations:
    """Numbers each distinct place the first time it is cited.

    ``papers`` maps paper id to its papers row (for month, title and meeting
    date); ``months`` maps paper id to the month the brief gives it."""

    def __init__(self, papers: dict[str, dict], months: dict[str, str | None], base: str | None):
        self.papers = papers
        self.months = months
        self.base = base
        self.by_key: dict[tuple, Source] = {}

    def cite(self, row: dict) -> Source:
        page = row.get("page") if row.get("page") is not None else row.get("paragraph_page")
        figure_id = row.get("id") if "metric_key" in row else None
        cell = cell_headers(row) if figure_id is not None else None
        # a titled record (an action-log row) is named by its title already: its row needs no name
        cell_name = (
            " / ".join(cell) if cell else ("row" if row.get("title") and row_label(row) else row_label(row))
        )
        key = (row["paper_id"], row.get("paragraph_id"), page, cell_name)
        if key not in self.by_key:
            paper = self.papers.get(row["paper_id"], {})
            self.by_key[key] = Source(
                n=len(self.by_key) + 1,
                paper_id=row["paper_id"],
                month=self.months.get(row["paper_id"]),
                paragraph=row.get("paragraph_number"),
                page=page,
                excerpt=_excerpt(row.get("paragraph_text")),
                cell=cell_name,
                href=source_href(self.base, row["paper_id"], page, row.get("paragraph_id"), figure_id),
                paper_title=paper.get("title"),
                meeting_date=paper.get("meeting_date"),
            )
        return self.by_key[key]

    __call__ = cite

    def sources(self) -> tuple[Source, ...]:
        return tuple(sorted(self.by_key.values(), key=lambda s: s.n))
