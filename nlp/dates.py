"""Placeholder: the dates family is being written."""

from __future__ import annotations

from .context import Context


def add_pipes(nlp) -> None:
    return None


def paper_context(meta, docs) -> tuple[Context, list[str]]:
    return Context(), []


def extract_dates(docs, ctx) -> list:
    return []
