"""Span rulers that run, on each doc, only the patterns that can match there.

spaCy's span ruler runs every token pattern over every token of every doc.
:func:`gate_rulers` gives each ruler of a pipeline a :class:`GatedMatcher`:
patterns are grouped by the text tests their required tokens must pass, one
Matcher per group is built once, and a group runs only on docs holding tokens
that pass all its tests, over the stretches of tokens a match can reach. The
matches are the same as the full matcher's (``tests/test_nlp_gate.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from .numbers import parse_number

# Token extensions whose value depends on the token's text alone, as the test
# on that text: a pattern requiring one can only match a doc holding a token
# that passes it (see :func:`token_tests`).
TEXT_EXTENSIONS = {"is_num": lambda text: parse_number(text) is not None}


# The Token attribute holding a token's value of each text attribute a Matcher
# predicate may read (TEXT is ORTH to a Matcher): the value is a string id, so
# a predicate on one of these answers the same for every token of that text.
TEXT_ATTRS = {ORTH: "orth", LOWER: "lower"}


class MemoPredicate:
    """A Matcher predicate on a token's text (``REGEX``, ``IN``, ``NOT_IN``, ...
    on ORTH or LOWER, or a :data:`TEXT_EXTENSIONS` check), answering from a memo
    by the token's ORTH or LOWER id. spaCy's Matcher remembers a predicate's
    answer only per token and call, and the gated matchers call their
    sub-Matchers over many windows of many docs, so the same Python predicate
    (a regex search, a set lookup) would otherwise run again for each window
    and each sub-Matcher holding it."""

    __slots__ = ("predicate", "read", "memo", "i", "key")

    def __init__(self, predicate, read: str, memo: dict):
        self.predicate = predicate
        self.read = read  # the Token attribute keying the memo
        self.memo = memo  # shared by the predicates with the same key
        self.i = predicate.i  # what Matcher.add looks up in its predicates
        self.key = predicate.key

    # Texts whose answers are kept; past this the memo starts again (a guard for
    # long runs, as :attr:`TextTests.MAX_TEXTS`).
    MAX_TEXTS = 200_000

    def __call__(self, token):
        value = getattr(token, self.read)
        memo = self.memo
        if value in memo:
            return memo[value]
        if len(memo) >= self.MAX_TEXTS:
            memo.clear()
        answer = memo[value] = self.predicate(token)
        return answer


def memo_reading(predicate) -> str | None:
    """The Token attribute whose value alone decides ``predicate``'s answer
    (see :class:`MemoPredicate`), None when it may depend on more."""
    if isinstance(predicate, MemoPredicate) or getattr(predicate, "is_extension", True):
        return None
    kind = type(predicate).__name__  # spaCy's predicate classes are private
    if kind == "_RegexPredicate" or (kind == "_SetPredicate" and predicate.fuzzy is None):
        return TEXT_ATTRS.get(predicate.attr)
    return None  # fuzzy matches call a user's compare function; comparisons read lengths


def token_tests(spec: dict) -> list[tuple]:
    """The tests on a token's text alone that a token matching ``spec`` passes,
    each as ``("LOWER" or "TEXT", "IN", frozenset)``, ``(..., "REGEX", str)``
    or ``("_", name, True)`` for a :data:`TEXT_EXTENSIONS` check. Tests of other
    kinds (flags, ``NOT_IN``, other extensions) are left out: fewer tests only
    gate less."""
    out: list[tuple] = []
    for attr in ("LOWER", "ORTH", "TEXT"):
        value = spec.get(attr)
        field = "LOWER" if attr == "LOWER" else "TEXT"
        if isinstance(value, str):
            out.append((field, "IN", frozenset([value])))
        elif isinstance(value, dict):
            if isinstance(value.get("IN"), list) and all(isinstance(v, str) for v in value["IN"]):
                out.append((field, "IN", frozenset(value["IN"])))
            if isinstance(value.get("REGEX"), str):
                out.append((field, "REGEX", value["REGEX"]))
    ext = spec.get("_")
    if isinstance(ext, dict):
        out += [("_", name, True) for name, v in ext.items() if name in TEXT_EXTENSIONS and v is True]
    return out


def pattern_requirements(pattern: list[dict]) -> frozenset[tuple]:
    """Every text test (:func:`token_tests`) that some token of a doc must pass
    for ``pattern`` to match there: the tests of its required tokens (no ``OP``,
    or ``+``)."""
    return frozenset(t for spec in pattern if spec.get("OP") in (None, "+") for t in token_tests(spec))


def exact_tests(pattern: list[dict]) -> frozenset[tuple] | None:
    """For a one-token pattern whose every test is a text test
    (:func:`token_tests`), those tests: a token matches it exactly when it
    passes them all. None for any other pattern."""
    if len(pattern) != 1:
        return None
    spec = pattern[0]
    if not set(spec) <= {"LOWER", "ORTH", "TEXT", "_"}:
        return None  # OP, flags, other attributes
    for attr in ("LOWER", "ORTH", "TEXT"):
        value = spec.get(attr)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict) or not set(value) <= {"IN", "REGEX"}:
            return None
        if "IN" in value and not (
            isinstance(value["IN"], list) and all(isinstance(v, str) for v in value["IN"])
        ):
            return None
        if "REGEX" in value and not isinstance(value["REGEX"], str):
            return None
    ext = spec.get("_", {})
    if not isinstance(ext, dict) or any(
        name not in TEXT_EXTENSIONS or v is not True for name, v in ext.items()
    ):
        return None
    tests = frozenset(token_tests(spec))
    return tests or None


REPEAT = re.compile(r"^\{(\d*),?(\d*)\}$")


def pattern_extent(pattern: list[dict]) -> tuple[int, tuple[frozenset[tuple], ...]] | None:
    """How many tokens a match of ``pattern`` can cover, as ``(fixed, repeats)``:
    at most ``fixed`` tokens, plus, for each token spec that may repeat without
    limit (``*``, ``+``, ``{n,}``), a run of consecutive tokens that all pass
    that spec's text tests (:func:`token_tests`). None when such a spec has no
    text test, or an operator is not one we know."""
    fixed = 0
    repeats: list[frozenset[tuple]] = []
    for spec in pattern:
        op = spec.get("OP")
        if op in (None, "?", "!"):
            fixed += 1
            continue
        m = REPEAT.match(op) if isinstance(op, str) else None
        if op in ("*", "+") or (m is not None and "," in op and not m.group(2)):
            tests = frozenset(token_tests(spec))
            if not tests:
                return None
            repeats.append(tests)  # the run holds every token the spec takes
            continue
        if m is None or not (m.group(2) or m.group(1)):
            return None
        fixed += int(m.group(2) or m.group(1))
    return fixed, tuple(repeats)


def pattern_reach(pattern: list[dict]) -> int | None:
    """The most tokens a match of ``pattern`` can cover whatever the doc; None
    when that depends on the doc (:func:`pattern_extent`)."""
    extent = pattern_extent(pattern)
    return extent[0] if extent is not None and not extent[1] else None


def longest_run(positions: list[int]) -> int:
    """The most consecutive numbers in sorted ``positions``."""
    best = run = 0
    for k, i in enumerate(positions):
        run = run + 1 if k and i == positions[k - 1] + 1 else 1
        best = max(best, run)
    return best


def windows(anchors: list[int], reach: int, length: int) -> list[tuple[int, int]]:
    """Token ranges holding every match of at most ``reach`` tokens that covers
    one of ``anchors`` (in order), overlapping ranges merged."""
    out: list[tuple[int, int]] = []
    for i in anchors:
        start, end = max(0, i - reach + 1), min(length, i + reach)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@dataclass(frozen=True)
class PatternGroup:
    """Patterns that share their requirements, and one Matcher for them."""

    tests: frozenset[int]  # the numbers of the text tests a doc must pass
    # Each member's (fixed, repeats) extent (:func:`pattern_extent`), repeats as
    # test numbers; None when some member's matches are unbounded.
    extents: tuple[tuple[int, tuple[frozenset[int], ...]], ...] | None
    matcher: Matcher
    least_reach: int = 0  # what ``reach`` is at least, in any doc
    # When every member is one token that matches exactly when it passes its
    # text tests (:func:`exact_tests`): each member's key id and test numbers.
    exact: tuple[tuple[int, frozenset[int]], ...] | None = None

    def reach(self, run_of) -> int | None:
        """The most tokens a match covers in a doc where ``run_of(tests)`` is the
        longest run of tokens passing all of ``tests``; None: unbounded."""
        if self.extents is None:
            return None
        return max(fixed + sum(run_of(tests) for tests in repeats) for fixed, repeats in self.extents)


class TextTests:
    """The text tests (:func:`token_tests`) of several gated matchers, each
    numbered once, and which of them a doc's tokens pass: worked out once per
    token text, and once per doc for all the matchers that share this."""

    # Texts whose passed tests are kept; past this the memo starts again (a
    # guard for long runs; the answers never change).
    MAX_TEXTS = 200_000

    def __init__(self) -> None:
        self.ids: dict[tuple, int] = {}  # test -> its number
        self.lower_tests: dict[str, set[int]] = {}  # lower-cased text -> IN tests it passes
        self.text_tests: dict[str, set[int]] = {}
        # (test, check) run on the lower-cased text, and on the text as printed
        self.lower_checks: list[tuple[int, Callable[[str], object]]] = []
        self.text_checks: list[tuple[int, Callable[[str], object]]] = []
        self.passed: dict[int, frozenset[int]] = {}  # ORTH id -> tests its text passes
        self.hits: set[int] = set()  # the ORTH ids in ``passed`` that pass some test
        self._doc: Doc | None = None  # the doc last read, and what was read of it
        self._key = b""
        self._seen: DocTests | None = None
        self.memos: dict[object, dict] = {}  # predicate key -> its MemoPredicate memo

    def memoize(self, matcher: Matcher) -> None:
        """Make ``matcher``'s predicates on token text answer from memos shared
        by every matcher using these tests (:class:`MemoPredicate`). The
        predicates are a private list of spaCy's Matcher (3.8): where a spaCy
        release has none, the matcher is left as it is, only slower."""
        current = getattr(matcher, "_extra_predicates", None)
        if not isinstance(current, list):
            return
        predicates = []
        for predicate in current:
            read = memo_reading(predicate)
            if read is not None:
                memo = self.memos.setdefault((read, predicate.key), {})
                predicate = MemoPredicate(predicate, read, memo)
            predicates.append(predicate)
        matcher._extra_predicates = predicates

    def number(self, test: tuple) -> int:
        """The number of ``test``, numbering it if it is new."""
        if test in self.ids:
            return self.ids[test]
        number = self.ids[test] = len(self.ids)
        field, op, value = test
        if op == "IN":
            table = self.lower_tests if field == "LOWER" else self.text_tests
            for text in value:
                table.setdefault(text, set()).add(number)
        else:
            check = re.compile(value).search if op == "REGEX" else TEXT_EXTENSIONS[op]
            (self.lower_checks if field == "LOWER" else self.text_checks).append((number, check))
        self.forget()
        return number

    def forget(self) -> None:
        """Drop what was worked out: the tests have changed."""
        self.passed.clear()
        self.hits.clear()
        self._doc, self._key, self._seen = None, b"", None

    def _tests_of(self, orth: int, strings) -> frozenset[int]:
        """The tests a token with this ORTH passes."""
        text = strings[orth]
        lower = text.lower()  # what spaCy's LOWER attribute holds
        return frozenset(
            [
                *self.lower_tests.get(lower, ()),
                *self.text_tests.get(text, ()),
                *[number for number, check in self.lower_checks if check(lower)],
                *[number for number, check in self.text_checks if check(text)],
            ]
        )

    def of_doc(self, doc: Doc) -> DocTests:
        """What the tokens of ``doc`` pass, as they stand now."""
        array = doc.to_array(ORTH)
        key = array.tobytes()
        if doc is self._doc and key == self._key and self._seen is not None:
            return self._seen
        orths = array.tolist()
        distinct = set(orths)
        new = distinct.difference(self.passed)
        if len(self.passed) + len(new) > self.MAX_TEXTS:
            self.passed.clear()
            self.hits.clear()
            new = distinct
        strings = doc.vocab.strings
        for orth in new:
            found = self.passed[orth] = self._tests_of(orth, strings)
            if found:
                self.hits.add(orth)
        present = set().union(*map(self.passed.__getitem__, distinct & self.hits))
        seen = DocTests(self, orths, present)
        self._doc, self._key, self._seen = doc, key, seen
        return seen


class DocTests:
    """The text tests some token of one doc passes, and where."""

    def __init__(self, tests: TextTests, orths: list[int], present: set[int]):
        self.tests = tests
        self.orths = orths
        self.present = present
        self._at: dict[int, list[int]] | None = None
        self.runs: dict[frozenset[int], int] = {}

    @property
    def at(self) -> dict[int, list[int]]:
        """test -> the tokens passing it."""
        if self._at is None:
            at: dict[int, list[int]] = {}
            hits, passed = self.tests.hits, self.tests.passed
            for i, orth in enumerate(self.orths):
                if orth in hits:
                    for test in passed[orth]:
                        at.setdefault(test, []).append(i)
            self._at = at
        return self._at

    def run_of(self, tests: frozenset[int]) -> int:
        """The longest run of tokens passing all of ``tests``."""
        if tests not in self.runs:
            at = self.at
            passing = set.intersection(*(set(at.get(t, ())) for t in tests))
            self.runs[tests] = longest_run(sorted(passing))
        return self.runs[tests]


class GatedMatcher:
    """A span ruler's token Matcher that runs, on each doc, only the patterns
    whose every required text test (:func:`pattern_requirements`) some token
    of the doc passes, and only over the tokens near one that passes the
    rarest of them: as near as a match can reach (:func:`pattern_extent`; a
    repeating token spec reaches over the doc's longest run of tokens passing
    its text tests). Patterns with the same requirements share one Matcher,
    built once; which tests a token text passes is worked out once per text,
    and once per doc for every gated matcher sharing ``tests``.

    The matches are the same as the full matcher's: without ``greedy`` a
    Matcher finds each pattern's matches independently of the others, no
    token test looks beyond its own token, and the span ruler de-duplicates
    and sorts what it gets.
    """

    def __init__(
        self,
        matcher: Matcher,
        entries: list[tuple[str, list[dict]]],
        fuzzy_compare=None,
        tests: TextTests | None = None,
    ):
        self.matcher = matcher  # every pattern: for len, `in` and what else callers ask of it
        self.fuzzy_compare = fuzzy_compare
        self.tests = tests if tests is not None else TextTests()
        self.entries: list[tuple[str, list[dict]]] = []
        self._build(entries)

    def _build(self, entries: list[tuple[str, list[dict]]]) -> None:
        self.entries = list(entries)
        members: dict[frozenset[tuple], list[tuple[str, list[dict]]]] = {}
        for key, pattern in self.entries:
            members.setdefault(pattern_requirements(pattern), []).append((key, pattern))
        number = self.tests.number
        self.groups: list[PatternGroup] = []
        self.always: list[int] = []  # groups without requirements
        self.by_test: dict[int, list[int]] = {}  # test -> groups indexed under it
        for requirements, group in members.items():
            # validate=False: the ruler validated these patterns when it loaded them
            sub = Matcher(self.matcher.vocab, validate=False, fuzzy_compare=self.fuzzy_compare)
            for key, pattern in group:
                sub.add(key, [pattern])
            self.tests.memoize(sub)
            tests = frozenset(number(t) for t in sorted(requirements, key=repr))
            extents = [pattern_extent(pattern) for _key, pattern in group]
            numbered = None
            if None not in extents:
                numbered = tuple(
                    (fixed, tuple(frozenset(number(t) for t in sorted(spec, key=repr)) for spec in repeats))
                    for fixed, repeats in extents
                )
            if tests:
                self.by_test.setdefault(min(tests), []).append(len(self.groups))
            else:
                self.always.append(len(self.groups))
            least = max(fixed for fixed, _repeats in numbered) if numbered else 0
            exact = [exact_tests(pattern) for _key, pattern in group]
            found = None
            if None not in exact:
                strings = self.matcher.vocab.strings
                found = tuple(
                    (strings.add(key), frozenset(number(t) for t in sorted(tested, key=repr)))
                    for (key, _pattern), tested in zip(group, exact, strict=True)
                )
            self.groups.append(PatternGroup(tests, numbered, sub, least, found))
        self.indexed = frozenset(self.by_test)
        self._seen: DocTests | None = None  # the doc reading ``_found`` answers
        self._found: list[int] = []

    def _runnable(self, seen: DocTests) -> list[int]:
        if seen is self._seen:  # asked again for the same reading of a doc
            return self._found
        passed = seen.present
        found = list(self.always)
        by_test, groups = self.by_test, self.groups
        for test in self.indexed.intersection(passed):
            found += [g for g in by_test[test] if groups[g].tests <= passed]
        found.sort()
        self._seen, self._found = seen, found
        return found

    def runnable(self, doc: Doc) -> list[int]:
        """Indices of the pattern groups that can match in ``doc``, in order."""
        return list(self._runnable(self.tests.of_doc(doc)))

    def __call__(self, doc: Doc):
        seen = self.tests.of_doc(doc)
        length = len(seen.orths)
        matches = []
        for index in self._runnable(seen):
            group = self.groups[index]
            if group.exact is not None:  # the matches are the tokens passing the tests
                at = seen.at
                for key, tests in group.exact:
                    passing = set.intersection(*(set(at.get(t, ())) for t in tests))
                    matches += [(key, i, i + 1) for i in sorted(passing)]
                continue
            if group.extents is None or not group.tests or length < 2 * group.least_reach:
                matches += group.matcher(doc)  # no window can be shorter than the doc
                continue
            reach = group.reach(seen.run_of)
            if length < 2 * reach:
                matches += group.matcher(doc)
                continue
            at = seen.at
            anchors = min((at[test] for test in group.tests), key=len)
            for start, end in windows(anchors, reach, length):
                if end - start == length:
                    matches += group.matcher(doc)
                else:
                    found = group.matcher(doc[start:end])
                    matches += [(key, s + start, e + start) for key, s, e in found]
        return matches

    def add(self, key: str, patterns: list[list[dict]], **kwargs) -> None:
        if kwargs:  # on_match or greedy would make patterns depend on each other
            raise ValueError("a gated matcher takes plain patterns only")
        self.matcher.add(key, patterns)
        self._build(self.entries + [(key, pattern) for pattern in patterns])

    def remove(self, key: str) -> None:
        self.matcher.remove(key)
        self._build([(k, p) for k, p in self.entries if k != key])

    def __getattr__(self, name):
        return getattr(self.matcher, name)

    def __contains__(self, key) -> bool:
        return key in self.matcher

    def __len__(self) -> int:
        return len(self.matcher)


def skip_unmatchable(ruler: SpanRuler) -> Callable[[Doc], list]:
    """``ruler.match`` that answers no spans at once for a doc where none of
    its token patterns can match and it has no phrase patterns (what the full
    match finds there), without its per-doc set-up."""
    match = ruler.match

    def quick_match(doc: Doc) -> list:
        gated = ruler.matcher  # clear() or from_disk() put a plain one back
        if isinstance(gated, GatedMatcher) and not len(ruler.phrase_matcher) and not gated.runnable(doc):
            return []
        return match(doc)

    return quick_match


def gate_rulers(nlp: Language) -> None:
    """Gate each span ruler's token patterns by their anchors (:class:`GatedMatcher`)."""
    tests = TextTests()  # shared, so that each doc is read once for every ruler
    for _name, pipe in nlp.pipeline:
        if not isinstance(pipe, SpanRuler) or isinstance(pipe.matcher, GatedMatcher):
            continue
        entries = [
            (repr((p["label"], p.get("id", ""))), p["pattern"])  # the key SpanRuler.add_patterns gives
            for p in pipe.patterns
            if isinstance(p["pattern"], list)
        ]
        if entries:
            pipe.matcher = GatedMatcher(pipe.matcher, entries, pipe.matcher_fuzzy_compare, tests)
            pipe.match = skip_unmatchable(pipe)
