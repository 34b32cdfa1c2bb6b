"""Benchmark: canned metric-over-time query on a generated 1,000-paper database.

    .venv/bin/python bench/serve_bench.py [--papers 1000] [--db /tmp/serve_bench.db]

Generates the database (not committed: it goes to a temporary path), then
times, through Datasette's own client, the `metric_over_time` canned query
(JSON and HTML), the search and metric_by_month canned queries, the metric picker, the
figures table and figure_values view pages (column order, facets) and the index, and the time for
`datasette serve` (as `boardpapers serve` runs it) to answer its first request.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import pathlib
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from datasette.app import Datasette  # noqa: E402

from boardpapers import serve  # noqa: E402
from boardpapers.db.schema import open_db  # noqa: E402
from boardpapers.db.store import save  # noqa: E402
from boardpapers.ingest.models import Document, Page, PaperMeta, Paragraph  # noqa: E402
from boardpapers.nlp.records import Action, Figure, PriorityArea, Records  # noqa: E402

METRICS = [f"metric_{i:02d}" for i in range(40)]
SERIES = [f"series_{i}" for i in range(10)]
WORDS = "crime rose fell officers response victims neighbourhood partnership burglary calls force".split()


def paper(n: int, rng: random.Random) -> tuple[Document, Records, str]:
    series = SERIES[n % len(SERIES)]
    year, month = 2010 + (n // len(SERIES)) // 12, (n // len(SERIES)) % 12 + 1
    ym = f"{year}-{month:02d}"
    paras, figures = [], []
    for seq in range(40):
        text = f"{seq // 5 + 1}.{seq % 5 + 1} " + " ".join(rng.choice(WORDS) for _ in range(40))
        value = round(rng.uniform(0, 100), 1)
        surface = f"{value}%"
        text += f" stood at {surface} this month."
        paras.append(
            Paragraph(
                seq=seq,
                kind="paragraph",
                text=text,
                page_start=1 + seq // 8,
                page_end=1 + seq // 8,
                x0=72,
                top=100 + (seq % 8) * 80,
                x1=520,
                bottom=170 + (seq % 8) * 80,
            )
        )
        if seq < 25:
            start = text.index(surface)
            figures.append(
                Figure(
                    para=seq,
                    text=surface,
                    value=value,
                    unit="percent",
                    page=1 + seq // 8,
                    char_start=start,
                    char_end=start + len(surface),
                    rule_id="bench",
                    metric_key=rng.choice(METRICS),
                    period_start=f"{ym}-01",
                    period_end=f"{ym}-28",
                )
            )
    doc = Document(
        path=f"/nonexistent/{series}/{ym}.pdf",
        sha256=hashlib.sha256(f"{n}".encode()).hexdigest(),
        size=1,
        status="ok",
        pages=5,
        meta=PaperMeta(title=f"{series} {ym}", meeting_date=f"{ym}-20"),
        paragraphs=tuple(paras),
        page_info=tuple(Page(number=i, width=595, height=842) for i in range(1, 6)),
    )
    records = Records(
        figures=tuple(figures),
        actions=tuple(
            Action(
                para=i,
                title=f"Action {i}",
                status=rng.choice(["planned", "on_track", "completed"]),
                page=1,
                rule_id="bench",
                ref=f"A{i}",
            )
            for i in range(5)
        ),
        priority_areas=(
            PriorityArea(para=0, name="Rural Crime", key="rural_crime", rule_id="bench", page=1),
        ),
        reporting_period_end=f"{ym}-28",
    )
    return doc, records, series


def build(path: pathlib.Path, papers: int) -> None:
    rng = random.Random(7)
    db = open_db(str(path))
    for n in range(papers):
        doc, records, series = paper(n, rng)
        save(db, doc, records, series=series)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


async def timed(ds, url: str, params: dict, repeat: int = 15) -> tuple[float, float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        r = await ds.client.get(url, params=params)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text[:500]
        rows = len(r.json()) if url.endswith(".json") else 0
    return statistics.median(times), max(times), rows


async def measure(path: pathlib.Path) -> None:
    name = path.stem
    ds = Datasette([str(path)], metadata=serve.metadata_for(path), settings=serve.settings_for())
    await ds.invoke_startup()
    cases = [
        (
            "metric_over_time json",
            f"/{name}/metric_over_time.json",
            {"metric_key": "metric_07", "_shape": "array"},
        ),
        (
            "metric_over_time json + series",
            f"/{name}/metric_over_time.json",
            {"metric_key": "metric_07", "series": "series_3", "_shape": "array"},
        ),
        (
            "metric_over_time html",
            f"/{name}/metric_over_time",
            {"metric_key": "metric_07", "series": "series_3"},
        ),
        ("latest_metrics json", f"/{name}/latest_metrics.json", {"series": "series_3", "_shape": "array"}),
        (
            "search_paragraphs json",
            f"/{name}/search_paragraphs.json",
            {"q": "burglary partnership", "_shape": "array"},
        ),
        (
            "metric_by_month json",
            f"/{name}/metric_by_month.json",
            {"metric_key": "metric_07", "series": "series_3", "_shape": "array"},
        ),
        ("metric picker (chart view)", "/-/chart", {"metric_key": "metric_07", "series": "series_3"}),
        ("figures table html", f"/{name}/figures", {}),
        ("figure_values facets html", f"/{name}/figure_values", {}),
        ("index html", "/", {}),
    ]
    for label, url, params in cases:
        median, worst, rows = await timed(ds, url, params)
        print(f"{label:34s} median {median * 1000:7.1f} ms  max {worst * 1000:7.1f} ms  rows {rows}")


def startup_seconds(path: pathlib.Path) -> float:
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        args = serve.serve_command_args(path, port, metadata_path=serve.write_metadata(path, tmp))
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "datasette", *args], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/{path.stem}", timeout=5).read()
                    return time.perf_counter() - t
                except OSError:
                    time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--db", type=pathlib.Path, default=None, help="reuse or create this file")
    args = parser.parse_args()
    path = args.db or pathlib.Path(tempfile.gettempdir()) / f"serve_bench_{args.papers}.db"
    if not path.exists():
        t = time.perf_counter()
        build(path, args.papers)
        print(
            f"built {path} ({args.papers} papers) in {time.perf_counter() - t:.1f} s, "
            f"{path.stat().st_size / 1e6:.1f} MB"
        )
    asyncio.run(measure(path))
    print(f"datasette serve answers its first request after {startup_seconds(path):.2f} s")


if __name__ == "__main__":
    main()
