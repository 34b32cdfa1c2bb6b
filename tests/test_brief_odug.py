"""The brief for the ODUG action log of July 2013 against May 2013.

Expected rows were read off the two PDFs (pdftotext -layout): the July log's
actions are "New" or "Ongoing"; four recur from May with the same status
(none changed status); the rest of July's are new and the rest of May's are
no longer listed. Titles are given by their opening words.
"""

from __future__ import annotations

import re

import pytest

from boardpapers import pipeline, templates
from boardpapers.db.compare import compare
from boardpapers.db.schema import open_db
from boardpapers.db.series import series_key
from boardpapers.db.store import save

MAY = "real/datagovuk-boards/ODUG_Action_Log_14_May_2013.pdf"
JULY = "real/datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf"

RECURRING = [  # (July title start, July page, status in both)
    ("Circulate minutes and actions from", 1, "planned"),
    ("Publish note and actions from", 1, "planned"),
    ("Refine benefits case in light of ODUG comments", 1, "planned"),
    ("Review for next meeting", 1, "in_progress"),
]
NEW = [  # (July title start, page)
    ("ODUG members to email HS", 1),
    ("Establish date and objectives", 1),
    ("Produce test cases", 1),
    ("Correspond with relevant departments", 1),
    ("Correspond with DfT", 1),
    ("Draft ODUG", 1),
    ("Update in light of amendments", 1),
    ("Publish and publicise membership refresh", 1),
    ("In August, collate", 1),
    ("Produce a summary of data", 1),
    ("List of talks", 1),
    ("Produce a mission statement", 2),
    ("Monitor progress on data requests", 2),
    ("Check on progress of data release", 2),
    ("Circulate slides on the NII", 2),
]
DROPPED = [  # (May title start, page)
    ("Advise ODUG members", 1),
    ("Publish all new", 1),
    ("Survey of ~20 SMEs", 1),
    ("Investigate through", 1),
    ("Clarify the full list", 1),
    ("Meeting of working group", 1),
    ("Secure plan for release", 1),
    ("Meet with the Environment Agency", 1),
    ("Redevelopment of benefits case", 1),
    ("Refine benefits case in line", 1),
    ("Send letter to OS", 1),
    ("Set up meeting with OS", 1),
    ("Final stakeholder consultation", 1),
    ("GS and JT to meet", 2),
    ("Minister to write", 2),
    ("Transparency Team to share", 2),
    ("Send letter to Ordnance Survey", 2),
    ("ODUG and ODI", 2),
    ("Data.gov.uk to provide", 2),
    ("Add display of progress", 2),
    ("Include supportive data", 2),
    ("ODUG to write to 2depts", 2),
    ("ODUG to meet with DGU", 2),
    ("Set up facility for sentiment", 2),
    ("ODUG Branding", 2),
    ("Draw up and share", 2),
    ("ODUG schedule of comms", 2),
    ("Draft ODUG 6-month review", 3),
    ("Develop plan for an ODUG event", 3),
    ("Identify data for ODUG event", 3),
    ("Transparency Team to undertake", 3),
    ("Plan and launch recruitment", 3),
]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s~]", " ", text.lower()).split())


def _find(actions, start):
    return [a for a in actions if _norm(a.title).startswith(_norm(start))]


@pytest.fixture(scope="module")
def brief(corpus, tmp_path_factory):
    from boardpapers.config import Options

    db = open_db(str(tmp_path_factory.mktemp("odug") / "odug.db"))
    ids = []
    for rel in (MAY, JULY):
        got = pipeline.process_file(str(corpus / rel), Options(ocr=False))
        ids.append(
            save(db, got.document, got.records, series=series_key(got.document.meta, str(corpus / rel)))
        )
    return compare(db, ids[1], against=ids[0])


@pytest.mark.corpus
def test_odug_july_against_may(brief):
    c = brief
    assert c.actions_with("changed") == ()
    for start, page, status in RECURRING:
        [a] = _find(c.actions_with("unchanged"), start)
        assert (a.previous_status, a.current_status, a.current_source.page) == (status, status, page)
    for start, page in NEW:
        assert [a.current_source.page for a in _find(c.actions_with("new"), start)] == [page], start
    for start, page in DROPPED:
        assert page in [a.previous_source.page for a in _find(c.actions_with("dropped"), start)], start
    text = templates.render("brief.md.j2", c)
    assert "## New actions" in text and "## Actions no longer listed" in text


@pytest.mark.corpus
def test_odug_matches_found_are_right(brief):
    """Whatever extraction finds today, every match the brief makes is a real recurrence."""
    c = brief
    recurring = [_norm(s) for s, _, _ in RECURRING]
    for a in c.actions_with("unchanged") + c.actions_with("changed"):
        assert any(_norm(a.title).startswith(r) for r in recurring), a.title
    assert c.previous.month == "2013-05" and c.current.month == "2013-07"
