"""Scoring extracted figures and dates against a gold YAML, for tests.

Our own implementation of the matching rules stated in the gold file's header
(figures: same value, unit and paragraph number, matched one-to-one; dates:
gold text inside the row's text, or the same start/end). Also a reader that
turns the seed paper's text rendering into Paragraphs, for unit-level tests
that do not need the PDF ingest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from boardpapers.ingest.models import PaperMeta, Paragraph

NUMBER_RE = re.compile(r"^(\d+(?:\.\d+)+)\s+")
MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def load_gold(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def paragraphs_from_text(text: str) -> tuple[PaperMeta, list[Paragraph]]:
    """One Paragraph per non-empty line; a leading "4.2.1"-style number is
    stripped into ``number``; "To:/From:/Date:" lines fill the meta."""
    meta: dict[str, str] = {}
    paras: list[Paragraph] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-•]\s+", "", line).strip()
        if not line:
            continue
        head = re.match(r"^(To|From|Date):\s*(.+)$", line)
        if head:
            meta[{"To": "board", "From": "author", "Date": "date_printed"}[head.group(1)]] = head.group(2)
        number = None
        m = NUMBER_RE.match(line)
        if m:
            number, line = m.group(1), line[m.end() :]
        kind = (
            "footnote"
            if line[:1] in "¹²³⁴⁵⁶⁷⁸⁹"
            else "heading"
            if number and len(line) < 80 and not line.endswith(".")
            else "paragraph"
        )
        paras.append(
            Paragraph(
                seq=len(paras),
                kind=kind,
                text=line,
                page_start=1,
                page_end=1,
                x0=0,
                top=0,
                x1=0,
                bottom=0,
                number=number,
            )
        )
    return PaperMeta(**meta), paras


def effective_numbers(paragraphs) -> dict[int, str | None]:
    """seq -> paragraph number, unnumbered paragraphs taking the last number before them."""
    out, last = {}, None
    for p in paragraphs:
        num = (p.number or "").rstrip(".") or None
        last = num or last
        out[p.seq] = last
    return out


def _iso(v) -> str | None:
    if v is None:
        return None
    return v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime)) else str(v)


@dataclass
class FigureScore:
    gold: int
    extracted: int
    tp: int
    fp: int
    period_n: int
    period_ok: int
    missed: list = field(default_factory=list)
    false_positives: list = field(default_factory=list)
    wrong_period: list = field(default_factory=list)
    measure_n: int = 0
    measure_ok: int = 0
    qualifier_n: int = 0
    qualifier_ok: int = 0
    wrong_measure: list = field(default_factory=list)
    wrong_qualifier: list = field(default_factory=list)

    @property
    def measure_accuracy(self) -> float:
        return self.measure_ok / self.measure_n if self.measure_n else 1.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualifier_ok / self.qualifier_n if self.qualifier_n else 1.0

    def summary(self) -> str:
        return (
            f"R={self.recall:.2f} P={self.precision:.2f} period={self.period_accuracy:.2f} "
            f"measure={self.measure_accuracy:.2f} qualifier={self.qualifier_accuracy:.2f}"
        )

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def period_accuracy(self) -> float:
        return self.period_ok / self.period_n if self.period_n else 1.0


def _period_ok(g: dict, f) -> bool:
    ok = True
    if g.get("period_end"):
        ok &= (f.period_end or "").startswith(_iso(g["period_end"])[:7])
    if g.get("as_of"):
        ok &= (f.as_of or "").startswith(_iso(g["as_of"])[:7])
    return ok


def _measure_ok(g: dict, f) -> bool:
    """Every gold measure word occurs in the extracted measure (case-insensitive)."""
    measure = (f.measure or "").lower()
    return all(str(w).lower() in measure for w in g.get("measure_words") or ())


def _match(cands: list[list[int]], order: list[int]) -> dict[int, int]:
    """Maximum bipartite matching gold -> row (augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(i, seen):
        for r in cands[i]:
            if r in seen:
                continue
            seen.add(r)
            if r not in owner or augment(owner[r], seen):
                owner[r] = i
                return True
        return False

    for i in order:
        augment(i, set())
    return {g: r for r, g in owner.items()}


def score_figures(figures, paragraphs, gold: list[dict]) -> FigureScore:
    numbers = effective_numbers(paragraphs)
    cands = []
    for g in gold:
        want_para = str(g["para"]) if g.get("para") is not None else None
        row = [
            j
            for j, f in enumerate(figures)
            if abs(f.value - float(g["value"])) < 1e-6
            and f.unit == g["unit"]
            and (want_para is None or numbers.get(f.para) == want_para)
        ]
        row.sort(key=lambda j: not _period_ok(g, figures[j]))
        cands.append(row)
    order = [i for i, g in enumerate(gold) if not g.get("optional")] + [
        i for i, g in enumerate(gold) if g.get("optional")
    ]
    m = _match(cands, order)
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    used = set(m.values())
    fps = [figures[j] for j in range(len(figures)) if j not in used]
    score = FigureScore(
        gold=len(required),
        extracted=len(figures),
        tp=sum(1 for i in required if i in m),
        fp=len(fps),
        period_n=0,
        period_ok=0,
        false_positives=[(numbers.get(f.para), f.text, f.measure) for f in fps],
    )
    for i in required:
        g = gold[i]
        if i not in m:
            score.missed.append((g.get("para"), g["value"], g["unit"]))
            continue
        f = figures[m[i]]
        if g.get("measure_words"):
            score.measure_n += 1
            if _measure_ok(g, f):
                score.measure_ok += 1
            else:
                score.wrong_measure.append((g.get("para"), g["value"], g["measure_words"], f.measure))
        if "qualifier" in g or f.qualifier:
            score.qualifier_n += 1
            if (g.get("qualifier") or None) == (f.qualifier or None):
                score.qualifier_ok += 1
            else:
                score.wrong_qualifier.append((g.get("para"), g["value"], g.get("qualifier"), f.qualifier))
        if g.get("period_end") or g.get("as_of"):
            score.period_n += 1
            if _period_ok(g, f):
                score.period_ok += 1
            else:
                score.wrong_period.append((g.get("para"), g["value"], f.period_end, f.as_of))
    return score


def _norm(s: str) -> str:
    s = str(s or "").replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def _text_hit(gold_text: str, row_text: str) -> bool:
    g, r = _norm(gold_text), _norm(row_text)
    if not g or g not in r:
        return False
    rest = r.replace(g, " ", 1)
    return not re.search(r"\d", rest) and not MONTH_RE.search(rest)


def _gold_span(g: dict) -> tuple[str | None, str | None]:
    if g.get("date") is not None:
        return _iso(g["date"]), _iso(g["date"])
    return _iso(g.get("start")), _iso(g.get("end"))


def _span_eq(row, gs, ge) -> bool:
    return row.start == gs and (row.end == ge or (row.end is None and gs == ge))


@dataclass
class DateScore:
    gold: int
    matched: int
    correct: int
    wrong: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.matched if self.matched else 0.0


def score_dates(dates, gold: list[dict]) -> DateScore:
    cands = []
    for g in gold:
        gs, ge = _gold_span(g)
        scored = []
        for j, r in enumerate(dates):
            t, v = _text_hit(g["text"], r.text), _span_eq(r, gs, ge)
            if t or v:
                scored.append((0 if t and v else 1 if t else 2, j))
        cands.append([j for _, j in sorted(scored)])
    m = _match(cands, list(range(len(gold))))
    score = DateScore(gold=len(gold), matched=len(m), correct=0)
    for i, g in enumerate(gold):
        if i not in m:
            score.missed.append(g["text"])
        elif _span_eq(dates[m[i]], *_gold_span(g)):
            score.correct += 1
        else:
            score.wrong.append((g["text"], _gold_span(g), (dates[m[i]].start, dates[m[i]].end)))
    return score
