"""Third-party warnings go to the log, not the terminal.

pdfminer, pdfplumber and pypdfium2 log or warn about every odd operator
("Cannot set non-stroke color ..."), hundreds of lines on a real archive.
While a worker reads a file, :func:`captured` takes every log record and
Python warning of that file; the pool hands them back with the file's result
and :func:`replay` logs them in the main process under ``boardpapers.thirdparty``,
prefixed by the file name. :func:`configured` (the CLI) sends them to
``--log-file`` and, with ``-v``, to stderr, and counts them for the summary.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator

KEEP_PER_FILE = 200  # lines kept per file; the rest are only counted
THIRD_PARTY = "boardpapers.thirdparty"

# A library's logger: silent unless the application configures logging.
logging.getLogger(THIRD_PARTY).addHandler(logging.NullHandler())


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.lines) < KEEP_PER_FILE:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a library's bad format string is still a line
                message = repr(record.msg)
            self.lines.append(f"{record.levelname.lower()} {record.name}: {' '.join(message.split())}")


@contextlib.contextmanager
def captured() -> Iterator[_Capture]:
    """Every warning logged (or ``warnings.warn``-ed) inside the block is kept
    on the returned handler instead of reaching stderr."""
    root = logging.getLogger()
    capture = _Capture()
    saved = root.handlers[:]
    root.handlers = [capture]
    logging.captureWarnings(True)
    try:
        yield capture
    finally:
        logging.captureWarnings(False)
        root.handlers = saved


class _Count(logging.Filter):
    """Counts third-party lines as they pass (``count`` extra: several lines)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        self.count += getattr(record, "count", 1)
        return True


def replay(path: str, lines: list[str], count: int) -> None:
    """Log one file's captured lines in this process."""
    if not count:
        return
    log = logging.getLogger(THIRD_PARTY)
    name = os.path.basename(os.fsencode(path).decode("utf-8", "backslashreplace"))
    for line in lines:
        log.warning("%s: %s", name, line)
    if count > len(lines):
        more = count - len(lines)
        log.warning("%s: %d more warnings not kept", name, more, extra={"count": more})


@contextlib.contextmanager
def configured(log_file: str | None = None, verbose: bool = False) -> Iterator[_Count]:
    """Route ``boardpapers`` logging for one command: to ``log_file`` (appended)
    and, when ``verbose``, to stderr; nowhere else. Yields the third-party
    counter (``.count``)."""
    log = logging.getLogger("boardpapers")
    third = logging.getLogger(THIRD_PARTY)
    counter = _Count()
    third.addFilter(counter)
    handlers: list[logging.Handler] = []
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8", errors="backslashreplace"))
        handlers[-1].setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    if not handlers:
        handlers.append(logging.NullHandler())
    saved = (log.handlers[:], log.level, log.propagate)
    log.handlers, log.propagate = handlers, False
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        yield counter
    finally:
        third.removeFilter(counter)
        for handler in handlers:
            handler.close()
        log.handlers, log.level, log.propagate = saved
