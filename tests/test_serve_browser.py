"""One real-browser test: headless Chromium against `datasette serve` as the CLI runs it.

Opens the figures table, follows the figure's page link to the source view,
and checks that the page image loaded and that the highlight box lies over the
figure's words as pdfplumber reads them from the PDF. Screenshots go to
artifacts/ (gitignored).
"""

from __future__ import annotations

import contextlib
import html
import pathlib
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from boardpapers import serve
from boardpapers.db import datasette_plugin as plugin
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS

from .test_serve import built  # noqa: F401  (the module-scoped test database)

FLAGS = [
    *CHROMIUM_FLAGS,
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def datasette(db_path: pathlib.Path, tmp: pathlib.Path):
    """`datasette serve` as the CLI runs it, on a free port; yields its base URL."""
    port = free_port()
    args = serve.serve_command_args(db_path, port, metadata_path=serve.write_metadata(db_path, tmp))
    log = open(tmp / "datasette.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "datasette", *args], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() - started > 30:
                    pytest.fail(f"datasette did not start: {(tmp / 'datasette.log').read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):  # noqa: F811
    tmp = tmp_path_factory.mktemp("server")
    with datasette(built["db"], tmp) as base:
        yield {"base": base}


def chromium(url: str, profile: pathlib.Path, *extra: str) -> str:
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_figure_to_source_page_in_a_browser(server, built, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)

    table_url = f"{server['base']}/papers/figures?paper_id={built['pdf_paper']}"
    table_dom = chromium(
        table_url,
        tmp_path / "p1",
        "--dump-dom",
        f"--screenshot={ARTIFACTS / 'serve-figures-table.png'}",
        "--window-size=1400,700",
    )
    hrefs = [html.unescape(h) for h in re.findall(r'href="(/-/source/[^"]+)"', table_dom)]
    figure_links = [h for h in hrefs if "figure=" in h]
    assert figure_links, "the figures table has no link to a source page"

    source_url = server["base"] + figure_links[0]
    dom = chromium(
        source_url,
        tmp_path / "p3",
        "--dump-dom",
        f"--screenshot={ARTIFACTS / 'serve-source-view.png'}",
        "--window-size=1400,1300",
    )

    loaded = re.search(r'id="bp-page-image"[^>]*data-loaded="(\d+)x(\d+)"', dom)
    assert loaded, "the page image did not load"
    width, height = map(int, loaded.groups())
    assert abs(width - 595.28 * plugin.SCALE) <= 1 and abs(height - 841.89 * plugin.SCALE) <= 1

    box = re.search(r'class="bp-box bp-box-figure"[^>]*data-points="([^"]+)"', dom)
    assert box, "no figure highlight in the source view"
    x0, top, x1, bottom = map(float, box.group(1).split(","))
    left, w, h = x0, x1 - x0, bottom - top
    word = built["word"]  # where pdfplumber finds the figure's word on page 1
    assert left <= word["x0"] + 0.5 and left + w >= word["x1"] - 0.5
    assert top <= word["top"] + 0.5 and top + h >= word["bottom"] - 0.5
    # over the word, not around the whole paragraph or page
    assert w <= (word["x1"] - word["x0"]) + 2 and h <= (word["bottom"] - word["top"]) + 2


# ---------------------------------------------------------------- a database of real corpus papers (issue 13)

REAL = [
    "real/suffolk-libraries/board-meeting-minutes-2014-03-20.pdf",
    "real/suffolk-libraries/board-meeting-minutes-2014-05-29.pdf",
    "real/datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf",
    "real/datagovuk-boards/TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf",
]


@pytest.fixture(scope="module")
def real_server(corpus, tmp_path_factory):
    from boardpapers.config import Options
    from boardpapers.db.schema import open_db
    from boardpapers.db.series import series_key
    from boardpapers.db.store import save
    from boardpapers.pipeline import process_file

    tmp = tmp_path_factory.mktemp("real")
    path = tmp / "real.db"
    db = open_db(str(path))
    for rel in REAL:
        got = process_file(str(corpus / rel), Options(ocr=False))
        save(db, got.document, got.records, series=series_key(got.document.meta, str(corpus / rel)))
    figure = next(
        db.query("SELECT * FROM figures WHERE x0 IS NOT NULL AND metric_key IS NOT NULL ORDER BY id")
    )
    series = next(
        db.query(
            "SELECT p.series FROM figures f JOIN papers p ON p.id = f.paper_id WHERE f.id = ?", [figure["id"]]
        )
    )["series"]
    db.conn.close()
    with datasette(path, tmp) as base:
        yield {"base": base, "figure": figure, "series": series}


def shot(url: str, profile: pathlib.Path, name: str, size: str = "1400,1000") -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return chromium(url, profile, "--dump-dom", f"--screenshot={ARTIFACTS / name}", f"--window-size={size}")


@pytest.mark.corpus
def test_real_index_lists_what_researchers_come_for_first(real_server, tmp_path):
    dom = shot(real_server["base"] + "/", tmp_path / "i", "real-index.png")
    names = re.findall(r'<a href="/real/([a-z_]+)"', dom)
    assert names[:4] == ["papers", "figures", "actions", "priority_areas"], names
    assert "metric picker" in dom
    dom = shot(real_server["base"] + "/real", tmp_path / "d", "real-database.png")
    tables = re.findall(r'<h3><a href="/real/([a-z_]+)"', dom)
    assert (
        tables.index("papers")
        < tables.index("figures")
        < tables.index("actions")
        < tables.index("priority_areas")
    )
    assert tables.index("priority_areas") < tables.index("paragraphs") < tables.index("pages")


@pytest.mark.corpus
def test_real_figures_page_hides_internal_columns(real_server, tmp_path):
    dom = shot(real_server["base"] + "/real/figures", tmp_path / "f", "real-figures.png")
    facets, table = dom.split('<table class="rows-and-columns">', 1)
    columns = re.findall(r'<th[^>]*data-column="([a-z_0-9]+)"', table)
    assert columns[:4] == ["id", "text", "value", "unit"], columns
    assert not {"char_start", "char_end", "rule_id", "x0", "top", "x1", "bottom"} & set(columns)
    assert {"unit", "measure"} <= set(re.findall(r'data-column="([a-z_]+)"', facets))  # the facets
    every = shot(real_server["base"] + "/real/figures?_bp_all=1", tmp_path / "f2", "real-figures-all.png")
    assert "char_start" in re.findall(r'<th[^>]*data-column="([a-z_0-9]+)"', every)


@pytest.mark.corpus
def test_real_metric_picker_shows_one_series_by_month(real_server, tmp_path):
    figure, series = real_server["figure"], real_server["series"]
    url = f"{real_server['base']}/-/chart?" + urllib.parse.urlencode(
        {"series": series, "metric_key": figure["metric_key"]}
    )
    dom = shot(url, tmp_path / "m", "real-metric-picker.png")
    assert 'id="bp-series"' in dom and f'value="{html.escape(series)}" selected' in dom
    assert 'id="bp-chart"' in dom and dom.count("<polyline") == 1  # one series
    xs = [float(x) for x in re.findall(r'<text class="x-label" x="([\d.]+)"', dom)]
    assert xs and all(
        b - a >= plugin.chart.LABEL_PX for a, b in zip(xs, xs[1:], strict=False)
    )  # labels do not overlap
    assert re.search(r'<table class="rows-and-columns" id="bp-values">', dom)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("size", "name"), [("1400,1300", "real-source-view.png"), ("390,844", "real-source-view-phone.png")]
)
def test_real_source_view_highlights_only_the_figures_words(real_server, tmp_path, size, name):
    f = real_server["figure"]
    url = f"{real_server['base']}/-/source/{f['paper_id']}/{f['page']}?paragraph={f['paragraph_id']}&figure={f['id']}"
    dom = shot(url, tmp_path / "s", name, size)
    assert re.search(r'id="bp-page-image"[^>]*data-loaded="\d+x\d+"', dom), "the page image did not load"
    boxes = re.findall(r'data-kind="figure"\s+data-points="([^"]+)"', dom)
    assert boxes
    for box in boxes:
        x0, top, x1, bottom = map(float, box.split(","))
        assert x1 - x0 < 200 and bottom - top < 30  # the figure's words, not a row or a paragraph
    assert 'class="bp-furniture"' in dom  # the running footer and margins outside the text, dimmed
