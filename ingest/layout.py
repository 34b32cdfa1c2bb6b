"""Words to lines, columns, and running headers and footers.

Lines are built per column: a page whose words leave a clear vertical gutter
is read column by column. Lines that repeat at the top or bottom of most
pages (digits normalised, so "Page 3 of 10" repeats) are running headers and
footers: removed from the body but kept as text for the paper's metadata.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from boardpapers.ingest.models import Line, Word

BAND = 0.12  # top/bottom share of the page where running lines live
MIN_GUTTER = 8.0  # points of empty width between two columns
MIN_COLUMN_SHARE = 0.22  # each column is at least this share of the text width
MIN_COLUMN_WORDS = 40  # fewer words than this are read as one column
MIN_WORDS_PER_ROW = 3  # a text column's rows hold at least this many words (median)
BAND_GAP = 1.5  # blank height (in line heights) that cuts the page into bands
PAGE_NUMBER = re.compile(r"^(page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(\s*(of|/)\s*\d{1,4})?$", re.I)


@dataclass(frozen=True)
class Running:
    """Running lines found across a document."""

    header: str | None
    footer: str | None
    keys: frozenset[str]


def to_lines(words: list[Word], page: int, width: float) -> list[Line]:
    """Words -> lines in reading order (column by column)."""
    if not words:
        return []
    out: list[Line] = []
    for column in split_columns(words, width):
        out.extend(_lines_of(column, page))
    return out


def split_columns(words: list[Word], width: float) -> list[list[Word]]:
    """Words in reading order: region by region down the page, column by column
    within a region.

    The page is split into horizontal bands at wide blank gaps (a full-width
    title, abstract or table above or below the columns hides the gutter
    page-wide) and each band finds its own gutters; neighbouring bands with
    the same gutters are read as one region, so a column continues across a
    blank line."""
    if len(words) < MIN_COLUMN_WORDS:
        return [words]
    regions: list[tuple[list[Word], list[float]]] = []
    for band in _bands(words):
        band_cuts = _gutters(band)
        if regions and _same_cuts(regions[-1][1], band_cuts, band):
            regions[-1][0].extend(band)
            regions[-1] = (regions[-1][0], regions[-1][1] or band_cuts)
        else:
            regions.append((list(band), band_cuts))
    return [column for region, region_cuts in regions for column in _by_cuts(region, region_cuts)]


def _gutters(words: list[Word]) -> list[float]:
    """x positions of vertical gutters that leave wide, paragraph-like text on both sides."""
    if len(words) < MIN_COLUMN_WORDS:
        return []
    left = min(w.x0 for w in words)
    right = max(w.x1 for w in words)
    span = right - left
    if span <= 0:
        return []
    bins = _coverage(words, left, int(span) + 2)
    allowed = len(words) // 200  # on a long page, a title across the gutter does not close it
    gutters, start = [], None
    for x, n in enumerate(bins):
        if n <= allowed:
            start = x if start is None else start
        elif start is not None:
            if x - start >= MIN_GUTTER:
                gutters.append((start + left, x + left))
            start = None
    cuts: list[float] = []
    prev = left
    for g0, g1 in gutters:
        if g0 - prev >= MIN_COLUMN_SHARE * span and right - g1 >= MIN_COLUMN_SHARE * span:
            cuts.append((g0 + g1) / 2)
            prev = g1
    columns = _by_cuts(words, cuts)
    if cuts and not all(_prose(c) for c in columns):
        return []  # short cells at a fixed x (a status column) are a table, not a text column
    return cuts


def _prose(words: list[Word]) -> bool:
    """Most rows of the column are text: several words, or most of the column's
    width (not the one-word cells of a status column)."""
    rows: dict[int, list[Word]] = {}
    for w in words:
        rows.setdefault(round(w.bottom), []).append(w)
    width = max(w.x1 for w in words) - min(w.x0 for w in words)
    texty = [
        len(r) >= MIN_WORDS_PER_ROW or max(w.x1 for w in r) - min(w.x0 for w in r) >= 0.6 * width
        for r in rows.values()
    ]
    return sum(texty) * 2 > len(texty)


def _by_cuts(words: list[Word], cuts: list[float]) -> list[list[Word]]:
    if not cuts:
        return [words]
    columns: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in words:
        cx = (w.x0 + w.x1) / 2
        columns[sum(1 for c in cuts if cx > c)].append(w)
    return [c for c in columns if c]


def _bands(words: list[Word]) -> list[list[Word]]:
    """Words cut into horizontal bands at blank gaps of BAND_GAP line heights."""
    ordered = sorted(words, key=lambda w: w.top)
    height = statistics.median(w.bottom - w.top for w in ordered) or 10.0
    bands: list[list[Word]] = [[ordered[0]]]
    reach = ordered[0].bottom
    for w in ordered[1:]:
        if w.top - reach >= BAND_GAP * height:
            bands.append([])
        bands[-1].append(w)
        reach = max(reach, w.bottom)
    return bands


def _same_cuts(cuts: list[float], band_cuts: list[float], band: list[Word]) -> bool:
    """Whether ``band`` continues the region above: the same gutters, or too
    little text to tell and nothing printed across the region's gutters."""
    if band_cuts:
        return len(cuts) == len(band_cuts) and all(
            abs(a - b) <= 2 * MIN_GUTTER for a, b in zip(cuts, band_cuts, strict=True)
        )
    if not cuts or len(band) >= MIN_COLUMN_WORDS:
        return False
    return not any(w.x0 < c < w.x1 for w in band for c in cuts)


def _lines_of(words: list[Word], page: int) -> list[Line]:
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []  # each row's median top and bottom, kept as words join it
    # each row's tops and bottoms kept sorted as words join it (``statistics.median`` of
    # the row each time, without sorting it again); insort puts values in sorted()'s
    # order unless one is NaN
    ordered = not any(w.top != w.top or w.bottom != w.bottom for w in words)
    sorted_tops: list[list[float]] = []
    sorted_bottoms: list[list[float]] = []
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        for n in range(len(rows) - 1, max(len(rows) - 4, -1), -1):  # the last three rows, latest first
            top, bottom = spans[n]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.4 * min(bottom - top, w.bottom - w.top):
                row = rows[n]
                row.append(w)
                if ordered:
                    bisect.insort(sorted_tops[n], w.top)
                    bisect.insort(sorted_bottoms[n], w.bottom)
                    spans[n] = (_median_of_sorted(sorted_tops[n]), _median_of_sorted(sorted_bottoms[n]))
                else:
                    spans[n] = (
                        statistics.median(x.top for x in row),
                        statistics.median(x.bottom for x in row),
                    )
                break
        else:
            rows.append([w])
            spans.append((w.top, w.bottom))
            sorted_tops.append([w.top])
            sorted_bottoms.append([w.bottom])
    lines = [Line(page=page, words=tuple(sorted(r, key=lambda w: w.x0))) for r in rows]
    return sorted(lines, key=lambda ln: ln.top)


def _median_of_sorted(values: list[float]) -> float:
    """``statistics.median`` of values already in order (its own arithmetic)."""
    n = len(values)
    if n % 2:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


def normalise(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def find_running(pages: list[tuple[list[Line], float]]) -> Running:
    """Lines in the top/bottom band that repeat on at least half the pages."""
    top_seen: Counter[str] = Counter()
    bottom_seen: Counter[str] = Counter()
    first_text: dict[str, str] = {}
    for lines, height in pages:
        # dicts, not sets: lines counted in reading order, so a tie between two
        # equally common lines goes to the first printed, the same on every run
        tops: dict[str, None] = {}
        bottoms: dict[str, None] = {}
        for ln in lines:
            key = normalise(ln.text)
            first_text.setdefault(key, ln.text)
            if ln.bottom <= BAND * height:
                tops[key] = None
            elif ln.top >= (1 - BAND) * height:
                bottoms[key] = None
        top_seen.update(tops.keys())
        bottom_seen.update(bottoms.keys())
    need = max(2, (len(pages) + 1) // 2)
    keys = {k for k, n in top_seen.items() if n >= need} | {k for k, n in bottom_seen.items() if n >= need}
    header = _pick(top_seen, need, first_text)
    footer = _pick(bottom_seen, need, first_text)
    return Running(header=header, footer=footer, keys=frozenset(keys))


def _pick(seen: Counter[str], need: int, first_text: dict[str, str]) -> str | None:
    found = [k for k, n in seen.most_common() if n >= need and not PAGE_NUMBER.match(k.replace("#", "1"))]
    return first_text[found[0]] if found else None


def is_running(line: Line, height: float, running: Running) -> bool:
    """A running header/footer line or a lone page number in the margin bands."""
    in_band = line.bottom <= BAND * height or line.top >= (1 - BAND) * height
    if not in_band:
        return False
    key = normalise(line.text)
    return key in running.keys or bool(PAGE_NUMBER.match(line.text.strip()))


# ---------------------------------------------------------------- page furniture
#
# Furniture is what a page carries besides its text: a letterhead, running
# headers and footers, a sidebar (a narrow column of short lines beside the
# body, such as a list of trustees or officers). It is recognised by position,
# shape and repetition, never by wording, kept out of the body and stored as
# the paper's metadata.

SIDEBAR_MAX_SHARE = 0.36  # a sidebar is at most this share of the text width
SIDEBAR_MIN_ROWS = 3
SIDEBAR_MAX_WORDS = 4  # median words per sidebar line
SIDEBAR_ALIGNED = 0.5  # above this share of rows on body baselines, it is a table column
SIDEBAR_GUTTER = 18.0  # points of blank between the body and a sidebar
LETTERHEAD_BAND = 0.22  # a letterhead sits in the top share of page 1
# Shapes of contact details (not words): phone numbers, e-mail and web addresses. A
# postal address alone is no letterhead (a meeting's heading names its venue).
CONTACT = re.compile(
    r"\(\d{3,5}\)\s?\d{3,4}[\s.\-]?\d{3,4}"  # (513) 555-0142, (01473) 583000
    r"|(?<![\d.,])0\d{2,4}[\s.\-]?\d{3}[\s.\-]?\d{3,4}(?![\d.,])"  # 01473 583000
    r"|\+\d{1,3}(?:[\s.\-]?\d{2,4}){2,4}(?![\d.,])"  # +44 20 7946 0000
    r"|(?<![\d.,])\d{3}[.\-]\d{3}[.\-]\d{4}(?![\d.,])"  # 513-555-0142
    r"|\S+@\S+\.\w{2,}|\bwww\.\S+|https?://\S+"
)
LETTERHEAD_LINES = 6  # a letterhead is a short block


def split_sidebar(
    words: list[Word], boxes: list[tuple[float, float, float, float]] = ()
) -> tuple[list[Word], list[Word]]:
    """(body, sidebar): the words of a narrow column of short lines at the left
    or right edge of the page, behind a clear gutter, whose lines keep their own
    baselines (a table's last column shares the rows' baselines and is not a
    sidebar). Words inside ``boxes`` (tables) never make a sidebar."""
    if len(words) < MIN_COLUMN_WORDS:
        return words, []
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    span = right - left
    for cut, side_is_right in _edge_gutters(words, left, span):
        side = [w for w in words if ((w.x0 + w.x1) / 2 > cut) == side_is_right]
        body = [w for w in words if ((w.x0 + w.x1) / 2 > cut) != side_is_right]
        if _is_sidebar(side, body, span, boxes, cut):
            return body, side
    return words, []


def _coverage(words: list[Word], left: float, size: int) -> list[int]:
    """For each whole point x from ``left`` (``size`` of them), how many words span it:
    a word counts on x = int(x0 - left) .. int(x1 - left). Summed from the ends of the
    words' spans, not point by point."""
    steps = [0] * (size + 1)
    for w in words:
        start, end = max(0, int(w.x0 - left)), min(size, int(w.x1 - left) + 1)
        if start < end:
            steps[start] += 1
            steps[end] -= 1
    return list(itertools.accumulate(steps[:size]))


def _edge_gutters(words: list[Word], left: float, span: float) -> list[tuple[float, bool]]:
    """Candidate cuts: the outermost gutters within SIDEBAR_MAX_SHARE of either edge."""
    bins = _coverage(words, left, int(span) + 2)
    allowed = max(1, len(words) // 60)  # a letterhead or title line across the gutter
    gutters, start = [], None
    for x, n in enumerate(bins):
        if n <= allowed:
            start = x if start is None else start
        elif start is not None:
            if x - start >= SIDEBAR_GUTTER:
                gutters.append(((start + x) / 2 + left, start + left, x + left))
            start = None
    out = []
    for mid, g0, g1 in gutters:
        if left + span - g1 <= SIDEBAR_MAX_SHARE * span:
            out.append((mid, True))
        if g0 - left <= SIDEBAR_MAX_SHARE * span:
            out.append((mid, False))
    return out


def _rows(words: list[Word]) -> list[list[Word]]:
    rows: dict[int, list[Word]] = {}
    for w in words:
        rows.setdefault(round(w.bottom), []).append(w)
    return list(rows.values())


def _is_sidebar(side: list[Word], body: list[Word], span: float, boxes, cut: float) -> bool:
    """Short lines of words (not numbers or refs: a numbering column is the body's),
    outside any table, mostly off the body's baselines."""
    if not side or not body:
        return False
    if any(
        b[0] - 2 <= (w.x0 + w.x1) / 2 <= b[2] + 2 and b[1] - 2 <= w.top <= b[3] + 2
        for w in side
        for b in boxes
    ):
        return False
    rows = _rows(side)
    if len(rows) < SIDEBAR_MIN_ROWS or statistics.median(len(r) for r in rows) > SIDEBAR_MAX_WORDS:
        return False
    wordy = sum(1 for r in rows if any(len(re.findall(r"[^\W\d_]", w.text)) >= 3 for w in r))
    if wordy * 3 < len(rows) * 2:
        return False
    if max(w.x1 for w in body) - min(w.x0 for w in body) < (1 - SIDEBAR_MAX_SHARE) * span * 0.8:
        return False  # the other side is no wider than this one: two columns, not body + sidebar
    top, bottom = min(w.top for w in side), max(w.bottom for w in side)
    if any(w.x0 < cut < w.x1 and w.bottom > top and w.top < bottom for w in (*body, *side)):
        return False  # a body line runs across the gutter beside it: line ends, not a sidebar
    aligned = sum(1 for r in rows if any(abs(w.bottom - r[0].bottom) <= 1.0 for w in body))
    return aligned <= SIDEBAR_ALIGNED * len(rows)


def find_letterhead(lines: list[Line], height: float) -> list[Line]:
    """The letterhead of a first page: the top block of lines (down to the first
    wide blank gap, within the top LETTERHEAD_BAND of the page) when it carries
    contact details (a phone number, e-mail or web address)."""
    top = [ln for ln in sorted(lines, key=lambda ln: ln.top) if ln.top <= LETTERHEAD_BAND * height]
    if not top:
        return []
    block = [top[0]]
    for ln in top[1:]:
        gap = ln.top - max(x.bottom for x in block)
        if gap >= BAND_GAP * max(ln.bottom - ln.top, 1.0):
            break
        block.append(ln)
    if len(block) > LETTERHEAD_LINES:
        return []
    return block if any(CONTACT.search(ln.text) for ln in block) else []
