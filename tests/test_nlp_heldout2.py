"""Held-out set 2: twenty-one papers composed in the genre of bodies the rules were not
written against (tests/heldout2/README.md), scored per kind with the project's
evaluation (the reference scorer's matching) and held at the floors measured.

``python -m tests.test_nlp_heldout2 [--details]`` prints the table without pytest."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest
import yaml

from boardpapers.evaluation import from_records, read_paper, score_paper
from boardpapers.evaluation.summary import summarise
from boardpapers.ingest.models import PaperMeta, Paragraph
from boardpapers.nlp import paper
from boardpapers.nlp.pipeline import extract

HELDOUT = pathlib.Path(__file__).parent / "heldout2"
NAMES = sorted(p.stem for p in HELDOUT.glob("*.yaml"))
# As ingest strips a paragraph's number: "4.2.1", "1.0", "5." or "5)" (a bare "5 Title" stays text).
NUMBER_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)])\s+")
MEMO_RE = re.compile(r"^(To|From|Date):\s*(.+)$")

# Floors: a little under what the rules reach on this set (a drop fails).
# Measured blind on the first nine papers, before any fix: figures P 0.73 R 0.81
# (F1 0.77), period 0.62, measure 0.79; dates found 0.97 right 0.97; actions found
# 0.47, status 0.88; trends 0.75; priority areas F1 0.00. The figure rules were then
# fixed class by class (each with its own unit test). Three papers written after those
# fixes (au_shire_finance, academy_trust_board, ambulance_ipr) measured figures P 0.66
# R 0.70 blind, before the classes they showed (other dollars, numbered categories)
# were fixed too. A second fresh batch (us_county_budget, ijb_performance,
# town_council_finance) then measured figures P 0.87 R 0.92 blind, before its classes
# ("$7.7M." ending a sentence, fund/indicator numbers, rate bases, "from" baselines,
# derived money columns) were fixed. A third fresh batch (police_performance_pack,
# health_board_finance, borough_capital_update) measured figures P 0.84 R 0.84 blind,
# before its classes ("£'m" headers, "+3.4%" cells, "£2–3m" ranges, "c.£8m", month
# rows as periods, "Wards 3 to 7", "ref KD 4471") were fixed. A fourth fresh batch
# (transport_committee, arts_grants_panel, nz_regional_council) measured figures P 0.96
# R 1.00 blind ("overdue by more than 30 days" was then fixed). Figures on this set are
# no longer blind: write new papers to measure again. Actions, trends and priority
# areas, blind until then at actions found 0.45 (status 0.85, owner 1.00, due 0.56),
# trends 0.71 and priority areas F1 0.00, were then fixed by class, each class with
# unit tests from generic sentences ("X will present … to the November meeting",
# "ACTION: Head of X to …", "X was directed to …", "Agreed: the X to …" as a new
# action, ", up 4% on …" after a figure clause, "priorities for <period> are …" and
# their lists), reaching 1.00 on each: this set is no longer blind for them either.
FLOORS = {
    ("figures", "f1"): 0.97,
    ("figures", "period_accuracy"): 0.95,
    ("figures", "measure_accuracy"): 0.83,
    ("dates", "recall"): 0.95,
    ("dates", "accuracy"): 0.95,
    ("actions", "recall"): 0.95,
    ("actions", "status_accuracy"): 0.95,
    ("actions", "owner_accuracy"): 0.95,
    ("actions", "due_accuracy"): 0.9,
    ("trends", "recall"): 0.95,
    ("priority_areas", "f1"): 0.95,
}


def load_paper(name: str, directory: pathlib.Path = HELDOUT) -> tuple[PaperMeta, list[Paragraph]]:
    """A paper file (of ``directory``) read the way ingest would hand it over: title
    block, memo fields, numbered paragraphs and table rows with their header."""
    paras: list[Paragraph] = []
    fields, title, header, in_body = [], [], None, False
    for raw in (directory / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line.startswith("|"):
            header = None
        if not line:
            continue
        memo, number = MEMO_RE.match(line), NUMBER_RE.match(line)
        in_body = in_body or bool(memo or number or line.startswith("|"))
        if not in_body:
            title.append(line)
        if memo:
            fields.append((memo.group(1), memo.group(2), "memo"))
        if line.startswith("|"):
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            if header is None:
                header = cells
            else:
                paras.append(_para(len(paras), "table_row", " | ".join(cells), cells=cells, header=header))
            continue
        text = line[number.end() :] if number else line
        kind = "heading" if number and len(text) < 80 and not text.endswith(".") else "paragraph"
        paras.append(_para(len(paras), kind, text, number=number.group(1).rstrip(".)") if number else None))
    meta = PaperMeta(
        fields=tuple(fields),
        title_lines=tuple((t, 16.0, 0) for t in title[:3]),
        head_lines=tuple(p.text for p in paras[:8]),
        file_name=f"{name}.pdf",
    )
    return paper.interpret(meta, paras), paras


def _para(seq: int, kind: str, text: str, **extra) -> Paragraph:
    return Paragraph(
        seq=seq, kind=kind, text=text, page_start=1, page_end=1, x0=0, top=0, x1=0, bottom=0, **extra
    )


def score_set(nlp, directory: pathlib.Path = HELDOUT):
    """(per-paper scores, micro-averaged summary) over every paper of the set in ``directory``."""
    scores = []
    for name in sorted(p.stem for p in directory.glob("*.yaml")):
        meta, paras = load_paper(name, directory)
        records = extract(nlp, meta, paras)
        assert all(f.rule_id and f.char_end > f.char_start for f in records.figures), name
        gold = read_paper(name, yaml.safe_load((directory / f"{name}.yaml").read_text(encoding="utf-8")))
        scores.append(score_paper(gold, None, from_records(records, paras)))
    return scores, summarise(scores)


def table(scores, summary) -> str:
    def cell(x):
        return "  -  " if x is None else f"{x:5.2f}"

    lines = [f"{'paper':<24} figP  figR  per   meas  dateR dateOK actR  stat  trend prioF1"]
    rows = [(pathlib.Path(s.gold_file).name, summarise([s])) for s in scores] + [("ALL (micro)", summary)]
    for name, s in rows:
        f, d, a = s["figures"], s["dates"], s["actions"]
        values = (f["precision"], f["recall"], f["period_accuracy"], f["measure_accuracy"], d["recall"],
                  d["accuracy"], a["recall"], a["status_accuracy"], s["trends"]["recall"],
                  s["priority_areas"]["f1"])  # fmt: skip
        lines.append(f"{name:<24} " + " ".join(cell(v) for v in values))
    f = summary["figures"]
    lines.append(
        f"figures: gold {f['gold']} extracted {f['extracted']} tp {f['tp']} fp {f['fp']} F1 {cell(f['f1'])}"
    )
    return "\n".join(lines)


def details(scores) -> str:
    out = []
    for s in scores:
        out.append(f"== {s.gold_file}")
        out += [f"  MISSED figure {m}" for m in s.figures.missed]
        out += [f"  FP figure {fp['value']} {fp['unit']} [{fp['text']}] para {fp['para']} m={fp['measure']!r}"
                for fp in s.figures.false_positives]  # fmt: skip
        out += [f"  WRONG {w}" for w in s.figures.wrong]
        out += [f"  MISSED date {m}" for m in s.dates.missed] + [f"  WRONG date {w}" for w in s.dates.wrong]
        out += [f"  MISSED action {m}" for m in s.actions.missed]
        out += [f"  STATUS {w}" for w in s.actions.wrong_status]
        out += [f"  MISSED trend {m}" for m in s.trends.missed]
        p = s.priority_areas
        out += [f"  PRIORITY missed {p.missed} extra {p.extra}"] if p.missed or p.extra else []
    return "\n".join(out)


@pytest.fixture(scope="module")
def heldout2(nlp):
    scores, summary = score_set(nlp)
    print("\n" + table(scores, summary))
    return scores, summary


def test_every_paper_has_a_key_and_a_text():
    assert len(NAMES) >= 8
    for name in NAMES:
        assert (HELDOUT / f"{name}.txt").is_file(), name


def test_table_rows_reach_the_pipeline_with_their_header():
    _, paras = load_paper("housing_finance")
    rows = [p for p in paras if p.kind == "table_row"]
    assert rows and all(p.header and p.header[0] == "£'000" for p in rows)
    assert rows[0].cells[0] == "Rental income" and rows[0].number is None


@pytest.mark.parametrize("kind, measure", sorted(FLOORS))
def test_heldout2_floor(heldout2, kind, measure):
    scores, summary = heldout2
    got = summary[kind][measure]
    assert got is not None and got >= FLOORS[(kind, measure)], f"{kind} {measure} {got}\n{details(scores)}"


if __name__ == "__main__":
    from boardpapers.nlp.pipeline import build_nlp

    found, micro = score_set(build_nlp())
    print(table(found, micro))
    if "--details" in sys.argv:
        print(details(found))
