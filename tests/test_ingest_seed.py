"""The seed paper read the way a reader sees it (issue 2's checks)."""

from __future__ import annotations

import re

import pytest

from boardpapers.pipeline import read_paper

FOOTER = re.compile(r"Page \d+ of \d+|Business Coordination Board 23 January 2020")


@pytest.fixture(scope="module")
def seed(seed_pdf):
    return read_paper(str(seed_pdf), ocr=False)  # read, then its metadata interpreted (nlp.paper)


def _numbered(doc):
    return [p for p in doc.paragraphs if p.number and p.kind in ("paragraph", "action_title")]


def test_status_and_fingerprint(seed, seed_pdf):
    assert seed.status == "ok" and seed.error is None and seed.pages == 10
    assert seed.size == seed_pdf.stat().st_size and len(seed.sha256) == 64
    assert [p.number for p in seed.page_info] == list(range(1, 11))
    assert all(p.lines == () and p.source == "text" for p in seed.page_info)


def test_paragraphs_numbered_in_order(seed):
    numbers = [p.number for p in _numbered(seed)]
    first = numbers.index("1.1")
    assert numbers[first] == "1.1" and "7.6" in numbers
    upto = numbers[first : numbers.index("7.6") + 1]
    keys = [tuple(int(x) for x in n.split(".")) for n in upto]
    assert keys == sorted(keys)
    for n in ["2.1", "3.1", "3.2", "4.1.1", "4.1.5", "4.2.10", "4.2.11", "5.1.2", "5.2.1", "7.1"]:
        assert n in upto


def test_section_hierarchy(seed):
    by_number = {s.number: i for i, s in enumerate(seed.sections)}
    assert {"1.0", "4.0", "4.1", "4.2", "6.1", "6.2", "6.3", "7.0"} <= set(by_number)
    assert seed.sections[by_number["4.2"]].parent == by_number["4.0"]
    assert seed.sections[by_number["6.1"]].parent == by_number["6.0"]
    assert seed.sections[by_number["6.1"]].title.endswith("community safety issues")
    para = next(p for p in seed.paragraphs if p.number == "4.2.3")
    assert seed.sections[para.section].number == "4.2"


def test_no_running_footer_in_body(seed):
    assert not [p.text for p in seed.paragraphs if FOOTER.search(p.text)]
    assert "23 January 2020" in seed.meta.footer


def test_paragraph_whole_across_page_break(seed):
    crossing = next(p for p in seed.paragraphs if p.number == "5.1.2")
    assert (crossing.page_start, crossing.page_end) == (3, 4)
    assert crossing.text.endswith("This is driven by improvement in the South area.")
    whole = next(p for p in seed.paragraphs if p.number == "5.2.1")
    assert whole.text.startswith("There were 11 modern slavery offences")
    assert whole.text.endswith("to maximise charging opportunities.")


def test_footnote_separate_and_linked(seed):
    notes = [p for p in seed.paragraphs if p.kind == "footnote"]
    assert len(notes) == 1 and notes[0].footnote_marker == "1"
    assert notes[0].text.startswith("This operation shifts resources")
    caller = next(p for p in seed.paragraphs if p.number == "4.2.7")
    assert caller.footnote_marker == "1" and caller.text.startswith("Op Alcoa was implemented")


def test_action_titles_with_their_narrative(seed):
    titles = [p for p in seed.paragraphs if p.kind == "action_title"]
    expected = [f"6.1.{i}" for i in range(1, 9)] + [f"6.2.{i}" for i in range(1, 8)] + ["6.3.1"]
    assert [p.number for p in titles] == expected
    for t in titles:
        nxt = seed.paragraphs[t.seq + 1]
        assert nxt.kind == "paragraph" and nxt.number is None and nxt.section == t.section
    assert titles[0].text.startswith("'Review of the Neighbourhood Model")


def test_paper_meta_and_date_conflict(seed):
    m = seed.meta
    assert (m.board, m.author, m.date_printed, m.meeting_date) == (
        "Business Coordination Board",
        "Chief Constable",
        "23rd January 2019",
        "2020-01-23",
    )
    warning = next(w for w in seed.warnings if "date" in w and "conflict" in w)
    assert "23rd January 2019" in warning and "2020-01-23" in warning


def test_spans_map_words_to_boxes(seed):
    para = next(p for p in seed.paragraphs if p.number == "4.1.2")
    start = para.text.index("1,260")
    page, x0, top, x1, bottom = para.box_of(start, start + 5)
    assert page == 1 and x0 < x1 and top < bottom
    assert all(para.text[s.start : s.end] and " " not in para.text[s.start : s.end] for s in para.spans)
