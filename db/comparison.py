"""The values a comparison is made of: frozen dataclasses the brief templates read.

A :class:`Comparison` holds one paper against an earlier one of its series:
metric changes, restated values, action changes, overdue actions, ambiguous
matches, priority areas, reversed trends, newly named operations and
warnings. Every line carries a :class:`Source` (paper, paragraph or table
cell, page, and a link to the source view) so a brief can cite it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Action status classes from least to most advanced; a move to a lower rank goes backwards.
STATUS_RANK = {
    "planned": 0,
    "in_progress": 1,
    "on_track": 1,
    "at_risk": 1,
    "delayed": 1,
    "completed": 2,
}
# Within the middle rank, how well the action is doing (higher is better).
STATUS_HEALTH = {"delayed": 0, "at_risk": 1, "in_progress": 2, "on_track": 2}


class BriefError(ValueError):
    """A brief cannot be made for the papers asked for."""


@dataclass(frozen=True)
class Source:
    """Where a value was printed: paper, paragraph number or table cell, and page.

    ``n`` numbers it in the brief; ``href`` opens the page in the source view
    with the paragraph (and figure) highlighted."""

    n: int
    paper_id: str
    month: str | None
    paragraph: str | None
    page: int | None
    excerpt: str = ""
    cell: str | None = None  # "row header / column header" for a table cell, "row …" for a table row
    href: str | None = None
    paper_title: str | None = None
    meeting_date: str | None = None

    @property
    def label(self) -> str:
        where = [f"¶{self.paragraph}"] if self.paragraph else []
        if self.cell:
            where.append(f"cell {self.cell}")
        if self.page is not None:
            where.append(f"p.{self.page}")
        return f"{self.paper_id[:8]} " + ", ".join(where) if where else self.paper_id[:8]

    @property
    def date(self) -> str | None:
        """The meeting date of the paper it comes from, else its month."""
        return self.meeting_date or self.month


@dataclass(frozen=True)
class PaperRef:
    id: str
    title: str | None
    board: str | None
    author: str | None
    series: str | None
    month: str | None
    meeting_date: str | None
    reporting_period_end: str | None
    file: str
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """How a reader knows the paper: its title, else its file name."""
        return self.title or self.file

    @property
    def date(self) -> str:
        """Its meeting date, else its month, else "undated"."""
        return self.meeting_date or self.month or "undated"


@dataclass(frozen=True)
class Point:
    """One value of a metric in one paper of the run (None: not reported)."""

    month: str | None
    paper_id: str
    value: float | None
    source: Source | None = None


@dataclass(frozen=True)
class MetricChange:
    """One metric (or table cell) in the two papers, compared only like with like:
    the same measure, unit, geography, period type and basis (or the same row and
    column of a table)."""

    key: str
    label: str
    unit: str
    geography: str | None
    status: str  # changed / unchanged / new / dropped
    previous: float | None = None
    current: float | None = None
    previous_period: str | None = None  # the period's end, else the date it is "as at", else the meeting
    current_period: str | None = None
    delta: float | None = None  # current - previous, in the metric's unit (pp for percent)
    relative: float | None = None  # delta / |previous| for non-percent units
    direction: str | None = None  # up / down / stable
    assessment: str | None = None  # good / bad when the vocabulary says which way is better
    previous_source: Source | None = None
    current_source: Source | None = None
    points: tuple[Point, ...] = ()
    period_type: str = "unstated"  # month / quarter / year_to_date / year / as_at / period / unstated
    basis: str = "actual"  # actual / budget / forecast / target
    cell: tuple[str, str] | None = None  # (row header, column header) for a table cell


@dataclass(frozen=True)
class Restatement:
    key: str
    label: str
    unit: str
    geography: str | None
    period_end: str
    earlier: float
    later: float
    earlier_source: Source
    later_source: Source


@dataclass(frozen=True)
class ActionChange:
    kind: str  # changed / unchanged / new / dropped
    title: str
    ref: str | None = None
    previous_title: str | None = None
    previous_status: str | None = None
    current_status: str | None = None
    status_text: str | None = None
    owner: str | None = None
    due: str | None = None
    matched_by: str | None = None  # ref / title / title+section
    similarity: float | None = None
    previous_source: Source | None = None
    current_source: Source | None = None
    # the same action narrated in the text when the source above is its action-log row
    narrative_source: Source | None = None

    @property
    def transition(self) -> str | None:
        """How the status moved: closed, reopened, backwards, worse, better, forwards (None if it did not)."""
        was, now = self.previous_status, self.current_status
        if self.kind != "changed" or not was or not now or "unknown" in (was, now):
            return None
        if now == "completed":
            return "closed"
        if was == "completed":
            return "reopened"
        if STATUS_RANK[now] < STATUS_RANK[was]:
            return "backwards"
        if STATUS_RANK[now] > STATUS_RANK[was]:
            return "forwards"
        return "worse" if STATUS_HEALTH[now] < STATUS_HEALTH[was] else "better"


@dataclass(frozen=True)
class Overdue:
    title: str
    ref: str | None
    due: str
    status: str
    source: Source
    owner: str | None = None


@dataclass(frozen=True)
class Ambiguity:
    """A match the comparison refused to guess: what, and the candidates."""

    kind: str  # action / metric
    text: str
    candidates: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Named:
    """A priority area or an operation: its key, name and source."""

    key: str
    name: str
    source: Source | None


@dataclass(frozen=True)
class Reversal:
    subject: str
    previous: str
    current: str
    previous_text: str
    current_text: str
    previous_source: Source
    current_source: Source


@dataclass(frozen=True)
class Warning:
    paper_id: str
    month: str | None
    text: str
    origin: str  # ingest / check
    source: Source | None = None


@dataclass(frozen=True)
class Comparison:
    current: PaperRef
    previous: PaperRef | None
    run: tuple[PaperRef, ...]
    metrics: tuple[MetricChange, ...] = ()
    restated: tuple[Restatement, ...] = ()
    actions: tuple[ActionChange, ...] = ()
    overdue: tuple[Overdue, ...] = ()
    ambiguous: tuple[Ambiguity, ...] = ()
    priorities_added: tuple[Named, ...] = ()
    priorities_dropped: tuple[Named, ...] = ()
    priorities_kept: tuple[Named, ...] = ()
    reversals: tuple[Reversal, ...] = ()
    new_operations: tuple[Named, ...] = ()
    warnings: tuple[Warning, ...] = ()
    sources: tuple[Source, ...] = ()
    generated_from: dict = field(default_factory=dict)

    def metrics_with(self, status: str) -> tuple[MetricChange, ...]:
        return tuple(m for m in self.metrics if m.status == status)

    def actions_with(self, kind: str) -> tuple[ActionChange, ...]:
        return tuple(a for a in self.actions if a.kind == kind)

    @property
    def summary(self) -> dict[str, int]:
        moved = [m for m in self.metrics if m.status == "changed"]
        changed = self.actions_with("changed")
        return {
            "metrics_compared": sum(1 for m in self.metrics if m.status in ("changed", "unchanged")),
            "metrics_up": sum(1 for m in moved if m.direction == "up"),
            "metrics_down": sum(1 for m in moved if m.direction == "down"),
            "metrics_good": sum(1 for m in moved if m.assessment == "good"),
            "metrics_bad": sum(1 for m in moved if m.assessment == "bad"),
            "metrics_new": len(self.metrics_with("new")),
            "metrics_dropped": len(self.metrics_with("dropped")),
            "restated": len(self.restated),
            "actions_changed": len(changed),
            "actions_closed": sum(1 for a in changed if a.transition == "closed"),
            "actions_backwards": sum(
                1 for a in changed if a.transition in ("reopened", "backwards", "worse")
            ),
            "actions_unchanged": len(self.actions_with("unchanged")),
            "actions_new": len(self.actions_with("new")),
            "actions_dropped": len(self.actions_with("dropped")),
            "actions_overdue": len(self.overdue),
            "ambiguous": len(self.ambiguous),
            "priorities_added": len(self.priorities_added),
            "priorities_dropped": len(self.priorities_dropped),
            "reversals": len(self.reversals),
            "new_operations": len(self.new_operations),
            "warnings": len(self.warnings),
        }
