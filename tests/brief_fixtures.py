"""Build small databases of papers by hand for the brief and series tests.

``add_paper`` stores one paper through ``db.store.save`` with one numbered
paragraph per record, so every record has a paragraph number and a page the
tests can check citations against (paragraph ``k`` is printed on page
``1 + k // 3``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlite_utils

from boardpapers.db.schema import migrate
from boardpapers.db.series import series_key
from boardpapers.db.store import save
from boardpapers.ingest.models import Document, PaperMeta, Paragraph, Section
from boardpapers.nlp.records import Action, Entity, Figure, PriorityArea, Records, Trend

BOARD = "Business Coordination Board"
AUTHOR = "Chief Constable"
TITLE = "Chief Constable's Update Report"


@dataclass(frozen=True)
class Fig:
    key: str
    value: float
    unit: str = "percent"
    period_end: str | None = None
    measure: str | None = None
    geography: str | None = None
    comparison: str | None = None
    period_start: str | None = None


@dataclass(frozen=True)
class Act:
    title: str
    status: str
    ref: str | None = None
    due: str | None = None
    owner: str | None = None
    section: str | None = None


def new_db() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    return db


def _page(seq: int) -> int:
    return 1 + seq // 3


def add_paper(
    db: sqlite_utils.Database,
    month: str,
    *,
    figures: list[Fig] = (),
    actions: list[Act] = (),
    priorities: list[str] = (),
    trends: list[tuple[str, str]] = (),
    operations: list[str] = (),
    warnings: list[str] = (),
    title: str = TITLE,
    board: str | None = BOARD,
    author: str | None = AUTHOR,
    meeting_date: str | None = "",
    path: str | None = None,
    texts: dict[int, str] | None = None,
) -> str:
    """Store one paper for ``month`` (``YYYY-MM``); returns its id."""
    meeting = f"{month}-20" if meeting_date == "" else meeting_date
    path = path or f"/archive/bcb-{month}.pdf"
    paragraphs: list[Paragraph] = []
    records: dict[str, list] = {k: [] for k in ("figures", "actions", "priority_areas", "trends", "entities")}

    sections: list[Section] = []

    def para(text: str, section: str | None = None) -> Paragraph:
        seq = len(paragraphs)
        index = None
        if section is not None:
            titles = [x.title for x in sections]
            if section not in titles:
                sections.append(Section(number=None, title=section, level=1, page=_page(seq)))
                titles.append(section)
            index = titles.index(section)
        text = (texts or {}).get(seq, text)
        p = Paragraph(
            seq=seq,
            kind="paragraph",
            text=text,
            page_start=_page(seq),
            page_end=_page(seq),
            x0=72,
            top=100 + 20 * (seq % 3),
            x1=500,
            bottom=115 + 20 * (seq % 3),
            number=f"4.{seq + 1}",
            section=index,
        )
        paragraphs.append(p)
        return p

    for f in figures:
        p = para(f"{f.measure or f.key} was {f.value:g} {f.unit} in the period ending {f.period_end}.")
        records["figures"].append(
            Figure(
                para=p.seq,
                text=f"{f.value:g}",
                value=f.value,
                unit=f.unit,
                page=p.page_start,
                char_start=0,
                char_end=len(p.text),
                rule_id="test",
                measure=f.measure,
                metric_key=f.key,
                period_start=f.period_start,
                period_end=f.period_end,
                geography=f.geography,
                comparison=f.comparison,
            )
        )
    for a in actions:
        p = para(f"'{a.title}' is {a.status}.", a.section)
        records["actions"].append(
            Action(
                para=p.seq,
                title=a.title,
                status=a.status,
                page=p.page_start,
                rule_id="test",
                ref=a.ref,
                due=a.due,
                owner=a.owner,
                status_text=a.status,
            )
        )
    for name in priorities:
        p = para(f"This month's priority area was {name}.")
        key = "_".join(name.lower().split())
        records["priority_areas"].append(
            PriorityArea(para=p.seq, name=name, key=key, rule_id="test", page=p.page_start)
        )
    for subject, direction in trends:
        p = para(f"{subject} went {direction} month on month.")
        records["trends"].append(
            Trend(
                para=p.seq,
                subject=subject,
                direction=direction,
                text=p.text,
                page=p.page_start,
                char_start=0,
                char_end=len(p.text),
                rule_id="test",
                horizon="month",
            )
        )
    for name in operations:
        p = para(f"{name} began this month.")
        records["entities"].append(
            Entity(
                para=p.seq,
                label="OPERATION",
                text=name,
                key=name.lower().replace(" ", "_"),
                page=p.page_start,
                char_start=0,
                char_end=len(name),
                rule_id="test",
            )
        )
    pages = _page(max(len(paragraphs) - 1, 0))
    meta = PaperMeta(
        title=f"{title} {month}", board=board, author=author, meeting_date=meeting, warnings=tuple(warnings)
    )
    doc = Document(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        size=1000,
        status="ok",
        pages=pages,
        meta=meta,
        paragraphs=tuple(paragraphs),
        sections=tuple(sections),
    )
    recs = Records(
        figures=tuple(records["figures"]),
        actions=tuple(records["actions"]),
        priority_areas=tuple(records["priority_areas"]),
        trends=tuple(records["trends"]),
        entities=tuple(records["entities"]),
        reporting_period_end=None,
    )
    return save(db, doc, recs, series=series_key(meta, path))
