"""Failures and suspect figures reach the BI team: on the run's record (the
feed's page) and by email to every BI administrator, through a real SMTP
server; a clean run sends nothing."""

from __future__ import annotations

import pytest
from feed_helpers import fill_sqlite, make_feed

pytestmark = pytest.mark.django_db


def _history(tmp_path):
    """182's April to July 2020 (with the seed's August and September: six
    values, none of them zero), imported as published."""
    from perfreport.imports.service import import_path

    folder = tmp_path / "history"
    folder.mkdir()
    rows = "".join(f"182,2020-{m:02d},{70 + m}\n" for m in range(4, 8))
    (folder / "values.csv").write_text("ref,period,value\n" + rows)
    import_path(folder)


def test_a_suspect_zero_is_written_and_reported_by_email(tmp_path, sqlite_source, open_round, smtp):
    """GIVEN 182 with six non-zero values before October
    WHEN the feed gives 0 for October
    THEN the 0 is written as a draft, the run says it is suspect (the
    quality check's own words), and the BI administrator is emailed."""
    from perfreport.feeds.runs import feed_run

    _history(tmp_path)
    fill_sqlite(sqlite_source, [("182", "2020-10", 0)])
    feed = make_feed(sqlite_source, ["182"])

    run = feed_run(feed)

    assert run.outcome == "ok" and run.counts["suspect"] == 1
    finding = run.rows[0]["suspect"][0]
    assert "is 0.0% after 6 earlier values with no zero" in finding
    [message] = smtp.parsed()
    assert message["To"] == "bi.admin@example.org"
    assert message["Subject"] == "Feed Case system: 1 suspect figure"
    body = message.get_content()
    assert "182 2020-10 (0): suspect: the value for 2020-10 is 0.0%" in body
    assert f"/feeds/{feed.pk}/" in body


def test_a_failed_run_is_emailed_naming_the_rows(sqlite_source, open_round, smtp):
    from perfreport.feeds.runs import feed_run

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("182", "October", 75)])
    feed = make_feed(sqlite_source, ["182"])

    run = feed_run(feed)

    assert run.outcome == "failed"
    [message] = smtp.parsed()
    assert message["Subject"] == "Feed Case system: failed"
    body = message.get_content()
    assert "the query's results, row 2, column period: 'October'" in body
    assert "Failed: nothing written. 1 error in the rows." in body


def test_a_clean_run_and_a_dry_run_send_nothing(sqlite_source, open_round, smtp):
    from perfreport.feeds.runs import feed_run

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("181", "2020/21 Q3", 1)])
    feed = make_feed(sqlite_source, ["182"])
    feed_run(feed, dry_run=True)  # a refused row, but only tried
    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])
    feed_run(feed)

    assert smtp.parsed() == []
