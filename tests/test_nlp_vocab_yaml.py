"""Vocabulary syntax errors read the same whichever YAML parser PyYAML has."""

from __future__ import annotations

import pytest

from boardpapers.nlp.vocabulary import check_vocab_file


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a: [1, 2\nb: 3\n", "units.yml:2: not valid YAML (expected ',' or ']', but got ':')"),
        ("a: b: c\n", "units.yml:1: not valid YAML (mapping values are not allowed here)"),
        ("metrics: [\n", "units.yml:2: not valid YAML (expected the node content, but found '<stream end>')"),
    ],
)
def test_syntax_error_wording(tmp_path, text, error):
    path = tmp_path / "units.yml"
    path.write_text(text, encoding="utf-8")
    assert check_vocab_file(path) == [error]
