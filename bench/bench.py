"""Ingest speed and memory, as ratios against bare parsers on the same files.

Everything is measured in one run on one set of files, because absolute
times on these machines drift: bare ``pdfplumber`` ``extract_text()`` over
every page is the baseline; bare ``pypdfium2`` text extraction shows the
native limit; boardpapers' full ingest (parse, extract, store) runs with 1 and
2 workers; an unchanged re-ingest costs only hashing; main-process memory is
sampled over a long run of distinct files.

It also measures what a user meets from the shell, interpreter start
included: a bare-pdfplumber script vs ``boardpapers ingest --workers 1`` on
the same files, and a second ``boardpapers ingest`` over the unchanged files;
the NLP stage alone in words per second on the stored paragraphs; and prints
``boardpapers eval`` on the gold papers beside the speed, so a faster run
that extracts worse is visible.

    python -m bench.bench                 # shared corpus + generated papers
    python -m bench.bench --quick         # smaller, for a smoke run
    python -m bench.bench --json out.json
    python -m bench.bench --profile 25   # top 25 of a profile of the ingest
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("BOARDPAPERS_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
BIN = pathlib.Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

BARE_PDFPLUMBER = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
"""


def rss_mb() -> float:
    """Current resident memory of this process in MB."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def text_pdfs(folder: pathlib.Path) -> list[pathlib.Path]:
    """PDFs under ``folder`` that open without a password and have text."""
    import pdfplumber

    keep = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            with pdfplumber.open(path) as pdf:
                if pdf.pages and pdf.pages[0].chars:
                    keep.append(path)
        except Exception:  # noqa: BLE001 - broken fixtures are not benchmark material
            continue
    return keep


def bare_pdfplumber(files) -> tuple[int, float]:
    import pdfplumber

    pages, start = 0, time.perf_counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages, time.perf_counter() - start


def bare_pypdfium2(files) -> tuple[int, float]:
    import pypdfium2 as pdfium

    pages, start = 0, time.perf_counter()
    for path in files:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:  # pdfminer opens a few files PDFium rejects (unreadablemetadata.pdf)
            continue
        for i in range(len(pdf)):
            page = pdf[i]
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - start


def full_ingest(files, workers: int, db_path: str) -> tuple[int, float, object]:
    from boardpapers.batch import ingest
    from boardpapers.config import Limits, Options
    from boardpapers.db.schema import open_db

    db = open_db(db_path)
    start = time.perf_counter()
    summary = ingest(
        db, [str(f) for f in files], options=Options(ocr=False), limits=Limits(), workers=workers
    )
    elapsed = time.perf_counter() - start
    pages = sum(r.pages for r in summary.results)
    db.close()
    return pages, elapsed, summary


def wall(argv: list[str]) -> float:
    """Wall time of a command from the shell, interpreter start included."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def shell_runs(files, work: pathlib.Path) -> dict:
    """Bare pdfplumber script vs ``boardpapers ingest --workers 1`` vs a re-run, as a user runs them."""
    names = [str(f) for f in files]
    bare = wall([sys.executable, "-c", BARE_PDFPLUMBER, *names])
    db = str(work / "shell.db")
    command = [str(BIN / "boardpapers"), "ingest", db, *names, "--workers", "1", "--silent", "--no-ocr"]
    first = wall(command)
    again = wall(command)
    return {
        "shell_pdfplumber_seconds": round(bare, 2),
        "shell_ingest_1w_seconds": round(first, 2),
        "shell_reingest_seconds": round(again, 3),
        "shell_ratio_ingest_vs_pdfplumber": round(bare / first, 2),
        "shell_reingest_speedup": round(first / again, 1),
        "shell_reingest_seconds_per_100_files": round(100 * again / len(names), 3),
    }


def nlp_words_per_second(db_path: str) -> dict:
    """The NLP stage alone over the stored paragraphs, one process."""
    from boardpapers.db import store
    from boardpapers.db.schema import open_db
    from boardpapers.nlp.pipeline import build_nlp, extract

    db = open_db(db_path)
    nlp = build_nlp()
    ids = [r["id"] for r in db.query("SELECT id FROM papers WHERE status IN ('ok', 'partial')")]
    papers = [(store.load_meta(db, pid), store.load_paragraphs(db, pid)) for pid in ids]
    words = sum(len(p.text.split()) for _, paras in papers for p in paras)
    start = time.perf_counter()
    for meta, paras in papers:
        extract(nlp, meta, paras)
    elapsed = time.perf_counter() - start
    return {"nlp_words": words, "nlp_words_per_second": round(words / elapsed)}


def accuracy_summary() -> str | None:
    """``boardpapers eval`` on the gold papers (None when the gold or the command is missing)."""
    gold = SHARED / "gold"
    if not gold.is_dir():
        return None
    result = subprocess.run(["make", "-s", "accuracy"], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else None


def memory_run(n: int, workdir: pathlib.Path, workers: int) -> dict:
    """Ingest ``n`` distinct generated papers, sampling main-process RSS."""
    from boardpapers.batch import ingest
    from boardpapers.config import Limits, Options
    from boardpapers.db.schema import open_db
    from tests.synth import generate_long_paper

    folder = workdir / "many"
    folder.mkdir()
    for i in range(n):
        generate_long_paper(str(folder / f"paper-{i:04d}.pdf"), pages=2, seed=i)
    db = open_db(str(workdir / "many.db"))
    samples: list[float] = []

    def progress(_result):
        samples.append(rss_mb())

    start = time.perf_counter()
    ingest(db, [str(folder)], options=Options(ocr=False), limits=Limits(), workers=workers, progress=progress)
    elapsed = time.perf_counter() - start
    db.close()
    # ru_maxrss is in KiB; MB (10^6 bytes) as rss_mb reports the samples
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e6
    lo = min(100, len(samples) - 1)
    return {
        "files": n,
        "seconds": round(elapsed, 1),
        f"main_rss_mb_at_file_{lo + 1}": round(samples[lo], 1),
        "main_rss_mb_at_last_file": round(samples[-1], 1),
        "main_rss_growth_pct": round(100 * (samples[-1] - samples[lo]) / samples[lo], 1),
        "main_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1),
        "worker_peak_rss_mb": round(children, 1),
    }


def profile_top(files, lines: int) -> str:
    """The top of a cProfile (by own time) of a full ingest in this process
    (``workers=0``, so reading, rules and storing all show)."""
    import cProfile
    import io
    import pstats

    from boardpapers.batch import ingest
    from boardpapers.config import Limits, Options
    from boardpapers.db.schema import open_db

    db = open_db(":memory:")
    profiler = cProfile.Profile()
    profiler.enable()
    ingest(db, [str(f) for f in files], options=Options(ocr=False), limits=Limits(), workers=0)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer files (smoke run)")
    ap.add_argument("--long-papers", type=int, default=4, help="generated 30-page papers to add")
    ap.add_argument("--memory-files", type=int, default=500, help="distinct files for the memory run")
    ap.add_argument("--repeat", type=int, default=3, help="repeats of the bare baselines (median)")
    ap.add_argument("--json", dest="json_out", default=None)
    ap.add_argument(
        "--profile", type=int, metavar="N", default=0, help="print the top N of a profile instead"
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.long_papers, args.memory_files, args.repeat = 1, 120, 1

    from tests.synth import generate_long_paper

    work = pathlib.Path(tempfile.mkdtemp(prefix="bp-bench-"))
    files = text_pdfs(CORPUS) if CORPUS.is_dir() else []
    for i in range(args.long_papers):
        path = work / f"long-{i}.pdf"
        generate_long_paper(str(path), pages=30, seed=100 + i)
        files.append(path)
    print(f"benchmark set: {len(files)} files in {work}", file=sys.stderr)
    if args.profile:
        print(profile_top(files, args.profile))
        return 0

    plumber = [bare_pdfplumber(files) for _ in range(args.repeat)]
    pdfium = [bare_pypdfium2(files) for _ in range(args.repeat)]
    pages = plumber[0][0]
    base = pages / statistics.median(t for _, t in plumber)
    out: dict = {"files": len(files), "pages": pages}
    out["pdfplumber_extract_text_pps"] = round(base, 1)
    out["pypdfium2_text_pps"] = round(pages / statistics.median(t for _, t in pdfium), 1)

    for workers in (1, 2):
        db_path = str(work / f"ingest-{workers}.db")
        p, t, summary = full_ingest(files, workers, db_path)
        out[f"ingest_{workers}w_pps"] = round(pages / t, 1)
        out[f"ingest_{workers}w_seconds"] = round(t, 2)
        if workers == 1:
            first = t
            p2, t2, _ = full_ingest(files, 1, db_path)
            out["reingest_unchanged_seconds"] = round(t2, 3)
            out["reingest_speedup"] = round(first / t2, 1)
    out["ratio_ingest_1w_vs_pdfplumber"] = round(out["ingest_1w_pps"] / base, 2)
    out["ratio_ingest_2w_vs_1w"] = round(out["ingest_2w_pps"] / out["ingest_1w_pps"], 2)
    out["ratio_pypdfium2_vs_pdfplumber"] = round(out["pypdfium2_text_pps"] / base, 1)
    out |= shell_runs(files, work)
    out |= nlp_words_per_second(str(work / "ingest-1.db"))
    out["memory"] = memory_run(args.memory_files, work, workers=2)
    summary = accuracy_summary()
    if summary:
        print(summary, file=sys.stderr)

    text = json.dumps(out, indent=2)
    print(text)
    if args.json_out:
        pathlib.Path(args.json_out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
