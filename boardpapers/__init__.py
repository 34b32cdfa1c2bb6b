"""boardpapers: board-paper PDFs into a database and month-over-month briefs."""

__version__ = "0.1.0"
