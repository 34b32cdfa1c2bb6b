"""Gold files: a user's hand-checked extraction of one paper, read into dataclasses.

A gold file is YAML naming its paper with ``source_file:`` (the PDF's base
name) and listing, under ``figures``, ``dates``, ``actions``,
``priority_areas``, ``trends`` and ``paper``, what a careful reader takes
from it (see the header of any file in ``../shared/gold`` for the format).
A kind is scored only when its key is present; ``optional: true`` marks a
borderline entry that counts neither way.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

import yaml

from .normalise import iso, norm_para, norm_ref, norm_token, norm_unit, norm_words, to_float

STATUSES = ("completed", "on_track", "in_progress", "planned", "delayed", "at_risk", "unknown")
LIST_KINDS = ("figures", "dates", "actions", "trends")


@dataclass(frozen=True)
class GoldFigure:
    label: str
    values: tuple[float, ...]
    unit: str
    para: str | None = None
    measure_words: tuple[str, ...] = ()
    period_end: str | None = None
    as_of: str | None = None
    qualifier: str | None = None
    geography: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class GoldDate:
    text: str | None
    start: str | None
    end: str | None
    optional: bool = False


@dataclass(frozen=True)
class GoldAction:
    label: str
    ref: str | None
    title: str
    statuses: frozenset
    status: str | None
    owner: str | None = None
    due: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class GoldTrend:
    label: str
    para: str | None
    direction: str | None
    horizon: str | None
    subject_words: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class GoldMeta:
    meeting_date: str | None = None
    reporting_period_end: str | None = None
    board: str | None = None
    author: str | None = None
    date_warning: bool = False


@dataclass(frozen=True)
class GoldPaper:
    path: str
    source_file: str
    meta: GoldMeta
    figures: tuple[GoldFigure, ...] | None = None
    dates: tuple[GoldDate, ...] | None = None
    actions: tuple[GoldAction, ...] | None = None
    priority_areas: tuple[str, ...] | None = None
    trends: tuple[GoldTrend, ...] | None = None


@dataclass
class GoldSet:
    papers: list[GoldPaper] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_gold(paths) -> GoldSet:
    """Every gold file named in ``paths`` (files, or folders of *.yaml / *.yml)."""
    found = GoldSet()
    for path in _gold_files(paths, found.warnings):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            found.warnings.append(f"{path}: cannot read gold: {exc}")
            continue
        if not isinstance(data, dict):
            found.warnings.append(f"{path}: gold is not a mapping, skipped")
            continue
        if not data.get("source_file"):
            found.warnings.append(f"{path}: no source_file key, skipped")
            continue
        found.warnings += [f"{path.name}: {w}" for w in check_gold(data)]
        found.papers.append(read_paper(str(path), data))
    return found


def _gold_files(paths, warnings: list[str]) -> list[pathlib.Path]:
    files = []
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.name.endswith((".yaml", ".yml")))
        elif p.is_file():
            files.append(p)
        else:
            warnings.append(f"gold path not found: {p}")
    return files


def read_paper(path: str, data: dict) -> GoldPaper:
    """One gold file's mapping -> GoldPaper (kinds absent from the file stay None)."""

    def entries(kind, reader):
        items = data.get(kind)
        if items is None:
            return None
        return tuple(reader(it) for it in (items or []) if isinstance(it, dict))

    priorities = data.get("priority_areas")
    return GoldPaper(
        path=path,
        source_file=str(data["source_file"]),
        meta=_meta(data.get("paper") or {}),
        figures=entries("figures", _figure),
        dates=entries("dates", _date),
        actions=entries("actions", _action),
        priority_areas=None
        if priorities is None
        else tuple(str(x) for x in priorities or [] if x is not None),
        trends=entries("trends", _trend),
    )


def _figure(g: dict) -> GoldFigure:
    values = [to_float(g.get("value"))] + [to_float(v) for v in g.get("value_alt") or []]
    label = f"{g.get('value')} {g.get('unit')}"
    if g.get("para") is not None:
        label += f" para {g.get('para')}"
    if g.get("measure_words"):
        label += " [" + ", ".join(str(w) for w in g["measure_words"]) + "]"
    return GoldFigure(
        label=label,
        values=tuple(v for v in values if v is not None),
        unit=norm_unit(g.get("unit")),
        para=norm_para(g.get("para")),
        measure_words=tuple(g.get("measure_words") or ()),
        period_end=iso(g.get("period_end")) if g.get("period_end") else None,
        as_of=iso(g.get("as_of")) if g.get("as_of") else None,
        qualifier=g.get("qualifier") or None,
        geography=g.get("geography") or None,
        optional=bool(g.get("optional")),
    )


def _date(g: dict) -> GoldDate:
    if g.get("date") is not None:
        day = iso(g["date"])
        start, end = day, day
    else:
        start, end = iso(g.get("start")), iso(g.get("end"))
    return GoldDate(text=g.get("text"), start=start, end=end, optional=bool(g.get("optional")))


def _action(g: dict) -> GoldAction:
    statuses = {norm_token(g.get("status"))} | {norm_token(s) for s in g.get("status_alt") or []}
    return GoldAction(
        label=f"{g.get('ref') or ''} {g.get('title_starts') or ''}".strip(),
        ref=norm_ref(g.get("ref")),
        title=norm_words(g.get("title_starts")),
        statuses=frozenset(statuses),
        status=g.get("status"),
        owner=g.get("owner") or None,
        due=iso(g.get("due")) if g.get("due") else None,
        optional=bool(g.get("optional")),
    )


def _trend(g: dict) -> GoldTrend:
    label = f"{g.get('para') or ''} {g.get('subject_words')} {g.get('direction')} {g.get('horizon') or ''}"
    return GoldTrend(
        label=label.strip(),
        para=norm_para(g.get("para")),
        direction=norm_token(g.get("direction")),
        horizon=norm_token(g.get("horizon")) if g.get("horizon") else None,
        subject_words=tuple(g.get("subject_words") or ()),
        optional=bool(g.get("optional")),
    )


def _meta(g: dict) -> GoldMeta:
    return GoldMeta(
        meeting_date=iso(g.get("meeting_date")) if g.get("meeting_date") else None,
        reporting_period_end=iso(g.get("reporting_period_end")) if g.get("reporting_period_end") else None,
        board=g.get("to") or None,
        author=g.get("from") or None,
        date_warning=g.get("date_warning") is True,
    )


def check_gold(data: dict) -> list[str]:
    """Warnings about a gold mapping that YAML may have read other than meant."""
    warnings, numbers = [], set()
    for kind in LIST_KINDS:
        items = data.get(kind)
        if items is None:
            continue
        if not isinstance(items, list):
            warnings.append(f"{kind} is not a list")
            continue
        for item in items:
            warnings += _check_entry(kind, item, numbers)
    if numbers:
        warnings.append(
            "YAML read these as numbers (fine, but 7.10 would read as 7.1; quote such values): "
            + ", ".join(sorted(numbers))
        )
    return warnings + _overlapping_titles(data.get("actions") or [])


def _check_entry(kind: str, item, numbers: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return [f"{kind}: entry is not a mapping: {item!r}"]
    out = [
        f"{kind}: {k}={v!r} parsed as a boolean (quote it)"
        for k, v in item.items()
        if isinstance(v, bool) and k != "optional"
    ]
    if isinstance(item.get("para"), float):
        numbers.add(f"{kind} para {item['para']!r}")
    if kind == "actions":
        for status in [item.get("status")] + list(item.get("status_alt") or []):
            if status is not None and status not in STATUSES:
                out.append(f"actions: unknown status {status!r}")
    return out


def _overlapping_titles(actions) -> list[str]:
    out, seen = [], {}
    for a in actions:
        if not isinstance(a, dict) or not a.get("title_starts"):
            continue
        title = norm_words(a["title_starts"])
        for other, raw in seen.items():
            if other.startswith(title) or title.startswith(other):
                out.append(f"actions: title_starts {a['title_starts']!r} overlaps {raw!r}")
        seen[title] = a["title_starts"]
    return out
