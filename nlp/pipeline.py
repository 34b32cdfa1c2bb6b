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
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
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
    """A span ruler's token Matcher that runs, on each doc, only the patterns
    whose anchor token (:func:`pattern_anchor`) the doc holds; patterns without
    an anchor always run. A doc holding no anchor costs one array lookup.

    The matches are the same as the full matcher's: without ``greedy`` a
    Matcher finds each pattern's matches independently of the others, and the
    span ruler de-duplicates and sorts what it gets. The matcher for each set
    of runnable patterns is built once and kept (a corpus meets a few thousand
    sets; the cache is emptied when it reaches ``MAX_MATCHERS``).
    """

    MAX_MATCHERS = 2048

    def __init__(self, matcher: Matcher, entries: list[tuple[str, list[dict]]], fuzzy_compare=None):
        self.matcher = matcher  # every pattern: for len, `in` and what else callers ask of it
        self.fuzzy_compare = fuzzy_compare
        self.entries: list[tuple[str, list[dict]]] = []
        self.always: list[int] = []  # patterns without an anchor
        self.by_lower: dict[int, list[int]] = {}  # LOWER hash -> patterns anchored on it
        self.by_orth: dict[int, list[int]] = {}
        self.subsets: dict[tuple[int, ...], Matcher] = {}
        for key, pattern in entries:
            self._register(key, pattern)

    def _register(self, key: str, pattern: list[dict]) -> None:
        index = len(self.entries)
        self.entries.append((key, pattern))
        self.subsets.clear()  # every cached matcher lacks the new pattern
        anchor = pattern_anchor(pattern)
        if anchor is None:
            self.always.append(index)
            return
        attr, texts = anchor
        table = self.by_lower if attr == "LOWER" else self.by_orth
        for text in texts:
            table.setdefault(get_string_id(text), []).append(index)

    def runnable(self, doc: Doc) -> tuple[int, ...]:
        """Indices of the patterns that can match in ``doc``."""
        table = doc.to_array([LOWER, ORTH])
        found = set(self.always)
        for column, anchored in ((0, self.by_lower), (1, self.by_orth)):
            for value in set(table[:, column].tolist()) & anchored.keys():
                found.update(anchored[value])
        return tuple(sorted(found))

    def __call__(self, doc: Doc):
        active = self.runnable(doc)
        if not active:
            return []
        if len(active) == len(self.entries):
            return self.matcher(doc)
        subset = self.subsets.get(active)
        if subset is None:
            if len(self.subsets) >= self.MAX_MATCHERS:
                self.subsets.clear()
            # validate=False: the ruler validated these patterns when it loaded them
            subset = Matcher(self.matcher.vocab, validate=False, fuzzy_compare=self.fuzzy_compare)
            self.subsets[active] = subset
            for index in active:
                key, pattern = self.entries[index]
                subset.add(key, [pattern])
        return subset(doc)

    def add(self, key: str, patterns: list[list[dict]], **kwargs) -> None:
        if kwargs:  # on_match or greedy would make patterns depend on each other
            raise ValueError("a gated matcher takes plain patterns only")
        self.matcher.add(key, patterns)
        for pattern in patterns:
            self._register(key, pattern)

    def remove(self, key: str) -> None:
        self.matcher.remove(key)
        kept = [(k, p) for k, p in self.entries if k != key]
        self.entries, self.always, self.by_lower, self.by_orth = [], [], {}, {}
        self.subsets.clear()
        for k, pattern in kept:
            self._register(k, pattern)

    def __getattr__(self, name):
        return getattr(self.matcher, name)

    def __contains__(self, key) -> bool:
        return key in self.matcher

    def __len__(self) -> int:
        return len(self.matcher)


def gate_rulers(nlp: Language) -> None:
    """Gate each span ruler's token patterns by their anchors (:class:`GatedMatcher`)."""
    for _name, pipe in nlp.pipeline:
        if not isinstance(pipe, SpanRuler) or isinstance(pipe.matcher, GatedMatcher):
            continue
        entries = [
            (repr((p["label"], p.get("id", ""))), p["pattern"])  # the key SpanRuler.add_patterns gives
            for p in pipe.patterns
            if isinstance(p["pattern"], list)
        ]
        if entries:
            pipe.matcher = GatedMatcher(pipe.matcher, entries, pipe.matcher_fuzzy_compare)


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
