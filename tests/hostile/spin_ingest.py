"""``boardpapers`` with a file reader that never returns (``python -m tests.hostile.spin_ingest ingest ...``).

Workers are forked from this process, so they inherit the stand-in: each one
spins on its file until it is stopped, as a worker stuck in a pathological
PDF does. Used by tests/hostile/test_processes.py.
"""

from __future__ import annotations

import sys

from boardpapers import batch, pool
from boardpapers.cli import cli


def spin(path, options):
    while True:
        pass


if __name__ == "__main__":
    pool.process_file = spin
    pool.get_nlp = batch.get_nlp = lambda: None
    sys.exit(cli(sys.argv[1:], prog_name="boardpapers"))
