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

import numpy
import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

from boardpapers.ingest.models import PaperMeta, Paragraph

from . import actions, dates, entities, figures, priorities, trends
from .context import Context  # noqa: F401  (re-exported for callers)
from .numbers import add_numbers
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


def pattern_anchor(pattern: list[dict]) -> tuple[str, set[str]] | None:
    """A token every match of ``pattern`` must hold, as (``LOWER`` or ``ORTH``,
    the texts it may have): its first required token spec with a plain text
    test. None when the pattern has none (a REGEX or extension test only)."""
    for spec in pattern:
        if spec.get("OP") not in (None, "+"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = spec.get(attr)
            if isinstance(value, dict) and set(value) == {"IN"}:
                value = value["IN"]
            elif isinstance(value, str):
                value = [value]
            else:
                continue
            if all(isinstance(v, str) for v in value):
                return ("LOWER" if attr == "LOWER" else "ORTH"), set(value)
    return None


class GatedMatcher:
    """A span ruler's token Matcher, not run on a doc that holds none of the
    tokens its patterns require (then no pattern can match: same result,
    without the matcher's per-token, per-pattern work)."""

    def __init__(self, matcher, lowers: set[str], orths: set[str]):
        self.matcher = matcher
        self.lowers = numpy.array(sorted(get_string_id(t) for t in lowers), dtype="uint64")
        self.orths = numpy.array(sorted(get_string_id(t) for t in orths), dtype="uint64")

    def __call__(self, doc: Doc):
        table = doc.to_array([LOWER, ORTH])
        if numpy.isin(table[:, 0], self.lowers).any() or numpy.isin(table[:, 1], self.orths).any():
            return self.matcher(doc)
        return []

    def __getattr__(self, name):
        return getattr(self.matcher, name)

    def __contains__(self, key) -> bool:
        return key in self.matcher

    def __len__(self) -> int:
        return len(self.matcher)


def gate_rulers(nlp: Language) -> None:
    """Gate each span ruler whose every token pattern has an anchor (:func:`pattern_anchor`)."""
    for _name, pipe in nlp.pipeline:
        if not isinstance(pipe, SpanRuler) or isinstance(pipe.matcher, GatedMatcher):
            continue
        tokens = [p["pattern"] for p in pipe.patterns if isinstance(p["pattern"], list)]
        anchors = [pattern_anchor(p) for p in tokens]
        if not tokens or None in anchors:
            continue
        lowers = set().union(*(texts for attr, texts in anchors if attr == "LOWER"))
        orths = set().union(*(texts for attr, texts in anchors if attr == "ORTH"))
        pipe.matcher = GatedMatcher(pipe.matcher, lowers, orths)


def extract(nlp: Language, meta: PaperMeta, paragraphs: Sequence[Paragraph]) -> Records:
    """Every record the rules find in one paper's paragraphs."""
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
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
