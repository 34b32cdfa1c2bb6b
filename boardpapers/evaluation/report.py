"""The evaluation as a text table: one block per gold paper, then the micro-averages."""

from __future__ import annotations

import pathlib

from .summary import Evaluation, PaperScore

HEADER = ("kind", "gold", "extr", "match", "P", "R", "other")


def fmt(x, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _row(kind, gold, extracted, matched, p, r, other="") -> str:
    return f"  {kind:<15}{gold:>6}{extracted:>6}{matched:>7}{p:>8}{r:>8}  {other}".rstrip()


def render_text(ev: Evaluation, details: bool = False) -> str:
    lines = [f"scoring {ev.db} against {len(ev.gold_files)} gold file(s)"]
    lines += [f"  warning: {w}" for w in ev.warnings]
    for paper in ev.papers:
        lines += ["", *_paper_block(paper)]
        if details:
            lines += _details(paper)
    lines += ["", *_summary_block(ev)]
    return "\n".join(lines)


def _paper_block(res: PaperScore) -> list[str]:
    state = (
        f"paper {res.paper_id}, status {res.paper_status}" if res.found else "NOT IN DB (nothing extracted)"
    )
    lines = [f"== {res.source_file}  [{pathlib.Path(res.gold_file).name}]  {state}"]
    if res.paper_error:
        lines.append(f"   error: {res.paper_error}")
    lines.append(_row(*HEADER))
    if (f := res.figures) is not None:
        other = (
            f"period {fmt(f.period.accuracy)} ({f.period.ok}/{f.period.n}); measure {f.measure.ok}/{f.measure.n}; "
            f"fp {f.fp} (dup {f.duplicates}); optional {f.optional_matched}/{f.optional}"
        )
        lines.append(_row("figures", f.gold, f.extracted, f.tp, fmt(f.precision), fmt(f.recall), other))
    if (d := res.dates) is not None:
        other = f"right {fmt(d.accuracy)} ({d.correct}/{d.matched})"
        lines.append(_row("dates", d.gold, d.extracted, d.matched, "-", fmt(d.recall), other))
    if (a := res.actions) is not None:
        other = f"status {fmt(a.status_accuracy)} ({a.status_ok}/{a.matched})"
        other += f"; owner {a.owner.ok}/{a.owner.n}" if a.owner.n else ""
        other += f"; due {a.due.ok}/{a.due.n}" if a.due.n else ""
        lines.append(_row("actions", a.gold, a.extracted, a.matched, "-", fmt(a.recall), other))
    if (p := res.priority_areas) is not None:
        lines.append(
            _row(
                "priority_areas",
                p.gold,
                p.extracted,
                p.tp,
                fmt(p.precision),
                fmt(p.recall),
                f"F1 {fmt(p.f1)}",
            )
        )
    if (t := res.trends) is not None:
        lines.append(_row("trends", t.gold, t.extracted, t.matched, "-", fmt(t.recall)))
    if res.meta.n:
        other = ", ".join(f"{k} {'ok' if c['ok'] else 'MISS'}" for k, c in res.meta.checks.items())
        lines.append(
            _row("meta", res.meta.n, "-", res.meta.ok, "-", "-", f"right {fmt(res.meta.accuracy)}: {other}")
        )
    return lines


def _summary_block(ev: Evaluation) -> list[str]:
    s = ev.summary
    without = f"; {ev.papers_without_gold} DB paper(s) without gold ignored" if ev.papers_without_gold else ""
    f, d, a, p, t, m = (s[k] for k in ("figures", "dates", "actions", "priority_areas", "trends", "meta"))
    return [
        f"== micro-averaged over {s['papers']} gold paper(s), {s['papers_found']} found in the DB{without}",
        _row(*HEADER),
        _row("figures", f["gold"], f["extracted"], f["tp"], fmt(f["precision"]), fmt(f["recall"]),
             f"F1 {fmt(f['f1'])}; period {fmt(f['period_accuracy'])} (n={f['period_n']}); "
             f"measure {fmt(f['measure_accuracy'])} (n={f['measure_n']})"),
        _row("dates", d["gold"], "-", d["matched"], "-", fmt(d["recall"]),
             f"right {fmt(d['accuracy'])} ({d['correct']}/{d['matched']})"),
        _row("actions", a["gold"], "-", a["matched"], "-", fmt(a["recall"]),
             f"status {fmt(a['status_accuracy'])} ({a['status_ok']}/{a['matched']}); "
             f"owner {fmt(a['owner_accuracy'])}; due {fmt(a['due_accuracy'])}"),
        _row("priority_areas", p["gold"], p["extracted"], p["tp"], fmt(p["precision"]), fmt(p["recall"]),
             f"F1 {fmt(p['f1'])}"),
        _row("trends", t["gold"], t["extracted"], t["matched"], "-", fmt(t["recall"])),
        _row("meta", m["n"], "-", m["ok"], "-", "-", f"right {fmt(m['accuracy'])}: "
             + ", ".join(f"{k} {v['ok']}/{v['n']}" for k, v in m["fields"].items())),
    ]  # fmt: skip


def _details(res: PaperScore) -> list[str]:
    """Every miss, false positive and wrong value of one paper, with its text."""
    out = []
    if (f := res.figures) is not None:
        out += [f"    figure missed: {label}" for label in f.missed]
        out += [
            f"    figure FP: {fp['value']} {fp['unit']} para {fp['para']} text {fp['text']!r} measure {fp['measure']!r}"
            for fp in f.false_positives
        ]
        out += [
            f"    figure {w['field']}: {w['figure']} want {w['want']!r} got {w['got']!r}" for w in f.wrong
        ]
    if (d := res.dates) is not None:
        out += [f"    date missed: {text!r}" for text in d.missed]
        out += [f"    date wrong: {w['gold']!r} want {w['want']} got {w['got']}" for w in d.wrong]
    if (a := res.actions) is not None:
        out += [f"    action missed: {label}" for label in a.missed]
        out += [f"    action status: {w['action']!r} want {w['want']} got {w['got']}" for w in a.wrong_status]
        out += [f"    action not in gold: {title!r}" for title in a.unmatched]
    if (p := res.priority_areas) is not None:
        out += [f"    priority missed: {name!r}" for name in p.missed]
        out += [f"    priority FP: {name!r}" for name in p.extra]
    if (t := res.trends) is not None:
        out += [f"    trend missed: {label}" for label in t.missed]
    out += [
        f"    meta {k}: want {c['gold']!r} got {c['got']!r}"
        for k, c in res.meta.checks.items()
        if not c["ok"]
    ]
    return out
