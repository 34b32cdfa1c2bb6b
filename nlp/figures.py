"""Figures: the numbers a paper reports, with what they measure and when.

The figures family wires together one concept per module:

- :mod:`nlp.quantities` — which numbers are figures and in what unit
  (``nlp/patterns/figures.jsonl``: units, currencies, and what is NOT a
  figure: period lengths, identifiers, phone numbers, ZIP codes, ...);
- :mod:`nlp.money` — currencies, scales, signs, money headers;
- :mod:`nlp.measures` — the phrase a figure measures and its metric key;
- :mod:`nlp.periods` — the period, point date and comparison of a figure;
- :mod:`nlp.places` — the place a figure is about;
- :mod:`nlp.table_figures` — table cells as figures (row label + column header).

A sentence's figure takes its measure, key and period from the sentence; a
restated value keeps the metric it restates ("... has been restated as
5,314"); a sample size "(n=39)" gets ``<key>__sample_size``. In a table row
the number cells are figures of the table (see :mod:`nlp.table_figures`) and
numbers inside the row's prose cells are read as sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from boardpapers.ingest.models import Paragraph

from . import money
from .context import Context
from .dates import DateSpan, cue_spans, date_spans, has_cid_garbage
from .measures import is_generic_measure, metric_key, qualifier, sample_size_key, sentence_measure
from .numbers import add_numbers
from .periods import (
    SentenceDates,
    classify_dates,
    comparison,
    owned_periods,
    period_for,
    same_month_earlier_year,
)
from .places import place_patterns, places
from .quantities import (
    NOT_FIGURE,
    SAMPLE_SIZE_RULE,
    SPANS_KEY,
    Candidate,
    candidates,
    low_confidence_threshold,
    spans,
    split_glued_numbers,
    unit_labels,
)
from .records import Figure
from .rules import load_patterns
from .table_figures import RowView, cell_spans, read_tables, row_figures

__all__ = ["add_pipes", "extract_figures", "is_generic_measure", "metric_key", "unit_labels"]

RULER = "bp_figure_ruler"
SPLITTER = "bp_figure_tokens"


@Language.component(SPLITTER)
def figure_tokens_component(doc: Doc) -> Doc:
    """Split numbers glued to money marks or words ("(2.3)k", "£1700-£2000", "21contracts")."""
    return split_glued_numbers(doc)


def add_pipes(nlp: Language) -> None:
    """The figure ruler: figures.jsonl plus the gazetteer as PLACE phrases."""
    add_numbers(nlp)
    if SPLITTER not in nlp.pipe_names:
        nlp.add_pipe(SPLITTER, before="bp_numbers")
    if RULER in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True, "overwrite": True}
    )
    ruler.add_patterns(load_patterns("figures.jsonl") + place_patterns())


def extract_figures(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Figure]:
    """Every figure of the paper's paragraphs, in reading order."""
    currency = money.paper_currency(p.text for _, p in docs)
    rows = read_tables([p for _, p in docs], ctx)
    out: list[Figure] = []
    for doc, para in docs:
        if has_cid_garbage(para.text):
            continue
        if para.seq in rows:
            out += _table_row_figures(doc, para, rows[para.seq], ctx, currency)
        else:
            out += _figures_of(doc, para, ctx, currency)
    return out


def _is_low(para: Paragraph) -> bool:
    return para.confidence is not None and para.confidence < low_confidence_threshold()


def _table_row_figures(
    doc: Doc, para: Paragraph, row: RowView | None, ctx: Context, currency: str
) -> list[Figure]:
    """A data row's number cells, and the figures of its prose cells; header and
    caption rows have none."""
    if row is None:
        return []
    cells = cell_spans(para)
    prose = [
        f for f in _figures_of(doc, para, ctx, currency) if not any(s <= f.char_start < e for s, e in cells)
    ]
    return sorted(prose + row_figures(para, row, currency, _is_low(para)), key=lambda f: f.char_start)


@dataclass(frozen=True)
class _Scene:
    """What every sentence of one paragraph shares."""

    doc: Doc
    para: Paragraph
    ctx: Context
    dates: list[DateSpan]
    cands: list[Candidate]
    date_toks: set[int]
    not_figures: set[int]
    starts: set[int]
    qual_cues: list[Span]
    cmp_cues: list[Span]
    asof_cues: list[Span]
    month_cues: list[Span]
    to_cues: list[Span]
    from_cues: list[Span]


def _figures_of(doc: Doc, para: Paragraph, ctx: Context, currency: str = money.DEFAULT) -> list[Figure]:
    dates = [d for d in date_spans(doc, ctx) if not money.is_money_date(doc, d.start, d.end)]
    cands = candidates(doc, dates, para, currency)
    if not cands:
        return []
    scene = _Scene(
        doc,
        para,
        ctx,
        dates,
        cands,
        date_toks={i for d in dates for i in range(d.start, d.end)},
        not_figures={i for s in spans(doc, *NOT_FIGURE) for i in range(s.start, s.end)},
        starts={c.start for c in cands},
        qual_cues=spans(doc, "QUALIFIER"),
        cmp_cues=spans(doc, "COMPARISON"),
        asof_cues=spans(doc, "AS_OF"),
        month_cues=cue_spans(doc, "MONTH_DATA"),
        to_cues=spans(doc, "PERIOD_TO"),
        from_cues=spans(doc, "FROM"),
    )
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(doc[c.num].sent.start, []).append(c)
    figures: list[Figure] = []
    carried: DateSpan | None = None
    for sent in doc.sents:
        sd = classify_dates(sent, dates, scene.cmp_cues, scene.asof_cues, scene.to_cues)
        figures += _sentence_figures(scene, sent, by_sentence.get(sent.start, []), sd, carried)
        carried = carried or sd.first_period()
    return figures


def _measures_and_keys(
    scene: _Scene, sent: Span, group: list[Candidate], starts: dict[int, int]
) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """Each figure's measure and key; a sample size or a restated value takes the
    metric of the figure before it."""
    doc = scene.doc
    measures = {
        c.num: sentence_measure(doc, c, starts[c.num], sent, scene.starts, scene.date_toks, scene.not_figures)
        for c in group
    }
    keys: dict[int, str | None] = {}
    for k, c in enumerate(group):
        earlier = [e for e in group[:k] if e.rule_id != SAMPLE_SIZE_RULE]
        if c.rule_id == SAMPLE_SIZE_RULE:
            # "78% (n=39)": the size of the sample behind the figure before it
            of = earlier[-1] if earlier else None
            measures[c.num] = (
                f"sample size of {measures[of.num]}" if of and measures[of.num] else "sample size"
            )
            keys[c.num] = sample_size_key(keys.get(of.num) if of else None)
            continue
        if is_generic_measure(measures[c.num]):
            # "... has been restated as 5,314": the metric named before it in the sentence
            same = [e for e in earlier if e.unit == c.unit and not is_generic_measure(measures[e.num])]
            if same:
                measures[c.num] = measures[same[-1].num]
        keys[c.num] = metric_key(measures[c.num])
    return measures, keys


def _from_baselines(scene: _Scene, group: list[Candidate], quals: dict) -> set[int]:
    """ "fell to 6,140 in June from 6,870 in May": a figure right after "from" is the
    baseline of an earlier figure of the same unit."""
    out = set()
    for k, c in enumerate(group):
        after_from = any(q.end == quals[c.num][1] for q in scene.from_cues)
        if after_from and any(e.unit == c.unit for e in group[:k]):
            out.add(c.num)
    return out


def _nearest_place(found: list[tuple[int, int, str]], start: int) -> str | None:
    """``places.nearest_place`` over a sentence's places found once."""
    return min(found, key=lambda p: abs(p[0] - start))[2] if found else None


def _sentence_figures(
    scene: _Scene, sent: Span, group: list[Candidate], sd: SentenceDates, carried: DateSpan | None
) -> list[Figure]:
    if not group:
        return []
    doc, para, ctx = scene.doc, scene.para, scene.ctx
    quals = {c.num: qualifier(doc, c, scene.qual_cues) for c in group}
    baseline = {c.num for c in group if any(0 <= quals[c.num][1] - q.end <= 1 for q in scene.cmp_cues)}
    baseline |= _from_baselines(scene, group, quals)
    owned = owned_periods(group, baseline, sd)
    reports_month = any(sent.start <= m.start < sent.end for m in scene.month_cues) or any(
        same_month_earlier_year(d, ctx) for d in sd.compared
    )
    measures, keys = _measures_and_keys(scene, sent, group, {n: q[1] for n, q in quals.items()})
    sentence_places = places(doc, sent)  # once per sentence, not once per figure
    out = []
    for k, c in enumerate(group):
        measure, key = measures[c.num], keys[c.num]
        if c.num in baseline and k > 0 and measures[group[k - 1].num]:
            measure, key = measures[group[k - 1].num], keys[group[k - 1].num]
        start, end = period_for(c, c.num in baseline, sd, owned, reports_month, carried, ctx, group)
        out.append(
            Figure(
                para=para.seq,
                text=doc[c.start : c.end].text,
                value=c.value,
                unit=c.unit,
                page=para.page_at(doc[c.start].idx),
                char_start=doc[c.start].idx,
                char_end=doc[c.end - 1].idx + len(doc[c.end - 1].text),
                rule_id=c.rule_id,
                qualifier=quals[c.num][0],
                measure=measure,
                metric_key=key,
                period_start=start.isoformat() if start else None,
                period_end=end.isoformat() if end else None,
                as_of=sd.as_of.isoformat() if sd.as_of else None,
                geography=_nearest_place(sentence_places, c.start),
                comparison=comparison(doc, c, sent, scene.cands, scene.cmp_cues, scene.dates),
                low_confidence=_is_low(para),
            )
        )
    return out
