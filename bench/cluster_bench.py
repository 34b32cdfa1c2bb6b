"""Beyond one machine: Dask workers, the single writer, canned queries at scale.

    python -m bench.cluster_bench workers     # one local worker vs a LocalCluster of 2 worker processes
    python -m bench.cluster_bench writer      # papers/s the writer stores when fed pre-extracted results
    python -m bench.cluster_bench queries [--papers 100000] [--db PATH] [--build-only]

``workers`` runs bench/bench.py's set (shared-corpus PDFs with a text layer
plus four generated 30-page papers), OCR off, through ``boardpapers.batch``
with the local pool (1 worker) and with a ``distributed.LocalCluster`` of two
single-threaded worker processes (bytes sent to the workers, as without
``--shared-path``). ``writer`` reads a sample of corpus papers once, then
feeds their results through ``batch.ingest`` (hashing, planning, storing:
the real client loop) as if a cluster had returned them for distinct files.
``queries`` builds a generated database (resumable, 5,000 papers a
transaction, about 10 minutes for 100,000) and times every canned query
through Datasette's own client, as ``boardpapers serve`` configures it.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import pathlib
import random
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import CORPUS, full_ingest, text_pdfs  # noqa: E402
from boardpapers.config import Limits, Options  # noqa: E402


def bench_files(work: pathlib.Path, long_papers: int = 4) -> list[pathlib.Path]:
    from tests.synth import generate_long_paper

    files = text_pdfs(CORPUS) if CORPUS.is_dir() else []
    for i in range(long_papers):
        path = work / f"long-{i}.pdf"
        generate_long_paper(str(path), pages=30, seed=100 + i)
        files.append(path)
    return files


def cluster_ingest(files, db_path: str, n_workers: int = 2) -> tuple[int, float, float]:
    """(pages, seconds of the ingest, seconds to start the cluster)."""
    from distributed import LocalCluster

    from boardpapers.batch import ingest
    from boardpapers.db.schema import open_db
    from boardpapers.distributed import DaskRunner

    t0 = time.perf_counter()
    with LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        started = time.perf_counter() - t0
        db = open_db(db_path)
        t = time.perf_counter()
        with DaskRunner(cluster.scheduler_address) as runner:
            summary = ingest(
                db,
                [str(f) for f in files],
                options=Options(ocr=False),
                limits=Limits(),
                workers=0,
                runner=runner,
            )
        elapsed = time.perf_counter() - t
        db.close()
    return sum(r.pages for r in summary.results), elapsed, started


def run_workers(args) -> None:
    work = pathlib.Path(tempfile.mkdtemp(prefix="bp-cluster-"))
    files = bench_files(work, args.long_papers)
    print(f"set: {len(files)} files in {work}")
    pages1, t1, _ = full_ingest(files, 1, str(work / "local-1.db"))
    print(f"local pool, 1 worker:              {pages1} pages in {t1:6.1f} s = {pages1 / t1:5.1f} pages/s")
    pages2, t2, start = cluster_ingest(files, str(work / "cluster-2.db"))
    print(
        f"LocalCluster, 2 worker processes:   {pages2} pages in {t2:6.1f} s = {pages2 / t2:5.1f} pages/s "
        f"(cluster start {start:.1f} s, not counted)"
    )
    pages3, t3, _ = full_ingest(files, 2, str(work / "local-2.db"))
    print(f"local pool, 2 workers (reference): {pages3} pages in {t3:6.1f} s = {pages3 / t3:5.1f} pages/s")
    print(f"ratio LocalCluster(2) / local(1): {(pages2 / t2) / (pages1 / t1):.2f}x")
    print(f"ratio LocalCluster(2) / local(2): {(pages2 / t2) / (pages3 / t3):.2f}x")


def _sample_outcomes(n: int):
    """Results for ``n`` corpus papers spread over the corpus (read ones only)."""
    from boardpapers.pipeline import process_file

    files = sorted(CORPUS.rglob("*.pdf"))
    outcomes = []
    for f in files[:: max(1, len(files) // (2 * n))]:
        out = process_file(str(f), Options(ocr=False))
        if out.document.status in ("ok", "partial") and len(outcomes) < n:
            outcomes.append(out)
    return outcomes


def run_writer(args) -> None:
    """Pre-extracted results for ``args.papers`` distinct files through batch.ingest."""
    from boardpapers.batch import ingest
    from boardpapers.db.schema import open_db

    outcomes = _sample_outcomes(args.sample)
    work = pathlib.Path(tempfile.mkdtemp(prefix="bp-writer-"))
    inbox = work / "files"
    inbox.mkdir()
    for i in range(args.papers):
        (inbox / f"p{i:06d}.pdf").write_bytes(f"%PDF-1.4 stand-in {i}\n".encode())

    def runner(tasks, options, limits):
        for i, task in enumerate(tasks):
            out = outcomes[i % len(outcomes)]
            doc = dataclasses.replace(out.document, path=task.path, sha256=task.sha256, size=task.size)
            yield task, dataclasses.replace(out, document=doc), None

    db = open_db(str(work / "writer.db"))
    t = time.perf_counter()
    summary = ingest(db, [str(inbox)], options=Options(), limits=Limits(), workers=0, runner=runner)
    elapsed = time.perf_counter() - t
    n = len(summary.results)
    pages = sum(r.pages for r in summary.results)
    paras = db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]
    figs = db.execute("SELECT count(*) FROM figures").fetchone()[0]
    db.close()
    print(
        f"writer: {n} papers ({pages} pages, {paras} paragraphs, {figs} figures) in {elapsed:.1f} s = "
        f"{n / elapsed:.1f} papers/s, {pages / elapsed:.0f} pages/s (sample of {len(outcomes)} corpus papers)"
    )


# --- a generated archive: 1,000 bodies' monthly papers -------------------------------------
N_SERIES = 1000
METRICS = [f"metric_{i:03d}" for i in range(300)]
AREAS = [f"area_{i:02d}" for i in range(60)]
STATUSES = ["completed", "on_track", "in_progress", "planned", "delayed", "at_risk", "unknown"]
# A Zipf-like vocabulary: a few words in every paragraph, most words rare.
VOCAB = [f"w{i}" for i in range(5000)]
WEIGHTS = [1 / (i + 1) for i in range(len(VOCAB))]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCAB, WEIGHTS, k=words))


SYLLABLES = "ka lo mi ne su ta ve ri do ga pe zu bo hi ja wu xe qo fy cy".split()


def body_name(s: int) -> str:
    """A made-up name for body ``s``: series keys are built from words, and keys
    a typo apart are joined (db.series.near_key), so the names differ a lot."""
    r = random.Random(s)
    return (
        "".join(r.choices(SYLLABLES, k=4)).capitalize()
        + " "
        + "".join(r.choices(SYLLABLES, k=3)).capitalize()
    )


def generated_paper(n: int):
    """Paper ``n``: series n % 1000, month n // 1000 (100 months from 2016)."""
    from boardpapers.db.series import series_key
    from boardpapers.ingest.models import Document, Page, PaperMeta, Paragraph
    from boardpapers.nlp.records import Action, DateMention, Entity, Figure, PriorityArea, Records, Trend

    rng = random.Random(n)
    s, m = n % N_SERIES, n // N_SERIES
    ym = f"{2016 + m // 12}-{m % 12 + 1:02d}"
    status = rng.choices(["ok", "partial", "failed", "rejected"], [95, 3, 1, 1])[0]
    meta = PaperMeta(title="Performance report", board=f"{body_name(s)} Board", meeting_date=f"{ym}-15")
    pages = tuple(Page(number=i, width=595, height=842) for i in range(1, 5))
    sha = hashlib.sha256(str(n).encode()).hexdigest()
    if status in ("failed", "rejected"):
        doc = Document(
            path=f"/archive/b{s}/{ym}.pdf", sha256=sha, size=1000, status=status, error="generated"
        )
        return doc, None, None
    paras = tuple(
        Paragraph(
            seq=i,
            kind="paragraph",
            text=f"{i + 1}. " + _text(rng, 40),
            page_start=1 + i // 4,
            page_end=1 + i // 4,
            x0=72,
            top=100 + i % 4 * 150,
            x1=520,
            bottom=240 + i % 4 * 150,
        )
        for i in range(15)
    )
    mine = random.Random(s).sample(METRICS, 30)
    figures = tuple(
        Figure(
            para=i,
            text="12.5%",
            value=round(rng.uniform(0, 100), 1),
            unit="percent",
            page=1 + i // 4,
            char_start=0,
            char_end=5,
            rule_id="gen",
            metric_key=mine[rng.randrange(30)],
            measure=_text(rng, 3),
            period_start=f"{ym}-01",
            period_end=f"{ym}-28",
        )
        for i in range(10)
    )
    records = Records(
        figures=figures,
        dates=tuple(
            DateMention(
                para=i,
                text=ym,
                start=f"{ym}-01",
                end=f"{ym}-28",
                granularity="month",
                page=1,
                char_start=0,
                char_end=3,
                rule_id="gen",
            )
            for i in range(4)
        ),
        priority_areas=tuple(
            PriorityArea(para=0, name=a, key=a, rule_id="gen", page=1)
            for a in random.Random(s).sample(AREAS, 3)
        ),
        actions=tuple(
            Action(
                para=5 + i,
                title=f"Deliver {_text(rng, 4)}",
                status=rng.choice(STATUSES),
                page=2,
                rule_id="gen",
                ref=f"B{s}.{i + 1}",
            )
            for i in range(4)
        ),
        trends=tuple(
            Trend(
                para=i,
                subject=_text(rng, 2),
                direction=rng.choice(["up", "down", "stable"]),
                text="rose",
                page=1,
                char_start=0,
                char_end=4,
                rule_id="gen",
            )
            for i in range(2)
        ),
        entities=tuple(
            Entity(
                para=i,
                label="ORG",
                text=f"Org {s}",
                key=f"org-{s}",
                page=1,
                char_start=0,
                char_end=4,
                rule_id="gen",
            )
            for i in range(3)
        ),
        reporting_period_end=f"{ym}-28",
        warnings=("generated: low confidence",) if status == "partial" else (),
    )
    doc = Document(
        path=f"/archive/b{s}/{ym}.pdf",
        sha256=sha,
        size=100_000,
        status=status,
        pages=4,
        meta=meta,
        paragraphs=paras,
        page_info=pages,
    )
    return doc, records, series_key(meta, doc.path)


def generate(path: pathlib.Path, papers: int, chunk: int = 5000) -> None:
    """Add generated papers to ``path`` up to ``papers``, through store.save (resumable)."""
    from boardpapers.db import store
    from boardpapers.db.schema import open_db

    db = open_db(str(path))
    have = db.execute("SELECT count(*) FROM papers").fetchone()[0]
    # Generated text holds no lone surrogates: skip store's scrubbing walk (half the build time).
    store.scrub = lambda value: value
    t = time.perf_counter()
    for start in range(have, papers, chunk):
        with db.atomic():
            for n in range(start, min(start + chunk, papers)):
                doc, records, series = generated_paper(n)
                store.save(db, doc, records, series=series, rules_version="gen" if records else None)
        done = min(start + chunk, papers)
        print(f"  {done} papers, {(done - have) / (time.perf_counter() - t):.0f} papers/s", flush=True)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def relabelled_copy(src: pathlib.Path, dst: pathlib.Path) -> None:
    """A copy of ``src`` whose papers are other papers: other hashes, ids, paths
    and boards (so other series once merge recomputes them), the same rows otherwise."""
    import shutil
    import sqlite3

    shutil.copy(src, dst)
    conn = sqlite3.connect(dst)
    conn.execute("PRAGMA foreign_keys = OFF")
    # The copy is only read by merge: no full-text triggers to run on it.
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    g = "'g' || substr({0}, 2)"
    conn.execute(
        f"UPDATE papers SET id = {g.format('id')}, sha256 = {g.format('sha256')}, "
        "board = board || ' North', path = replace(path, '/archive/b', '/archive/g')"
    )
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for t in tables:
        if "paper_id" in [c[1] for c in conn.execute(f'PRAGMA table_info("{t}")')]:
            conn.execute(f'UPDATE "{t}" SET paper_id = {g.format("paper_id")}')
    conn.execute("UPDATE paper_paths SET path = replace(path, '/archive/b', '/archive/g')")
    conn.commit()
    conn.close()


def build(path: pathlib.Path, papers: int) -> None:
    """``papers`` generated papers in ``path``: half through store.save, then
    the other half merged in (``boardpapers merge``) from a relabelled copy."""
    from boardpapers.merge import merge

    half = papers // 2
    generate(path, half)
    with sqlite3_conn(path) as conn:
        have = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    if have < papers:
        copy = path.with_name(path.stem + "-copy.db")
        relabelled_copy(path, copy)
        t = time.perf_counter()
        [result] = merge(str(path), [str(copy)])
        took = time.perf_counter() - t
        print(f"  merged {result.added} papers in {took:.1f} s = {result.added / took:.0f} papers/s")
        copy.unlink()
    with sqlite3_conn(path) as conn:  # no ANALYZE: the plans a user's database gets
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def sqlite3_conn(path: pathlib.Path):
    import contextlib
    import sqlite3

    return contextlib.closing(sqlite3.connect(path))


def query_cases(name: str, series: str) -> list[tuple[str, str, dict]]:
    q = f"/{name}"
    return [
        (
            "metric_over_time, one series",
            f"{q}/metric_over_time.json",
            {"metric_key": random.Random(7).sample(METRICS, 30)[0], "series": series},
        ),
        (
            "metric_over_time, all series",
            f"{q}/metric_over_time.json",
            {"metric_key": METRICS[7], "series": ""},
        ),
        ("latest_metrics", f"{q}/latest_metrics.json", {"series": series}),
        (
            "metric_by_month",
            f"{q}/metric_by_month.json",
            {"metric_key": random.Random(7).sample(METRICS, 30)[0], "series": series},
        ),
        ("action_history by ref", f"{q}/action_history.json", {"ref": "B7.2", "title": ""}),
        ("action_history by title words", f"{q}/action_history.json", {"ref": "", "title": "deliver w4321"}),
        (
            "priority_areas_by_month, one series",
            f"{q}/priority_areas_by_month.json",
            {"series": series},
        ),
        ("priority_areas_by_month, all series", f"{q}/priority_areas_by_month.json", {"series": ""}),
        ("papers_with_problems, all", f"{q}/papers_with_problems.json", {"status": ""}),
        ("papers_with_problems, failed", f"{q}/papers_with_problems.json", {"status": "failed"}),
        ("search_paragraphs, rare word", f"{q}/search_paragraphs.json", {"q": "w3210"}),
        ("search_paragraphs, two words", f"{q}/search_paragraphs.json", {"q": "w321 w432"}),
    ]


async def _measure(path: pathlib.Path, repeat: int) -> list[tuple[str, float, float, int]]:
    from datasette.app import Datasette

    from boardpapers import serve

    ds = Datasette([str(path)], metadata=serve.metadata_for(path), settings=serve.settings_for())
    await ds.invoke_startup()
    out = []
    with sqlite3_conn(path) as conn:
        row = conn.execute("SELECT series FROM papers WHERE board = ? LIMIT 1", [f"{body_name(7)} Board"])
        series = row.fetchone()[0]
    cases = query_cases(path.stem, series)
    canned = ds.metadata("queries", database=path.stem) or {}
    missed = set(canned) - {url.rsplit("/", 1)[1].removesuffix(".json") for _, url, _ in cases}
    if missed:
        print(f"canned queries this benchmark does not time: {', '.join(sorted(missed))}")
    for label, url, params in cases:
        times, rows = [], 0
        for _ in range(repeat + 1):
            t = time.perf_counter()
            r = await ds.client.get(url, params={**params, "_shape": "array"})
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, (label, r.text[:300])
            rows = len(r.json())
        out.append((label, statistics.median(times[1:]), max(times[1:]), rows))
    return out


def run_queries(args) -> None:
    path = args.db or pathlib.Path(tempfile.gettempdir()) / f"cluster_bench_{args.papers}.db"
    print(f"database: {path}")
    build(path, args.papers)
    print(f"  {path.stat().st_size / 1e9:.2f} GB")
    if args.build_only:
        return
    for label, median, worst, rows in asyncio.run(_measure(path, args.repeat)):
        print(f"{label:40s} median {median * 1000:7.1f} ms  max {worst * 1000:7.1f} ms  rows {rows}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("part", choices=["workers", "writer", "queries"])
    ap.add_argument("--long-papers", type=int, default=4)
    ap.add_argument("--papers", type=int, default=None, help="writer: 2000; queries: 100000")
    ap.add_argument("--sample", type=int, default=20, help="writer: corpus papers whose results are replayed")
    ap.add_argument("--db", type=pathlib.Path, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args(argv)
    if args.papers is None:
        args.papers = 2000 if args.part == "writer" else 100_000
    {"workers": run_workers, "writer": run_writer, "queries": run_queries}[args.part](args)


if __name__ == "__main__":
    main()
