"""Build the spaCy pipeline and run it over a paper's paragraphs.

``build_nlp()`` returns ``spacy.blank("en")`` with our tokenizer exceptions,
sentence boundaries, rulers loaded from ``nlp/patterns/*.jsonl`` and our own
components. ``extract()`` is the one entry point the rest of the project uses.

Each record family lives in its own module and plugs in the same way:

- ``add_pipes(nlp)``: add the family's rulers/components to the pipeline;
- ``extract_<family>(docs, ctx)``: ``docs`` is the list of
  ``(Doc, Paragraph)`` pairs in reading order, ``ctx`` the paper's
  :class:`nlp.context.Context`; returns a list of records.
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.language import Language

from boardpapers.ingest.models import PaperMeta, Paragraph

from . import actions, dates, entities, figures, priorities, trends
from .context import Context  # noqa: F401  (re-exported for callers)
from .gating import gate_rulers
from .numbers import add_numbers, know_text
from .records import Records
from .sentences import add_sentences
from .tokenizer import customize_tokenizer

FAMILIES = (dates, figures, priorities, actions, trends, entities)


def build_nlp() -> Language:
    """A blank English pipeline with every family's rules and components."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    add_sentences(nlp)
    add_numbers(nlp)
    for family in FAMILIES:
        family.add_pipes(nlp)
    gate_rulers(nlp)
    return nlp


def extract(nlp: Language, meta: PaperMeta, paragraphs: Sequence[Paragraph]) -> Records:
    """Every record the rules find in one paper's paragraphs."""
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
    for doc, paragraph in docs:
        know_text(doc, paragraph.text)
    ctx, warnings = dates.paper_context(meta, docs)
    found_actions, minutes = actions.extract_all(docs, ctx, getattr(meta, "kind", None))
    return Records(
        figures=tuple(figures.extract_figures(docs, ctx)),
        dates=tuple(dates.extract_dates(docs, ctx)),
        priority_areas=tuple(priorities.extract_priority_areas(docs, ctx)),
        actions=tuple(found_actions),
        trends=tuple(trends.extract_trends(docs, ctx)),
        entities=tuple(entities.extract_entities(docs, ctx)),
        decisions=minutes.decisions,
        attendance=minutes.attendance,
        minute_items=minutes.items,
        reporting_period_end=ctx.reporting_end.isoformat() if ctx.reporting_end else None,
        warnings=tuple(warnings),
    )
