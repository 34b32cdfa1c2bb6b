"""Scoring one paper's extraction against its gold, kind by kind.

Figures, dates, actions and trends are matched one-to-one (maximum bipartite
matching, entries that count before ``optional`` ones); priority areas are
compared as sets of names; paper metadata field by field. Each function
returns a dataclass of counts and ratios, with the misses and false
positives named by their text for ``--details``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .extracted import ActionRow, DateRow, FigureRow, PaperRow, TrendRow, warnings_text
from .gold import GoldAction, GoldDate, GoldFigure, GoldMeta, GoldTrend
from .normalise import (
    all_words_in,
    assign,
    f1,
    fuzzy_eq,
    iso,
    norm_ref,
    norm_token,
    norm_unit,
    norm_words,
    norm_ws,
    ratio,
    required_first,
    text_hit,
    to_float,
)

WARNING_DATE = re.compile(r"date", re.I)
WARNING_CONFLICT = re.compile(
    r"conflict|mismatch|differ|inconsist|disagree|contradict|footer|printed|\bvs\b|versus", re.I
)


@dataclass(frozen=True)
class Rate:
    """``ok`` of ``n`` checks passed."""

    n: int = 0
    ok: int = 0
    accuracy: float | None = None

    @classmethod
    def of(cls, ok: int, n: int) -> Rate:
        return cls(n=n, ok=ok, accuracy=ratio(ok, n))


@dataclass(frozen=True)
class FigureScore:
    gold: int
    optional: int
    extracted: int
    tp: int
    fp: int
    optional_matched: int
    duplicates: int  # false positives that repeat an already matched gold figure
    precision: float | None
    recall: float | None
    period: Rate
    qualifier: Rate
    geography: Rate
    measure: Rate  # matched figures whose extracted measure holds every measure word
    missed: list[str] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)  # matched, with a period, measure or qualifier wrong


def score_figures(gold: tuple[GoldFigure, ...], rows: tuple[FigureRow, ...]) -> FigureScore:
    candidates = [_figure_candidates(g, rows) for g in gold]
    match = assign(candidates, required_first([g.optional for g in gold]))
    required = [i for i, g in enumerate(gold) if not g.optional]
    tp = sum(1 for i in required if i in match)
    unused = [j for j in range(len(rows)) if j not in set(match.values())]
    matched = [(gold[i], rows[match[i]]) for i in required if i in match]
    return FigureScore(
        gold=len(required),
        optional=len(gold) - len(required),
        extracted=len(rows),
        tp=tp,
        fp=len(unused),
        optional_matched=sum(1 for i in match if gold[i].optional),
        duplicates=sum(1 for j in unused if any(j in c for c in candidates)),
        precision=ratio(tp, tp + len(unused)),
        recall=ratio(tp, len(required)),
        period=_rate(matched, lambda g: g.period_end or g.as_of, _period_ok),
        qualifier=_rate(matched, lambda g: g.qualifier, _qualifier_ok),
        geography=_rate(matched, lambda g: g.geography, lambda g, r: fuzzy_eq(r.geography, g.geography)),
        measure=_rate(matched, lambda g: g.measure_words, _measure_ok),
        missed=[gold[i].label for i in required if i not in match],
        false_positives=[_figure_label(rows[j]) for j in unused],
        wrong=[w for g, r in matched for w in _figure_wrong(g, r)],
    )


def _figure_wrong(g: GoldFigure, r: FigureRow) -> list[dict]:
    checks = (
        ("period", g.period_end or g.as_of, _period_ok, f"{r.period_end or ''} {r.as_of or ''}".strip()),
        ("measure", g.measure_words, _measure_ok, r.measure),
        ("qualifier", g.qualifier, _qualifier_ok, r.qualifier),
    )
    return [
        {"figure": g.label, "field": name, "want": want, "got": got}
        for name, want, ok, got in checks
        if want and not ok(g, r)
    ]


def _figure_candidates(g: GoldFigure, rows: tuple[FigureRow, ...]) -> list[int]:
    """Rows this gold figure accepts, best first (measure words found, then period right)."""
    scored = []
    for j, r in enumerate(rows):
        value = to_float(r.value)
        if value is None or not any(abs(value - v) < 1e-6 for v in g.values):
            continue
        if norm_unit(r.unit) != g.unit:
            continue
        haystack = norm_ws(" ".join(str(x or "") for x in (r.measure, r.text, r.para_text)))
        words_ok = all_words_in(g.measure_words, haystack)
        placed = r.para == g.para if g.para is not None else words_ok  # para decides where given
        if not placed:
            continue
        scored.append((-(2 * words_ok + _period_ok(g, r)), j))
    return [j for _, j in sorted(scored)]


def _rate(matched, applies, check) -> Rate:
    pairs = [(g, r) for g, r in matched if applies(g)]
    return Rate.of(sum(1 for g, r in pairs if check(g, r)), len(pairs))


def _period_ok(g: GoldFigure, r: FigureRow) -> bool:
    ok = True
    if g.period_end:
        ok &= str(r.period_end or "").startswith(g.period_end[:7])
    if g.as_of:
        ok &= str(r.as_of or "").startswith(g.as_of[:7])
    return bool(ok)


def _measure_ok(g: GoldFigure, r: FigureRow) -> bool:
    return all_words_in(g.measure_words, norm_ws(r.measure))


def _qualifier_ok(g: GoldFigure, r: FigureRow) -> bool:
    return bool(r.qualifier) and norm_words(g.qualifier) in norm_words(r.qualifier)


def _figure_label(r: FigureRow) -> dict:
    return {
        "id": r.id,
        "text": r.text,
        "value": r.value,
        "unit": r.unit,
        "para": r.para,
        "measure": r.measure,
    }


@dataclass(frozen=True)
class DateScore:
    gold: int
    extracted: int
    matched: int
    correct: int
    recall: float | None
    accuracy: float | None
    missed: list[str] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)


def _span_eq(r: DateRow, start, end) -> bool:
    """The row's start/end equal the gold's (a row without an end is a single day)."""
    rs, re_ = iso(r.start), iso(r.end)
    rs, re_ = rs[:10] if rs else None, re_[:10] if re_ else None
    return rs == start and (re_ == end or (re_ is None and start == end))


def score_dates(gold: tuple[GoldDate, ...], rows: tuple[DateRow, ...]) -> DateScore:
    candidates = []
    for g in gold:
        scored = []
        for j, r in enumerate(rows):
            by_text, by_value = text_hit(g.text, r.text), _span_eq(r, g.start, g.end)
            if by_text or by_value:
                scored.append((0 if by_text and by_value else 1 if by_text else 2, j))
        candidates.append([j for _, j in sorted(scored)])
    match = assign(candidates, required_first([g.optional for g in gold]))
    required = [i for i, g in enumerate(gold) if not g.optional]
    matched = [i for i in required if i in match]
    right = [i for i in matched if _span_eq(rows[match[i]], gold[i].start, gold[i].end)]
    wrong = [
        {"gold": gold[i].text, "want": [gold[i].start, gold[i].end],
         "got": [rows[match[i]].start, rows[match[i]].end], "row_text": rows[match[i]].text}
        for i in matched if i not in right
    ]  # fmt: skip
    return DateScore(
        gold=len(required),
        extracted=len(rows),
        matched=len(matched),
        correct=len(right),
        recall=ratio(len(matched), len(required)),
        accuracy=ratio(len(right), len(matched)),
        missed=[str(gold[i].text) for i in required if i not in match],
        wrong=wrong,
    )


@dataclass(frozen=True)
class ActionScore:
    gold: int
    extracted: int
    matched: int
    status_ok: int
    recall: float | None
    status_accuracy: float | None
    owner: Rate
    due: Rate
    missed: list[str] = field(default_factory=list)
    wrong_status: list[dict] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # extracted actions no gold action took


def _action_candidates(g: GoldAction, rows: tuple[ActionRow, ...]) -> list[int]:
    """By reference, else the gold title as the start of the extracted title, else inside it."""
    scored = []
    for j, r in enumerate(rows):
        title = norm_words(r.title)
        if g.ref and norm_ref(r.ref) == g.ref:
            scored.append((0, j))
        elif g.title and title.startswith(g.title):
            scored.append((1, j))
        elif g.title and f" {g.title}" in f" {title}":
            scored.append((2, j))
    return [j for _, j in sorted(scored)]


def score_actions(gold: tuple[GoldAction, ...], rows: tuple[ActionRow, ...]) -> ActionScore:
    match = assign([_action_candidates(g, rows) for g in gold], required_first([g.optional for g in gold]))
    required = [i for i, g in enumerate(gold) if not g.optional]
    pairs = [(gold[i], rows[match[i]]) for i in required if i in match]
    status_ok = [norm_token(r.status) in g.statuses for g, r in pairs]
    return ActionScore(
        gold=len(required),
        extracted=len(rows),
        matched=len(pairs),
        status_ok=sum(status_ok),
        recall=ratio(len(pairs), len(required)),
        status_accuracy=ratio(sum(status_ok), len(pairs)),
        owner=_rate(pairs, lambda g: g.owner, lambda g, r: fuzzy_eq(r.owner, g.owner)),
        due=_rate(pairs, lambda g: g.due, lambda g, r: str(r.due or "").startswith(g.due[:7])),
        missed=[gold[i].label for i in required if i not in match],
        wrong_status=[
            {"action": g.label, "want": g.status, "got": r.status, "evidence": r.status_text}
            for (g, r), ok in zip(pairs, status_ok, strict=True)
            if not ok
        ],
        unmatched=[str(r.title) for j, r in enumerate(rows) if j not in set(match.values())],
    )


@dataclass(frozen=True)
class PriorityScore:
    gold: int
    extracted: int
    tp: int
    precision: float | None
    recall: float | None
    f1: float | None
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def _name(text) -> str:
    return re.sub(r"\s+", " ", norm_ws(text).casefold()).strip(" .,:;'\"")


def score_priorities(gold: tuple[str, ...], names: tuple[str, ...]) -> PriorityScore:
    want = {_name(x) for x in gold if _name(x)}
    got = {_name(x) for x in names if _name(x)}
    tp = len(want & got)
    precision, recall = ratio(tp, len(got)), ratio(tp, len(want))
    return PriorityScore(
        gold=len(want), extracted=len(got), tp=tp, precision=precision, recall=recall,
        f1=f1(precision, recall), missed=sorted(want - got), extra=sorted(got - want),
    )  # fmt: skip


@dataclass(frozen=True)
class TrendScore:
    gold: int
    extracted: int
    matched: int
    recall: float | None
    missed: list[str] = field(default_factory=list)


def _trend_accepts(g: GoldTrend, r: TrendRow) -> bool:
    return (
        (g.para is None or r.para == g.para)
        and norm_token(r.direction) == g.direction
        and (not g.horizon or norm_token(r.horizon) == g.horizon)
        and all_words_in(g.subject_words, norm_ws(r.subject))
    )


def score_trends(gold: tuple[GoldTrend, ...], rows: tuple[TrendRow, ...]) -> TrendScore:
    candidates = [[j for j, r in enumerate(rows) if _trend_accepts(g, r)] for g in gold]
    match = assign(candidates, required_first([g.optional for g in gold]))
    required = [i for i, g in enumerate(gold) if not g.optional]
    matched = [i for i in required if i in match]
    return TrendScore(
        gold=len(required),
        extracted=len(rows),
        matched=len(matched),
        recall=ratio(len(matched), len(required)),
        missed=[gold[i].label for i in required if i not in match],
    )


@dataclass(frozen=True)
class MetaScore:
    checks: dict[str, dict]
    n: int
    ok: int
    accuracy: float | None


def score_meta(gold: GoldMeta, paper: PaperRow | None) -> MetaScore:
    """Meeting date (the day), reporting period end (the month), board, author, and a
    warning about conflicting dates where the gold expects one."""
    p = paper or PaperRow(id=None)
    checks = {}
    if gold.meeting_date:
        got = iso(p.meeting_date)
        checks["meeting_date"] = _check(
            gold.meeting_date, got, bool(got) and got[:10] == gold.meeting_date[:10]
        )
    if gold.reporting_period_end:
        want, got = gold.reporting_period_end[:7], iso(p.reporting_period_end)
        checks["reporting_period_end"] = _check(want, got, bool(got) and got.startswith(want))
    if gold.board:
        checks["board"] = _check(gold.board, p.board, fuzzy_eq(p.board, gold.board))
    if gold.author:
        checks["author"] = _check(gold.author, p.author, fuzzy_eq(p.author, gold.author))
    if gold.date_warning:
        text = warnings_text(p.warnings)
        hits = [w for w in text.splitlines() if WARNING_DATE.search(w) and WARNING_CONFLICT.search(w)]
        checks["date_warning"] = _check(True, hits[:3] or text[:200] or None, bool(hits))
    ok = sum(1 for c in checks.values() if c["ok"])
    return MetaScore(checks=checks, n=len(checks), ok=ok, accuracy=ratio(ok, len(checks)))


def _check(gold, got, ok: bool) -> dict:
    return {"gold": gold, "got": got, "ok": bool(ok)}
