"""Does a change keep boardpapers' output identical? Ingest, dump, compare.

Ingests a set of PDFs into a fresh database and writes every stored row as
sorted, canonical text: no timings, no paths, no row ids (a paragraph is named
by its ``seq``, a section by its number and title), floats rounded to 0.01.
A speed change must leave this dump unchanged.

    python -m bench.same_output -o /tmp/before.txt            # baseline
    python -m bench.same_output -o /tmp/after.txt --compare /tmp/before.txt
    python -m bench.same_output some.pdf folder/ -o out.txt   # other files
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [ROOT.parent / "shared" / "corpus", ROOT / "examples"]

# Columns that change from run to run or with the file's location.
VOLATILE = {
    "papers": {"path", "ingested_at"},
}
# Tables that hold only run bookkeeping.
SKIP_TABLES = {"paper_paths"}
# Row ids are replaced by what they point at (see ``_row_key``).
ID_COLUMNS = {"id", "paragraph_id", "section_id", "parent_id"}


def default_pdfs() -> list[pathlib.Path]:
    return sorted(p for folder in DEFAULT_SOURCES if folder.is_dir() for p in folder.rglob("*.pdf"))


def ingest_all(db_path: str, pdfs: list[pathlib.Path], workers: int) -> None:
    from boardpapers.batch import ingest
    from boardpapers.config import Limits, Options
    from boardpapers.db.schema import open_db

    db = open_db(db_path)
    ingest(db, [str(p) for p in pdfs], options=Options(ocr=False), limits=Limits(), workers=workers)
    db.close()


def _canonical(value):
    if isinstance(value, float):
        return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    return value


def dump(db_path: str) -> list[str]:
    """Every stored row as one JSON line, ``table<TAB>row``, sorted."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    paragraph_seq = {r["id"]: r["seq"] for r in conn.execute("SELECT id, seq FROM paragraphs")}
    section_name = {
        r["id"]: f"{r['number']}|{r['title']}" for r in conn.execute("SELECT id, number, title FROM sections")
    }
    lines = []
    for table in tables:
        if table in SKIP_TABLES:
            continue
        drop = VOLATILE.get(table, set())
        for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names come from sqlite_master
            out = {}
            for key in row.keys():
                if key in drop:
                    continue
                value = row[key]
                if key == "paragraph_id":
                    value = paragraph_seq.get(value)
                elif key in ("section_id", "parent_id"):
                    value = section_name.get(value)
                elif key == "id" and table != "papers":
                    continue
                out[key] = _canonical(value)
            lines.append(f"{table}\t{json.dumps(out, sort_keys=True, ensure_ascii=False)}")
    conn.close()
    return sorted(lines)


def main(argv=None) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Running headers are picked among tied counts in set order
        # (ingest/layout.py find_running), so a paper's header/footer can
        # differ between runs with different string hashes; fix the seed.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, "-m", "bench.same_output", *(argv or sys.argv[1:])])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", help="PDFs or folders (default: ../shared/corpus and examples/)")
    ap.add_argument("-o", "--out", required=True, help="where to write the dump")
    ap.add_argument("--compare", metavar="OLD", help="a previous dump; exit 1 if this one differs")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)

    pdfs = [pathlib.Path(p) for p in args.pdfs] if args.pdfs else default_pdfs()
    with tempfile.TemporaryDirectory(prefix="bp-same-") as work:
        db_path = str(pathlib.Path(work) / "same.db")
        ingest_all(db_path, pdfs, args.workers)
        lines = dump(db_path)
    pathlib.Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} rows from {len(pdfs)} inputs written to {args.out}", file=sys.stderr)
    if not args.compare:
        return 0
    old = pathlib.Path(args.compare).read_text().splitlines()
    if old == lines:
        print(f"identical to {args.compare}", file=sys.stderr)
        return 0
    diff = list(difflib.unified_diff(old, lines, args.compare, args.out, n=0, lineterm=""))
    print(
        f"DIFFERENT from {args.compare}: {sum(1 for d in diff if d[:1] in '+-') - 2} lines", file=sys.stderr
    )
    for line in diff[:40]:
        print(line[:400], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
