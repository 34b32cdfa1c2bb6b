"""Rule files: the shipped ones are valid, and a broken one is reported as file:line with its key."""

from __future__ import annotations

import shutil

import pytest

from boardpapers.nlp.rules import RULES_DIR, check_rules


def test_shipped_rule_files_are_valid():
    assert check_rules() == []


@pytest.fixture
def rules_copy(tmp_path):
    shutil.copytree(RULES_DIR / "patterns", tmp_path / "patterns")
    shutil.copytree(RULES_DIR / "vocab", tmp_path / "vocab")
    return tmp_path


@pytest.mark.parametrize(
    "line, expected",
    [
        ('{"lable": "percent", "id": "x", "pattern": [{"ORTH": "%"}]}', "bad.jsonl:2: unknown key 'lable'"),
        ('{"label": "percent", "id": "x", "pattern": [{"TXET": "%"}]}', "bad.jsonl:2: key 'pattern'"),
        ('{"label": "percent", "pattern": [{"ORTH": "%"}]}', "bad.jsonl:2: key 'id'"),
        ('{"label": "percent", "id": "x", "pattern": []}', "bad.jsonl:2: key 'pattern'"),
        ('{"label": "percent", "id": "x", "pattern": [{"ORTH": "%"}]', "bad.jsonl:2: not JSON"),
    ],
)
def test_bad_pattern_line_is_named(rules_copy, line, expected):
    good = '{"label": "count", "id": "ok", "pattern": [{"_": {"is_num": true}}]}'
    (rules_copy / "patterns" / "bad.jsonl").write_text(good + "\n" + line + "\n", encoding="utf-8")
    errors = check_rules(rules_copy)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "metrics:\n  - key: x\n    synonyms: [a]\n    better: sideways\nfallback_stopwords: []\nsubject_stops: []\n",
            "metrics.yml:2: key 'better'",
        ),
        (
            "metrics:\n  - key: x\n    synonym: [a]\nfallback_stopwords: []\nsubject_stops: []\n",
            "metrics.yml:2: unknown key 'synonym'",
        ),
        (
            "metrics: []\nfallback_stopwords: [a, no, the]\nsubject_stops: []\n",
            "metrics.yml:2: key 'fallback_stopwords': 'no' reads as a boolean",
        ),
        ("metrics: [\n", "metrics.yml:2: not valid YAML"),
        (
            "metrics: []\nfallback_stopwords: []\nsubject_stops: []\nmetricz: []\n",
            "metrics.yml:4: unknown key 'metricz'",
        ),
    ],
)
def test_bad_vocabulary_is_named(rules_copy, text, expected):
    (rules_copy / "vocab" / "metrics.yml").write_text(text, encoding="utf-8")
    errors = check_rules(rules_copy)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("dates.yml", "future_cues: [will]\n", "dates.yml:1: missing key 'past_cues'"),
        (
            "geography.yml",
            "places: [York]\nambiguous_places: Bath\n",
            "geography.yml:2: key 'ambiguous_places' has the wrong type",
        ),
        (
            "numbers.yml",
            "words: {one: uno}\nscales: {}\n",
            "numbers.yml:1: key 'one' in 'words' must be a number",
        ),
    ],
)
def test_bad_vocabulary_of_each_family_is_named(rules_copy, name, text, expected):
    (rules_copy / "vocab" / name).write_text(text, encoding="utf-8")
    errors = check_rules(rules_copy)
    assert any(e.startswith(expected) for e in errors), errors


def test_vocabularies_load_without_the_pattern_checker():
    """numbers.py reads numbers.yml through nlp.vocabulary, which imports nothing of
    ours or of spaCy: so nlp.rules (which needs numbers' token extensions) and
    nlp.numbers no longer import each other."""
    import ast
    import pathlib

    from boardpapers.nlp import numbers, rules, vocabulary

    tree = ast.parse(pathlib.Path(vocabulary.__file__).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith(("spacy", "boardpapers")) or m in ("rules", "numbers") for m in imported)
    assert rules.load_vocab is vocabulary.load_vocab
    assert numbers.load_vocab is vocabulary.load_vocab


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    gbp: 4\n", "    gbp: 13\n", "key financial_year.by_currency.gbp must be a month number"),
        ("  default_start: 4", "  default_start: April", "key financial_year.default_start must be a month"),
        ("kinds:\n  action_log:", "kinds:\n  actoin_log:", "key 'kinds': unknown 'actoin_log'"),
        ("kinds:\n  action_log:", "kinds:\n  actoin_log:", "key 'kinds': missing 'action_log'"),
        ("  board:\n    - to\n", "  board: to\n  x:\n    - to\n", "key labels.board must be a list of words"),
        ("period_words:\n  month:", "period_words:\n  months:", "key 'period_words': unknown 'months'"),
        ("file_noise:", "file_nois:", "unknown key 'file_nois'"),
        ("body_nouns:\n", "body_nounz:\n", "missing key 'body_nouns'"),
    ],
)
def test_bad_paper_vocabulary_is_named(rules_copy, old, new, expected):
    path = rules_copy / "vocab" / "paper.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = check_rules(rules_copy)
    assert any(e.startswith("paper.yml:") and expected in e for e in errors), errors
