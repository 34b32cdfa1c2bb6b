"""Plan actions, status cue families and minuted actions."""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

from boardpapers.ingest.models import Paragraph
from boardpapers.nlp.actions import extract_actions, parse_due
from boardpapers.nlp.context import Context
from tests.conftest import SHARED  # noqa: E402

SEED_TEXT = SHARED / "seeds" / "000_d2604afbcac694c9.txt"
GOLD = SHARED / "gold" / "000_d2604afbcac694c9.yaml"
NUMBERED = re.compile(r"^(?:-\s+)?(\d+(?:\.\d+)+)\s+(.*)$")


def para(seq: int, text: str, kind: str = "paragraph", number: str | None = None, **kw) -> Paragraph:
    return Paragraph(seq, kind, text, 1, 1, 0, 0, 0, 0, number=number, **kw)


def seed_paragraphs(path: pathlib.Path = SEED_TEXT) -> list[Paragraph]:
    """The seed paper's paragraphs laid out from its text version the way
    ingest lays them out, so the families can be tested without the PDF."""
    if not path.is_file():
        pytest.skip(f"seed text not found at {path}")
    paras: list[Paragraph] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line in ("Business Coordination Board", "23 January 2020") or line.startswith("¹"):
            continue
        m = NUMBERED.match(line)
        if m:
            number, text = m[1], m[2].replace("**", "").replace("*", "").strip()
            if m[2].startswith("*'"):
                kind = "action_title"
            elif len(text) < 90 and not text.endswith("."):
                kind = "heading"
            else:
                kind = "paragraph"
            paras.append(para(len(paras), text, kind, number))
        elif paras and paras[-1].kind == "paragraph" and not paras[-1].text.endswith((".", ":")):
            prev = paras.pop()  # a paragraph broken by a page break
            paras.append(para(prev.seq, f"{prev.text} {line}", prev.kind, prev.number))
        else:
            paras.append(para(len(paras), line.replace("*", "")))
    return paras


def run(nlp, paragraphs, ctx: Context | None = None):
    docs = list(nlp.pipe(((p.text, p) for p in paragraphs), as_tuples=True))
    return extract_actions(docs, ctx or Context())


def plan(nlp, narrative: str, title: str = "'Improve the service to the public'"):
    return run(nlp, [para(0, title, "action_title", "6.1.1"), para(1, narrative)])[0]


@pytest.mark.parametrize(
    ("narrative", "status"),
    [
        ("Purchase anticipated by December 2019 - this remains on schedule.", "on_track"),
        ("The project is progressing well and remains on track for March.", "on_track"),
        ("The assessment has recently been completed giving a clear insight.", "completed"),
        ("Days of action were achieved as part of the national week.", "completed"),
        ("Changes have now been recently implemented to streamline reporting.", "completed"),
        ("The new officers will commence duties on 6th January 2020.", "planned"),
        ("The council is now poised to work with partners on this in the new year.", "planned"),
        ("Meetings are ongoing and continue to be chaired by the county.", "in_progress"),
        ("A software pilot is being developed with the digital team.", "in_progress"),
        ("The strategy continues to be delivered across the local areas.", "in_progress"),
        ("The work has not yet been completed.", "in_progress"),
        ("Volunteers completed 5,000 hours, an average monthly service of 20 hours.", "in_progress"),
        ("Delivery has slipped to the next quarter because of supplier issues.", "delayed"),
        ("The milestone is at risk because funding has not been confirmed.", "at_risk"),
        ("It was implemented in January and will be rolled out across the region.", "on_track"),
        ("The team met the partners and discussed the report.", "unknown"),
    ],
)
def test_plan_action_status(nlp, narrative, status):
    action = plan(nlp, narrative)
    assert action.status == status, action.status_text
    if status != "unknown":
        assert action.status_text and action.status_text.split(" … ")[0].lower() in narrative.lower()


def test_plan_action_fields(nlp):
    action = plan(
        nlp,
        "Purchase and training anticipated by December 2019 - this remains on schedule.",
        "'Promote the importance of reporting intelligence and crime' (Becky Tipping)",
    )
    assert action.ref == "6.1.1"
    assert action.title == "Promote the importance of reporting intelligence and crime"
    assert action.owner == "Becky Tipping"
    assert action.due == "2019-12-31"
    assert action.para == 0
    assert (
        "'Promote the importance of reporting intelligence and crime' (Becky Tipping)"[
            action.char_start : action.char_end
        ]
        == action.title
    )
    assert action.narrative.startswith("Purchase")


def test_narrative_stops_at_next_numbered_paragraph(nlp):
    ps = [
        para(0, "'Review the strategy'", "action_title", "6.1.3"),
        para(1, "Nothing to report yet."),
        para(2, "Work is delayed.", number="6.1.4"),
    ]
    assert run(nlp, ps)[0].status == "unknown"


@pytest.mark.parametrize(
    ("text", "owner", "title"),
    [
        (
            "Action: Clerk to write to the county council about the verges.",
            "Clerk",
            "write to the county council about the verges",
        ),
        ("ACTION: John Smith to circulate the revised budget.", "John Smith", "circulate the revised budget"),
        (
            "Signs to be ordered to replace the ones with spelling mistakes. AS to action",
            "AS",
            "Signs to be ordered to replace the ones with spelling mistakes",
        ),
    ],
)
def test_minuted_actions(nlp, text, owner, title):
    (action,) = run(nlp, [para(0, text)])
    assert (action.owner, action.title, action.status) == (owner, title, "planned")
    assert text[action.char_start : action.char_end] == title


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("by December 2019", "2019-12-31"),
        ("11.01.11", "2011-01-11"),
        ("Mar‐2011", "2011-03-31"),
        ("Monthly ongoing", None),
    ],
)
def test_parse_due(text, due):
    assert parse_due(text) == due


def test_seed_actions_against_gold(nlp):
    if not GOLD.is_file():
        pytest.skip(f"gold file not found at {GOLD}")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["actions"]
    got = {a.ref: a for a in run(nlp, seed_paragraphs(), Context())}
    found = [g for g in gold if str(g["ref"]) in got]
    assert len(found) == len(gold) == 16
    right = [g["ref"] for g in gold if got[str(g["ref"])].status == g["status"]]
    assert len(right) >= 13, {g["ref"]: (g["status"], got[str(g["ref"])].status) for g in gold}
    for g in gold:
        a = got[str(g["ref"])]
        assert a.title.startswith(g["title_starts"])
        if g.get("owner"):
            assert a.owner == g["owner"]
        if g.get("due"):
            assert a.due.startswith(str(g["due"])[:7])


def test_due_takes_the_whole_date_in_context(nlp):
    import datetime as dt

    ctx = Context(reporting_start=dt.date(2019, 11, 1), reporting_end=dt.date(2019, 11, 30))
    ps = [
        para(0, "'Improve the use of technology'", "action_title", "6.1.4"),
        para(1, "Training anticipated by December 2019."),
    ]
    assert run(nlp, ps, ctx)[0].due == "2019-12-31"
