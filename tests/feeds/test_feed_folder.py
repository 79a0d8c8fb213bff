"""A folder feed: files in the import format dropped in a folder (a CSV file
laid out as values.csv, a workbook with a values sheet) are read one by one,
oldest name first; each lands as drafts in the open round and is moved to
processed/, or, when anything in it is wrong, writes nothing and is moved to
failed/; each with a report beside it. A dry run moves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from feed_helpers import entry, make_folder_feed

pytestmark = pytest.mark.django_db


def _run(feed, **options):
    from perfreport.feeds.runs import feed_run

    return feed_run(feed, **options)


def test_a_dropped_csv_and_workbook_land_and_are_filed_as_processed(tmp_path, open_round):
    from openpyxl import Workbook

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a-october.csv").write_text("ref,period,value\n182,2020-10,74\n180,2020/21 Q3,98\n")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "values"
    sheet.append(["ref", "period", "value", "commentary"])
    sheet.append(["182", "2020-11", 76, "ignored: a feed fills figures only"])
    workbook.save(drop / "b-november.xlsx")
    (drop / ".c-being-written.csv").write_text("ref,period,value\n182,2020-12,1\n")
    feed = make_folder_feed(drop, ["180", "182"])

    run = _run(feed)

    assert run.outcome == "ok", run.problems
    assert run.counts["new"] == 3
    assert entry(open_round, "182", "2020-10").value == Decimal("74")
    assert entry(open_round, "182", "2020-11").value == Decimal("76")
    assert entry(open_round, "182", "2020-11").commentary == ""
    assert entry(open_round, "182", "2020-12").value is None  # a hidden file is left alone
    assert any("column 'commentary' is not one a feed reads" in p for p in run.problems)
    processed = sorted(p.name for p in (drop / "processed").iterdir())
    assert [n.split("-", 2)[2] for n in processed] == [
        "a-october.csv",
        "a-october.csv.report.txt",
        "b-november.xlsx",
        "b-november.xlsx.report.txt",
    ]
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == [".c-being-written.csv"]


def test_a_file_with_a_bad_row_is_filed_as_failed_with_its_report(tmp_path, open_round):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "values.csv").write_text("ref,period,value\n182,2020-10,74\n182,2020-10x,75\n")
    feed = make_folder_feed(drop, ["182"])

    run = _run(feed)

    assert run.outcome == "failed"
    assert entry(open_round, "182", "2020-10").value is None
    failed = list((drop / "failed").iterdir())
    report = next(p for p in failed if p.name.endswith(".report.txt"))
    text = report.read_text()
    assert text.startswith("values.csv: Failed: nothing written. 1 error in the rows.\n")
    assert "values.csv, row 3, column period: '2020-10x'" in text


def test_a_dry_run_leaves_the_files_where_they_are(tmp_path, open_round):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "values.csv").write_text("ref,period,value\n182,2020-10,74\n")
    feed = make_folder_feed(drop, ["182"])

    run = _run(feed, dry_run=True)

    assert run.counts["new"] == 1
    assert entry(open_round, "182", "2020-10").value is None
    assert [p.name for p in drop.iterdir()] == ["values.csv"]


def test_a_missing_folder_fails_the_run(tmp_path, open_round):
    feed = make_folder_feed(tmp_path / "nowhere", ["182"])

    run = _run(feed)

    assert run.outcome == "failed"
    assert "does not exist" in run.summary
