"""Rule-based extraction: a blank English spaCy pipeline plus our rules.

``build_nlp()`` makes the pipeline once per process; ``extract()`` turns a
paper's paragraphs into :class:`nlp.records.Records`. spaCy objects never
leave this package.
"""
