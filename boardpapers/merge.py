"""Merge databases ingested separately (other machines, other analysts) into one.

Papers are the same paper when their files' bytes are (``papers.sha256``); a
paper already in the output keeps its rows unless an input holds a better
reading of it (``ok`` > ``partial`` > ``failed`` > ``rejected``). Every other
row is copied with its integer id shifted past the output's largest one, and
every column that references such an id (found from the schema's foreign
keys) is shifted with it, so tables added by later migrations come along
too. Every path a paper was found under is kept; series are recomputed.

Each input is copied in one transaction with SQL (``ATTACH``), read-only: an
interrupted merge leaves the output as it was after the last whole input, and
running it again adds nothing twice. Inputs must have this boardpapers'
schema version.
"""

from __future__ import annotations

import pathlib
import sqlite3
from dataclasses import dataclass

import sqlite_utils

from boardpapers.db import series
from boardpapers.db.schema import MIGRATIONS, migrate, schema_version

_RANK = "CASE {}.status WHEN 'ok' THEN 3 WHEN 'partial' THEN 2 WHEN 'failed' THEN 1 ELSE 0 END"


class MergeError(Exception):
    """An input that cannot be merged (wrong schema version, missing, the output itself)."""


@dataclass
class MergeResult:
    path: str
    added: int = 0  # papers new to the output
    replaced: int = 0  # papers the output held with a worse status
    present: int = 0  # papers the output already held as well or better
    paths: int = 0  # paper_paths rows new to the output (new papers' and new copies')


def _uri(path: str, read_only: bool = False) -> str:
    return pathlib.Path(path).resolve().as_uri() + ("?mode=ro" if read_only else "")


def input_version(path: str) -> int:
    """The schema version of the database at ``path`` (opened read-only)."""
    if not pathlib.Path(path).is_file():
        raise MergeError(f"{path}: no such database")
    try:
        with sqlite3.connect(_uri(path, read_only=True), uri=True) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: not a SQLite database ({exc})") from exc


def check_inputs(out_path: str, inputs: list[str]) -> None:
    """Refuse the output as an input and any input of another schema version."""
    wanted = len(MIGRATIONS)
    out = pathlib.Path(out_path).resolve()
    for path in inputs:
        if pathlib.Path(path).resolve() == out:
            raise MergeError(f"{path} is the output database; name it only once, as OUT")
        found = input_version(path)
        if found != wanted:
            raise MergeError(
                f"{path} has schema version {found}, this boardpapers uses version {wanted}: "
                "merge only databases written by the same boardpapers version "
                "(opening a database with a newer boardpapers, e.g. `boardpapers series DB`, upgrades it)"
            )


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool]]:
    """(name, is the integer primary key) for each column of ``table``."""
    rows = conn.execute(f'PRAGMA main.table_info("{table}")').fetchall()
    return [(r[1], bool(r[5]) and r[2].upper() == "INTEGER" and r[1] == "id") for r in rows]


def _paper_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables holding a paper's rows (a paper_id column), parents before children."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "ORDER BY name"
        )
    ]
    tables = [t for t in names if t != "paper_paths" and "paper_id" in dict(_columns(conn, t))]
    parents = {t: {r[2] for r in conn.execute(f'PRAGMA main.foreign_key_list("{t}")')} - {t} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered) | {"papers"}]
        ordered += ready or [t for t in tables if t not in ordered]  # a cycle: FKs are deferred anyway
    return ordered


def _copy_sql(conn: sqlite3.Connection, table: str, offsets: dict[str, int]) -> str:
    """INSERT … SELECT copying the chosen papers' rows of ``table`` from src."""
    refs = {r[3]: r[2] for r in conn.execute(f'PRAGMA main.foreign_key_list("{table}")') if r[4] == "id"}
    names, exprs = [], []
    for name, is_id in _columns(conn, table):
        names.append(f'"{name}"')
        target = table if is_id else refs.get(name)
        shift = offsets.get(target) if target else None
        exprs.append(f'"{name}" + {shift}' if shift else f'"{name}"')
    key = "id" if table == "papers" else "paper_id"
    return (
        f'INSERT INTO main."{table}" ({", ".join(names)}) SELECT {", ".join(exprs)} '
        f'FROM src."{table}" WHERE {key} IN (SELECT id FROM temp.merge_ids)'
    )


def _choose(conn: sqlite3.Connection) -> MergeResult:
    """Fill temp.merge_ids with src's papers to copy; drop the output's worse copies."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_paths AS SELECT * FROM main.paper_paths WHERE 0")
    conn.execute("DELETE FROM temp.merge_ids")
    conn.execute("DELETE FROM temp.merge_paths")
    conn.execute(
        "INSERT INTO temp.merge_ids SELECT s.id FROM src.papers s LEFT JOIN main.papers m ON m.sha256 = s.sha256 "
        f"WHERE m.id IS NULL OR {_RANK.format('s')} > {_RANK.format('m')}"
    )
    result = MergeResult("")
    result.replaced = conn.execute(
        "SELECT count(*) FROM main.papers WHERE id IN (SELECT id FROM temp.merge_ids)"
    ).fetchone()[0]
    total = conn.execute("SELECT count(*) FROM src.papers").fetchone()[0]
    chosen = conn.execute("SELECT count(*) FROM temp.merge_ids").fetchone()[0]
    result.added, result.present = chosen - result.replaced, total - chosen
    if result.replaced:
        conn.execute(
            "INSERT INTO temp.merge_paths SELECT * FROM main.paper_paths "
            "WHERE paper_id IN (SELECT id FROM temp.merge_ids)"
        )
        for table in reversed(["papers", *_paper_tables(conn), "paper_paths"]):
            key = "id" if table == "papers" else "paper_id"
            conn.execute(f'DELETE FROM main."{table}" WHERE {key} IN (SELECT id FROM temp.merge_ids)')
    return result


def _merge_one(db: sqlite_utils.Database, path: str) -> MergeResult:
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS src", [_uri(path, read_only=True)])
    try:
        with db.atomic():
            conn.execute("PRAGMA defer_foreign_keys = ON")
            paths = conn.execute("SELECT count(*) FROM main.paper_paths").fetchone()[0]
            result = _choose(conn)
            result.path = path
            tables = _paper_tables(conn)
            offsets = {}
            for table in tables:
                if any(is_id for _, is_id in _columns(conn, table)):
                    offsets[table] = conn.execute(
                        f'SELECT coalesce(max(id), 0) FROM main."{table}"'
                    ).fetchone()[0]
            for table in ["papers", *tables]:
                conn.execute(_copy_sql(conn, table, offsets))
            conn.execute("INSERT OR IGNORE INTO main.paper_paths SELECT * FROM temp.merge_paths")
            conn.execute("INSERT OR IGNORE INTO main.paper_paths SELECT * FROM src.paper_paths")
            result.paths = conn.execute("SELECT count(*) FROM main.paper_paths").fetchone()[0] - paths
    finally:
        conn.execute("DETACH DATABASE src")
    return result


def open_output(path: str) -> sqlite_utils.Database:
    """The output database (created or upgraded like ``open_db``), able to ATTACH read-only."""
    conn = sqlite3.connect(_uri(path), uri=True)
    conn.execute("PRAGMA busy_timeout=30000")
    db = sqlite_utils.Database(conn)
    version = migrate(db)
    if version != len(MIGRATIONS):
        raise MergeError(
            f"{path} has schema version {version}, newer than this boardpapers' {len(MIGRATIONS)}"
        )
    return db


def recompute_series(db: sqlite_utils.Database) -> None:
    """Series as ingest assigns them: by db.series for papers read, none for the rest."""
    series.assign_series(db)
    with db.atomic():
        db.conn.execute("UPDATE papers SET series = NULL WHERE status NOT IN ('ok', 'partial')")


def merge(out_path: str, inputs: list[str]) -> list[MergeResult]:
    """Merge ``inputs`` into the database at ``out_path`` (created if missing)."""
    check_inputs(out_path, inputs)
    db = open_output(out_path)
    try:
        results = [_merge_one(db, path) for path in inputs]
        recompute_series(db)
    finally:
        db.close()
    return results
