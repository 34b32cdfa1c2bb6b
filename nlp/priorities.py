"""Placeholder: the priorities family is being written."""

from __future__ import annotations


def add_pipes(nlp) -> None:
    return None


def extract_priority_areas(docs, ctx) -> list:
    return []
