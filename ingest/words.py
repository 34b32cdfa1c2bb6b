"""Words from upright characters, exactly as pdfplumber's ``extract_words`` builds them.

pdfplumber's ``WordExtractor`` (default settings: lines top to bottom, characters
left to right, no blank characters kept, no punctuation split, ligatures
expanded) is general over directions and options, and its generators, key
functions and per-word dicts were most of the time ingest spent making words.
This is the same algorithm for the one case ingest uses, upright characters:

1. Lines: the distinct ``top`` values, sorted, are chained into clusters where
   each is within ``y_tolerance`` of the one before; the characters are put in
   cluster order, keeping their order within a cluster (a stable sort).
2. Each line is sorted by ``x0`` (stable), then cut into words at a blank
   character, before a character that starts left of the previous one's
   ``x0`` or more than ``x_tolerance`` past its ``x1``, or whose ``top`` is more
   than ``y_tolerance`` from the previous one's. A character with empty text
   is a word of its own (pdfplumber's ``text in split_at_punctuation`` holds
   for ``""``).
3. A word's box is the min/max of its characters' boxes, its text their texts
   with ligatures expanded.

``extract_text`` joins such words into lines as pdfplumber's ``extract_text``
does without ``layout``. Each word is a dict with ``text``, ``x0``, ``x1``, ``top``, ``bottom`` and
``chars``, the keys ingest reads of pdfplumber's words.
"""

from __future__ import annotations

import re
from operator import itemgetter

DEFAULT_TOLERANCE = 3  # pdfplumber's default x and y tolerance
# pdfplumber's ``LIGATURES``, what ``expand_ligatures`` spells out (a test keeps them equal)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

_LIGATURE = re.compile("|".join(map(re.escape, LIGATURES)))
_text = itemgetter("text")
_top = itemgetter("top")
_bottom = itemgetter("bottom")
_x0 = itemgetter("x0")
_x1 = itemgetter("x1")


def extract_words(chars: list[dict], x_tolerance: float, y_tolerance: float) -> list[dict]:
    """pdfplumber's ``extract_words(chars, x_tolerance=..., y_tolerance=..., return_chars=True)``
    for characters that are all upright."""
    words: list[dict] = []
    for line in _lines(chars, y_tolerance):
        line.sort(key=_x0)
        word: list[dict] = []
        prev_x0 = prev_x1 = prev_top = 0.0
        for char in line:
            text = char["text"]
            if text.isspace():
                if word:
                    words.append(_merge(word))
                    word = []
                continue
            x0, top = char["x0"], char["top"]
            if not text:
                if word:
                    words.append(_merge(word))
                words.append(_merge([char]))
                word = []
                continue
            if word and (x0 < prev_x0 or x0 > prev_x1 + x_tolerance or abs(top - prev_top) > y_tolerance):
                words.append(_merge(word))
                word = []
            word.append(char)
            prev_x0, prev_x1, prev_top = x0, char["x1"], top
        if word:
            words.append(_merge(word))
    return words


def extract_text(chars: list[dict], x_tolerance: float = DEFAULT_TOLERANCE) -> str:
    """pdfplumber's ``extract_text(chars, x_tolerance=...)`` (no layout) for upright characters:
    the words, clustered into lines by their tops, joined by spaces and newlines."""
    found = extract_words(chars, x_tolerance, DEFAULT_TOLERANCE)
    return "\n".join(" ".join([w["text"] for w in line]) for line in _lines(found, DEFAULT_TOLERANCE))


def _lines(chars: list[dict], tolerance: float) -> list[list[dict]]:
    """pdfplumber's ``cluster_objects(chars, "top", tolerance)``: the characters (or words)
    of each line, lines in order of their cluster, characters in their given order."""
    if not chars:
        return []
    tops = sorted(set(map(_top, chars)))
    cluster: dict[float, int] = {}
    index = 0
    last = tops[0]
    for top in tops:
        if top > last + tolerance:
            index += 1
        cluster[top] = index
        last = top
    lines: list[list[dict]] = [[] for _ in range(index + 1)]
    for char in chars:
        lines[cluster[char["top"]]].append(char)
    return lines


def _merge(chars: list[dict]) -> dict:
    """pdfplumber's ``merge_chars``: the word's text and box, with its characters."""
    if len(chars) == 1:
        c = chars[0]
        text = c["text"]
        return {
            "text": LIGATURES.get(text, text or ""),
            "x0": c["x0"],
            "x1": c["x1"],
            "top": c["top"],
            "bottom": c["bottom"],
            "chars": chars,
        }
    # map() with item getters: the same values in the same order as comprehensions, read in C
    text = "".join(map(_text, chars))
    if _LIGATURE.search(text):  # a ligature to spell out (a character's own text, or part of one)
        text = "".join([LIGATURES.get(c["text"], c["text"] or "") for c in chars])
    return {
        "text": text,
        "x0": min(map(_x0, chars)),
        "x1": max(map(_x1, chars)),
        "top": min(map(_top, chars)),
        "bottom": max(map(_bottom, chars)),
        "chars": chars,
    }
