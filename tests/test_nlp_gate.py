"""The gated span-ruler matchers find exactly what the full matchers find."""

from __future__ import annotations

import pytest

from boardpapers.nlp.gating import (
    GatedMatcher,
    MemoPredicate,
    TextTests,
    exact_tests,
    longest_run,
    pattern_extent,
    pattern_reach,
    pattern_requirements,
    windows,
)

PHRASES = [
    "Revenue rose to £1.2m in 2019/20, up 12% from Q3 2018/19.",
    "The Chief Executive will report to the next meeting of the Board by 31 March 2020.",
    "Recorded crime fell by 3.4% (n=250) compared with the same period last year.",
    "ACTION: Finance Director to circulate the revised budget by 12 Sept.",
    "Our key priorities for 2020 are: housing, transport and community safety.",
    "The project has now been completed and is on track, ahead of schedule.",
    "Call 0121 496 0000 or see paragraph 4.2 of Appendix B (page 7).",
    "18–25% of residents; 12 345 visits; eleven new homes; 24hr cover; 450k users",
    "Members noted the report. RESOLVED that the Committee approves the plan.",
    "",
    # one long paragraph, so that bounded patterns run over windows of it
    " ".join(
        PHRASE
        for PHRASE in [
            "Revenue rose to £1.2m in 2019/20, up 12% from Q3 2018/19.",
            "The Chief Executive will report to the next meeting of the Board by 31 March 2020.",
            "Recorded crime fell by 3.4% (n=250) compared with the same period last year.",
            "ACTION: Finance Director to circulate the revised budget by 12 Sept.",
            "Our key priorities for 2020 are: housing, transport and community safety.",
        ]
        * 4
    ),
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_gated_matches_equal_full_matches(nlp, phrase):
    doc = nlp(phrase)
    rulers = [
        pipe for _name, pipe in nlp.pipeline if isinstance(getattr(pipe, "matcher", None), GatedMatcher)
    ]
    assert rulers
    for ruler in rulers:
        gated = ruler.matcher
        assert sorted(set(gated(doc))) == sorted(set(gated.matcher(doc)))


def test_memo_predicates_answer_as_the_matcher(nlp):
    """Predicates on a token's text answer from a memo shared between matchers;
    the others (here a length comparison) are left as they are."""
    from spacy.matcher import Matcher

    patterns = [
        [{"LOWER": {"IN": ["rose", "fell"]}}, {"LOWER": "by", "OP": "?"}],
        [{"TEXT": {"REGEX": "^[0-9.]+$"}}, {"LOWER": {"NOT_IN": ["per"]}}],
        [{"LENGTH": {">=": 8}}],
    ]
    tests = TextTests()
    memoized = []
    for _ in range(2):
        plain, matcher = Matcher(nlp.vocab), Matcher(nlp.vocab)
        for i, pattern in enumerate(patterns):
            plain.add(str(i), [pattern])
            matcher.add(str(i), [pattern])
        tests.memoize(matcher)
        memoized.append(matcher)
        kinds = [type(p) for p in matcher._extra_predicates]
        assert kinds.count(MemoPredicate) == 3 and len(kinds) == 4
        for phrase in PHRASES:
            doc = nlp(phrase)
            assert matcher(doc) == plain(doc)
            assert matcher(doc[1:]) == plain(doc[1:])
    first, second = (m._extra_predicates for m in memoized)
    assert all(a.memo is b.memo for a, b in zip(first, second, strict=True) if isinstance(a, MemoPredicate))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            [{"LOWER": "on"}, {"LOWER": {"IN": ["track", "plan"]}, "OP": "?"}],
            {("LOWER", "IN", frozenset({"on"}))},
        ),
        ([{"TEXT": {"REGEX": "^Q[1-4]$"}}], {("TEXT", "REGEX", "^Q[1-4]$")}),
        ([{"_": {"is_num": True}}, {"ORTH": "%"}], {("_", "is_num", True), ("TEXT", "IN", frozenset({"%"}))}),
        ([{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"NOT_IN": ["the"]}}], set()),
    ],
)
def test_pattern_requirements(pattern, expected):
    assert pattern_requirements(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "reach"),
    [
        ([{"LOWER": "on"}, {"LOWER": "track", "OP": "?"}], 2),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "!"}], 2),
        ([{"IS_ALPHA": True, "OP": "{0,3}"}, {"LOWER": "for"}], 4),
        ([{"IS_ALPHA": True, "OP": "{2}"}], 2),
        ([{"IS_ALPHA": True, "OP": "{,2}"}], 2),
        ([{"IS_ALPHA": True, "OP": "{1,}"}], None),
        ([{"LOWER": "the"}, {"IS_TITLE": True, "OP": "+"}], None),
        ([{"LOWER": "the"}, {"IS_TITLE": True, "OP": "*"}], None),
    ],
)
def test_pattern_reach(pattern, reach):
    assert pattern_reach(pattern) == reach


@pytest.mark.parametrize(
    ("anchors", "reach", "length", "expected"),
    [
        ([5], 3, 20, [(3, 8)]),
        ([0, 3, 10], 3, 12, [(0, 6), (8, 12)]),
        ([1, 4], 3, 20, [(0, 7)]),  # touching ranges merge
    ],
)
def test_windows(anchors, reach, length, expected):
    assert windows(anchors, reach, length) == expected


CAP = {"TEXT": {"REGEX": "^[A-Z]"}}


@pytest.mark.parametrize(
    ("pattern", "extent"),
    [
        ([{"LOWER": "on"}, {"LOWER": "track", "OP": "?"}], (2, ())),
        (
            [{"LOWER": "the", "OP": "?"}, {**CAP, "OP": "+"}, {"LOWER": "to"}],
            (2, (frozenset({("TEXT", "REGEX", "^[A-Z]")}),)),
        ),
        ([{**CAP, "OP": "{1,}"}], (0, (frozenset({("TEXT", "REGEX", "^[A-Z]")}),))),
        ([{"LOWER": "the"}, {"IS_TITLE": True, "OP": "*"}], None),  # a repeat with no text test
    ],
)
def test_pattern_extent(pattern, extent):
    assert pattern_extent(pattern) == extent


@pytest.mark.parametrize(
    ("positions", "run"),
    [([], 0), ([4], 1), ([1, 2, 3, 7, 8], 3), ([0, 2, 4], 1), ([5, 6, 9, 10, 11, 12], 4)],
)
def test_longest_run(positions, run):
    assert longest_run(positions) == run


@pytest.mark.parametrize(
    ("pattern", "tests"),
    [
        ([{"_": {"is_num": True}}], {("_", "is_num", True)}),
        (
            [{"LOWER": {"IN": ["a", "b"]}, "TEXT": {"REGEX": "^a"}}],
            {("LOWER", "IN", frozenset({"a", "b"})), ("TEXT", "REGEX", "^a")},
        ),
        ([{"ORTH": "%"}], {("TEXT", "IN", frozenset({"%"}))}),
        ([{"LOWER": "on"}, {"LOWER": "track"}], None),  # two tokens
        ([{"LOWER": "on", "OP": "?"}], None),
        ([{"LOWER": {"NOT_IN": ["the"]}}], None),
        ([{"LOWER": "the", "IS_TITLE": True}], None),
        ([{"_": {"is_num": False}}], None),
    ],
)
def test_exact_tests(pattern, tests):
    assert exact_tests(pattern) == (frozenset(tests) if tests is not None else None)
