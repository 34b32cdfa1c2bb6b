"""Placeholder: the trends family is being written."""

from __future__ import annotations


def add_pipes(nlp) -> None:
    return None


def extract_trends(docs, ctx) -> list:
    return []
