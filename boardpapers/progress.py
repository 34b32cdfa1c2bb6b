"""The ingest progress line: files and pages done, failures so far, an ETA.

The ETA is the bytes still to read divided by the bytes read per second since
reading began: files are read largest first, so a count of files done would
promise too much early on and too little at the end, while bytes read per
second stays steady (a smoothed rate over the whole run, not the last file).
Hashing (skipped files) is fast and not counted in the rate.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

MIN_SECONDS_FOR_ETA = 3.0


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Call :meth:`plan` when hashing is done, :meth:`update` with each
    FileResult, :meth:`close` at the end. Redraws one line on a terminal;
    elsewhere writes a line every ``every`` files."""

    def __init__(
        self,
        total_files: int,
        stream: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        every: int = 25,
    ) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.total_files = total_files
        self.files = self.pages = self.failures = 0
        self.bytes_total = self.bytes_done = 0
        self.started: float | None = None
        self.every = every
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = 0

    def plan(self, files_to_read: int, bytes_to_read: int) -> None:
        self.bytes_total = bytes_to_read
        self.started = self.clock()

    def update(self, result) -> None:
        self.files += 1
        self.pages += result.pages or 0
        self.bytes_done += getattr(result, "size", 0) or 0
        if result.status in ("failed", "rejected"):
            self.failures += 1
        if self.tty or self.files % self.every == 0 or self.files == self.total_files:
            self._write(self.line(result.path))

    def eta(self) -> float | None:
        """Seconds left, or None while there is too little to go on."""
        if self.started is None or not self.bytes_done:
            return None
        elapsed = self.clock() - self.started
        if elapsed < MIN_SECONDS_FOR_ETA:
            return None
        return (self.bytes_total - self.bytes_done) / (self.bytes_done / elapsed)

    def line(self, path: str = "") -> str:
        eta = self.eta()
        parts = [
            f"ingesting {self.files}/{self.total_files} files",
            f"{self.pages} pages",
            f"{self.failures} failed",
            f"ETA {duration(eta)}" if eta is not None else "ETA --",
        ]
        name = path.rsplit("/", 1)[-1][:40]
        return "  ".join(parts) + (f"  {name}" if name and self.tty else "")

    def _write(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()
