"""Extracted records: what the nlp stage hands to the database.

Records point at their paragraph by ``para`` (``Paragraph.seq``); the database
turns that into ``paragraph_id``. ``char_start``/``char_end`` index the
paragraph's text and ``rule_id`` names the pattern or component that produced
the record, so every row can be traced back to its source and its rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("completed", "on_track", "in_progress", "planned", "delayed", "at_risk", "unknown")
DIRECTIONS = ("up", "down", "stable")
HORIZONS = ("month", "year", "long_term")
ENTITY_LABELS = ("OPERATION", "ORG", "PLACE", "PERSON", "SYSTEM")


@dataclass(frozen=True)
class Figure:
    para: int
    text: str
    value: float
    unit: str
    page: int
    char_start: int
    char_end: int
    rule_id: str
    qualifier: str | None = None
    measure: str | None = None
    metric_key: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    as_of: str | None = None
    geography: str | None = None
    comparison: str | None = None
    low_confidence: bool = False  # from OCR'd words below the confidence threshold


@dataclass(frozen=True)
class DateMention:
    para: int
    text: str
    start: str | None
    end: str | None
    granularity: str  # day/month/quarter/year/period
    page: int
    char_start: int
    char_end: int
    rule_id: str


@dataclass(frozen=True)
class PriorityArea:
    para: int
    name: str
    key: str
    rule_id: str
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True)
class Action:
    para: int
    title: str
    status: str
    page: int
    rule_id: str
    ref: str | None = None
    owner: str | None = None
    due: str | None = None
    status_text: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    narrative: str | None = None
    item: str | None = None  # minutes: the item (minute number) the action was minuted under
    updates_ref: str | None = None  # matters arising: the previous minutes' item number it follows up
    updates_key: str | None = None  # matters arising: words to match the action it updates


@dataclass(frozen=True)
class Trend:
    para: int
    subject: str
    direction: str
    text: str
    page: int
    char_start: int
    char_end: int
    rule_id: str
    horizon: str | None = None


@dataclass(frozen=True)
class Entity:
    para: int
    label: str
    text: str
    key: str
    page: int
    char_start: int
    char_end: int
    rule_id: str


@dataclass(frozen=True)
class Decision:
    """A decision minuted ("RESOLVED that …", "It was agreed …")."""

    para: int
    text: str  # the sentence that records the decision
    page: int
    char_start: int
    char_end: int
    rule_id: str
    item: str | None = None
    title: str | None = None  # the topic it decides, from the topic's start to the decision


@dataclass(frozen=True)
class Attendee:
    """A name in the minutes' attendance: present, apologies, absent, in_attendance."""

    para: int
    name: str
    role: str
    page: int
    char_start: int
    char_end: int
    rule_id: str
    initials: str | None = None
    detail: str | None = None  # "Chair", "SCC", …


@dataclass(frozen=True)
class MinuteItem:
    """A numbered item of minutes with its title."""

    para: int
    number: str
    title: str
    page: int
    char_start: int
    char_end: int
    rule_id: str


@dataclass(frozen=True)
class Records:
    """All records extracted from one paper, plus what extraction learned
    about the paper itself (its reporting period)."""

    figures: tuple[Figure, ...] = ()
    dates: tuple[DateMention, ...] = ()
    priority_areas: tuple[PriorityArea, ...] = ()
    actions: tuple[Action, ...] = ()
    trends: tuple[Trend, ...] = ()
    entities: tuple[Entity, ...] = ()
    decisions: tuple[Decision, ...] = ()
    attendance: tuple[Attendee, ...] = ()
    minute_items: tuple[MinuteItem, ...] = ()
    reporting_period_end: str | None = None
    warnings: tuple[str, ...] = field(default=())
