"""Serving, tried as a hostile visitor: no SQL in public, no paths, no DNS rebinding.

The database is written by ``store.save`` from hand-made documents (no PDF,
no rules): what matters here is what Datasette lets a visitor do with it.
"""

from __future__ import annotations

import json

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from boardpapers import serve
from boardpapers.db import store
from boardpapers.db.schema import open_db
from boardpapers.ingest.models import Document, Paragraph

ROOT = "/home/clerk/archive/2020"


def _doc(name: str, sha: str, status: str = "ok", error: str | None = None) -> Document:
    para = Paragraph(
        seq=0, kind="paragraph", text="The board noted the report.", page_start=1, page_end=1,
        x0=72, top=100, x1=400, bottom=112,
    )  # fmt: skip
    return Document(
        path=f"{ROOT}/{name}", sha256=sha * 64, size=10, status=status, error=error, pages=1,
        paragraphs=(para,) if status == "ok" else (),
    )  # fmt: skip


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    live = folder / "live.db"
    db = open_db(str(live))
    store.save(db, _doc("january/board.pdf", "a"), None)
    store.add_path(db, "a" * 16, f"{ROOT}/copies/board-copy.pdf")
    store.save(db, _doc("broken.pdf", "b", "failed", f"{ROOT}/broken.pdf could not be read"), None)
    db.close()
    return live, serve.publish(live, folder / "public.db")


async def _public(path) -> Datasette:
    ds = Datasette(
        immutables=[str(path)],
        metadata=serve.metadata_for(path, public=True),
        settings=serve.settings_for(public=True),
    )
    await ds.invoke_startup()
    return ds


@pytest.fixture
def guarded():
    """Register the serve guard plugin for one test (as the Datasette child does)."""
    plugins = []

    def register(**kwargs):
        plugins.append(serve.register_guard(**kwargs))

    yield register
    for plugin in plugins:
        pm.unregister(plugin)


async def test_public_mode_refuses_arbitrary_sql_but_serves_tables_and_canned_queries(snapshot):
    ds = await _public(snapshot[1])
    for sql in ("select length(zeroblob(1000000000))", "select 1"):
        r = await ds.client.get("/public.json", params={"sql": sql})
        assert r.status_code == 403, (sql, r.status_code)
    r = await ds.client.get("/public/papers.json", params={"_where": "1=1"})
    assert r.status_code == 403  # _where is SQL too
    assert (await ds.client.get("/public/papers.json")).status_code == 200
    assert (await ds.client.get("/public/papers_with_problems.json")).status_code == 200
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] <= 1000 and settings["max_returned_rows"] <= 1000


async def test_public_snapshot_shows_no_absolute_path(snapshot):
    live, public = snapshot
    ds = await _public(public)
    seen = []
    for table in ("papers", "paper_paths", "pages"):
        r = await ds.client.get(f"/public/{table}.json", params={"_shape": "array"})
        assert r.status_code == 200
        seen.append(r.text)
    text = "\n".join(seen)
    assert ROOT not in text and "/home/" not in text
    rows = json.loads(seen[0])
    assert {r["path"] for r in rows} == {"january/board.pdf", "broken.pdf"}
    assert any(r["error"] == "broken.pdf could not be read" for r in rows)
    assert ROOT.encode() not in public.read_bytes()  # not even in free pages
    live_db = open_db(str(live))
    assert {r["path"] for r in live_db["papers"].rows} == {f"{ROOT}/january/board.pdf", f"{ROOT}/broken.pdf"}


async def test_public_mode_hides_the_pages_that_name_files(snapshot, guarded):
    guarded(public=True)
    ds = await _public(snapshot[1])
    for page in (
        "/-/databases.json",
        "/-/databases",
        "/-/threads.json",
        "/-/versions.json",
        "/-/plugins.json",
    ):
        r = await ds.client.get(page)
        assert r.status_code == 404, page
        assert str(snapshot[1]) not in r.text
    assert (await ds.client.get("/public/papers.json")).status_code == 200


async def test_private_mode_refuses_hosts_that_are_not_local(snapshot, guarded):
    guarded(bound="127.0.0.1")
    ds = Datasette([str(snapshot[0])], metadata=serve.metadata_for(snapshot[0]))
    await ds.invoke_startup()
    for host in ("evil.example", "evil.example:8001", "127.0.0.1.nip.io", "localhost.evil.example"):
        r = await ds.client.get("/live/papers.json", headers={"host": host})
        assert r.status_code == 403, host
    for host in ("localhost:8001", "127.0.0.1:8001", "[::1]:8001", "127.5.5.5", "localhost"):
        r = await ds.client.get("/live/papers.json", headers={"host": host})
        assert r.status_code == 200, host


@pytest.mark.parametrize(
    ("header", "bound", "local"),
    [
        ("localhost:8001", "127.0.0.1", True),
        ("LOCALHOST.", "127.0.0.1", True),
        ("app.localhost", "127.0.0.1", True),
        ("[::1]:8001", "127.0.0.1", True),
        ("127.0.0.2", "127.0.0.1", True),
        ("attacker.example", "127.0.0.1", False),
        ("192.168.1.20:8001", "127.0.0.1", False),
        ("192.168.1.20:8001", "192.168.1.20", True),
        ("192.168.1.20", "0.0.0.0", True),
        ("board.example", "board.example", True),
        ("other.example", "0.0.0.0", False),
    ],
)
def test_is_local_host(header, bound, local):
    assert serve.is_local_host(header, bound) is local


def test_serve_command_passes_public_metadata(snapshot, tmp_path):
    path = serve.write_metadata(snapshot[1], tmp_path, public=True)
    assert json.loads(path.read_text())["allow_sql"] is False
    path = serve.write_metadata(snapshot[0], tmp_path, public=False)
    assert "allow_sql" not in json.loads(path.read_text())


def test_the_machines_own_name_is_local():
    import socket

    assert serve.is_local_host(f"{socket.gethostname()}:8001", "0.0.0.0")
