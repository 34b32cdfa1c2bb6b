"""A synthetic monthly series of board papers with known truth.

Renders, with fpdf2, a Chief Constable's monthly update to a Business
Coordination Board (an invented force, "Northshire Constabulary") in the genre
of the seed paper: a To/From/Date block, "1.0 Purpose", hanging-numbered
paragraphs, bold headings, the month's priority areas, italic quoted plan
actions followed by narrative, a ruled action-log table, a running footer and,
in one month, a footnote. Figures, statuses, priorities, trends and operations
change from month to month; what each paper says is returned as plain data
(and written to ``truth.json``) so that ingest, extraction and the briefs can
be checked exactly.

    python -m tests.synth OUTDIR [--months 6] [--start 2020-01] [--seed 0]

The words live in ``tests/synth_data.yml``; this module holds the layout, the
arithmetic and the truth. Output is deterministic: the same arguments give the
same bytes (fixed creation date, seeded random numbers, core fonts only).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import pathlib
import random
import string
from dataclasses import dataclass

import fpdf
import yaml
from fpdf import FPDF

DATA_FILE = pathlib.Path(__file__).with_name("synth_data.yml")
CREATION_DATE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

# Page geometry (mm, A4) and type sizes (pt).
PAGE_W, PAGE_H = 210.0, 297.0
NUM_X = 20.0  # where hanging numbers are printed
TEXT_X = 35.0  # where paragraph text starts
RIGHT_X = 190.0
TOP_Y = 20.0
BOTTOM_Y = 262.0  # body text stops here; footnotes and the footer sit below
FOOTNOTE_Y = 268.0
FOOTER_Y = 285.0
BODY_PT, LINE_H, GAP = 10.0, 5.0, 2.6
SMALL_PT = 8.0
SUP_PT, SUP_RISE = 6.5, 1.4
TABLE_PT, TABLE_LH, TABLE_PAD = 9.0, 4.3, 1.4
TABLE_COLS = (("Ref", 18.0), ("Action", 74.0), ("Owner", 34.0), ("Due", 22.0), ("Status", 22.0))

STATUS_CLASSES = ("completed", "on_track", "in_progress", "planned", "delayed", "at_risk")
MONTH_NAMES = list(calendar.month_name)


@dataclass(frozen=True)
class Mark:
    """A printed value the truth records the page of."""

    text: str
    key: str
    style: str = ""


# -- dates -------------------------------------------------------------------


def _add_months(ym: tuple[int, int], k: int) -> tuple[int, int]:
    n = ym[0] * 12 + (ym[1] - 1) + k
    return n // 12, n % 12 + 1


def _ym(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _month_name(ym: tuple[int, int]) -> str:
    return f"{MONTH_NAMES[ym[1]]} {ym[0]}"


def _nth_weekday(ym: tuple[int, int], weekday: int, n: int) -> dt.date:
    first = dt.date(ym[0], ym[1], 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _long_date(d: dt.date, *, ordinal: bool = True) -> str:
    day = _ordinal(d.day) if ordinal else str(d.day)
    return f"{day} {MONTH_NAMES[d.month]} {d.year}"


# -- text with marks ---------------------------------------------------------


def _sentence(template: str, **values: object) -> list[tuple[str, str, str | None]]:
    """Split ``template`` into segments (text, style, mark key); ``{name}``
    fields take a str (plain) or a Mark (recorded)."""
    segments: list[tuple[str, str, str | None]] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            segments.append((literal, "", None))
        if field is not None:
            value = values[field]
            if isinstance(value, Mark):
                segments.append((value.text, value.style, value.key))
            else:
                segments.append((str(value), "", None))
    return segments


def _join(*sentences: list) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for i, s in enumerate(sentences):
        if i:
            out.append((" ", "", None))
        out.extend(s)
    return out


def _plain(text: str) -> list[tuple[str, str, str | None]]:
    return [(text, "", None)]


# -- layout ------------------------------------------------------------------


class _PDF(FPDF):
    def __init__(self, footer_left: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_left = footer_left
        self.footnotes: dict[int, list[str]] = {}
        self.set_creation_date(CREATION_DATE)
        self.set_creator("tests/synth.py")
        self.set_auto_page_break(False)
        self.set_margins(NUM_X, TOP_Y, PAGE_W - RIGHT_X)
        self.alias_nb_pages()

    def footer(self) -> None:
        y = FOOTNOTE_Y
        for note in self.footnotes.get(self.page_no(), []):
            self.set_font("Helvetica", "", SMALL_PT)
            self.text(NUM_X, y, note)
            y += 4.0
        self.set_font("Helvetica", "", SMALL_PT)
        self.text(NUM_X, FOOTER_Y, self.footer_left)
        # cell() (not text()) so that fpdf2 substitutes the total-pages alias
        self.set_xy(RIGHT_X - 40.0, FOOTER_Y - 2.9)
        self.cell(40.0, 4.0, f"Page {self.page_no()} of {{nb}}", align="R")


class _Writer:
    """Lays out blocks top to bottom, breaking pages itself, and records where
    every block and every marked value landed."""

    def __init__(self, footer_left: str):
        self.pdf = _PDF(footer_left)
        self.pdf.add_page()
        self.y = TOP_Y
        self.blocks: list[dict] = []
        self.marks: dict[str, int] = {}
        self.footnote_texts: dict[str, str] = {}  # mark "fn:<marker>" -> footnote text
        self._widths: dict[tuple[str, str, float], float] = {}

    @property
    def page(self) -> int:
        return self.pdf.page_no()

    def _font(self, style: str, size: float = BODY_PT) -> None:
        if style == "sup":
            self.pdf.set_font("Helvetica", "", SUP_PT)
        else:
            self.pdf.set_font("Helvetica", style, size)

    def _width(self, text: str, style: str, size: float = BODY_PT) -> float:
        key = (text, style, size)
        if key not in self._widths:
            self._font(style, size)
            self._widths[key] = self.pdf.get_string_width(text)
        return self._widths[key]

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = TOP_Y

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM_Y:
            self.new_page()

    def wrap(
        self, segments, width: float, size: float = BODY_PT
    ) -> list[list[list[tuple[str, str, str | None]]]]:
        """Greedy word wrap: lines of words, a word being pieces (text, style, mark)."""
        words: list[list[tuple[str, str, str | None]]] = []
        current: list[tuple[str, str, str | None]] = []
        for text, style, mark in segments:
            for i, part in enumerate(text.split(" ")):
                if i and current:
                    words.append(current)
                    current = []
                if part:
                    current.append((part, style, mark))
        if current:
            words.append(current)
        space = self._width(" ", "", size)
        lines: list[list] = []
        line: list = []
        used = 0.0
        for word in words:
            w = sum(self._width(t, s, size) for t, s, _ in word)
            if line and used + space + w > width:
                lines.append(line)
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        if line:
            lines.append(line)
        return lines

    def _draw_line(self, x: float, baseline: float, words: list, size: float = BODY_PT) -> None:
        runs: list[list] = []  # [style, text]
        for wi, word in enumerate(words):
            for pi, (text, style, mark) in enumerate(word):
                if mark and mark not in self.marks:
                    self.marks[mark] = self.page
                    if mark in self.footnote_texts:
                        self.footnote(mark.removeprefix("fn:"), self.footnote_texts[mark])
                glue = "" if pi else (" " if wi else "")
                if runs and runs[-1][0] == style and style != "sup":
                    runs[-1][1] += glue + text
                else:
                    if glue and runs:
                        runs[-1][1] += glue
                    runs.append([style, text])
        for style, text in runs:
            self._font(style, size)
            self.pdf.text(x, baseline - (SUP_RISE if style == "sup" else 0.0), text)
            x += self.pdf.get_string_width(text)

    def block(
        self,
        kind: str,
        segments,
        *,
        number: str | None = None,
        number_style: str = "",
        x: float = TEXT_X,
        keep_with_next: int = 0,
        record: bool = True,
        **extra,
    ) -> dict:
        lines = self.wrap(segments, RIGHT_X - x)
        self.ensure(LINE_H * (min(len(lines), 2) + keep_with_next))
        info = {"number": number, "kind": kind, "page_start": self.page, "lines": len(lines)}
        for i, line in enumerate(lines):
            self.ensure(LINE_H)
            baseline = self.y + LINE_H * 0.78
            if i == 0 and number:
                self._font(number_style)
                self.pdf.text(NUM_X, baseline, number)
            self._draw_line(x, baseline, line)
            self.y += LINE_H
        self.y += GAP
        info["page_end"] = self.page
        info["starts"] = "".join(t for t, _, _ in segments)[:24]
        info.update(extra)
        if record:
            self.blocks.append(info)
        return info

    def heading(self, number: str | None, title: str, *, level: int, size: float = BODY_PT) -> dict:
        self.y += 1.0 if level == 1 else 0.0
        return self.block(
            "heading", [(title, "B", None)], number=number, number_style="B", keep_with_next=2, level=level
        )

    def footnote(self, marker: str, text: str) -> None:
        """Print footnote ``marker`` at the bottom of the current page."""
        self.pdf.footnotes.setdefault(self.page, []).append(f"{marker}. {text}")
        self.blocks.append(
            {
                "number": None,
                "kind": "footnote",
                "page_start": self.page,
                "page_end": self.page,
                "marker": marker,
                "starts": text[:60],
            }
        )

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> int:
        """A ruled table kept on one page; returns its page."""
        widths = [w for _, w in TABLE_COLS]

        def cell_lines(row, style):
            return [
                self.wrap([(c, style, None)], w - 2 * TABLE_PAD, TABLE_PT)
                for c, w in zip(row, widths, strict=True)
            ]

        laid = [(header, "B", cell_lines(header, "B"))] + [(r, "", cell_lines(r, "")) for r in rows]
        heights = [max(len(c) for c in cells) * TABLE_LH + 2 * TABLE_PAD for _, _, cells in laid]
        self.ensure(sum(heights))
        page = self.page
        self.pdf.set_line_width(0.3)
        for (row, style, cells), h in zip(laid, heights, strict=True):
            x = NUM_X
            for lines, w in zip(cells, widths, strict=True):
                self.pdf.rect(x, self.y, w, h)
                for i, line in enumerate(lines):
                    self._draw_line(x + TABLE_PAD, self.y + TABLE_PAD + TABLE_LH * (i + 0.78), line, TABLE_PT)
                x += w
            if style == "":
                self.blocks.append(
                    {
                        "number": None,
                        "kind": "table_row",
                        "page_start": page,
                        "page_end": page,
                        "cells": list(row),
                        "starts": " | ".join(row)[:60],
                    }
                )
            self.y += h
        self.y += GAP * 2
        return page

    def meta_line(self, label: str, value: str) -> None:
        baseline = self.y + LINE_H * 0.78
        self._font("B")
        self.pdf.text(NUM_X, baseline, label)
        self._font("")
        self.pdf.text(NUM_X + 16.0, baseline, value)
        self.y += LINE_H + 1.0

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# -- the series' numbers ------------------------------------------------------


def _load_data() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def _series_numbers(months: int, seed: int) -> dict:
    """Every month's values, drawn month by month (so a shorter series is a
    prefix of a longer one) and once for the whole series, so that trend
    wording agrees with the numbers and restatements refer to earlier ones."""
    rng = random.Random(seed)
    calls_dir = ["up", "up", "down", "down", "up", "down"]
    crime_dir = ["up", "down", "down", "up", "up", "down"]
    calls = 9800 + rng.randint(0, 400)
    crime = 5100 + rng.randint(0, 200)
    keys = (
        "calls",
        "calls_dir",
        "crimes",
        "crime_dir",
        "surveys",
        "confidence",
        "dip_pct",
        "dip_n",
        "outcome",
        "overtime",
        "queue",
        "rural",
        "specials",
        "filler_42",
        "filler_7",
    )
    nums: dict = {k: [] for k in keys}
    nums["restated"] = {}
    for i in range(months):
        up_calls, up_crime = calls_dir[i % 6] == "up", crime_dir[i % 6] == "up"
        step = rng.randint(150, 600)
        calls += step if up_calls else -step
        restate = rng.randint(15, 60)
        if i == 3:  # the previous month's crime count is restated in the fourth paper
            crime = nums["crimes"][i - 1] + restate
            nums["restated"][i] = crime
        step = rng.randint(40, 300)
        crime += step if up_crime else -step
        month = {
            "calls": calls,
            "calls_dir": calls_dir[i % 6],
            "crimes": crime,
            "crime_dir": crime_dir[i % 6],
            "surveys": rng.randint(1180, 1320),
            "confidence": rng.randint(52, 60),
            "dip_pct": rng.randint(18, 36),
            "dip_n": rng.randint(20, 45),
            "outcome": round(rng.uniform(9.0, 13.0), 1),
            "overtime": rng.randint(2800, 3600) * 100,
            "queue": rng.randint(250, 520),
            "rural": rng.randint(30, 70),
            "specials": rng.randint(48000, 52000),
            "filler_42": rng.randint(1, 4),
            "filler_7": rng.randint(2, 6),
        }
        for k in keys:
            nums[k].append(month[k])
    return nums


def _fmt_count(n: int) -> str:
    return f"{n:,}"


def _fmt_pct(v: float) -> str:
    return f"{v:g}%"


# -- one paper -----------------------------------------------------------------


class _Paper:
    """Builds one month's paper and its truth."""

    def __init__(self, data: dict, index: int, start: tuple[int, int], nums: dict, rng: random.Random):
        self.d, self.i, self.nums, self.rng = data, index, nums, rng
        self.month = _add_months(start, index)  # the meeting month
        self.period = _add_months(self.month, -2)  # performance reported up to the end of this month
        self.meeting = _nth_weekday(self.month, 3, 4)  # fourth Thursday
        self.opm = _nth_weekday(_add_months(self.month, -1), 3, 3)
        printed_year = self.meeting.year - 1 if self.month[1] == 1 and index == 0 else self.meeting.year
        self.date_printed = _long_date(self.meeting.replace(year=printed_year))
        footer_left = f"{data['board']} {_long_date(self.meeting, ordinal=False)}"
        self.w = _Writer(footer_left)
        self.metrics: list[dict] = []
        self.actions: list[dict] = []
        self.trends: list[dict] = []
        self.operations: list[str] = []
        self._pending: list[tuple[dict, str]] = []  # (metric, mark key) awaiting a page
        self.deck: list[str] = []

    # metrics are marked in the text and get their paragraph and page when laid out
    def metric(
        self,
        key: str,
        text: str,
        value: float,
        unit: str,
        measure: str,
        period_end,
        *,
        period: str,
        restated_from: float | None = None,
    ) -> Mark:
        mark = f"{key}@{period_end}#{len(self.metrics)}"
        entry = {
            "key": key,
            "text": text,
            "value": value,
            "unit": unit,
            "measure": measure,
            "period": period,
            "period_end": _ym(period_end),
        }
        if restated_from is not None:
            entry["restated"] = True
            entry["previous_value"] = restated_from
        self.metrics.append(entry)
        self._pending.append((entry, mark))
        return Mark(text, mark)

    def para(
        self, number: str | None, segments, *, kind: str = "paragraph", owner: str | None = None
    ) -> dict:
        extra = {"belongs_to": owner} if owner else {}
        info = self.w.block(kind, segments, number=number, **extra)
        for entry, mark in list(self._pending):
            if mark in self.w.marks:
                entry["paragraph"] = owner or number
                if owner:  # printed in the unnumbered narrative under action title ``owner``
                    entry["narrative"] = True
                entry["page"] = self.w.marks[mark]
                self._pending.remove((entry, mark))
        return info

    def filler(self, k: int) -> list:
        """``k`` filler sentences, dealt from a shuffled deck so that a paper
        repeats none until all have been used."""
        out = []
        for _ in range(k):
            if not self.deck:
                self.deck = list(self.d["filler"])
                self.rng.shuffle(self.deck)
            out.append(self.deck.pop())
        return _plain(" ".join(out))

    def build(self, *, extra_filler: int = 0) -> None:
        d, w, n, i = self.d, self.w, self.nums, self.i
        P, Pn = self.period, _month_name(self.period)
        priorities = d["priority_schedule"][i % len(d["priority_schedule"])]
        self.priorities = list(priorities)

        w.block("meta", [(d["title"], "B", None)], x=NUM_X, record=False)
        w.meta_line("To:", d["board"])
        w.meta_line("From:", d["author"])
        w.meta_line("Date:", self.date_printed)
        w.y += GAP

        w.heading("1.0", "Purpose", level=1)
        self.para(
            "1.1",
            _plain(
                f'The purpose of this paper is to provide an update to the {d["board"]} ("the Board") on the actions '
                f"taken against the {d['pillar']} pillar of the {d['plan']}."
            ),
        )
        w.heading("2.0", "Recommendation", level=1)
        self.para("2.1", _plain("The Board is invited to note the contents of the report."))
        w.heading("3.0", "Background", level=1)
        self.para(
            "3.1",
            _plain(
                f"The most recent Operational Performance Meeting was held on {_long_date(self.opm)} and reviewed "
                f"performance up to the end of {Pn}. This report reflects the updates provided to that meeting."
            ),
        )
        listed = ", ".join(priorities[:-1]) + " and " + priorities[-1]
        self.para(
            "3.2",
            _plain(
                f"Alongside an overall review of performance, the report will also update on the priorities which sit "
                f"under the {d['pillar']} pillar. This month's priority areas were {listed}."
            ),
        )

        w.heading("4.0", "Performance Meeting Updates", level=1)
        w.heading("4.1", "Strategic measures", level=2)
        self.para(
            "4.1.1",
            _plain(
                f"The management information underlying the {d['pillar']} pillar is public confidence as measured by "
                f"the Northshire Policing Survey."
            ),
        )
        ending = f"12 months ending {Pn}"
        self.para(
            "4.1.2",
            _join(
                _sentence(
                    "In the {p}, the Telephone Research Bureau conducted {v} surveys with members of the public to "
                    "seek their view on local policing.",
                    p=ending,
                    v=self.metric(
                        "surveys_conducted",
                        _fmt_count(n["surveys"][i]),
                        n["surveys"][i],
                        "count",
                        "surveys",
                        P,
                        period=ending,
                    ),
                ),
                _sentence(
                    "{v} of people surveyed told the Bureau that they had confidence in the police to deal with "
                    "the issues in their local community.",
                    v=self.metric(
                        "public_confidence",
                        _fmt_pct(n["confidence"][i]),
                        n["confidence"][i],
                        "percent",
                        "people surveyed told the Bureau that they had confidence in the police",
                        P,
                        period=ending,
                    ),
                ),
            ),
        )
        self.para("4.1.3", self.filler(2))

        w.heading("4.2", "Performance Headlines and Department Updates", level=2)
        calls_dir = n["calls_dir"][i]
        verb = {"up": "rose", "down": "fell"}
        self.trends.append(
            {
                "subject": "999 call volumes",
                "direction": calls_dir,
                "horizon": "month",
                "paragraph": "4.2.1",
                "text": f"999 call volumes {verb[calls_dir]} month on month",
            }
        )
        self.para(
            "4.2.1",
            _join(
                _sentence(
                    "999 call volumes {v} month on month, with {c} emergency calls answered in {p}.",
                    v=verb[calls_dir],
                    p=Pn,
                    c=self.metric(
                        "emergency_calls",
                        _fmt_count(n["calls"][i]),
                        n["calls"][i],
                        "count",
                        "emergency calls answered",
                        P,
                        period=Pn,
                    ),
                ),
                self.filler(2),
            ),
        )
        crime_dir = n["crime_dir"][i]
        self.trends.append(
            {
                "subject": "Recorded crime levels",
                "direction": crime_dir,
                "horizon": "month",
                "paragraph": "4.2.2",
                "text": f"Recorded crime levels {verb[crime_dir]} month on month",
            }
        )
        parts = [
            _sentence(
                "Recorded crime levels {v} month on month, with {c} crimes recorded in {p}.",
                v=verb[crime_dir],
                p=Pn,
                c=self.metric(
                    "recorded_crimes",
                    _fmt_count(n["crimes"][i]),
                    n["crimes"][i],
                    "count",
                    "crimes recorded",
                    P,
                    period=Pn,
                ),
            )
        ]
        if i in n["restated"]:
            prev = _add_months(P, -1)
            parts.append(
                _sentence(
                    "Following data quality checks, the number of crimes recorded in {p} has been restated as {c}.",
                    p=_month_name(prev),
                    c=self.metric(
                        "recorded_crimes",
                        _fmt_count(n["restated"][i]),
                        n["restated"][i],
                        "count",
                        "crimes recorded",
                        prev,
                        period=_month_name(prev),
                        restated_from=n["crimes"][i - 1],
                    ),
                )
            )
        parts.append(self.filler(1))
        self.para("4.2.2", _join(*parts))
        self.para(
            "4.2.3",
            _join(
                _sentence(
                    "Additional analysis was carried out on attendance times for prompt domestic incidents and "
                    "found that in {pct} {n} of the incidents dip sampled the delay was due to reasons outside "
                    "the Constabulary's control.",
                    pct=self.metric(
                        "dip_sample_outside_control",
                        _fmt_pct(n["dip_pct"][i]),
                        n["dip_pct"][i],
                        "percent",
                        "incidents dip sampled",
                        P,
                        period=Pn,
                    ),
                    n=self.metric(
                        "dip_sample_size",
                        f"(n={n['dip_n'][i]})",
                        n["dip_n"][i],
                        "count",
                        "incidents dip sampled",
                        P,
                        period=Pn,
                    ),
                ),
                self.filler(2),
            ),
        )
        self.para(
            "4.2.4",
            _join(
                _sentence(
                    "The positive outcome rate in {p} was {v}, and the rolling rate is monitored at the "
                    "Operational Performance Meeting.",
                    p=Pn,
                    v=self.metric(
                        "positive_outcome_rate",
                        _fmt_pct(n["outcome"][i]),
                        n["outcome"][i],
                        "percent",
                        "positive outcome rate",
                        P,
                        period=Pn,
                    ),
                )
            ),
        )
        self.para(
            "4.2.5",
            _join(
                _sentence(
                    "Overtime spend on operational policing in {p} was {v}.",
                    p=Pn,
                    v=self.metric(
                        "overtime_spend",
                        f"£{n['overtime'][i]:,}",
                        n["overtime"][i],
                        "gbp",
                        "Overtime spend on operational policing",
                        P,
                        period=Pn,
                    ),
                ),
                self.filler(1),
            ),
        )
        number = 6
        if i < 4:  # no longer reported from the fifth paper on
            self.para(
                "4.2.6",
                _join(
                    _sentence(
                        "As at the end of {p} there were {v} crimes awaiting quality assurance and linking in "
                        "the Information Management Unit.",
                        p=Pn,
                        v=self.metric(
                            "crimes_awaiting_qa",
                            _fmt_count(n["queue"][i]),
                            n["queue"][i],
                            "count",
                            "crimes awaiting quality assurance",
                            P,
                            period=Pn,
                        ),
                    ),
                    self.filler(1),
                ),
            )
            number = 7
        for k in range(n["filler_42"][i] + extra_filler):
            self.para(f"4.2.{number + k}", self.filler(3 + k % 3))

        w.heading("5.0", "Priority Updates", level=1)
        for s, name in enumerate(priorities, start=1):
            w.heading(f"5.{s}", name, level=2)
            texts = d["priority_text"][name]
            for j, text in enumerate(texts[: 1 + (i + s) % 2]):
                segs = _plain(text)
                if name == "Rural Crime" and j == 0 and "Operation Kestrel" in self._ops_this_month():
                    segs = self._kestrel_segments() + [(" ", "", None)] + segs
                    segs = self._rural_metric(segs)
                self.para(f"5.{s}.{j + 1}", segs)
        w.heading("6.0", f"{d['pillar']} Updates", level=1)
        self._actions_section()

        w.heading("7.0", "Highlighted Good Practice", level=1)
        number = 1
        if "Operation Lantern" in self._ops_this_month():
            self.operations.append("Operation Lantern")
            self.para("7.1", _plain(d["operations"]["Operation Lantern"]["text"]))
            number = 2
        if "Operation Kestrel" in self._ops_this_month() and "Rural Crime" not in priorities:
            self.para(f"7.{number}", self._rural_metric(self._kestrel_segments()))
            number += 1
        for k in range(n["filler_7"][i] + extra_filler):
            self.para(f"7.{number + k}", self.filler(2 + k % 3))

        w.heading("8.0", "Action Log", level=1)
        self.para(
            "8.1", _plain("The action log below records progress on the plan actions reported in section 6.")
        )
        rows = []
        for a in self.actions:
            rows.append(
                (
                    a["ref"],
                    a["title"],
                    a["owner"],
                    _month_name(_parse_ym(a["due"])),
                    self.d["status_log"][a["status"]],
                )
            )
        self.table_page = w.table(tuple(c for c, _ in TABLE_COLS), rows)
        for a in self.actions:
            a["table_page"] = self.table_page
        w.heading("9.0", "Recommendation", level=1)
        self.para("9.1", _plain("The Board is invited to note the contents of the report."))

    def _ops_this_month(self) -> list[str]:
        return [name for name, op in self.d["operations"].items() if self.i in op["months"]]

    def _kestrel_segments(self) -> list:
        op = self.d["operations"]["Operation Kestrel"]
        self.operations.append("Operation Kestrel")
        first = self.i == op["months"][0]
        if first:
            self.w.footnote_texts["fn:1"] = op["footnote"]
            return [
                ("Operation Kestrel", "", None),
                ("1", "sup", "fn:1"),
                (" was launched this month across the rural districts with neighbouring forces.", "", None),
            ]
        return _plain(op["text"])

    def _rural_metric(self, segs: list) -> list:
        Pn = _month_name(self.period)
        v = self.nums["rural"][self.i]
        return (
            segs
            + [(" ", "", None)]
            + _sentence(
                "In {p}, {v} rural crime incidents were reported to the Constabulary.",
                p=Pn,
                v=self.metric(
                    "rural_crime_incidents",
                    _fmt_count(v),
                    v,
                    "count",
                    "rural crime incidents",
                    self.period,
                    period=Pn,
                ),
            )
        )

    def _actions_section(self) -> None:
        d, i = self.d, self.i
        start = _parse_ym_tuple(self.start_month)
        for sub in (1, 2):
            title = d["subsection_titles"][sub]
            if sub == 1 and i == 1:
                title = d["long_subsection_title"]
            self.w.heading(f"6.{sub}", title, level=2)
            k = 0
            for spec in d["actions"]:
                if spec["subsection"] != sub or i >= len(spec["statuses"]) or spec["statuses"][i] is None:
                    continue
                k += 1
                number = f"6.{sub}.{k}"
                status = spec["statuses"][i]
                due = _add_months(start, spec["due"])
                if status == "delayed" or (spec.get("delayed_by") and spec["statuses"][:i].count("delayed")):
                    due = _add_months(due, spec.get("delayed_by", 0))
                phrase = d["status_phrases"][status].format(
                    start=_long_date(_nth_weekday(_add_months(self.month, 1), 0, 1), ordinal=True),
                    due=_month_name(due),
                    reason=spec.get("at_risk_reason", ""),
                )
                title_segs = [(f"'{spec['title']}'", "I", None), (f" ({spec['owner']})", "", None)]
                info = self.w.block("action_title", title_segs, number=number, keep_with_next=1)
                narrative = [phrase] + spec["narrative"][: 1 + i % len(spec["narrative"])]
                segs = _plain(" ".join(narrative))
                if spec["ref"] == "NSC-05":
                    Pn = f"12 months ending {_month_name(self.period)}"
                    v = self.nums["specials"][i]
                    segs = _join(
                        segs,
                        _sentence(
                            "In the {p} the Special Constabulary completed an estimated {v} duty hours.",
                            p=Pn,
                            v=self.metric(
                                "special_constabulary_duty_hours",
                                _fmt_count(v),
                                v,
                                "hours",
                                "duty hours",
                                self.period,
                                period=Pn,
                            ),
                        ),
                    )
                self.para(None, segs, owner=number)
                overdue = status != "completed" and _ym(due) < _ym(self.month)
                self.actions.append(
                    {
                        "ref": spec["ref"],
                        "title": spec["title"],
                        "status": status,
                        "status_text": phrase,
                        "due": _ym(due),
                        "owner": spec["owner"],
                        "paragraph": number,
                        "page": info["page_start"],
                        "overdue": overdue,
                    }
                )

    def finish(self) -> bytes:
        return self.w.output()


def _parse_ym(s: str) -> tuple[int, int]:
    y, m = s.split("-")
    return int(y), int(m)


_parse_ym_tuple = _parse_ym


LONG_MONTH = 3  # this month's paper carries extra paragraphs, so that lengths differ


def _render(data: dict, index: int, start: str, nums: dict, seed: int, *, extra_filler: int = 0) -> _Paper:
    if index == LONG_MONTH:
        extra_filler += 4
    paper = _Paper(data, index, _parse_ym(start), nums, random.Random(seed * 1000 + index))
    paper.start_month = start
    paper.build(extra_filler=extra_filler)
    return paper


def _paper_truth(paper: _Paper, filename: str, pdf: bytes) -> dict:
    blocks = paper.w.blocks
    return {
        "file": filename,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "pages": paper.w.pdf.pages_count,
        "month": _ym(paper.month),
        "title": paper.d["title"],
        "board": paper.d["board"],
        "author": paper.d["author"],
        "date_printed": paper.date_printed,
        "meeting_date": paper.meeting.isoformat(),
        "date_conflict": str(paper.meeting.year) not in paper.date_printed,
        "footer": paper.w.pdf.footer_left,
        "reporting_period_end": _ym(paper.period),
        "priorities": paper.priorities,
        "metrics": paper.metrics,
        "actions": paper.actions,
        "trends": paper.trends,
        "operations": sorted(set(paper.operations)),
        "layout": {
            "split_paragraphs": [
                b["number"] or f"narrative of {b.get('belongs_to')}"
                for b in blocks
                if b["page_start"] != b["page_end"]
            ],
            "wrapped_headings": [b["number"] for b in blocks if b["kind"] == "heading" and b["lines"] > 1],
            "footnotes": [
                {"marker": b["marker"], "page": b["page_start"], "text": b["starts"]}
                for b in blocks
                if b["kind"] == "footnote"
            ],
            "table_page": paper.table_page,
            "table_rows": sum(1 for b in blocks if b["kind"] == "table_row"),
        },
        "paragraphs": [{k: v for k, v in b.items() if k not in ("lines",)} for b in blocks],
    }


def _changes(prev: dict, cur: dict) -> dict:
    """What moved between two consecutive papers: the answer a brief should give."""

    def latest(paper):
        out = {}
        for m in paper["metrics"]:
            if m["period_end"] == paper["reporting_period_end"] or m["key"] not in out:
                out[m["key"]] = m
        return out

    pm, cm = latest(prev), latest(cur)
    metrics = []
    for key in sorted(pm.keys() & cm.keys()):
        a, b = pm[key], cm[key]
        change = round(b["value"] - a["value"], 3)
        entry = {
            "key": key,
            "unit": b["unit"],
            "previous": a["value"],
            "current": b["value"],
            "direction": "up" if change > 0 else "down" if change < 0 else "stable",
        }
        if b["unit"] == "percent":
            entry["change_pp"] = change
        else:
            entry["change_pct"] = round(100.0 * change / a["value"], 2) if a["value"] else None
        metrics.append(entry)
    restated = []
    for m in cur["metrics"]:
        if m.get("restated"):
            restated.append(
                {
                    "key": m["key"],
                    "period_end": m["period_end"],
                    "previous": m["previous_value"],
                    "current": m["value"],
                }
            )
    pa = {a["ref"]: a for a in prev["actions"]}
    ca = {a["ref"]: a for a in cur["actions"]}
    transitions = [
        {"ref": r, "from": pa[r]["status"], "to": ca[r]["status"]}
        for r in sorted(pa.keys() & ca.keys())
        if pa[r]["status"] != ca[r]["status"]
    ]
    pt = {t["subject"]: t["direction"] for t in prev["trends"]}
    return {
        "from": prev["month"],
        "to": cur["month"],
        "metrics": metrics,
        "metrics_new": sorted(cm.keys() - pm.keys()),
        "metrics_dropped": sorted(pm.keys() - cm.keys()),
        "restated": restated,
        "actions_changed": transitions,
        "actions_new": sorted(ca.keys() - pa.keys()),
        "actions_dropped": sorted(pa.keys() - ca.keys()),
        "actions_overdue": sorted(a["ref"] for a in cur["actions"] if a["overdue"]),
        "priorities_added": [p for p in cur["priorities"] if p not in prev["priorities"]],
        "priorities_dropped": [p for p in prev["priorities"] if p not in cur["priorities"]],
        "trends_reversed": sorted(
            t["subject"]
            for t in cur["trends"]
            if t["subject"] in pt
            and pt[t["subject"]] != t["direction"]
            and "stable" not in (pt[t["subject"]], t["direction"])
        ),
        "operations_new": sorted(set(cur["operations"]) - set(prev["operations"])),
    }


def dump_truth(obj, indent: str = "") -> str:
    """JSON with one line per flat record, so truth files stay small and diffable."""
    flat = not isinstance(obj, (dict, list)) or all(
        not isinstance(v, (dict, list)) or not v for v in (obj.values() if isinstance(obj, dict) else obj)
    )
    if flat:
        return json.dumps(obj, ensure_ascii=False)
    inner = indent + " "
    if isinstance(obj, list):
        items = [inner + dump_truth(v, inner) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    items = [f"{inner}{json.dumps(k)}: {dump_truth(v, inner)}" for k, v in obj.items()]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}" + ("\n" if not indent else "")


def generate_series(outdir, months: int = 6, start: str = "2020-01", seed: int = 0) -> dict:
    """Write one PDF per month (``<outdir>/nsc-bcb-YYYY-MM.pdf``) and
    ``<outdir>/truth.json``; return the truth (plain data)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    out = pathlib.Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    data = _load_data()
    nums = _series_numbers(months, seed)
    papers = []
    for index in range(months):
        paper = _render(data, index, start, nums, seed)
        pdf = paper.finish()
        filename = f"nsc-bcb-{_ym(paper.month)}.pdf"
        (out / filename).write_bytes(pdf)
        papers.append(_paper_truth(paper, filename, pdf))
    truth = {
        "generator": "tests/synth.py",
        "args": {"months": months, "start": start, "seed": seed, "fpdf2": fpdf.__version__},
        "series": {
            "board": data["board"],
            "author": data["author"],
            "title": data["title"],
            "body": data["body"],
        },
        "months": papers,
        "changes": [_changes(a, b) for a, b in zip(papers, papers[1:], strict=False)],
    }
    (out / "truth.json").write_text(dump_truth(truth), encoding="utf-8")
    return truth


def generate_long_paper(path, pages: int = 30, seed: int = 0) -> dict:
    """Write one long paper of the same genre with at least ``pages`` pages
    (for the speed benchmark); return its truth."""
    data = _load_data()
    nums = _series_numbers(1, seed)
    extra = max(0, (pages - 4) * 5)  # each unit adds a paragraph to 4.2 and to 7.0: about a fifth of a page
    paper = _render(data, 0, "2020-01", nums, seed, extra_filler=extra)
    while paper.w.pdf.pages_count < pages:  # top up when the estimate fell short
        extra += max(1, (pages - paper.w.pdf.pages_count) * 3)
        paper = _render(data, 0, "2020-01", nums, seed, extra_filler=extra)
    pdf = paper.finish()
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return _paper_truth(paper, path.name, pdf)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.synth", description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--start", default="2020-01")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--long", type=int, metavar="PAGES", help="write one long paper of PAGES pages instead"
    )
    args = parser.parse_args(argv)
    if args.long:
        truth = generate_long_paper(
            pathlib.Path(args.outdir) / "nsc-bcb-long.pdf", pages=args.long, seed=args.seed
        )
        print(f"{truth['file']}: {truth['pages']} pages")
        return 0
    truth = generate_series(args.outdir, months=args.months, start=args.start, seed=args.seed)
    for m in truth["months"]:
        print(f"{m['file']}: {m['pages']} pages, sha256 {m['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
