"""Series keys, month inference, ordering and listing."""

from __future__ import annotations

import pytest

from boardpapers.db.series import (
    assign_series,
    list_series,
    month_from_name,
    month_gaps,
    series_key,
    series_papers,
)
from boardpapers.ingest.models import PaperMeta
from tests.brief_fixtures import add_paper, new_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            PaperMeta(
                title="Chief Constable's Update Report - January 2020",
                board="Business Coordination Board",
                author="Chief Constable",
            ),
            PaperMeta(
                title="Chief Constable's update report  February 2020",
                board="Business  Coordination Board",
                author="CHIEF CONSTABLE",
            ),
        ),
        (PaperMeta(title="ODUG Action Log – 14 May 2013"), PaperMeta(title="ODUG Action Log – 19 July 2013")),
        (
            PaperMeta(title="Performance Report Q3 2019/20", board="Trust Board"),
            PaperMeta(title="Performance Report 1st Quarter 2020/21", board="Trust Board"),
        ),
    ],
)
def test_same_series(a, b):
    assert series_key(a) is not None
    assert series_key(a) == series_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            PaperMeta(title="Update Report January 2020", board="Business Coordination Board"),
            PaperMeta(title="Update Report February 2020", board="Audit Committee"),
        ),
        (
            PaperMeta(title="Monthly Update", author="Chief Constable"),
            PaperMeta(title="Monthly Update", author="Chief Executive"),
        ),
        (PaperMeta(title="ODUG Action Log May 2013"), PaperMeta(title="ODUG Minutes May 2013")),
    ],
)
def test_different_series(a, b):
    assert series_key(a) != series_key(b)


@pytest.mark.parametrize(
    ("path_a", "path_b"),
    [
        ("ODUG_Action_Log_14_May_2013.pdf", "ODUG_Action_Log_July_13_final_10.pdf"),
        (
            "TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf",
            "TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf",
        ),
    ],
)
def test_file_name_stands_in_for_missing_title(path_a, path_b):
    assert series_key(PaperMeta(), path_a) == series_key(PaperMeta(), path_b) is not None


def test_no_title_no_name_no_series():
    assert series_key(PaperMeta(), None) is None
    assert series_key(PaperMeta(title="2020-01"), "/x/2020_01.pdf") is None


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("nsc-bcb-2020-01.pdf", "2020-01"),
        ("Transparency_Board_minutes_-__2010-09-15.pdf", "2010-09"),
        ("ODUG_Action_Log_14_May_2013.pdf", "2013-05"),
        ("ODUG_Action_Log_July_13_final_10.pdf", "2013-07"),
        ("TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf", "2011-03"),
        ("TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf", "2011-01"),
        ("Minutes_of_Open_Data_User_Group_11_June_10.pdf", "2010-06"),
        ("report.pdf", None),
    ],
)
def test_month_from_name(name, month):
    assert month_from_name(name) == month


def test_month_gaps():
    assert month_gaps(["2019-11", "2020-02", "2019-12"]) == ["2020-01"]
    assert month_gaps(["2020-01"]) == []


def test_list_series_orders_by_date_and_reports_gaps():
    db = new_db()
    ids = {m: add_paper(db, m) for m in ("2020-03", "2020-01", "2019-12")}
    other = add_paper(db, "2020-01", board="Audit Committee", path="/a/audit-2020-01.pdf")
    listed = {s["series"]: s for s in list_series(db)}
    assert len(listed) == 2
    main = next(s for s in listed.values() if s["papers"] == 3)
    assert main["months"] == ["2019-12", "2020-01", "2020-03"]
    assert main["gaps"] == ["2020-02"]
    assert main["paper_ids"] == [ids["2019-12"], ids["2020-01"], ids["2020-03"]]
    assert [s["paper_ids"] for s in listed.values() if s["papers"] == 1] == [[other]]


def test_order_falls_back_to_file_name_month():
    db = new_db()
    late = add_paper(
        db,
        "2013-07",
        meeting_date=None,
        title="ODUG Action Log",
        board=None,
        author=None,
        path="/c/ODUG_Action_Log_July_13_final_10.pdf",
    )
    early = add_paper(
        db,
        "2013-05",
        meeting_date=None,
        title="ODUG Action Log",
        board=None,
        author=None,
        path="/c/ODUG_Action_Log_14_May_2013.pdf",
    )
    key = db["papers"].get(late)["series"]
    assert [p["id"] for p in series_papers(db, key)] == [early, late]
    assert list_series(db)[0]["months"] == ["2013-05", "2013-07"]


def test_assign_series_recomputes():
    db = new_db()
    pid = add_paper(db, "2020-01")
    db.conn.execute("UPDATE papers SET series = NULL")
    assert assign_series(db) == 1
    assert db["papers"].get(pid)["series"] == series_key(
        PaperMeta(
            title="Chief Constable's Update Report 2020-01",
            board="Business Coordination Board",
            author="Chief Constable",
        )
    )
    assert assign_series(db) == 0
