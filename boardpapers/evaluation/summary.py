"""Scoring a database against gold files: per paper, then micro-averaged over papers."""

from __future__ import annotations

import dataclasses
import pathlib
from dataclasses import dataclass, field

from .extracted import Extracted, PaperRow, open_database, read_extracted, read_papers
from .gold import GoldPaper, load_gold
from .kinds import (
    ActionScore,
    DateScore,
    FigureScore,
    MetaScore,
    PriorityScore,
    TrendScore,
    score_actions,
    score_dates,
    score_figures,
    score_meta,
    score_priorities,
    score_trends,
)
from .normalise import f1, ratio

KINDS = ("figures", "dates", "actions", "priority_areas", "trends")


@dataclass(frozen=True)
class PaperScore:
    gold_file: str
    source_file: str
    found: bool
    paper_id: object
    paper_status: str | None
    paper_error: str | None
    meta: MetaScore
    figures: FigureScore | None = None
    dates: DateScore | None = None
    actions: ActionScore | None = None
    priority_areas: PriorityScore | None = None
    trends: TrendScore | None = None


@dataclass(frozen=True)
class Evaluation:
    db: str
    gold_files: list[str]
    warnings: list[str]
    papers: list[PaperScore]
    papers_without_gold: int
    summary: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain data for ``--json`` (kinds a gold file does not score are left out)."""
        out = dataclasses.asdict(self)
        for paper in out["papers"]:
            for kind in KINDS:
                if paper[kind] is None:
                    del paper[kind]
        return out


def score_paper(gold: GoldPaper, paper: PaperRow | None, extracted: Extracted) -> PaperScore:
    """One paper's extraction against its gold; a kind absent from the gold file is not scored."""

    def scored(kind, scorer, rows):
        entries = getattr(gold, kind)
        return None if entries is None else scorer(entries, rows)

    return PaperScore(
        gold_file=gold.path,
        source_file=gold.source_file,
        found=paper is not None,
        paper_id=paper.id if paper else None,
        paper_status=paper.status if paper else None,
        paper_error=paper.error if paper else None,
        meta=score_meta(gold.meta, paper),
        figures=scored("figures", score_figures, extracted.figures),
        dates=scored("dates", score_dates, extracted.dates),
        actions=scored("actions", score_actions, extracted.actions),
        priority_areas=scored("priority_areas", score_priorities, extracted.priority_areas),
        trends=scored("trends", score_trends, extracted.trends),
    )


def find_paper(papers: list[PaperRow], source_file: str) -> PaperRow | None:
    """The paper whose path ends with the gold's file name (case-insensitively if need be);
    among several, the last one ingested that succeeded."""
    base = pathlib.PurePosixPath(str(source_file).replace("\\", "/")).name

    def name(p: PaperRow) -> str:
        return pathlib.PurePosixPath(str(p.path or "").replace("\\", "/")).name

    hits = [(i, p) for i, p in enumerate(papers) if name(p) == base]
    hits = hits or [(i, p) for i, p in enumerate(papers) if name(p).lower() == base.lower()]
    if not hits:
        return None
    return max(hits, key=lambda h: (str(h[1].status or "").lower() in ("ok", "partial"), h[0]))[1]


def evaluate(db_path, gold_paths) -> Evaluation:
    """Score the database at ``db_path`` against the gold files (or folders of them)."""
    db = open_database(db_path)
    try:
        gold = load_gold(gold_paths)
        papers = read_papers(db)
        results = []
        for g in gold.papers:
            paper = find_paper(papers, g.source_file)
            extracted = read_extracted(db, paper.id) if paper else Extracted()
            results.append(score_paper(g, paper, extracted))
        warnings = gold.warnings + [
            f"DB table {t} lacks column(s): {', '.join(sorted(cols))}"
            for t, cols in sorted(db.missing.items())
        ]
    finally:
        db.conn.close()
    names = {pathlib.PurePosixPath(g.source_file.replace("\\", "/")).name for g in gold.papers}
    without = sum(
        1 for p in papers if pathlib.PurePosixPath(str(p.path or "").replace("\\", "/")).name not in names
    )
    return Evaluation(
        db=str(db_path),
        gold_files=[g.path for g in gold.papers],
        warnings=warnings,
        papers=results,
        papers_without_gold=without,
        summary=summarise(results),
    )


def _total(results, kind: str, key: str, part: str | None = None) -> int:
    scores = [getattr(r, kind) for r in results if getattr(r, kind) is not None]
    values = [getattr(s, key) for s in scores]
    return sum(getattr(v, part) if part else v for v in values)


def summarise(results: list[PaperScore]) -> dict:
    """Micro-averages over papers: counts are summed, then divided."""
    out = {"papers": len(results), "papers_found": sum(1 for r in results if r.found)}
    out["figures"] = _figures_summary(results)
    matched, gold, correct = (_total(results, "dates", k) for k in ("matched", "gold", "correct"))
    out["dates"] = {"gold": gold, "matched": matched, "correct": correct, "recall": ratio(matched, gold),
                    "accuracy": ratio(correct, matched)}  # fmt: skip
    matched, gold, status = (_total(results, "actions", k) for k in ("matched", "gold", "status_ok"))
    out["actions"] = {
        "gold": gold, "matched": matched, "status_ok": status, "recall": ratio(matched, gold),
        "status_accuracy": ratio(status, matched),
        "owner_accuracy": ratio(_total(results, "actions", "owner", "ok"), _total(results, "actions", "owner", "n")),
        "due_accuracy": ratio(_total(results, "actions", "due", "ok"), _total(results, "actions", "due", "n")),
    }  # fmt: skip
    tp, extracted, gold = (_total(results, "priority_areas", k) for k in ("tp", "extracted", "gold"))
    precision, recall = ratio(tp, extracted), ratio(tp, gold)
    out["priority_areas"] = {"gold": gold, "extracted": extracted, "tp": tp, "precision": precision,
                             "recall": recall, "f1": f1(precision, recall)}  # fmt: skip
    matched, gold = _total(results, "trends", "matched"), _total(results, "trends", "gold")
    out["trends"] = {"gold": gold, "matched": matched, "extracted": _total(results, "trends", "extracted"),
                     "recall": ratio(matched, gold)}  # fmt: skip
    out["meta"] = _meta_summary(results)
    return out


def _figures_summary(results) -> dict:
    tp, fp, gold = (_total(results, "figures", k) for k in ("tp", "fp", "gold"))
    precision, recall = ratio(tp, tp + fp), ratio(tp, gold)
    period_ok, period_n = (
        _total(results, "figures", "period", "ok"),
        _total(results, "figures", "period", "n"),
    )
    measure_ok, measure_n = (
        _total(results, "figures", "measure", "ok"),
        _total(results, "figures", "measure", "n"),
    )
    return {
        "gold": gold, "extracted": _total(results, "figures", "extracted"), "tp": tp, "fp": fp,
        "precision": precision, "recall": recall, "period_accuracy": ratio(period_ok, period_n),
        "period_n": period_n, "f1": f1(precision, recall),
        "measure_accuracy": ratio(measure_ok, measure_n), "measure_n": measure_n,
    }  # fmt: skip


def _meta_summary(results) -> dict:
    fields: dict[str, list[int]] = {}
    for r in results:
        for name, check in r.meta.checks.items():
            counts = fields.setdefault(name, [0, 0])
            counts[0] += check["ok"]
            counts[1] += 1
    ok, n = sum(v[0] for v in fields.values()), sum(v[1] for v in fields.values())
    return {"ok": ok, "n": n, "accuracy": ratio(ok, n),
            "fields": {k: {"ok": v[0], "n": v[1]} for k, v in sorted(fields.items())}}  # fmt: skip
