"""How far to trust the extraction: score a database against hand-made gold files.

Write gold for a few of your own papers (the format is in the header of any
file in ``../shared/gold``), ingest them, and ``boardpapers eval papers.db
gold/`` prints precision and recall per kind, per paper and micro-averaged:
an estimate of how far to trust the rows extracted from the rest of your
archive. The matching rules are the gold format's (and the project's
reference scorer's): figures by value, unit and paragraph (or measure
words), one-to-one; dates by text or value; actions by reference or title;
trends by paragraph, direction and subject; priority areas as sets.
"""

from .extracted import EvaluationError, Extracted, from_records
from .gold import load_gold, read_paper
from .report import render_text
from .summary import Evaluation, PaperScore, evaluate, score_paper

__all__ = [
    "Evaluation",
    "EvaluationError",
    "Extracted",
    "PaperScore",
    "evaluate",
    "from_records",
    "load_gold",
    "read_paper",
    "render_text",
    "score_paper",
]
