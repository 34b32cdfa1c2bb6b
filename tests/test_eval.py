"""`boardpapers eval`: scoring a database against gold files.

The matching rules are unit-tested on a small hand-built database with gold
written here; on the shared gold, every number must equal the one the
project's reference scorer (../shared/tools/score_gold.py) prints for the
same database.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from boardpapers.cli import cli
from boardpapers.evaluation import evaluate, render_text
from tests.conftest import CORPUS, GOLD_DIR, SHARED

REFERENCE = SHARED / "tools" / "score_gold.py"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# ------------------------------------------------------------------ a hand-built database

SCHEMA = """
CREATE TABLE papers (id TEXT, path TEXT, status TEXT, board TEXT, author TEXT, meeting_date TEXT,
                     reporting_period_end TEXT, warnings TEXT, error TEXT);
CREATE TABLE paragraphs (id INTEGER PRIMARY KEY, paper_id TEXT, number TEXT, text TEXT);
CREATE TABLE figures (id INTEGER PRIMARY KEY, paper_id TEXT, paragraph_id INTEGER, text TEXT, value REAL,
                      unit TEXT, measure TEXT, qualifier TEXT, geography TEXT, period_end TEXT, as_of TEXT);
CREATE TABLE dates (id INTEGER PRIMARY KEY, paper_id TEXT, paragraph_id INTEGER, text TEXT, start TEXT,
                    "end" TEXT, granularity TEXT);
CREATE TABLE actions (id INTEGER PRIMARY KEY, paper_id TEXT, paragraph_id INTEGER, ref TEXT, title TEXT,
                      owner TEXT, due TEXT, status TEXT, status_text TEXT);
CREATE TABLE priority_areas (id INTEGER PRIMARY KEY, paper_id TEXT, name TEXT, key TEXT);
CREATE TABLE trends (id INTEGER PRIMARY KEY, paper_id TEXT, paragraph_id INTEGER, subject TEXT,
                     direction TEXT, horizon TEXT, text TEXT);
"""

GOLD = """
source_file: report.pdf
paper: {to: Finance Committee, meeting_date: 2024-03-12, date_warning: true}
figures:
  - {para: "2.1", value: 120, unit: count, measure_words: [complaint]}
  - {para: "2.1", value: 4.5, unit: percent, period_end: 2024-02}
  - {value: 3000000, unit: gbp, measure_words: [capital, budget]}
  - {para: "3", value: 12, unit: count, optional: true}
dates:
  - {text: February 2024, start: 2024-02-01, end: 2024-02-29}
  - {text: 12 March 2024, date: 2024-03-12}
actions:
  - {ref: A1, status: completed, owner: Clerk}
  - {title_starts: Review the tree survey, status: planned, due: 2024-06}
priority_areas: [Housing repairs, Road safety]
trends:
  - {para: "2.1", subject_words: [complaints], direction: down}
"""


@pytest.fixture
def small_db(tmp_path):
    db_path = tmp_path / "papers.db"
    conn = sqlite3.connect(db_path)
    conn.executescript(SCHEMA)
    conn.execute(
        "INSERT INTO papers VALUES ('p1', '/archive/2024/report.pdf', 'ok', 'The Finance Committee', NULL,"
        " '2024-03-12', NULL, ?, NULL)",
        (json.dumps(["printed date 2023 differs from the footer date 2024"]),),
    )
    paragraphs = [
        (1, "2.1", "Complaints fell to 120, 4.5% of contacts."),
        (2, None, "The capital budget is £3m."),
    ]
    conn.executemany("INSERT INTO paragraphs VALUES (?, 'p1', ?, ?)", paragraphs)
    figures = [
        (1, "120", 120, "count", "complaints", "2024-02"),
        (1, "120", 120, "count", "complaints", None),  # the same figure again: a false positive
        (1, "4.5%", 4.5, "percent", "share of contacts", "2024-01"),  # period wrong
        (2, "£3m", 3e6, "gbp", None, None),  # measure words found in the paragraph text
        (2, "7", 7, "count", "items", None),  # in no gold: a false positive
    ]
    conn.executemany(
        "INSERT INTO figures (paper_id, paragraph_id, text, value, unit, measure, period_end)"
        " VALUES ('p1', ?, ?, ?, ?, ?, ?)",
        figures,
    )
    conn.executemany(
        "INSERT INTO dates (paper_id, text, start, \"end\") VALUES ('p1', ?, ?, ?)",
        [("in February 2024", "2024-02-01", "2024-02-29"), ("12 March 2024", "2024-03-11", None)],
    )
    conn.executemany(
        "INSERT INTO actions (paper_id, ref, title, owner, due, status) VALUES ('p1', ?, ?, ?, ?, ?)",
        [
            ("A 1", "Publish the minutes", "the Clerk", None, "completed"),
            (None, "Review the tree survey quotes", None, "2024-07-31", "in_progress"),
        ],  # fmt: skip
    )
    conn.executemany(
        "INSERT INTO priority_areas (paper_id, name) VALUES ('p1', ?)", [("Housing Repairs",), ("Parking",)]
    )
    conn.execute(
        "INSERT INTO trends (paper_id, paragraph_id, subject, direction) VALUES ('p1', 2, 'complaints', 'down')"
    )
    conn.commit()
    conn.close()
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "report.yaml").write_text(GOLD, encoding="utf-8")
    return db_path, gold


def test_each_kind_is_scored_by_the_gold_rules(small_db):
    db_path, gold = small_db
    (paper,) = evaluate(db_path, [gold]).papers
    f = paper.figures
    assert (f.gold, f.optional, f.extracted, f.tp, f.fp, f.duplicates) == (3, 1, 5, 3, 2, 1)
    assert (f.period.ok, f.period.n) == (0, 1)  # 4.5% was for 2024-02, extracted as 2024-01
    assert [fp["text"] for fp in f.false_positives] == ["120", "7"]
    d = paper.dates
    assert (d.gold, d.matched, d.correct) == (2, 2, 1)  # "12 March 2024" found, but its date is wrong
    a = paper.actions
    assert (a.matched, a.status_ok, a.owner.ok, a.due.ok, a.due.n) == (2, 1, 1, 0, 1)
    p = paper.priority_areas
    assert (p.tp, p.missed, p.extra) == (1, ["road safety"], ["parking"])
    assert paper.trends.matched == 1  # an unnumbered paragraph takes the number before it (2.1)
    assert paper.meta.checks["board"]["ok"] and paper.meta.checks["date_warning"]["ok"]
    assert paper.meta.checks["meeting_date"]["ok"]


def test_summary_is_micro_averaged(small_db, tmp_path):
    db_path, gold = small_db
    second = gold / "other.yaml"
    second.write_text("source_file: missing.pdf\nfigures:\n  - {value: 5, unit: count, para: '1'}\n")
    ev = evaluate(db_path, [gold])
    s = ev.summary["figures"]
    assert (s["gold"], s["tp"], s["fp"]) == (4, 3, 2)
    assert s["recall"] == pytest.approx(3 / 4) and s["precision"] == pytest.approx(3 / 5)
    assert ev.summary["papers_found"] == 1 and not ev.papers[0].found


def test_cli_prints_the_table_details_and_json(small_db):
    db_path, gold = small_db
    result = invoke("eval", db_path, gold)
    assert result.exit_code == 0
    assert "micro-averaged over 1 gold paper(s)" in result.output
    assert "figure FP" not in result.output
    details = invoke("eval", db_path, gold / "report.yaml", "--details").output
    assert "figure FP: 7.0 count para 2.1 text '7'" in details
    assert "priority missed: 'road safety'" in details
    data = json.loads(invoke("eval", db_path, gold, "--json").output)
    assert data["summary"]["figures"]["tp"] == 3 and "figures" in data["papers"][0]


def test_cli_refuses_a_file_that_is_not_a_boardpapers_database(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = CliRunner().invoke(cli, ["eval", str(other), str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {other} is not a boardpapers database: no table papers")


def test_gold_that_yaml_misreads_is_warned_about(small_db):
    db_path, gold = small_db
    misread = GOLD.replace(
        "{ref: A1, status: completed, owner: Clerk}", "{ref: A1, status: done, owner: yes}"
    )
    (gold / "report.yaml").write_text(misread, encoding="utf-8")
    warnings = evaluate(db_path, [gold]).warnings
    assert "report.yaml: actions: owner=True parsed as a boolean (quote it)" in warnings
    assert "report.yaml: actions: unknown status 'done'" in warnings


# ------------------------------------------------------------------ agreement with the reference scorer


def _gold_pdfs() -> list:
    names = []
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("source_file:"):
                names.append(line.split(":", 1)[1].split("#")[0].strip())
    found = {p.name: p for p in CORPUS.rglob("*.pdf")}
    return [found[n] for n in names if n in found]


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory):
    if not (REFERENCE.is_file() and GOLD_DIR.is_dir() and CORPUS.is_dir()):
        pytest.skip(f"shared gold, corpus or reference scorer not found under {SHARED}")
    db_path = tmp_path_factory.mktemp("golddb") / "gold.db"
    pdfs = _gold_pdfs()
    assert len(pdfs) == len(list(GOLD_DIR.glob("*.yaml"))), "every gold paper is in the shared corpus"
    invoke("ingest", db_path, *pdfs, "--workers", "0", "--silent")
    return db_path


def _numbers(data, path=()):
    """Every number and boolean in nested JSON data, by its path."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _numbers(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _numbers(v, (*path, i))
    elif isinstance(data, (int, float, bool)) or data is None:
        yield path, data


def _at(data, path):
    for key in path:
        data = data[key]
    return data


def test_agrees_with_the_reference_scorer_on_the_shared_gold(gold_db):
    run = subprocess.run(
        [sys.executable, str(REFERENCE), str(gold_db), str(GOLD_DIR), "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    theirs = json.loads(run.stdout)
    ours = json.loads(json.dumps(evaluate(gold_db, [GOLD_DIR]).to_dict(), default=str))
    compared = 0
    for path, value in _numbers({"papers": theirs["papers"], "summary": theirs["summary"]}):
        assert _at(ours, path) == value, (
            f"{'.'.join(map(str, path))}: ours {_at(ours, path)}, reference {value}"
        )
        compared += 1
    assert compared > 200
    for mine, ref in zip(ours["papers"], theirs["papers"], strict=True):
        for kind in ("figures", "dates", "actions", "trends"):
            if kind in ref:
                assert mine[kind]["missed"] == ref[kind]["missed"], (mine["source_file"], kind)
    print(render_text(evaluate(gold_db, [GOLD_DIR])).split("== micro-averaged")[1])
