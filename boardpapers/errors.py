"""Errors of the wiring layer; ``cli.py`` turns them into one clean line."""

from __future__ import annotations


class StorageError(Exception):
    """The database stopped accepting writes (disk full, read-only, I/O error).

    The batch stops; papers stored so far are kept. ``summary`` (a
    ``batch.Summary``) holds what happened up to then."""

    def __init__(self, message: str, summary=None):
        super().__init__(message)
        self.summary = summary
