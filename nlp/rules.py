"""Rule files: loading and checking ``nlp/patterns/*.jsonl`` and ``nlp/vocab/*.yml``.

Patterns are spaCy's own format, one rule a line::

    {"label": "percent", "id": "fig-percent-sign", "pattern": [{"_": {"is_num": true}}, {"ORTH": "%"}]}

``check_rules(dir)`` validates every rule file under ``dir`` (the folder that
holds ``patterns/`` and ``vocab/``) and returns errors as
``"file:line: message"`` naming the bad key, so a user extending the rules for
a new body's papers learns exactly what to fix. ``boardpapers rules check``
prints them. Vocabularies are loaded and checked by ``nlp/vocabulary.py``
(re-exported here); this module adds the pattern checker, which needs our
token extensions from ``nlp/numbers.py``.
"""

from __future__ import annotations

import json
import pathlib
from functools import cache

from spacy.matcher import Matcher
from spacy.vocab import Vocab

# Our token extensions (``_.is_num``, ``_.is_month``) must exist before a pattern using them is checked.
from . import months, numbers  # noqa: F401
from .vocabulary import RULES_DIR, VOCAB_SCHEMAS, RuleError, check_vocab_file, load_vocab

__all__ = [
    "RULES_DIR",
    "VOCAB_SCHEMAS",
    "RuleError",
    "check_pattern",
    "check_patterns_file",
    "check_rules",
    "check_vocab_file",
    "load_patterns",
    "load_vocab",
]

PATTERN_KEYS = {"label", "id", "pattern"}


def load_patterns(name: str, rules_dir: str | None = None) -> list[dict]:
    """The patterns of ``nlp/patterns/<name>`` (a .jsonl file); raises RuleError if invalid."""
    path = pathlib.Path(rules_dir or RULES_DIR) / "patterns" / name
    errors = check_patterns_file(path)
    if errors:
        raise RuleError("; ".join(errors))
    lines = path.read_text(encoding="utf-8").splitlines()
    return [months.expand_token_checks(json.loads(line)) for line in lines if line.strip()]


def check_rules(rules_dir: str | pathlib.Path | None = None) -> list[str]:
    """Every problem in the rule files under ``rules_dir``, as ``file:line: message``."""
    root = pathlib.Path(rules_dir or RULES_DIR)
    errors: list[str] = []
    for path in sorted((root / "patterns").glob("*.jsonl")):
        errors += check_patterns_file(path)
    for path in sorted((root / "vocab").glob("*.yml")):
        errors += check_vocab_file(path)
    return errors


@cache
def _validator() -> Matcher:
    # A bare vocabulary is enough to validate a pattern (a blank pipeline costs 0.1 s more).
    return Matcher(Vocab(), validate=True)


def check_pattern(pattern: object) -> str | None:
    """Why a token or phrase pattern is invalid, or None."""
    if isinstance(pattern, str):
        return None if pattern.strip() else "empty phrase pattern"
    if not isinstance(pattern, list) or not pattern:
        return "key 'pattern': must be a non-empty list of token dicts or a phrase string"
    for i, tok in enumerate(pattern):
        if not isinstance(tok, dict):
            return f"key 'pattern': token {i} is not an object"
    try:
        _validator().add("check", [pattern])
    except Exception as exc:  # spaCy raises ValueError/MatchPatternError with its own text
        first = str(exc).strip().splitlines()
        detail = " ".join(line.strip() for line in first if line.strip())[:300]
        return f"key 'pattern': {detail}"
    finally:
        if "check" in _validator():
            _validator().remove("check")
    return None


def check_patterns_file(path: pathlib.Path) -> list[str]:
    """Errors of one JSONL pattern file."""
    errors: list[str] = []
    name = path.name
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rule = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{name}:{lineno}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rule, dict):
            errors.append(f"{name}:{lineno}: a rule must be a JSON object")
            continue
        for key in sorted(set(rule) - PATTERN_KEYS):
            errors.append(f"{name}:{lineno}: unknown key {key!r} (expected label, id, pattern)")
        for key in ("label", "id"):
            if not isinstance(rule.get(key), str) or not rule.get(key):
                errors.append(f"{name}:{lineno}: key {key!r}: missing or not a string")
        if "pattern" not in rule:
            errors.append(f"{name}:{lineno}: key 'pattern': missing")
        else:
            problem = check_pattern(rule["pattern"])
            if problem:
                errors.append(f"{name}:{lineno}: {problem}")
    return errors
