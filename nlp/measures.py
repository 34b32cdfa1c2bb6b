"""Measures: the noun phrase a figure measures, and its stable metric key.

In a sentence the measure is the phrase after the figure ("340 crimes
awaiting QA") or the subject it completes ("the charge rate was 7.2%"); in a
table it is the row label and the column header (see
:mod:`nlp.table_figures`). ``metric_key`` turns a measure into a key that is
the same for the same measure in next month's paper: the metrics
vocabulary's key when a synonym occurs (``nlp/vocab/metrics.yml``), else the
measure's first content words; then the figure's basis (year to date,
budget, forecast, variance: ``nlp/vocab/measures.yml``) is appended, so a
month's actual and the year-to-date budget never share a key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from spacy.tokens import Doc, Span

from .months import MONTH_NAMES
from .numbers import scale_of, tokens_text
from .quantities import Candidate
from .rules import load_vocab

# Words between a subject and its figure: "rate was 11.3%", "risen to 11.3%".
COMPLEMENT = {
    *("was", "were", "is", "are", "be", "been", "at", "to", "of", "by", "from", "reached", "stood"),
    *("stands", "remains", "remained", "down", "up", "above", "below", "than", "totalled", "with"),
}
# Adverbs and auxiliaries of the verb group between a subject and its figure.
VERB_GROUP = {
    *("has", "have", "had", "currently", "now", "still", "also", "first", "since", "initially"),
    *("originally", "previously", "subsequently"),
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
    *("with", "to", "that", "which", "who", "for", "in", "on", "at", "by", "from", "were", "was"),
    *("is", "are", "have", "has", "been", "when", "whilst", "while"),
}


@cache
def _metrics() -> dict:
    return load_vocab("metrics.yml")


@cache
def _bases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = load_vocab("measures.yml").get("bases", {})
    return tuple((str(k), tuple(" ".join(_norm_words(str(p))) for p in v)) for k, v in data.items())


@cache
def _variance_words() -> frozenset[str]:
    return frozenset(str(w) for w in load_vocab("measures.yml").get("variance_words", []))


@cache
def _unit_phrases() -> frozenset[str]:
    return frozenset(
        " ".join(_norm_words(str(w))) for w in load_vocab("measures.yml").get("unit_phrases", [])
    )


def unit_prefix(tokens: Sequence) -> int:
    """How many leading tokens say how a figure is counted ("FTE", "per day"), not what."""
    for n in (2, 1):
        words = " ".join(_norm_words(_text(list(tokens[:n]))))
        if len(tokens) >= n and words in _unit_phrases():
            return n
    return 0


def is_variance_phrase(tokens: Sequence) -> bool:
    """ "under budget", "adrift from the budget": a comparison with no measure of its own."""
    words = [t.lower_ for t in tokens if t.is_alpha]
    return bool(words) and all(w in _variance_words() for w in words)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(_metrics()["fallback_stopwords"]) | _revision_verbs()


@cache
def _revision_verbs() -> frozenset[str]:
    return frozenset(_metrics().get("revision_verbs", []))


def metric_directions() -> dict[str, str | None]:
    """``metric key -> "up" | "down" | None``: which way is better."""
    return {m["key"]: m.get("better") for m in _metrics()["metrics"]}


@lru_cache(maxsize=8192)  # asked again for each earlier figure of a table row; a pure function of the text
def is_generic_measure(measure: str | None) -> bool:
    """Whether a measure names no metric of its own ("the figure", "restated")."""
    generic = set(_metrics().get("generic_measures", []))
    words = [
        w
        for w in re.findall(r"[a-z]+", (measure or "").lower())
        if w not in _stopwords() and w not in MONTH_NAMES
    ]
    return all(w in generic for w in words)


def qualifier(doc: Doc, cand: Candidate, cues: list[Span]) -> tuple[str | None, int]:
    """The hedge right before the figure, and where the figure's phrase starts."""
    hits = [c for c in cues if c.end == cand.start]
    if not hits:
        return None, cand.start
    cue = max(hits, key=len)
    words = [t.lower_ for t in cue if t.lower_ != "an"]
    return " ".join(words) or None, cue.start


def _content(tokens: Sequence) -> bool:
    return any(t.is_alpha and t.lower_ not in _stopwords() for t in tokens)


@cache
def _synonym_starts() -> tuple[str, ...]:
    return tuple(" ".join(_norm_words(str(syn))) for m in _metrics()["metrics"] for syn in m["synonyms"])


@cache
def _synonym_set() -> frozenset[str]:
    return frozenset(_synonym_starts())


def _starts_metric(tokens: list) -> bool:
    """Whether the tokens begin with a metric's name ("Recorded crime ..."),
    so a leading stopword is part of the name, not an edge to trim."""
    return _text_starts_metric(_text(tokens[:6]))


@lru_cache(maxsize=8192)  # asked for each token a subject is read back over
def _text_starts_metric(phrase: str) -> bool:
    text = " ".join(_norm_words(phrase))
    # text == syn, or text starts with syn + " ": look up the text before each space
    # instead of testing every synonym
    names = _synonym_set()
    return text in names or any(text[:k] in names for k, ch in enumerate(text) if ch == " ")


def _ends_metric(tokens: Sequence) -> bool:
    """Whether the tokens end with a metric's name ("... crimes recorded")."""
    return _text_ends_metric(_text(list(tokens[-6:])))


@lru_cache(maxsize=8192)
def _text_ends_metric(phrase: str) -> bool:
    words = _norm_words(phrase)
    return any(" ".join(words[k:]) in _synonym_set() for k in range(len(words)))


def _edge(tok, tokens: list, named) -> bool:
    stop = _stopwords() | INNER
    edge = tok.lower_ in stop or tok.is_punct or tok.text == CELL_BAR
    return edge and not (tok.is_alpha and named(tokens))


def trim_words(tokens: list) -> list:
    """The tokens without stopwords and punctuation at either edge (a metric's own
    name keeps its stopwords: "Recorded crime")."""
    while tokens and _edge(tokens[0], tokens, _starts_metric):
        tokens = tokens[1:]
    while tokens and _edge(tokens[-1], tokens, _ends_metric):
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


def _sentence_subject(sent: Span, date_toks: set[int]) -> list:
    stops = set(_metrics()["subject_stops"])
    out = []
    for t in sent:
        if t.lower_ in stops or (t.text in CLAUSE_PUNCT and t.text not in "()") or t._.is_num:
            break
        if t.i not in date_toks:
            out.append(t)
    return out


def _skip_verb_group(doc: Doc, i: int, sent: Span) -> int:
    """Back over "has risen to", "were substantially in excess of", "has been restated as"."""
    stops = set(_metrics()["subject_stops"])
    revisions = _revision_verbs()
    while i >= sent.start:
        low = doc[i].lower_
        as_revised = low == "as" and i > sent.start and doc[i - 1].lower_ in revisions
        if not (
            low in COMPLEMENT
            or low in stops
            or low.endswith("ly")
            or low in VERB_GROUP
            or low in revisions
            or as_revised
        ):
            break
        i -= 1
    return i


def _subject_before(doc: Doc, start: int, sent: Span, date_toks: set[int], words: set[int]) -> list:
    """The noun phrase a figure is the complement of ("QA queues" in "reduced QA queues to 278").
    ``words`` are number tokens that read as words here (period lengths, identifiers)."""
    stops = set(_metrics()["subject_stops"])
    stopwords = set(_metrics()["fallback_stopwords"])
    i = start - 1
    if i > sent.start and doc[i].text == ":":  # "RTT 18-week: 58.3%": the label before the colon
        i -= 1
    i = _skip_verb_group(doc, i, sent)
    if i > sent.start and doc[i].text == ":":  # "Property costs: currently 3k under budget"
        i = _skip_verb_group(doc, i - 1, sent)
    if i >= sent.start and doc[i].lower_ == "and":
        return _sentence_subject(sent, date_toks)
    out: list = []
    while i >= sent.start:
        t = doc[i]
        if i in date_toks or i in words:  # "delays over 60 minutes", "Quarter 2": part of the phrase
            if i in words and i not in date_toks:  # a date is the figure's period, not its measure
                out.insert(0, t)
            i -= 1
            continue
        named = _starts_metric([t, *out]) or _text_ends_metric(
            tokens_text(doc, max(sent.start, i - 5), i + 1)
        )
        # "thefts recorded in May 2019 has been restated as", "surplus for the six months to
        # 30 June is": a date or period length alone is no subject, read on
        undated = _content([o for o in out if o.i not in date_toks and o.i not in words])
        stop = t.lower_ in stops and not named and (undated or not out)
        if stop or (t.text in CLAUSE_PUNCT and t.text not in "()") or t._.is_num:
            break
        # "performance for the quarter was": a time phrase alone is no subject, read on
        if t.lower_ in stopwords and t.lower_ not in INNER and undated and not _starts_metric([t, *out]):
            break
        out.insert(0, t)
        i -= 1
    if out and is_variance_phrase(out) and out[0].i > sent.start:
        # "costs are under budget by 14k": the subject of the comparison
        return _subject_before(doc, out[0].i, sent, date_toks, words) + out
    return out


def sentence_measure(
    doc: Doc,
    cand: Candidate,
    phrase_start: int,
    sent: Span,
    starts: set[int],
    date_toks: set[int],
    words: set[int] = frozenset(),
) -> str | None:
    """What a figure of a sentence measures: the phrase after it, else its subject."""
    raw_after = _after_phrase(doc, cand, sent, starts, date_toks)
    after = trim_words(raw_after)
    counted = unit_prefix(raw_after)
    if counted and not _content(raw_after[counted : counted + 1]):
        # "1,840 FTE at the end of March" (not "1,840 FTE students"): the subject names the measure
        subject = trim_words(_subject_before(doc, phrase_start, sent, date_toks, words))
        rest = trim_words(raw_after[counted:])
        return _text(subject) if _content(subject) else _text(rest) if _content(rest) else None
    # "50,687 duty hours": a modified unit names what is measured
    unit_words = [t for t in doc[cand.num + 1 : cand.end] if t.is_alpha and scale_of(t.text) is None]
    if len(unit_words) > 1:
        after = unit_words + after
    before_tok = doc[phrase_start - 1].lower_ if phrase_start > sent.start else ""
    noun_first = bool(raw_after) and _content(raw_after[:1])
    if after and is_variance_phrase(after):
        phrase = raw_after[: raw_after.index(after[-1]) + 1]
        subject = trim_words(_subject_before(doc, phrase_start, sent, date_toks, words))
        return f"{_text(subject)} {_text(phrase)}" if subject else _text(phrase)
    if after and _content(after) and (noun_first or before_tok not in COMPLEMENT):
        return _text(after)
    subject = trim_words(_subject_before(doc, phrase_start, sent, date_toks, words))
    if subject and _content(subject):
        return _text(subject)
    return _text(after) if after and _content(after) else None


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


KEY_WORD = re.compile(r"[a-z0-9&]+")


def _norm_words(text: str) -> list[str]:
    return [_singular(w) for w in KEY_WORD.findall(text.lower().replace("’", "'").replace("'s", ""))]


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


def _base_key(words: list[str]) -> str | None:
    padded = f" {' '.join(words)} "
    for synonym, key in _synonyms():
        if synonym in padded:
            return key
    head = []
    for w in words:
        if w in KEY_BREAKS and head:
            break
        head.append(w)
    stop = _fallback_stopwords()
    content = [w for w in head if w not in stop and not w.isdigit()]
    return "_".join(content[:4]) or None


def basis(measure: str | None) -> list[str]:
    """The bases a measure states ("YTD budget" -> ["ytd", "budget"]), in vocabulary order."""
    padded = f" {' '.join(_norm_words(measure or ''))} "
    return [name for name, phrases in _bases() if any(f" {p} " in padded for p in phrases)]


@lru_cache(maxsize=4096)  # a paper names the same few measures again and again
def metric_key(measure: str | None) -> str | None:
    """A stable key for what a figure measures: the metrics vocabulary's key
    when a synonym occurs in the measure, else its first content words; plus
    the bases the key does not already hold ("pay_costs__ytd__budget")."""
    if not measure:
        return None
    words = _norm_words(measure)
    key = _base_key(words)
    if key is None:
        return None
    parts = set(key.split("_"))
    extra = [b for b in basis(measure) if b not in parts]
    return "__".join([key, *extra])


def sample_size_key(base: str | None) -> str:
    """ "78% (n=39)": the sample behind a figure gets its own key."""
    suffix = _metrics().get("sample_size_suffix", "__sample_size")
    return f"{base}{suffix}" if base else "sample_size"
