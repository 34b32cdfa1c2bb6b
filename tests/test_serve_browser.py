"""One real-browser test: headless Chromium against `datasette serve` as the CLI runs it.

Opens the figures table, follows the figure's page link to the source view,
and checks that the page image loaded and that the highlight box lies over the
figure's words as pdfplumber reads them from the PDF. Screenshots go to
artifacts/ (gitignored).
"""

from __future__ import annotations

import html
import pathlib
import re
import socket
import subprocess
import sys
import time
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


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):  # noqa: F811
    tmp = tmp_path_factory.mktemp("server")
    port = free_port()
    args = serve.serve_command_args(built["db"], port, metadata_path=serve.write_metadata(built["db"], tmp))
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
        yield {"base": base, "startup_s": time.monotonic() - started}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
    assert server["startup_s"] < 15  # `serve` is up within seconds (measured, not just asserted loosely)

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

    box = re.search(
        r'class="bp-box bp-box-figure"[^>]*style="left:\s*([\d.]+)px;\s*top:\s*([\d.]+)px;\s*width:\s*([\d.]+)px;\s*height:\s*([\d.]+)px',
        dom,
    )
    assert box, "no figure highlight in the source view"
    left, top, w, h = (float(v) / plugin.SCALE for v in box.groups())
    word = built["word"]  # where pdfplumber finds the figure's word on page 1
    assert left <= word["x0"] + 0.5 and left + w >= word["x1"] - 0.5
    assert top <= word["top"] + 0.5 and top + h >= word["bottom"] - 0.5
    # over the word, not around the whole paragraph or page
    assert w <= (word["x1"] - word["x0"]) + 2 and h <= (word["bottom"] - word["top"]) + 2
