"""A real series: the Transparency Board's status updates on actions from its
last meeting, TB(4)1.i (for the meeting of 11 January 2011) and TB(5)1.i
(action log as of 2 March 2011).

Expected rows were read off the two PDFs (pdftotext -layout). TB(4)1.i prints
only the date of the meeting the actions came from (19.11.10); its file name
carries the meeting it was written for (11.01.11), so the two papers are one
series two meetings apart, January before March.
"""

from __future__ import annotations

import re

import pytest

from boardpapers import pipeline, templates
from boardpapers.db.compare import compare
from boardpapers.db.schema import open_db
from boardpapers.db.series import list_series, series_for
from boardpapers.db.store import save

TB41 = "real/datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf"
TB51 = "real/datagovuk-boards/TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf"

CHANGED = [  # (title start, January status, March status, March page)
    (
        "Cabinet Office Transparency Team to confirm plan for publishing a Green Paper",
        "on_track",
        "completed",
        2,
    ),
    (
        "Cabinet Office Transparency Team to engage with the Cabinet Office Public Bodies",
        "planned",
        "completed",
        2,
    ),
    ("Cabinet Office Transparency Team with Transparency Board input to consider", "planned", "completed", 2),
]
DROPPED = [  # January actions the March log no longer lists
    "Cabinet Office Transparency Team to provide an update on the Privacy",
    "Cabinet Office Transparency Team to provide regular updates",
    "The Cabinet Office Transparency Team to invite DfT",
    "Minister for the Cabinet Office to provide Transparency updates",
    "At the request of the Chair, Andrew Stott",
    "Cabinet Office Transparency Team to set up a forward schedule",
]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _find(actions, start):
    return [a for a in actions if _norm(a.title).startswith(_norm(start))]


@pytest.fixture(scope="module")
def tb(corpus, tmp_path_factory):
    from boardpapers.config import Options

    db = open_db(str(tmp_path_factory.mktemp("tb") / "tb.db"))
    ids = {}
    for rel in (TB51, TB41):  # ingest order must not matter
        got = pipeline.process_file(str(corpus / rel), Options(ocr=False))
        ids[rel] = save(
            db, got.document, got.records, series=series_for(db, got.document.meta, str(corpus / rel))
        )
    return list_series(db), compare(db, ids[TB51], against=ids[TB41])


@pytest.mark.corpus
def test_status_updates_form_one_series_in_meeting_order(tb):
    series, c = tb
    [listed] = series  # one series: the same board's action log at two meetings
    assert listed["months"] == ["2011-01", "2011-03"] and listed["gaps"] == ["2011-02"]
    assert (c.previous.file, c.current.file) == (TB41.rsplit("/", 1)[1], TB51.rsplit("/", 1)[1])
    # The January log's title dates the *last* meeting (19.11.10); nlp.paper reads
    # its own meeting from the file name, so no date contradicts another.
    assert not any("file name dates the paper" in w.text for w in c.warnings)


@pytest.mark.corpus
def test_brief_shows_the_status_changes_the_logs_contain(tb):
    _, c = tb
    changed = c.actions_with("changed")
    assert len(changed) == len(CHANGED)
    for start, was, now, page in CHANGED:
        [a] = _find(changed, start)
        assert (a.previous_status, a.current_status, a.current_source.page) == (was, now, page), start
    for start in DROPPED:
        assert len(_find(c.actions_with("dropped"), start)) == 1, start
    assert not c.actions_with("unchanged")
    text = templates.render("brief.md.j2", c)
    assert "## Actions that changed status" in text and re.search(r"\| planned \(\d{4}-\d\d-\d\d\)\[\^", text)
    assert "| closed |" in text  # planned or on track -> completed
