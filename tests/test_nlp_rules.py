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
