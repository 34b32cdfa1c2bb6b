"""Serving a boardpapers database with Datasette, and publishing snapshots.

Two ways to serve:

* ``boardpapers serve papers.db`` — the live ingest database, on 127.0.0.1,
  opened read-only (``mode=ro``; never ``-i``, which would let Datasette
  assume the file cannot change while ingest is writing it).
* ``boardpapers publish papers.db snapshot.db`` then
  ``boardpapers serve snapshot.db --public`` — an immutable copy made with
  ``VACUUM INTO``, served with ``-i`` and the public settings below. Public
  mode refuses a file that is not a snapshot.

Public deployment checklist (what ``--public`` sets or leaves out):
no ``--cors`` unless you add it yourself; shorter SQL and facet time limits;
fewer returned rows; no whole-database download; CSV exports capped in size;
facet suggestions off. Put a reverse proxy with rate limiting in front of it
and bind to 0.0.0.0 only behind that proxy (``--host``).
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile
from importlib import resources

import yaml

# PRAGMA application_id stamped on snapshots made by publish ("BPSN").
SNAPSHOT_APPLICATION_ID = 0x4250534E
METADATA_KEY = "boardpapers"

SETTINGS: dict[str, object] = {
    "sql_time_limit_ms": 2000,
    "max_returned_rows": 2000,
    "facet_time_limit_ms": 500,
    "default_page_size": 100,
    "allow_download": False,  # the live database is not a file to hand out
    "max_csv_mb": 50,
}

PUBLIC_SETTINGS: dict[str, object] = {
    **SETTINGS,
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 200,
    "suggest_facets": False,
    "allow_download": False,
    "allow_csv_stream": True,
    "max_csv_mb": 10,
    "num_sql_threads": 3,
}


class SnapshotError(ValueError):
    """A database cannot be published or served publicly as given."""


def database_name(db_path: str | os.PathLike) -> str:
    """The name Datasette gives a database file: its stem."""
    return pathlib.Path(db_path).stem


def metadata_for(db_path: str | os.PathLike) -> dict:
    """db/metadata.yml with its database section keyed to ``db_path``'s name."""
    text = resources.files("boardpapers.db").joinpath("metadata.yml").read_text(encoding="utf-8")
    metadata = yaml.safe_load(text)
    databases = metadata.get("databases", {})
    if METADATA_KEY in databases:
        databases[database_name(db_path)] = databases.pop(METADATA_KEY)
    return metadata


def settings_for(public: bool = False) -> dict[str, object]:
    return dict(PUBLIC_SETTINGS if public else SETTINGS)


def is_snapshot(db_path: str | os.PathLike) -> bool:
    """True if ``db_path`` is a snapshot written by :func:`publish`."""
    conn = sqlite3.connect(f"file:{pathlib.Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA application_id").fetchone()[0] == SNAPSHOT_APPLICATION_ID
    finally:
        conn.close()


def publish(db_path: str | os.PathLike, out_path: str | os.PathLike) -> pathlib.Path:
    """Write an immutable snapshot of ``db_path`` to ``out_path`` with ``VACUUM INTO``.

    The snapshot is a single rollback-journal file (no WAL), stamped so that
    ``serve --public`` can tell it from a live ingest database.
    """
    src, out = pathlib.Path(db_path), pathlib.Path(out_path)
    if not src.is_file():
        raise SnapshotError(f"{src} does not exist. Give the database that ingest wrote.")
    if out.exists():
        raise SnapshotError(
            f"{out} already exists. Remove it or choose another name; publish never overwrites."
        )
    if out.resolve() == src.resolve():
        raise SnapshotError("The snapshot must be a new file, not the database itself.")
    conn = sqlite3.connect(f"file:{src.resolve()}?mode=ro", uri=True)
    try:
        conn.execute("VACUUM INTO ?", [str(out)])
    finally:
        conn.close()
    conn = sqlite3.connect(out)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA application_id={SNAPSHOT_APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()
    return out


def serve_command_args(
    db_path: str | os.PathLike,
    port: int = 8001,
    host: str | None = None,
    public: bool = False,
    *,
    metadata_path: str | os.PathLike,
) -> list[str]:
    """The ``datasette serve`` command line (after ``datasette``) for ``db_path``.

    The live database is passed as a plain (read-only, mutable) file; only a
    published snapshot in public mode is passed with ``-i``.
    """
    if public and not is_snapshot(db_path):
        raise SnapshotError(
            f"{db_path} is a live database, not a snapshot. Run `boardpapers publish {db_path} OUT.db` "
            "and serve OUT.db with --public."
        )
    args = ["serve"]
    args += ["-i", str(db_path)] if public else [str(db_path)]
    args += ["--host", host or "127.0.0.1", "--port", str(port), "--metadata", str(metadata_path)]
    for name, value in settings_for(public).items():
        args += ["--setting", name, _setting_text(value)]
    return args


def _setting_text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def write_metadata(db_path: str | os.PathLike, directory: str | os.PathLike) -> pathlib.Path:
    path = pathlib.Path(directory) / "metadata.json"
    path.write_text(json.dumps(metadata_for(db_path), indent=2), encoding="utf-8")
    return path


def serve(
    db_path: str | os.PathLike,
    port: int = 8001,
    host: str | None = None,
    public: bool = False,
    open_browser: bool = False,
) -> int:
    """Run Datasette on ``db_path`` until interrupted; returns its exit code."""
    if not pathlib.Path(db_path).is_file():
        raise SnapshotError(f"{db_path} does not exist. Run `boardpapers ingest {db_path} PDF...` first.")
    with tempfile.TemporaryDirectory(prefix="boardpapers-serve-") as tmp:
        metadata_path = write_metadata(db_path, tmp)
        args = serve_command_args(db_path, port, host, public, metadata_path=metadata_path)
        if open_browser:
            args.append("--open")
        try:
            return subprocess.call([sys.executable, "-m", "datasette", *args])
        except KeyboardInterrupt:
            return 0
