"""`boardpapers merge`: databases ingested separately combine into one.

The content comparison (``db_content``) is also what tests/test_distributed.py
uses to show that a Dask ingest stores what a local ingest stores.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from boardpapers.batch import ingest, sha256_file
from boardpapers.cli import cli
from boardpapers.config import Limits, Options
from boardpapers.db import store
from boardpapers.db.schema import open_db
from boardpapers.ingest.models import Document
from boardpapers.merge import MergeError, merge

EXAMPLES = sorted((pathlib.Path(__file__).resolve().parent.parent / "examples").glob("*.pdf"))
# Columns that differ between two ingests of the same bytes by design.
VOLATILE = {"ingested_at", "first_seen"}


def _table_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [r[0] for r in rows]


def _positions(conn: sqlite3.Connection, table: str) -> dict[int, tuple]:
    """Integer id -> (paper_id, n-th row of that paper): the same in any database."""
    rows = conn.execute(f'SELECT id, paper_id FROM "{table}" ORDER BY paper_id, id').fetchall()
    out, last, n = {}, None, 0
    for rid, pid in rows:
        n = n + 1 if pid == last else 0
        out[rid], last = (pid, n), pid
    return out


def db_content(path) -> dict[str, list[str]]:
    """Every table's rows with integer ids replaced by stable positions and
    timestamps left out, sorted: equal for equal content however the ids came."""
    conn = sqlite3.connect(str(path))
    try:
        tables = _table_names(conn)
        cols = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}
        ids = {t: _positions(conn, t) for t in tables if "id" in cols[t] and "paper_id" in cols[t]}
        content = {}
        for t in tables:
            refs = {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")') if r[2] in ids}
            rows = []
            for row in conn.execute(f'SELECT * FROM "{t}"'):
                rec = {}
                for name, value in zip(cols[t], row, strict=True):
                    if name in VOLATILE:
                        continue
                    if name == "id" and t in ids:
                        value = ids[t][value]
                    elif name in refs and value is not None:
                        value = ids[refs[name]][value]
                    rec[name] = value
                rows.append(json.dumps(rec, sort_keys=True, default=str))
            content[t] = sorted(rows)
        return content
    finally:
        conn.close()


def ingest_files(db_path, files, **kwargs) -> None:
    db = open_db(str(db_path))
    ingest(db, [str(f) for f in files], options=Options(), limits=Limits(), workers=0, **kwargs)
    db.close()


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    """The three example papers ingested whole, and as two overlapping halves."""
    folder = tmp_path_factory.mktemp("merge")
    ingest_files(folder / "whole.db", EXAMPLES)
    ingest_files(folder / "a.db", EXAMPLES[:2])  # papers 1-2
    ingest_files(folder / "b.db", EXAMPLES[1:])  # papers 2-3: paper 2 is in both halves
    return folder


def test_merge_of_two_halves_equals_an_ingest_of_the_whole(dbs, tmp_path):
    out = tmp_path / "out.db"
    results = merge(str(out), [str(dbs / "a.db"), str(dbs / "b.db")])
    assert [(r.added, r.present) for r in results] == [(2, 0), (1, 1)]
    assert db_content(out) == db_content(dbs / "whole.db")
    # Running it again adds nothing.
    again = merge(str(out), [str(dbs / "a.db"), str(dbs / "b.db")])
    assert [(r.added, r.present, r.paths) for r in again] == [(0, 2, 0), (0, 2, 0)]
    assert db_content(out) == db_content(dbs / "whole.db")


def test_merge_keeps_every_path_and_remaps_child_ids(dbs, tmp_path):
    # b's paper 2 was found under a second name on the other machine.
    b = tmp_path / "b.db"
    shutil.copy(dbs / "b.db", b)
    pid = store.paper_id(sha256_file(str(EXAMPLES[1]))[0])
    db = open_db(str(b))
    store.add_path(db, pid, "/elsewhere/copy.pdf")
    db.close()
    out = tmp_path / "out.db"
    merge(str(out), [str(dbs / "a.db"), str(b)])
    db = open_db(str(out))
    paths = {r["path"] for r in db.query("SELECT path FROM paper_paths WHERE paper_id = ?", [pid])}
    assert paths == {str(EXAMPLES[1]), "/elsewhere/copy.pdf"}
    # Every child row points at a row of its own paper.
    for table in ("figures", "dates", "actions", "priority_areas", "trends", "entities"):
        bad = db.execute(
            f"SELECT count(*) FROM {table} t JOIN paragraphs p ON p.id = t.paragraph_id "
            "WHERE p.paper_id != t.paper_id"
        ).fetchone()[0]
        assert bad == 0, table
    orphans = db.execute(
        "SELECT count(*) FROM paragraphs p LEFT JOIN sections s ON s.id = p.section_id "
        "WHERE p.section_id IS NOT NULL AND (s.id IS NULL OR s.paper_id != p.paper_id)"
    ).fetchone()[0]
    assert orphans == 0
    # Full-text search finds the merged paragraphs.
    hits = db.execute("SELECT count(*) FROM paragraphs_fts").fetchone()[0]
    assert hits == db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    db.close()


def test_a_better_reading_replaces_a_failed_one(dbs, tmp_path):
    failed = tmp_path / "failed.db"
    sha, size = sha256_file(str(EXAMPLES[0]))
    db = open_db(str(failed))
    doc = Document(
        path="/other/machine/paper.pdf", sha256=sha, size=size, status="failed", error="timeout: x"
    )
    store.save(db, doc, None)
    db.close()
    out = tmp_path / "out.db"
    results = merge(str(out), [str(failed), str(dbs / "whole.db")])
    assert (results[1].added, results[1].replaced, results[1].present) == (2, 1, 0)
    db = open_db(str(out))
    pid = store.paper_id(sha)
    assert db["papers"].get(pid)["status"] == "ok"
    assert db.execute("SELECT count(*) FROM paragraphs WHERE paper_id = ?", [pid]).fetchone()[0] > 0
    paths = {r["path"] for r in db.query("SELECT path FROM paper_paths WHERE paper_id = ?", [pid])}
    assert paths == {"/other/machine/paper.pdf", str(EXAMPLES[0])}
    db.close()
    # The failed reading merged afterwards changes nothing.
    merge(str(out), [str(failed)])
    assert open_db(str(out))["papers"].get(pid)["status"] == "ok"


def test_merge_refuses_another_schema_version(dbs, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(dbs / "a.db", old)
    conn = sqlite3.connect(old)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version - 1}")
    conn.commit()
    conn.close()
    out = tmp_path / "out.db"
    with pytest.raises(MergeError, match=f"schema version {version - 1}"):
        merge(str(out), [str(dbs / "a.db"), str(old)])
    assert not out.exists(), "nothing is written when an input is refused"
    result = CliRunner().invoke(cli, ["merge", str(out), str(dbs / "a.db"), str(old)])
    assert result.exit_code == 1
    assert f"has schema version {version - 1}" in result.output


def test_merge_command(dbs, tmp_path):
    out = tmp_path / "out.db"
    result = CliRunner().invoke(cli, ["merge", str(out), str(dbs / "a.db"), str(dbs / "b.db")])
    assert result.exit_code == 0, result.output
    assert "1 paper(s) added" in result.output and "1 already present" in result.output
    assert db_content(out) == db_content(dbs / "whole.db")
    refused = CliRunner().invoke(cli, ["merge", str(out), str(out)])
    assert refused.exit_code == 1 and "is the output database" in refused.output
