"""What every extractor may know about the paper a paragraph comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    """Paper-level facts used to resolve relative references.

    ``reporting_start``/``reporting_end`` bound the month (or period) whose
    data the paper reports ("performance up to the end of November 2019" makes
    it 2019-11-01..2019-11-30); ``anchor`` is the date used to give a year to
    "the 9th of December" (the meeting date, else the reporting end).
    ``day_first`` is the order the paper writes numeric dates in ("4/6/16"):
    True day first (UK), False month first (US), None not decided (each
    string's own evidence, else day first); see ``nlp.dates.day_first_of``.
    """

    meeting_date: dt.date | None = None
    reporting_start: dt.date | None = None
    reporting_end: dt.date | None = None
    day_first: bool | None = None

    @property
    def anchor(self) -> dt.date | None:
        return self.meeting_date or self.reporting_end
