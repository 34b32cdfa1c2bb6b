"""A span group read once per doc gives the spans iterating it gives."""

from __future__ import annotations

from boardpapers.nlp.spangroups import labelled_spans


def test_labelled_spans_match_the_group(nlp):
    doc = nlp("Revenue rose to £1.2m in 2019/20. The Board will review it by 31 March 2020.")
    for key in doc.spans:
        assert [(s.label_, s.start, s.end, s.id_) for s in doc.spans[key]] == [
            (label, s.start, s.end, s.id_) for label, s in labelled_spans(doc, key)
        ]
        assert labelled_spans(doc, key) is labelled_spans(doc, key)  # read once
