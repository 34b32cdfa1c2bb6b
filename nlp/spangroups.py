"""A ruler's span group, read once per doc.

Iterating ``doc.spans[key]`` builds a new Span object for every span (and each
Span builds three Token objects), while the extractors ask a doc for a few
labels at a time, many times over. Once a doc has left the pipeline its span
groups are final (``nlp.dates.date_spans`` relies on the same), so each group
is read once into ``doc.user_data`` as ``(label, span)`` pairs in the group's
order.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span


def labelled_spans(doc: Doc, key: str) -> tuple[tuple[str, Span], ...]:
    """``(label, span)`` for each span of ``doc.spans[key]``, in order (KeyError when missing)."""
    cache_key = ("bp_span_group", key)
    found = doc.user_data.get(cache_key)
    if found is None:
        found = doc.user_data[cache_key] = tuple((s.label_, s) for s in doc.spans[key])
    return found
