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
no arbitrary SQL (``allow_sql`` off: tables, views, facets, search and the
canned queries only); no ``--cors`` unless you add it yourself; shorter SQL
and facet time limits; fewer returned rows; no whole-database download; CSV
exports capped in size; facet suggestions off; the introspection pages that
name files and versions (``/-/databases``, ``/-/threads``, ``/-/versions``,
``/-/plugins``) answer 404. A snapshot stores paths relative to the archive
folder, never absolute. Put a reverse proxy with rate limiting in front of
it and bind to 0.0.0.0 only behind that proxy (``--host``).

Without ``--public`` the server answers only requests whose ``Host`` is a
local name (localhost, 127.x, ::1 or the bound address): a web page cannot
reach it through DNS rebinding. The Datasette child stops when ``serve``
gets SIGTERM or SIGINT, and dies with it if ``serve`` is killed.
"""

from __future__ import annotations

import ipaddress
import json
import os
import pathlib
import re
import signal
import socket
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
    "suggest_facets": False,  # metadata.yml names the facets; suggesting costs ~0.7 s a page
    "allow_download": False,  # the live database is not a file to hand out
    "max_csv_mb": 50,
}

PUBLIC_SETTINGS: dict[str, object] = {
    **SETTINGS,
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 200,
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


def metadata_for(db_path: str | os.PathLike, public: bool = False) -> dict:
    """db/metadata.yml with its database section keyed to ``db_path``'s name;
    ``public`` turns arbitrary SQL off (canned queries stay)."""
    text = resources.files("boardpapers.db").joinpath("metadata.yml").read_text(encoding="utf-8")
    metadata = yaml.safe_load(text)
    databases = metadata.get("databases", {})
    if METADATA_KEY in databases:
        databases[database_name(db_path)] = databases.pop(METADATA_KEY)
    if public:
        metadata["allow_sql"] = False
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
    if not out.parent.is_dir():
        raise SnapshotError(f"the folder {out.parent} does not exist; create it first")
    from boardpapers.db.schema import open_db

    open_db(str(src), readonly=True).close()  # not SQLite, newer or older schema: a clean error
    conn = sqlite3.connect(f"file:{src.resolve()}?mode=ro", uri=True)
    try:
        conn.execute("VACUUM INTO ?", [str(out)])
    finally:
        conn.close()
    conn = sqlite3.connect(out)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA application_id={SNAPSHOT_APPLICATION_ID}")
        relativise_paths(conn)
        conn.commit()
        conn.execute("VACUUM")  # no trace of the absolute paths left in free pages
    finally:
        conn.close()
    return out


# Text columns where an absolute path of an ingested file can appear.
PATH_COLUMNS = {"papers": ("path", "error", "warnings"), "paper_paths": ("path",), "pages": ("error",)}


def archive_root(paths: list[str]) -> str | None:
    """The deepest folder holding every absolute path in ``paths``."""
    folders = [os.path.dirname(p) for p in paths if os.path.isabs(p)]
    return os.path.commonpath(folders) if folders else None


def relativise_paths(conn: sqlite3.Connection) -> str | None:
    """Rewrite the snapshot's file paths relative to the archive folder (and
    drop that folder from messages): a public copy names no absolute path.
    Returns the folder removed (None when nothing was absolute)."""
    rows = conn.execute("SELECT path FROM papers UNION SELECT path FROM paper_paths").fetchall()
    root = archive_root([r[0] for r in rows if r[0]])
    if root is None:
        return None
    prefix = root.rstrip("/") + "/"

    def relative(text):
        return text.replace(prefix, "") if isinstance(text, str) else text

    conn.create_function("bp_relative", 1, relative, deterministic=True)
    for table, columns in PATH_COLUMNS.items():
        sets = ", ".join(f"{c} = bp_relative({c})" for c in columns)
        conn.execute(f"UPDATE OR IGNORE {table} SET {sets}")
    return root


def serve_command_args(
    db_path: str | os.PathLike,
    port: int = 8001,
    host: str | None = None,
    public: bool = False,
    *,
    metadata_path: str | os.PathLike,
    template_dir: str | os.PathLike | None = None,
) -> list[str]:
    """The ``datasette serve`` command line (after ``datasette``) for ``db_path``.

    The live database is passed as a plain (read-only, mutable) file; only a
    published snapshot in public mode is passed with ``-i``. ``template_dir``
    holds templates that override Datasette's and the plugin's.
    """
    if public and not is_snapshot(db_path):
        raise SnapshotError(
            f"{db_path} is a live database, not a snapshot. Run `boardpapers publish {db_path} OUT.db` "
            "and serve OUT.db with --public."
        )
    args = ["serve"]
    args += ["-i", str(db_path)] if public else [str(db_path)]
    args += ["--host", host or "127.0.0.1", "--port", str(port), "--metadata", str(metadata_path)]
    if template_dir is not None:
        args += ["--template-dir", str(pathlib.Path(template_dir).resolve())]
    for name, value in settings_for(public).items():
        args += ["--setting", name, _setting_text(value)]
    return args


def _setting_text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def write_metadata(
    db_path: str | os.PathLike, directory: str | os.PathLike, public: bool = False
) -> pathlib.Path:
    path = pathlib.Path(directory) / "metadata.json"
    path.write_text(json.dumps(metadata_for(db_path, public=public), indent=2), encoding="utf-8")
    return path


# --- the request guard (an ASGI wrapper registered in the Datasette child) -------------------------

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
# Introspection pages that name files, threads and versions: not for the public.
PUBLIC_HIDDEN = re.compile(r"^/-/(databases|threads|versions|plugins|patterns|allow-debug)(\.json)?/?$")
GUARD_ENV = "BOARDPAPERS_SERVE_GUARD"  # JSON {"host": bound host, "public": bool} for the child


def host_name(header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower-case."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_local_host(header: str, bound: str = "127.0.0.1") -> bool:
    """True when a request's Host names this machine locally: localhost,
    a loopback address, the bound address, the machine's host name, or any
    address literal when bound to all interfaces. A name that is not local
    (``evil.example`` resolving to 127.0.0.1: DNS rebinding) is not."""
    host = host_name(header)
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    if host in (host_name(bound), socket.gethostname().lower()):  # this machine's own name is not rebindable
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or bound in WILDCARD_HOSTS


def guard(app, *, bound: str = "127.0.0.1", public: bool = False):
    """``app`` refusing non-local Host headers (private mode) or the
    introspection pages (public mode)."""

    async def guarded(scope, receive, send):
        if scope.get("type") == "http":
            if public and PUBLIC_HIDDEN.match(scope.get("path", "")):
                return await _refuse(send, 404, "Not found")
            if not public:
                headers = dict(scope.get("headers") or [])
                if not is_local_host(headers.get(b"host", b"").decode("latin-1"), bound):
                    return await _refuse(send, 403, "Forbidden: this server answers only local host names")
        return await app(scope, receive, send)

    return guarded


async def _refuse(send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def register_guard(bound: str = "127.0.0.1", public: bool = False):
    """Register a Datasette plugin whose ``asgi_wrapper`` hook installs :func:`guard`;
    returns it (``pm.unregister`` takes it back)."""
    import types

    from datasette import hookimpl
    from datasette.plugins import pm

    def asgi_wrapper(datasette):
        return lambda app: guard(app, bound=bound, public=public)

    plugin = types.ModuleType("boardpapers_serve_guard")
    plugin.asgi_wrapper = hookimpl(asgi_wrapper)  # type: ignore[attr-defined]
    pm.register(plugin, name="boardpapers-serve-guard")
    return plugin


def run_child() -> None:
    """The Datasette child process: register the guard, then ``datasette`` with our arguments."""
    from datasette.cli import cli

    config = json.loads(os.environ.get(GUARD_ENV) or "{}")
    register_guard(config.get("host", "127.0.0.1"), bool(config.get("public")))
    cli.main(args=sys.argv[1:], prog_name="datasette")


# --- running the server ---------------------------------------------------------------------------


def serve(
    db_path: str | os.PathLike,
    port: int = 8001,
    host: str | None = None,
    public: bool = False,
    open_browser: bool = False,
    pdf_root: str | os.PathLike | None = None,
    template_dir: str | os.PathLike | None = None,
) -> int:
    """Run Datasette on ``db_path`` until interrupted; returns its exit code.

    SIGTERM, SIGHUP and SIGINT stop the Datasette child (then this returns
    0); if this process is killed outright, Linux kills the child with it.
    ``pdf_root`` is the folder a snapshot's relative paths start from (page
    images); the child runs there."""
    from boardpapers.db.schema import open_db

    if not pathlib.Path(db_path).is_file():
        raise SnapshotError(f"{db_path} does not exist. Run `boardpapers ingest {db_path} PDF...` first.")
    # Not SQLite, a newer schema: a clean error now. A snapshot is never written to.
    open_db(str(db_path), readonly=True if public else None).close()
    db_path = pathlib.Path(db_path).resolve()
    with tempfile.TemporaryDirectory(prefix="boardpapers-serve-") as tmp:
        metadata_path = write_metadata(db_path, tmp, public=public)
        args = serve_command_args(
            db_path, port, host, public, metadata_path=metadata_path, template_dir=template_dir
        )
        if open_browser:
            args.append("--open")
        env = {**os.environ, GUARD_ENV: json.dumps({"host": host or "127.0.0.1", "public": public})}
        command = [sys.executable, "-c", "from boardpapers.serve import run_child; run_child()", *args]
        return _supervise(command, env, pdf_root)


def _supervise(command: list[str], env: dict, cwd) -> int:
    """Run the child until it exits or this process is asked to stop."""
    from .pool import die_with_parent

    parent = os.getpid()
    stops = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    previous = {s: signal.signal(s, _stop) for s in stops}
    child = None
    try:
        child = subprocess.Popen(command, env=env, cwd=cwd, preexec_fn=lambda: die_with_parent(parent))
        return child.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _stop(signum, frame):
    raise KeyboardInterrupt
