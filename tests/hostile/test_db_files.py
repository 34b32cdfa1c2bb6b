"""The database file as an unlucky user gives it: a clean one-line error, other files untouched.

Every case goes through the CLI with ``catch_exceptions=False``: a traceback
fails the test. A file that is not ours must stay byte-identical, with no
``-wal``/``-shm`` beside it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from boardpapers.cli import cli
from boardpapers.db.schema import MIGRATIONS, DatabaseError, open_db
from tests import hostile
from tests.conftest import ROOT


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def paper(tmp_path):
    return hostile.write_control(tmp_path)


def error_line(result) -> str:
    assert "Traceback" not in result.output, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_database_in_a_missing_folder(tmp_path, paper):
    target = tmp_path / "no" / "such" / "folder" / "papers.db"
    result = invoke("ingest", target, paper, "--workers", "0", "--silent")
    assert result.exit_code == 1
    assert "folder" in error_line(result) and "does not exist" in error_line(result)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "content",
    [b"minutes of the meeting, a text file\n", b"%PDF-1.7\n" + b"x" * 5000, bytes(range(256)) * 40],
    ids=["text", "pdf", "binary"],
)
def test_a_file_that_is_not_sqlite_is_left_byte_identical(tmp_path, paper, content):
    target = tmp_path / "notes.db"
    target.write_bytes(content)
    before = digest(target)
    for args in (
        ("ingest", target, paper, "--workers", "0", "--silent"),
        ("series", target),
        ("extract", target),
        ("brief", target, "--paper", "x"),
    ):
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "not a SQLite database" in error_line(result)
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["notes.db", paper.name])


def test_a_sqlite_database_of_someone_else_is_refused_untouched(tmp_path, paper):
    target = tmp_path / "other.db"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(target)
    result = invoke("ingest", target, paper, "--workers", "0", "--silent")
    assert result.exit_code == 1
    assert "did not create" in error_line(result)
    assert digest(target) == before
    assert not (tmp_path / "other.db-wal").exists()


def test_a_newer_schema_is_refused(tmp_path, paper):
    target = tmp_path / "future.db"
    open_db(str(target)).close()
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 5}")
    conn.commit()
    conn.close()
    for args in (("ingest", target, paper, "--workers", "0", "--silent"), ("series", target)):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "newer than this boardpapers knows" in error_line(result)
    with pytest.raises(DatabaseError, match="newer"):
        open_db(str(target), readonly=True)


@pytest.fixture
def readonly_db(tmp_path, paper):
    target = tmp_path / "ro.db"
    result = invoke("ingest", target, paper, "--workers", "0", "--silent")
    assert result.exit_code == 0, result.output
    db = open_db(str(target))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    yield target
    target.chmod(0o644)


def test_read_only_database_reads_but_ingest_says_it_cannot_write(readonly_db, tmp_path):
    before = digest(readonly_db)
    series = invoke("series", readonly_db)
    assert series.exit_code == 0, series.output
    db = open_db(str(readonly_db))  # what serve, series and brief open
    assert db["papers"].count == 1
    db.close()
    other = hostile._write(tmp_path / "other.pdf", hostile.text_pdf("1.1 A second report of 4 May 2021."))
    result = invoke("ingest", readonly_db, other, "--workers", "0", "--silent")
    assert result.exit_code == 1
    assert "read-only" in error_line(result) and "cannot" in error_line(result)
    assert digest(readonly_db) == before


def test_serve_refuses_a_non_sqlite_file_cleanly(tmp_path):
    target = tmp_path / "notes.db"
    target.write_bytes(b"not a database")
    result = invoke("serve", target, "--port", "8999")
    assert result.exit_code == 1
    assert "not a SQLite database" in error_line(result)
    assert target.read_bytes() == b"not a database"


def test_journal_mode_is_only_changed_on_our_own_database(tmp_path):
    target = tmp_path / "new.db"
    db = open_db(str(target))
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert os.path.getsize(target) > 0


def test_publish_and_extract_fail_cleanly(tmp_path, readonly_db):
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"not a database at all")
    result = invoke("publish", notes, tmp_path / "out.db")
    assert result.exit_code == 1 and "not a SQLite database" in error_line(result)
    assert not (tmp_path / "out.db").exists()
    result = invoke("publish", readonly_db, tmp_path / "missing" / "out.db")
    assert result.exit_code == 1 and "does not exist" in error_line(result)
    result = invoke("extract", readonly_db)
    assert result.exit_code == 1 and "read-only" in error_line(result)
    assert notes.read_bytes() == b"not a database at all"


@pytest.mark.slow
def test_brief_works_on_a_read_only_database(tmp_path):
    examples = ROOT / "examples"
    target = tmp_path / "examples.db"
    assert invoke("ingest", target, examples, "--workers", "0", "--silent").exit_code == 0
    db = open_db(str(target))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (series,) = [r[0] for r in db.conn.execute("SELECT DISTINCT series FROM papers")]
    (month,) = [r[0] for r in db.conn.execute("SELECT max(month) FROM papers")]
    db.close()
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        before = digest(target)
        result = invoke("brief", target, "--series", series, "--month", month)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("# Brief")
        assert digest(target) == before
    finally:
        target.chmod(0o644)
