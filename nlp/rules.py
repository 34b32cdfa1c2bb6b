"""Rule files: loading and checking ``nlp/patterns/*.jsonl`` and ``nlp/vocab/*.yml``.

Patterns are spaCy's own format, one rule a line::

    {"label": "percent", "id": "fig-percent-sign", "pattern": [{"_": {"is_num": true}}, {"ORTH": "%"}]}

``check_rules(dir)`` validates every rule file under ``dir`` (the folder that
holds ``patterns/`` and ``vocab/``) and returns errors as
``"file:line: message"`` naming the bad key, so a user extending the rules for
a new body's papers learns exactly what to fix. ``boardpapers rules check``
prints them.
"""

from __future__ import annotations

import json
import pathlib
from functools import cache

import spacy
import yaml
from spacy.matcher import Matcher

RULES_DIR = pathlib.Path(__file__).resolve().parent
PATTERN_KEYS = {"label", "id", "pattern"}

# What the vocabularies this module knows must hold: file -> {top key: type}.
VOCAB_SCHEMAS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "numbers.yml": {"words": dict, "scales": dict, "min_word_figure": (int, float)},
    "units.yml": {
        "units": dict,
        "period_units": list,
        "phone_services": list,
        "low_confidence_below": (int, float),
        "money_headers": list,
        "not_money_headers": list,
        "description_headers": list,
    },
    "geography.yml": {"places": list, "not_places": list, "place_words": list, "place_endings": list},
    "metrics.yml": {
        "metrics": list,
        "fallback_stopwords": list,
        "subject_stops": list,
        "revision_verbs": list,
        "generic_measures": list,
        "sample_size_suffix": str,
    },
    "tokenizer.yml": {"abbreviations": list},
}
METRIC_KEYS = {"key", "synonyms", "better"}
# Keys a vocabulary may leave out (the code has a default for each).
OPTIONAL_KEYS = {
    "min_word_figure",
    "low_confidence_below",
    "not_places",
    "place_words",
    "place_endings",
    "money_headers",
    "not_money_headers",
    "description_headers",
    "revision_verbs",
    "generic_measures",
    "sample_size_suffix",
}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names file:line and key."""


@cache
def load_vocab(name: str, rules_dir: str | None = None) -> dict:
    """One vocabulary (``nlp/vocab/<name>``) as a dict; raises RuleError if invalid."""
    path = pathlib.Path(rules_dir or RULES_DIR) / "vocab" / name
    errors = check_vocab_file(path)
    if errors:
        raise RuleError("; ".join(errors))
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_patterns(name: str, rules_dir: str | None = None) -> list[dict]:
    """The patterns of ``nlp/patterns/<name>`` (a .jsonl file); raises RuleError if invalid."""
    path = pathlib.Path(rules_dir or RULES_DIR) / "patterns" / name
    errors = check_patterns_file(path)
    if errors:
        raise RuleError("; ".join(errors))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    # Our own token extensions must exist for patterns that use them.
    from . import numbers  # noqa: F401

    return Matcher(spacy.blank("en").vocab, validate=True)


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


def _line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def check_vocab_file(path: pathlib.Path) -> list[str]:
    """Errors of one YAML vocabulary (parse errors anywhere; schema for the files we know)."""
    name = path.name
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [f"{name}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})"]
    schema = VOCAB_SCHEMAS.get(name)
    if schema is None or root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        return [f"{name}:1: the file must be a mapping of keys"]
    data = yaml.safe_load(text)
    errors = []
    nodes = {k.value: (k, v) for k, v in root.value}
    for key, (knode, _vnode) in nodes.items():
        if key not in schema:
            errors.append(f"{name}:{_line_of(knode)}: unknown key {key!r} (expected {', '.join(schema)})")
    for key, kind in schema.items():
        if key not in nodes:
            if key not in OPTIONAL_KEYS:
                errors.append(f"{name}:1: missing key {key!r}")
            continue
        if not isinstance(data[key], kind):
            errors.append(f"{name}:{_line_of(nodes[key][1])}: key {key!r} has the wrong type")
    for key, (_knode, vnode) in nodes.items():
        if isinstance(vnode, yaml.SequenceNode):
            for item_node, item in zip(vnode.value, data[key] or [], strict=False):
                if isinstance(item, bool):
                    errors.append(
                        f"{name}:{_line_of(item_node)}: key {key!r}: {item_node.value!r} reads as a boolean "
                        "(YAML takes yes/no/on/off as true/false): quote it"
                    )
    if name == "metrics.yml" and isinstance(data.get("metrics"), list):
        seq = nodes["metrics"][1]
        for item, node in zip(data["metrics"], seq.value, strict=False):
            line = _line_of(node)
            if not isinstance(item, dict):
                errors.append(f"{name}:{line}: a metric must be a mapping with key, synonyms, better")
                continue
            for bad in sorted(set(item) - METRIC_KEYS):
                errors.append(f"{name}:{line}: unknown key {bad!r} (expected key, synonyms, better)")
            if not isinstance(item.get("key"), str):
                errors.append(f"{name}:{line}: key 'key' missing or not a string")
            if not isinstance(item.get("synonyms"), list) or not item.get("synonyms"):
                errors.append(f"{name}:{line}: key 'synonyms' must be a non-empty list")
            if item.get("better") not in ("up", "down", None):
                errors.append(f"{name}:{line}: key 'better' must be up, down or null")
    if name == "numbers.yml":
        for section in ("words", "scales"):
            if isinstance(data.get(section), dict):
                for (k, v), (_kn, vn) in zip(data[section].items(), nodes[section][1].value, strict=False):
                    if not isinstance(v, (int, float)):
                        errors.append(f"{name}:{_line_of(vn)}: key {k!r} in {section!r} must be a number")
    return errors
