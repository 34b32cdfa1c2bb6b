"""Settings shared by the CLI, the worker pool and the benchmark."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Limits:
    """What one worker may spend on one file before it is stopped."""

    timeout: float = 300.0  # wall-clock seconds per file
    max_memory_mb: int = 4096  # RLIMIT_AS of a worker process; 0 = no cap
    max_pages: int = 2000
    max_bytes: int = 512 * 1024 * 1024
    recycle_after: int = 50  # files a worker handles before it is replaced


@dataclass(frozen=True)
class Options:
    """How each file is read (passed to the worker with every file)."""

    password: str | None = None
    passwords: tuple[str, ...] = ()  # --password-file lines, each tried on every encrypted file
    ocr: bool = True
    max_pages: int | None = None
    max_bytes: int | None = None


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def rules_version() -> str:
    """A short hash of every pattern and vocabulary file: extraction output
    depends on these, so a changed rule file marks papers for re-extraction."""
    digest = hashlib.sha256()
    root = resources.files("boardpapers.nlp")
    for folder in ("patterns", "vocab"):
        entries = sorted((e for e in root.joinpath(folder).iterdir() if e.is_file()), key=lambda e: e.name)
        for entry in entries:
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]
