"""Figures: the numbers a paper reports, with what they measure and when.

``nlp/patterns/figures.jsonl`` says what a figure looks like: a number
(``{"_": {"is_num": true}}``, see :mod:`nlp.numbers`) with its unit, labelled
by the unit (``percent``, ``gbp``, ``hours``, ``count``, ...), and the
phrases around figures: ``QUALIFIER`` hedges ("just over"), ``COMPARISON``
cues ("down from"), ``AS_OF`` cues ("as at"), and what is NOT a figure
(``PERIOD_LENGTH`` such as "12 months", ``IDENTIFIER`` such as "paragraph 4"
or "999 calls"). Places come from ``nlp/vocab/geography.yml``.

This module holds what the patterns cannot say: which number a unit belongs
to, years and dates that are not figures, ranges, the measure phrase, the
metric key (a restated value keeps the metric it restates; a sample size
"(n=39)" gets ``<key>__sample_size``), money columns of tables whose cells
carry no £ sign (see ``money_headers`` in ``vocab/units.yml``), and which
period a figure refers to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from boardpapers.ingest.models import Paragraph

from .context import Context
from .dates import DateSpan, cue_spans, date_spans, has_cid_garbage
from .numbers import add_numbers, is_word_number, is_year, min_word_figure, parse_number, scale_of
from .records import Figure
from .rules import load_patterns, load_vocab

SPANS_KEY = "bp_figures"
RULER = "bp_figure_ruler"
NOT_FIGURE = ("PERIOD_LENGTH", "IDENTIFIER")
SAMPLE_SIZE_RULE = "fig-sample-size"
MONTH_NAMES = frozenset(m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]))
RANGE_WORDS = {"to", "-", "\u2013", "\u2014", "and"}
# Words between a subject and its figure: "rate was 11.3%", "risen to 11.3%".
COMPLEMENT = {
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "at",
    "to",
    "of",
    "by",
    "from",
    "reached",
    "stood",
    "stands",
    "remains",
    "remained",
    "down",
    "up",
    "above",
    "below",
    "than",
    "totalled",
    "with",
}
INNER = {"of", "in", "for", "by", "on", "and", "-", "/", "'s", "’s", "&", "(", ")"}
CLAUSE_PUNCT = {",", ";", ":", ".", "!", "?", "(", ")", "[", "]", "–", "—", "•"}
CELL_BAR = "|"  # between the cells of a table row's text
MAX_AFTER = 16
# Words that end the phrase after a figure ("340 crimes awaiting QA which appears ...").
AFTER_BREAKS = {
    "which",
    "who",
    "whilst",
    "while",
    "giving",
    "when",
    "compared",
    "although",
    "however",
    "whereas",
}
# Words that end the head of a measure when it becomes a metric key.
KEY_BREAKS = {
    "with",
    "to",
    "that",
    "which",
    "who",
    "for",
    "in",
    "on",
    "at",
    "by",
    "from",
    "were",
    "was",
    "is",
    "are",
    "have",
    "has",
    "been",
    "when",
    "whilst",
    "while",
}
# How close a period expression must follow a comparison figure to belong to it.
OWNED_GAP = 4


@cache
def _units() -> dict:
    return load_vocab("units.yml")


@cache
def _metrics() -> dict:
    return load_vocab("metrics.yml")


@cache
def _geography() -> dict:
    return load_vocab("geography.yml")


@cache
def _revision_verbs() -> frozenset[str]:
    return frozenset(_metrics().get("revision_verbs", []))


def is_generic_measure(measure: str | None) -> bool:
    """Whether a measure names no metric of its own ("the figure", "restated")."""
    stop = set(_metrics()["fallback_stopwords"]) | _revision_verbs()
    generic = set(_metrics().get("generic_measures", []))
    words = [
        w for w in re.findall(r"[a-z]+", (measure or "").lower()) if w not in stop and w not in MONTH_NAMES
    ]
    return all(w in generic for w in words)


def unit_labels() -> set[str]:
    return set(_units()["units"])


def low_confidence_threshold() -> float:
    return float(_units().get("low_confidence_below", 60))


# ---------------------------------------------------------------- pipeline


def add_pipes(nlp: Language) -> None:
    """The figure ruler: figures.jsonl plus the gazetteer as PLACE phrases."""
    add_numbers(nlp)
    if RULER in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "span_ruler", name=RULER, config={"spans_key": SPANS_KEY, "validate": True, "overwrite": True}
    )
    places = [{"label": "PLACE", "id": "geo-gazetteer", "pattern": p} for p in _geography()["places"]]
    ruler.add_patterns(load_patterns("figures.jsonl") + places)


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """A number that reads as a figure: tokens ``start:end`` of its doc."""

    start: int
    end: int
    num: int  # token index of the number itself
    value: float
    unit: str
    rule_id: str


def _spans(doc: Doc, *labels: str) -> list[Span]:
    if SPANS_KEY not in doc.spans:
        return []
    return [s for s in doc.spans[SPANS_KEY] if s.label_ in labels]


def _is_footnote_call(doc: Doc, i: int, para: Paragraph) -> bool:
    """A digit glued to the word or figure before it that the paragraph calls as a footnote."""
    tok = doc[i]
    markers = set((para.footnote_marker or "").replace(",", " ").split())
    if i == 0 or doc[i - 1].whitespace_:
        return False
    prev = doc[i - 1].text
    return prev == "%" or (prev not in "£$€(-–" and tok.text in markers)


def candidates(doc: Doc, dates: Sequence[DateSpan], para: Paragraph | None = None) -> list[Candidate]:
    """Numbers that are figures, each with its unit; years, dates, ordinals,
    period lengths and identifiers left out."""
    units = unit_labels()
    blocked: set[int] = set()
    for s in _spans(doc, *NOT_FIGURE):
        blocked.update(i for i in range(s.start, s.end) if doc[i]._.is_num)
    for d in dates:
        blocked.update(range(d.start, d.end))
    best: dict[int, Span] = {}
    for s in _spans(doc, *units):
        num = next((t.i for t in s if t._.is_num), None)
        if num is None or num in blocked:
            continue
        cur = best.get(num)
        key = (s.label_ != "count", len(s))
        if cur is None or key > (cur.label_ != "count", len(cur)):
            best[num] = s
    out: list[Candidate] = []
    for num, s in sorted(best.items()):
        tok = doc[num]
        value = parse_number(tok.text)
        if value is None:
            continue
        unit = s.label_
        if unit == "count" and is_year(tok.text):
            continue
        if is_word_number(tok.text) and unit == "count" and value < min_word_figure():
            continue
        if para is not None and _is_footnote_call(doc, num, para):
            continue
        end = s.end
        for t in s[num - s.start + 1 :]:
            factor = scale_of(t.text)
            if factor:
                value *= factor
        if unit == "count" and end < len(doc) and doc[end].lower_ in {"thousand", "million", "billion"}:
            value *= scale_of(doc[end].text) or 1
            end += 1
        out.append(Candidate(s.start, end, num, value, unit, s.id_))
    return _spread_range_units(doc, out)


def _spread_range_units(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "18 to 25 per cent": the first bound takes the second's unit (two figures)."""
    out = list(cands)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if (
            a.unit == "count"
            and b.unit != "count"
            and b.start - a.end == 1
            and doc[a.end].lower_ in RANGE_WORDS
        ):
            out[k] = replace(a, unit=b.unit, rule_id="fig-range-bound")
    return out


# ---------------------------------------------------------------- context of a figure


def _qualifier(doc: Doc, cand: Candidate, cues: list[Span]) -> tuple[str | None, int]:
    """The hedge right before the figure, and where the figure's phrase starts."""
    hits = [c for c in cues if c.end == cand.start]
    if not hits:
        return None, cand.start
    cue = max(hits, key=len)
    words = [t.lower_ for t in cue if t.lower_ != "an"]
    return " ".join(words) or None, cue.start


def _content(tokens: Sequence) -> bool:
    stop = set(_metrics()["fallback_stopwords"]) | _revision_verbs()
    return any(t.is_alpha and t.lower_ not in stop for t in tokens)


@cache
def _synonym_starts() -> tuple[str, ...]:
    return tuple(" ".join(_norm_words(str(syn))) for m in _metrics()["metrics"] for syn in m["synonyms"])


def _starts_metric(tokens: list) -> bool:
    """Whether the tokens begin with a metric's name ("Recorded crime ..."),
    so a leading stopword is part of the name, not an edge to trim."""
    text = " ".join(_norm_words(_text(tokens[:6])))
    return any(text == syn or text.startswith(syn + " ") for syn in _synonym_starts())


def _ends_metric(tokens: Sequence) -> bool:
    """Whether the tokens end with a metric's name ("... crimes recorded"), so a
    trailing stopword is part of the name."""
    words = _norm_words(_text(list(tokens[-6:])))
    return any(" ".join(words[k:]) in _synonym_set() for k in range(len(words)))


@cache
def _synonym_set() -> frozenset[str]:
    return frozenset(_synonym_starts())


def _trim_words(tokens: list) -> list:
    stop = set(_metrics()["fallback_stopwords"]) | INNER | _revision_verbs()
    while (
        tokens
        and (tokens[0].lower_ in stop or tokens[0].is_punct or tokens[0].text == CELL_BAR)
        and not (tokens[0].is_alpha and _starts_metric(tokens))
    ):
        tokens = tokens[1:]
    while (
        tokens
        and (tokens[-1].lower_ in stop or tokens[-1].is_punct or tokens[-1].text == CELL_BAR)
        and not (tokens[-1].is_alpha and _ends_metric(tokens))
    ):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _after_phrase(doc: Doc, cand: Candidate, sent: Span, starts: set[int], date_toks: set[int]) -> list:
    out = []
    i = cand.end
    if i < sent.end and doc[i].text == ")":
        i += 1
    while i < sent.end and len(out) < MAX_AFTER:
        t = doc[i]
        if t.text == "(":
            close = next((j for j in range(i, sent.end) if doc[j].text == ")"), None)
            if close is None:
                break
            i = close + 1
            continue
        if i in starts or i in date_toks or (t.is_punct and t.text in CLAUSE_PUNCT):
            break
        if t.lower_ in {"and", "or", "but"} and i + 1 in starts:
            break
        if (_content(out) and t.lower_ in AFTER_BREAKS) or t._.is_num:
            break
        out.append(t)
        i += 1
    return out


def _sentence_subject(doc: Doc, sent: Span, date_toks: set[int]) -> list:
    stops = set(_metrics()["subject_stops"])
    out = []
    for t in sent:
        if t.lower_ in stops or (t.text in CLAUSE_PUNCT and t.text not in "()") or t._.is_num:
            break
        if t.i not in date_toks:
            out.append(t)
    return out


def _subject_before(
    doc: Doc, start: int, sent: Span, date_toks: set[int], words: set[int] = frozenset()
) -> list:
    """The noun phrase a figure is the complement of ("QA queues" in "reduced QA queues to 278").
    ``words`` are number tokens that read as words here (period lengths, identifiers)."""
    stops = set(_metrics()["subject_stops"])
    stopwords = set(_metrics()["fallback_stopwords"])
    i = start - 1
    if i > sent.start and doc[i].text == ":":  # "RTT 18-week: 58.3%": the label before the colon
        i -= 1
    # the verb group: "has risen to", "were substantially in excess of", "has been restated as"
    revisions = _revision_verbs()
    while i >= sent.start and (
        doc[i].lower_ in COMPLEMENT
        or doc[i].lower_ in stops
        or doc[i].lower_.endswith("ly")
        or doc[i].lower_
        in {
            "has",
            "have",
            "had",
            "currently",
            "now",
            "still",
            "also",
            "first",
            "since",
            "initially",
            "originally",
            "previously",
            "subsequently",
        }
        or doc[i].lower_ in revisions
        or (doc[i].lower_ == "as" and i > sent.start and doc[i - 1].lower_ in revisions)
    ):
        i -= 1
    if i >= sent.start and doc[i].lower_ == "and":
        return _sentence_subject(doc, sent, date_toks)
    out = []
    while i >= sent.start:
        t = doc[i]
        if i in date_toks:
            i -= 1
            continue
        if i in words:  # inside "delays over 60 minutes", "Quarter 2": part of the phrase
            out.insert(0, t)
            i -= 1
            continue
        named = _starts_metric([t, *out]) or _ends_metric(doc[max(sent.start, i - 5) : i + 1])
        if (t.lower_ in stops and not named) or (t.text in CLAUSE_PUNCT and t.text not in "()") or t._.is_num:
            break
        # "performance for the quarter was": a time phrase alone is no subject, read on
        if (
            t.lower_ in stopwords
            and t.lower_ not in INNER
            and _content(out)
            and not _starts_metric([t, *out])
        ):
            break
        out.insert(0, t)
        i -= 1
    return out


def _measure(
    doc: Doc,
    cand: Candidate,
    phrase_start: int,
    sent: Span,
    starts: set[int],
    date_toks: set[int],
    words: set[int] = frozenset(),
) -> str | None:
    raw_after = _after_phrase(doc, cand, sent, starts, date_toks)
    after = _trim_words(raw_after)
    # "50,687 duty hours": a modified unit names what is measured
    unit_words = [t for t in doc[cand.num + 1 : cand.end] if t.is_alpha and scale_of(t.text) is None]
    if len(unit_words) > 1:
        after = unit_words + after
    before_tok = doc[phrase_start - 1].lower_ if phrase_start > sent.start else ""
    noun_first = bool(raw_after) and _content(raw_after[:1])
    if after and _content(after) and (noun_first or before_tok not in COMPLEMENT):
        return _text(after)
    subject = _trim_words(_subject_before(doc, phrase_start, sent, date_toks, words))
    if subject and _content(subject):
        return _text(subject)
    return _text(after) if after and _content(after) else None


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _norm_words(text: str) -> list[str]:
    return [_singular(w) for w in re.findall(r"[a-z0-9&]+", text.lower().replace("’", "'").replace("'s", ""))]


@cache
def _synonyms() -> tuple[tuple[str, str], ...]:
    """Every metric synonym as " normalised words ", with its key, in vocabulary order."""
    return tuple(
        (f" {' '.join(_norm_words(str(syn)))} ", metric["key"])
        for metric in _metrics()["metrics"]
        for syn in metric["synonyms"]
    )


@cache
def _fallback_stopwords() -> frozenset[str]:
    return frozenset(_singular(w) for w in _metrics()["fallback_stopwords"])


def metric_key(measure: str | None) -> str | None:
    """A stable key for what a figure measures: the metrics vocabulary's key
    when a synonym occurs in the measure, else its first content words."""
    if not measure:
        return None
    words = _norm_words(measure)
    head = []
    for w in words:
        if w in KEY_BREAKS and head:
            break
        head.append(w)
    padded = f" {' '.join(words)} "
    for synonym, key in _synonyms():
        if synonym in padded:
            return key
    stop = _fallback_stopwords()
    content = [w for w in head if w not in stop and not w.isdigit()]
    return "_".join(content[:4]) or None


def _places(doc: Doc, sent: Span) -> list[tuple[int, int, str]]:
    """Places in a sentence: gazetteer names and "in <Capitalised Place>"."""
    found = [(s.start, s.end, s.text) for s in _spans(doc, "PLACE") if sent.start <= s.start < sent.end]
    not_places = set(_geography().get("not_places", []))
    for t in sent:
        if t.lower_ != "in" or t.i + 1 >= sent.end:
            continue
        j = t.i + 1
        while j < sent.end and doc[j].is_title and doc[j].text not in not_places:
            j += 1
        if j > t.i + 1 and _place_like(doc[t.i + 1 : j].text):
            found.append((t.i + 1, j, doc[t.i + 1 : j].text))
    # longest first, so "England and Wales" beats "England"
    found.sort(key=lambda p: -(p[1] - p[0]))
    keep: list[tuple[int, int, str]] = []
    for p in found:
        if not any(p[0] < q[1] and q[0] < p[1] for q in keep):
            keep.append(p)
    keep.sort()
    joined: list[tuple[int, int, str]] = []
    for p in keep:
        if joined and p[0] == joined[-1][1] + 1 and doc[p[0] - 1].lower_ == "and":
            q = joined.pop()
            p = (q[0], p[1], doc[q[0] : p[1]].text)
        joined.append(p)
    return joined


def _place_like(name: str) -> bool:
    """A capitalised name after "in" that reads as a place (see geography.yml)."""
    geo = _geography()
    last = name.split()[-1]
    return last in set(geo.get("place_words", [])) or any(
        last.lower().endswith(e) for e in geo.get("place_endings", [])
    )


# ---------------------------------------------------------------- money columns of tables


def _header_words(header: str | None) -> str:
    """A header as " word word ", for whole-word lookups."""
    return " " + " ".join(re.findall(r"[a-z]+|%", (header or "").lower())) + " "


def _holds(header: str | None, phrases: Sequence) -> bool:
    words = _header_words(header)
    return any(f" {' '.join(re.findall(r'[a-z]+|%', str(p).lower()))} " in words for p in phrases)


def is_money_header(header: str | None) -> bool:
    """A column header that makes its numbers money ("Amount", "Net £", "VAT")."""
    units = _units()
    if _holds(header, units.get("not_money_headers", [])):
        return False
    return "£" in (header or "") or _holds(header, units.get("money_headers", []))


@dataclass(frozen=True)
class _MoneyRow:
    cells: list[tuple[int, int, int]]  # (char start, char end, column) of each cell in the row's text
    money: dict[int, str]  # column -> header, for the money columns
    description: str | None


def _money_row(para: Paragraph) -> _MoneyRow | None:
    """Where a table row's money cells are and what the row describes; None
    when the row's header names no money column."""
    if para.kind != "table_row" or not para.cells or not para.header:
        return None
    header = list(para.header)
    money = {n: h for n, h in enumerate(header) if is_money_header(h)}
    if not money:
        return None
    cells, pos = [], 0
    for n, cell in enumerate(para.cells):
        text = (cell or "").strip()
        at = para.text.find(text, pos) if text else -1
        if at >= 0:
            cells.append((at, at + len(text), n))
            pos = at + len(text)
    described = [_header_words(h) for h in _units().get("description_headers", [])]
    words = [
        (n, " ".join((c or "").split()))
        for n, c in enumerate(para.cells)
        if n not in money and re.search(r"[A-Za-z]{2}", c or "")
    ]
    rank = {
        n: described.index(_header_words(header[n]))
        for n, _ in words
        if n < len(header) and _header_words(header[n]) in described
    }
    named = sorted((rank[n], w) for n, w in words if n in rank)
    description = named[0][1] if named else max((w for _, w in words), key=len, default=None)
    return _MoneyRow(cells, money, description)


def _column_name(header: str) -> str:
    """ "Total £s" -> "Total": a money column's name without its currency mark."""
    return " ".join(re.sub(r"\(?£s?\)?", " ", header).split())


def _money_figure(fig: Figure, row: _MoneyRow) -> Figure:
    """A number in a money column: gbp, measuring what the row describes
    (with the column's name when the row has several money columns)."""
    col = next((n for s, e, n in row.cells if s <= fig.char_start < e), None)
    if col not in row.money or fig.unit not in ("count", "gbp"):
        return fig
    measure = row.description
    if measure and len(row.money) > 1:
        measure = f"{measure} ({_column_name(row.money[col]) or ' '.join(row.money[col].split())})"
    measure = measure or _column_name(row.money[col]) or None
    return replace(
        fig,
        unit="gbp",
        measure=measure,
        metric_key=metric_key(measure),
        rule_id=f"{fig.rule_id}+money-column",
    )


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class _SentenceDates:
    as_of: dt.date | None
    periods: list[DateSpan]  # usable as a figure's period
    compared: list[DateSpan]  # baselines of comparisons ("compared to November 2018")


def _classify_dates(
    doc: Doc, sent: Span, dates: list[DateSpan], cmp_cues: list[Span], asof_cues: list[Span]
) -> _SentenceDates:
    as_of = None
    periods, compared = [], []
    for d in dates:
        if not (sent.start <= d.start < sent.end):
            continue
        if d.granularity == "day":
            if any(0 <= d.start - c.end <= 1 for c in asof_cues):
                as_of = d.first
            continue
        if any(0 <= d.start - c.end <= 2 for c in cmp_cues):
            compared.append(d)
        else:
            periods.append(d)
    return _SentenceDates(as_of, periods, compared)


RANK = {"period": 0, "quarter": 1, "year": 2, "month": 3}


def _period_for(
    cand: Candidate,
    is_baseline: bool,
    sd: _SentenceDates,
    owned: dict[int, DateSpan],
    reports_month: bool,
    carried: DateSpan | None,
    ctx: Context,
) -> tuple[dt.date | None, dt.date | None]:
    if cand.num in owned:
        d = owned[cand.num]
        return d.first, d.last
    if is_baseline:
        return None, None
    free = [d for d in sd.periods if d not in owned.values()]
    if free:
        d = min(free, key=lambda d: cand.start - d.end if d.end <= cand.start else d.start - cand.end + 1)
        return d.first, d.last
    if reports_month and ctx.reporting_end:
        return ctx.reporting_start, ctx.reporting_end
    if carried is not None:
        return carried.first, carried.last
    return None, None


def _same_month_earlier_year(d: DateSpan, ctx: Context) -> bool:
    end = ctx.reporting_end
    return bool(
        end
        and d.granularity == "month"
        and d.first
        and d.first.month == end.month
        and d.first.year < end.year
    )


# ---------------------------------------------------------------- the figures family


def extract_figures(docs: Sequence[tuple[Doc, Paragraph]], ctx: Context) -> list[Figure]:
    """Every figure of the paper's paragraphs, in reading order."""
    out: list[Figure] = []
    for doc, para in docs:
        if has_cid_garbage(para.text):
            continue
        out += _figures_of(doc, para, ctx)
    return out


def _figures_of(doc: Doc, para: Paragraph, ctx: Context) -> list[Figure]:
    dates = date_spans(doc, ctx)
    cands = candidates(doc, dates, para)
    if not cands:
        return []
    date_toks = {i for d in dates for i in range(d.start, d.end)}
    not_figures = {i for s in _spans(doc, *NOT_FIGURE) for i in range(s.start, s.end)}
    starts = {c.start for c in cands}
    qual_cues = _spans(doc, "QUALIFIER")
    cmp_cues = _spans(doc, "COMPARISON")
    asof_cues = _spans(doc, "AS_OF")
    month_cues = cue_spans(doc, "MONTH_DATA")
    low = para.confidence is not None and para.confidence < low_confidence_threshold()
    figures: list[Figure] = []
    carried: DateSpan | None = None
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(doc[c.num].sent.start, []).append(c)
    for sent in doc.sents:
        sd = _classify_dates(doc, sent, dates, cmp_cues, asof_cues)
        group = by_sentence.get(sent.start, [])
        quals = {c.num: _qualifier(doc, c, qual_cues) for c in group}
        baseline = {c.num for c in group if any(0 <= quals[c.num][1] - q.end <= 1 for q in cmp_cues)}
        owned = {}
        for c in group:
            if c.num in baseline:
                nxt = [d for d in sd.periods + sd.compared if 0 <= d.start - c.end <= OWNED_GAP]
                if nxt:
                    owned[c.num] = nxt[0]
        reports_month = any(sent.start <= m.start < sent.end for m in month_cues) or any(
            _same_month_earlier_year(d, ctx) for d in sd.compared
        )
        measures: dict[int, str | None] = {}
        for c in group:
            qual, phrase_start = quals[c.num]
            measures[c.num] = _measure(doc, c, phrase_start, sent, starts, date_toks, not_figures)
        keys: dict[int, str | None] = {}
        for k, c in enumerate(group):
            measure = measures[c.num]
            earlier = [e for e in group[:k] if e.rule_id != SAMPLE_SIZE_RULE]
            if c.rule_id == SAMPLE_SIZE_RULE:
                # "78% (n=39)": the size of the sample behind the figure before it
                of = earlier[-1] if earlier else None
                base = keys.get(of.num) if of else None
                measures[c.num] = (
                    f"sample size of {measures[of.num]}" if of and measures[of.num] else "sample size"
                )
                keys[c.num] = (
                    f"{base}{_metrics().get('sample_size_suffix', '__sample_size')}"
                    if base
                    else "sample_size"
                )
                continue
            if is_generic_measure(measure):
                # "... has been restated as 5,314": the metric named before it in the sentence
                same = [e for e in earlier if e.unit == c.unit and not is_generic_measure(measures[e.num])]
                if same:
                    measure = measures[c.num] = measures[same[-1].num]
            keys[c.num] = metric_key(measure)
        for k, c in enumerate(group):
            qual, phrase_start = quals[c.num]
            measure = measures[c.num]
            key = keys[c.num]
            if c.num in baseline and k > 0 and measures[group[k - 1].num]:
                measure, key = measures[group[k - 1].num], keys[group[k - 1].num]
            start, end = _period_for(c, c.num in baseline, sd, owned, reports_month, carried, ctx)
            places = _places(doc, sent)
            geography = min(places, key=lambda p: abs(p[0] - c.start))[2] if places else None
            figures.append(
                Figure(
                    para=para.seq,
                    text=doc[c.start : c.end].text,
                    value=c.value,
                    unit=c.unit,
                    page=para.page_at(doc[c.start].idx),
                    char_start=doc[c.start].idx,
                    char_end=doc[c.end - 1].idx + len(doc[c.end - 1].text),
                    rule_id=c.rule_id,
                    qualifier=qual,
                    measure=measure,
                    metric_key=key,
                    period_start=start.isoformat() if start else None,
                    period_end=end.isoformat() if end else None,
                    as_of=sd.as_of.isoformat() if sd.as_of else None,
                    geography=geography,
                    comparison=_comparison(doc, c, sent, cands, cmp_cues, dates),
                    low_confidence=low,
                )
            )
        ranked = sorted(sd.periods, key=lambda d: RANK.get(d.granularity, 9))
        if ranked and carried is None:
            carried = ranked[0]
    row = _money_row(para)
    if row is not None:
        figures = [_money_figure(f, row) for f in figures]
    return figures


def _comparison(
    doc: Doc, cand: Candidate, sent: Span, cands: list[Candidate], cmp_cues: list[Span], dates: list[DateSpan]
) -> str | None:
    """ "down from 55.5% in the 12 months ending March 2019" for the figure it follows."""
    later = [c for c in cands if c.start >= cand.end and c.start < sent.end]
    for cue in cmp_cues:
        if not (cand.end <= cue.start < sent.end):
            continue
        if any(c.start < cue.start for c in later):
            return None
        end = None
        target = next((c for c in later if 0 <= c.start - cue.end <= 2), None)
        if target is not None:
            end = target.end
        date = next((d for d in dates if 0 <= d.start - (end or cue.end) <= OWNED_GAP), None)
        if date is not None and (end is None or date.start - end <= OWNED_GAP):
            end = max(end or 0, date.end)
        if end is None:
            return None
        return doc[cue.start : end].text
    before = [q for q in cmp_cues if sent.start <= q.start and q.end <= cand.start]
    for cue in reversed(before):
        if any(cue.end <= c.start < cand.start for c in cands):
            break
        date = next((d for d in dates if 0 <= d.start - cue.end <= 2), None)
        if date is not None:
            return doc[cue.start : date.end].text
    return None
