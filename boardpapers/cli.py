"""The ``boardpapers`` command line: the one module that wires the stages."""

from __future__ import annotations

import pathlib
import signal
import sys

import click

from . import __version__
from .config import Limits, Options, default_workers

STATUS_ORDER = ("ok", "partial", "failed", "rejected", "skipped")


class _Group(click.Group):
    """Turns the errors library code raises for bad input into one clean line."""

    def invoke(self, ctx):
        from boardpapers.db.schema import DatabaseError

        from .errors import StorageError

        try:
            return super().invoke(ctx)
        except (DatabaseError, StorageError) as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="boardpapers")
def cli() -> None:
    """Turn archives of board papers (PDF) into a database and briefs.

    \b
    boardpapers ingest papers.db archive/
    boardpapers brief papers.db --series S --month 2020-01 --format html -o brief.html
    boardpapers serve papers.db
    """


def _read_passwords(password_file: str | None) -> tuple[str, ...]:
    """Every non-empty line of ``password_file``: each is tried on every encrypted paper."""
    if not password_file:
        return ()
    text = pathlib.Path(password_file).read_text(encoding="utf-8", errors="surrogateescape")
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--workers", type=int, default=None, help="Worker processes (default: the core count; 0 = in-process)."
)
@click.option("--password", default=None, help="Password for encrypted PDFs (never stored or logged).")
@click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="File with one password a line; each is tried on every encrypted file.",
)
@click.option(
    "--force", is_flag=True, help="Re-process files even when their bytes are already in the database."
)
@click.option("--retry-failed", is_flag=True, help="Re-process files whose earlier ingest failed.")
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer; flag them needs_ocr.")
@click.option("--timeout", type=float, default=Limits.timeout, show_default=True, help="Seconds per file.")
@click.option(
    "--max-memory",
    type=int,
    default=Limits.max_memory_mb,
    show_default=True,
    help="MB per worker (0 = no cap).",
)
@click.option(
    "--max-pages", type=int, default=Limits.max_pages, show_default=True, help="Reject files with more pages."
)
@click.option(
    "--max-mb",
    type=int,
    default=Limits.max_bytes // (1024 * 1024),
    show_default=True,
    help="Reject larger files.",
)
@click.option(
    "--recycle",
    type=int,
    default=Limits.recycle_after,
    show_default=True,
    help="Replace a worker after N files.",
)
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Append library warnings (pdfminer etc.) to this file; the terminal only counts them.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show library warnings on stderr too.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Read files on a Dask cluster (e.g. tcp://HOST:8786); needs boardpapers[dask].",
)
@click.option(
    "--shared-path",
    is_flag=True,
    help="With --scheduler: send paths, not bytes (every worker sees the same file system).",
)
def ingest(
    db_path,
    paths,
    workers,
    password,
    password_file,
    force,
    retry_failed,
    no_ocr,
    timeout,
    max_memory,
    max_pages,
    max_mb,
    recycle,
    silent,
    scheduler,
    shared_path,
    log_file,
    verbose,
):
    """Ingest PDF files and folders (recursive) into DB.

    Every file ends as one row of the papers table with a status (ok, partial,
    failed, rejected) and a reason; unchanged files are skipped. Exits 1 when
    any file failed or was rejected, after printing the summary.

    Example: boardpapers ingest papers.db archive/ --workers 2

    With --scheduler the files are read on a Dask cluster (--workers is then
    unused) and this process stays the only writer.
    """
    from boardpapers.db.schema import open_db

    from . import logs
    from .batch import find_files
    from .batch import ingest as run_ingest
    from .progress import Progress

    limits = Limits(
        timeout=timeout,
        max_memory_mb=max_memory,
        max_pages=max_pages,
        max_bytes=max_mb * 1024 * 1024,
        recycle_after=recycle,
    )
    options = Options(
        password=password,
        passwords=_read_passwords(password_file),
        ocr=not no_ocr,
        max_pages=max_pages,
        max_bytes=limits.max_bytes,
    )
    if shared_path and not scheduler:
        raise click.UsageError("--shared-path needs --scheduler")
    if log_file:
        try:
            open(log_file, "a").close()
        except OSError as exc:
            raise click.ClickException(
                f"cannot write the log file {log_file}: {exc.strerror or exc}"
            ) from exc
    db = open_db(db_path, readonly=False)
    runner = _dask_runner(scheduler, shared_path) if scheduler else None
    total = sum(1 for _ in find_files(paths))
    bar = None if silent else Progress(total)
    # SIGTERM ends the run like Ctrl-C: workers are stopped, stored papers stay.
    previous = _on_sigterm(_interrupt)
    try:
        with logs.configured(log_file, verbose) as suppressed:
            summary = _run(
                run_ingest,
                db,
                paths,
                options=options,
                limits=limits,
                workers=default_workers() if workers is None else workers,
                force=force,
                retry_failed=retry_failed,
                progress=bar.update if bar else None,
                plan=bar.plan if bar else None,
                runner=runner,
            )
    finally:
        _on_sigterm(previous)
        if bar is not None:
            bar.close()
        if runner is not None:
            runner.close()
    _print_summary(summary, suppressed.count, log_file)
    if summary.failed:
        sys.exit(1)


def _run(run_ingest, *args, runner=None, **kwargs):
    """run_ingest, with interruption and a full disk turned into clean errors."""
    from .errors import StorageError

    try:
        return run_ingest(*args, runner=runner, **kwargs)
    except KeyboardInterrupt:
        raise click.ClickException(
            "interrupted; the papers stored so far are kept — run the same command again to continue"
        ) from None
    except StorageError as exc:
        if exc.summary is not None:
            _print_summary(exc.summary)
        raise
    except Exception as exc:
        if runner is not None:
            from .distributed import ClusterError

            if isinstance(exc, ClusterError):
                raise click.ClickException(f"{exc}; re-run to complete the archive") from exc
        raise


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _on_sigterm(handler):
    """Install ``handler`` for SIGTERM (main thread only); returns the previous one."""
    import threading

    if threading.current_thread() is not threading.main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGTERM, handler)


def _dask_runner(scheduler: str, shared_path: bool):
    """Connect to the Dask scheduler (imports Dask only now)."""
    try:
        from .distributed import ClusterError, DaskRunner
    except ImportError as exc:
        raise click.ClickException(
            f'--scheduler needs Dask: pip install "boardpapers[dask]" ({exc})'
        ) from exc
    try:
        return DaskRunner(scheduler, shared_path=shared_path)
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_summary(summary, suppressed: int = 0, log_file: str | None = None) -> None:
    counts = summary.counts
    click.echo("", err=True)
    click.echo("  ".join(f"{s}: {counts.get(s, 0)}" for s in STATUS_ORDER), err=True)
    for r in sorted(summary.problems, key=lambda r: (STATUS_ORDER.index(r.status), r.path)):
        click.echo(f"  {r.status:<8} {pathlib.Path(r.path).name}: {r.reason or ''}", err=True)
    if suppressed:
        where = f"written to {log_file}" if log_file else "pass --log-file FILE or -v to see them"
        click.echo(f"{suppressed} library warning(s) kept off the terminal ({where})", err=True)


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.option("--paper", "paper_ids", multiple=True, help="Only this paper id (repeatable).")
@click.option(
    "--changed", is_flag=True, help="Only papers extracted with other rule files than the current ones."
)
def extract(db_path, paper_ids, changed):
    """Re-run the extraction rules over stored paragraphs (no PDF is re-read).

    Each paper's metadata (title, board, kind, meeting date, reporting
    period) is interpreted again from what ingest kept of its first page,
    running lines and file name, and its extracted rows are replaced, in one
    transaction; then the series are recomputed.

    Example: boardpapers extract papers.db --changed
    """
    from boardpapers.db import series as series_mod
    from boardpapers.db import store
    from boardpapers.db.schema import open_db
    from boardpapers.nlp import paper
    from boardpapers.nlp.pipeline import build_nlp
    from boardpapers.nlp.pipeline import extract as run_extract

    from .config import rules_version

    db = open_db(db_path, readonly=False)
    version = rules_version()
    where, args = "status IN ('ok','partial')", []
    if paper_ids:
        where += f" AND id IN ({','.join('?' * len(paper_ids))})"
        args += list(paper_ids)
    if changed:
        where += " AND (rules_version IS NULL OR rules_version != ?)"
        args.append(version)
    ids = [r["id"] for r in db.query(f"SELECT id FROM papers WHERE {where} ORDER BY id", args)]
    missing = set(paper_ids) - set(ids)
    if missing:
        raise click.ClickException(f"no ingested paper with id {', '.join(sorted(missing))} in {db_path}")
    nlp = build_nlp()
    stale = 0  # papers stored before ingest kept their raw metadata: it stays as interpreted then
    for pid in ids:
        paragraphs = store.load_paragraphs(db, pid)
        raw = store.load_raw_meta(db, pid)
        meta = paper.interpret(raw, paragraphs) if raw is not None else None
        stale += meta is None
        records = run_extract(nlp, meta or store.load_meta(db, pid), paragraphs)
        store.replace_records(db, pid, records, rules_version=version, meta=meta)
    if len(ids) > stale:
        overrides = series_mod.load_overrides(series_mod.default_overrides(db_path))
        series_mod.assign_series(db, overrides)
    click.echo(f"re-extracted {len(ids)} paper(s) with rules {version}", err=True)
    if stale:
        click.echo(
            f"{stale} paper(s) were ingested before boardpapers kept their raw metadata: their title, "
            "board and dates stay as read then (ingest them again with --force to re-read them)",
            err=True,
        )


@cli.group()
def rules() -> None:
    """Check the rule and vocabulary files."""


@rules.command("check")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
def rules_check(folder):
    """Validate every pattern (*.jsonl) and vocabulary (*.yml) file.

    Errors name file:line and the bad key. FOLDER defaults to the installed
    nlp/ rules.

    Example: boardpapers rules check my-rules/
    """
    from boardpapers.nlp.rules import check_rules

    errors = check_rules(folder)
    for e in errors:
        click.echo(e, err=True)
    if errors:
        raise click.ClickException(f"{len(errors)} problem(s) in rule files")
    click.echo("rule files OK", err=True)


@cli.command("eval")
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.argument("gold_paths", metavar="GOLD...", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--details", is_flag=True, help="List every miss, false positive and wrong value with its text."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
def evaluate(db_path, gold_paths, details, as_json):
    """Score DB against gold files: how far to trust the extraction.

    Write gold for a few of your own papers (YAML; the format is explained in
    the header of any gold file, e.g. ../shared/gold/*.yaml), ingest those
    papers, and this prints precision and recall per kind (figures, dates,
    actions, priority areas, trends, paper metadata) for each paper and
    micro-averaged: an estimate of how far to trust what was extracted from
    the rest of your archive. GOLD is a gold file or a folder of them; a
    paper is found by the file name in its `source_file:`.

    Example: boardpapers eval papers.db my-gold/ --details
    """
    import json

    from .evaluation import EvaluationError, render_text
    from .evaluation import evaluate as run_evaluation

    try:
        result = run_evaluation(db_path, gold_paths)
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.gold_files:
        click.echo(f"warning: no gold files in {' '.join(gold_paths)}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=1, default=str))
    else:
        click.echo(render_text(result, details=details))


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--overrides",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="YAML of series merges (rename:) and splits (papers:); default series.yml beside DB.",
)
def series(db_path, overrides):
    """List the series of papers: key, kind, papers, months present and missing, title.

    The user's merges and splits (series.yml beside the database, or
    --overrides) are applied first. The papers counted add up to the papers
    stored (those in no series are counted apart).

    Example: boardpapers series papers.db --overrides my-series.yml
    """
    from .briefs import apply_series_overrides, list_series, series_totals

    if apply_series_overrides(db_path, overrides):
        click.echo("series overrides applied", err=True)
    listed = list_series(db_path)
    for s in listed:
        months = f"{s['first']}..{s['last']}" if s["months"] else "-"
        missing = ", ".join(s["gaps"]) or "none"
        undated = f" ({s['undated']} undated)" if s["undated"] else ""
        click.echo(
            f"{s['series']}\t{s['kind'] or '-'}\t{s['papers']} paper(s){undated}\t{months}"
            f"\tmissing: {missing}\t{s['title'] or '-'}"
        )
    total, loose = series_totals(db_path)
    click.echo(f"{total} paper(s): {total - loose} in {len(listed)} series, {loose} in none", err=True)


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.option("--paper", default=None, help="Paper id to brief on.")
@click.option("--series", "series_key", default=None, help="Series key (see `boardpapers series`).")
@click.option("--month", default=None, help="YYYY-MM: the series' paper for that month.")
@click.option(
    "--against", default=None, help="Paper id or YYYY-MM to compare with (default: previous paper)."
)
@click.option("--months", type=int, default=None, help="Cover a run of N papers ending at this one.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder with brief.md.j2 / brief.html.j2 overriding the built-in templates.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write here."
)
def brief(db_path, paper, series_key, month, against, months, fmt, template_dir, output):
    """Write a month-over-month comparison brief.

    Example: boardpapers brief papers.db --series S --month 2020-03 --format html -o brief.html
    """
    from .briefs import BriefError, write_brief

    if not paper and not (series_key and month):
        raise click.UsageError("give --paper ID, or --series S with --month YYYY-MM")
    try:
        text = write_brief(
            db_path,
            paper=paper,
            series=series_key,
            month=month,
            against=against,
            months=months,
            fmt=fmt,
            template_dir=template_dir,
        )
    except BriefError as exc:
        raise click.ClickException(str(exc)) from exc
    if output:
        pathlib.Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", type=int, default=8001, show_default=True)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Bind address (keep 127.0.0.1 unless public)."
)
@click.option(
    "--public", is_flag=True, help="Public-deployment settings: serve a `publish` snapshot immutable."
)
@click.option("--open", "open_browser", is_flag=True, help="Open a web browser on the server.")
@click.option(
    "--pdf-root",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="With --public: the archive folder the snapshot's relative paths start from (page images).",
)
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder of Datasette templates overriding Datasette's and the plugin's (e.g. boardpapers_source.html).",
)
def serve(db_path, port, host, public, open_browser, pdf_root, template_dir):
    """Browse DB with Datasette: search, metric charts, source pages.

    Binds 127.0.0.1 and serves the live database read-only; use `publish`
    and `--public` for a public deployment.

    Example: boardpapers serve papers.db --open
    """
    from .serve import SnapshotError
    from .serve import serve as run_server

    try:
        code = run_server(
            db_path,
            port=port,
            host=host,
            public=public,
            open_browser=open_browser,
            pdf_root=pdf_root,
            template_dir=template_dir,
        )
    except SnapshotError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False))
@click.argument("out_path", metavar="OUT.db", type=click.Path(dir_okay=False))
def publish(db_path, out_path):
    """Write an immutable snapshot of DB (VACUUM INTO) for public serving.

    Example: boardpapers publish papers.db public.db && boardpapers serve public.db --public
    """
    from .serve import SnapshotError
    from .serve import publish as run_publish

    try:
        run_publish(db_path, out_path)
    except SnapshotError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {out_path}", err=True)


@cli.command()
@click.argument("out_path", metavar="OUT.db", type=click.Path(dir_okay=False))
@click.argument("inputs", metavar="DB...", nargs=-1, required=True, type=click.Path(dir_okay=False))
def merge(out_path, inputs):
    """Merge databases ingested separately into OUT.db (created if missing).

    Papers are deduplicated by their files' content hash and keep every path
    they were found under; series are recomputed. Refuses a database written
    with another schema version. Running it again adds nothing twice.

    Example: boardpapers merge all.db shard-1.db shard-2.db
    """
    from .merge import MergeError
    from .merge import merge as run_merge

    try:
        results = run_merge(out_path, list(inputs))
    except MergeError as exc:
        raise click.ClickException(str(exc)) from exc
    for r in results:
        click.echo(
            f"{r.path}: {r.added} paper(s) added, {r.replaced} replaced by a better reading, "
            f"{r.present} already present; {r.paths} new path(s)",
            err=True,
        )
    click.echo(f"wrote {out_path}", err=True)


@cli.command()
@click.option(
    "--examples", type=click.Path(exists=True, file_okay=False), default="examples", show_default=True
)
@click.option("--out", type=click.Path(file_okay=False), default="demo", show_default=True)
def demo(examples, out):
    """Ingest the bundled example papers, write a brief, say how to browse.

    Example: boardpapers demo
    """
    from boardpapers.db.schema import open_db

    from .batch import ingest as run_ingest
    from .briefs import latest_pair

    outdir = pathlib.Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    db_path = outdir / "papers.db"
    db = open_db(str(db_path))
    summary = run_ingest(
        db, [examples], options=Options(), limits=Limits(), workers=min(2, default_workers())
    )
    _print_summary(summary)
    db.close()
    pair = latest_pair(str(db_path))
    if pair is None:
        raise click.ClickException("the examples gave no series with two papers to compare")
    from .briefs import write_brief

    for fmt in ("md", "html"):
        text = write_brief(str(db_path), paper=pair[0], against=pair[1], fmt=fmt)
        (outdir / f"brief.{fmt}").write_text(text, encoding="utf-8")
    click.echo(f"\nDatabase: {db_path}\nBrief:    {outdir / 'brief.md'} and {outdir / 'brief.html'}")
    click.echo(f"Browse:   .venv/bin/boardpapers serve {db_path} --open   (or browse http://127.0.0.1:8001/)")
