"""Vocabularies: loading and checking ``nlp/vocab/*.yml``.

A vocabulary is a YAML mapping; for the files named in :data:`VOCAB_SCHEMAS`
each top key must be present (unless optional) and of the right type, and
errors read ``"file:line: message"`` naming the bad key. This module needs
nothing of spaCy, so any module (``numbers``, ``tokenizer``) may load a
vocabulary without importing the pattern checker in ``nlp/rules.py``.
"""

from __future__ import annotations

import pathlib
from functools import cache

import yaml

RULES_DIR = pathlib.Path(__file__).resolve().parent
# libyaml's parser when PyYAML was built with it: the same documents, read
# some twenty times faster than by the pure-Python one (whose wording of a
# syntax error the checks keep, see :func:`_compose`).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
    "geography.yml": {
        "places": list,
        "ambiguous_places": list,
        "not_places": list,
        "place_words": list,
        "place_endings": list,
    },
    "metrics.yml": {
        "metrics": list,
        "fallback_stopwords": list,
        "subject_stops": list,
        "revision_verbs": list,
        "generic_measures": list,
        "sample_size_suffix": str,
    },
    "tokenizer.yml": {"abbreviations": list},
    "dates.yml": {
        "future_cues": list,
        "past_cues": list,
        "future_modifiers": list,
        "past_modifiers": list,
        "auxiliaries": list,
        "not_past": list,
        "determiners": list,
        "meeting_destination_words": list,
        "meeting_venue_words": list,
        "meeting_words": list,
        "deadline_words": list,
        "reporting_month_words": list,
        "relative_days": dict,
        "relative_steps": dict,
        "year_words_before": list,
        "year_words_after": list,
        "us_spellings": list,
        "uk_spellings": list,
        "day_first_currencies": list,
        "month_first_currencies": list,
    },
    "paper.yml": {
        "labels": dict,
        "body_nouns": list,
        "connectors": list,
        "meeting_words": list,
        "issue_words": list,
        "kinds": dict,
        "file_noise": list,
        "previous_meeting": list,
        "period_words": dict,
        "period_letters": dict,
        "financial_year": dict,
    },
}
# What paper.yml's mappings hold (nlp/paper.py reads each of these keys).
PAPER_LABELS = ("meeting_date", "date", "board", "author", "title")
PAPER_KINDS = ("action_log", "minutes", "agenda", "accounts", "report")
PAPER_PERIODS = ("month", "quarter")
METRIC_KEYS = {"key", "synonyms", "better"}
# Keys a vocabulary may leave out (the code has a default for each).
OPTIONAL_KEYS = {
    "min_word_figure",
    "low_confidence_below",
    "not_places",
    "ambiguous_places",
    "place_words",
    "place_endings",
    "money_headers",
    "not_money_headers",
    "description_headers",
    "revision_verbs",
    "generic_measures",
    "sample_size_suffix",
    "day_first_currencies",
    "month_first_currencies",
    "period_words",
    "period_letters",
    "financial_year",
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
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}


def _line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree. A syntax error is raised by the pure-Python
    parser, so that its message reads the same whichever parser PyYAML has."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def check_vocab_file(path: pathlib.Path) -> list[str]:
    """Errors of one YAML vocabulary (parse errors anywhere; schema for the files we know)."""
    name = path.name
    text = path.read_text(encoding="utf-8")
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [f"{name}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})"]
    schema = VOCAB_SCHEMAS.get(name)
    if schema is None or root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        return [f"{name}:1: the file must be a mapping of keys"]
    data = yaml.load(text, Loader=LOADER)
    nodes = {k.value: (k, v) for k, v in root.value}
    errors = _schema_errors(name, schema, data, nodes) + _boolean_errors(name, data, nodes)
    if name == "metrics.yml" and isinstance(data.get("metrics"), list):
        errors += _metric_errors(name, data["metrics"], nodes["metrics"][1])
    if name == "numbers.yml":
        errors += _number_errors(name, data, nodes)
    if name == "paper.yml":
        errors += _paper_errors(name, data, nodes)
    return errors


def _schema_errors(name: str, schema: dict, data: dict, nodes: dict) -> list[str]:
    """Unknown keys, missing keys and keys of the wrong type."""
    errors = []
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
    return errors


def _boolean_errors(name: str, data: dict, nodes: dict) -> list[str]:
    """List items YAML read as booleans (an unquoted ``no`` or ``on``)."""
    errors = []
    for key, (_knode, vnode) in nodes.items():
        if isinstance(vnode, yaml.SequenceNode):
            for item_node, item in zip(vnode.value, data[key] or [], strict=False):
                if isinstance(item, bool):
                    errors.append(
                        f"{name}:{_line_of(item_node)}: key {key!r}: {item_node.value!r} reads as a boolean "
                        "(YAML takes yes/no/on/off as true/false): quote it"
                    )
    return errors


def _metric_errors(name: str, metrics: list, seq: yaml.Node) -> list[str]:
    """Each metric of metrics.yml: a mapping with key, synonyms and better."""
    errors = []
    for item, node in zip(metrics, seq.value, strict=False):
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
    return errors


def _number_errors(name: str, data: dict, nodes: dict) -> list[str]:
    """Every value under ``words`` and ``scales`` of numbers.yml is a number."""
    errors = []
    for section in ("words", "scales"):
        if isinstance(data.get(section), dict):
            for (k, v), (_kn, vn) in zip(data[section].items(), nodes[section][1].value, strict=False):
                if not isinstance(v, (int, float)):
                    errors.append(f"{name}:{_line_of(vn)}: key {k!r} in {section!r} must be a number")
    return errors


def _paper_errors(name: str, data: dict, nodes: dict) -> list[str]:
    """paper.yml: every label field and kind present, each a list of words;
    the period words and letters lists of words; the financial year's start
    months whole numbers 1-12 (or null: no start, so no period is guessed)."""
    errors = []
    wanted = {"labels": PAPER_LABELS, "kinds": PAPER_KINDS, "period_words": PAPER_PERIODS}
    wanted["period_letters"] = PAPER_PERIODS
    for section, keys in wanted.items():
        if not isinstance(data.get(section), dict):
            continue
        line = _line_of(nodes[section][0])
        for key in keys:
            if key not in data[section] and section in ("labels", "kinds"):
                errors.append(f"{name}:{line}: key {section!r}: missing {key!r}")
        for (knode, vnode), (key, value) in zip(nodes[section][1].value, data[section].items(), strict=False):
            if section != "labels" and key not in keys:
                errors.append(
                    f"{name}:{_line_of(knode)}: key {section!r}: unknown {key!r} (expected {', '.join(keys)})"
                )
            elif not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
                errors.append(f"{name}:{_line_of(vnode)}: key {section}.{key} must be a list of words")
    fy = data.get("financial_year")
    if isinstance(fy, dict):
        fy_nodes = {k.value: (k, v) for k, v in nodes["financial_year"][1].value}
        for key in sorted(set(fy) - {"default_start", "by_currency"}):
            errors.append(
                f"{name}:{_line_of(fy_nodes[key][0])}: key 'financial_year': unknown {key!r} (expected default_start, by_currency)"
            )
        starts = [("default_start", fy.get("default_start"), fy_nodes.get("default_start", (None, None))[1])]
        by_currency = fy.get("by_currency")
        if isinstance(by_currency, dict):
            pairs = zip(fy_nodes["by_currency"][1].value, by_currency.items(), strict=False)
            starts += [(f"by_currency.{k}", v, vn) for (_kn, vn), (k, v) in pairs]
        elif by_currency is not None:
            errors.append(
                f"{name}:{_line_of(fy_nodes['by_currency'][1])}: key financial_year.by_currency must be a mapping"
            )
        for key, value, node in starts:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12
            ):
                errors.append(
                    f"{name}:{_line_of(node)}: key financial_year.{key} must be a month number 1-12 or null"
                )
    return errors
