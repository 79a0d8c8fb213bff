"""A feed run against a real SQLite source database: figures land as drafts
in the open round marked as the feed's, never over a published figure or an
owner's own draft, rows outside the round or for other indicators are
reported, a bad row or a broken source writes nothing, and a dry run writes
nothing at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from feed_helpers import entry, fill_sqlite, make_feed

pytestmark = pytest.mark.django_db


def _run(feed, **options):
    from perfreport.feeds.runs import feed_run

    return feed_run(feed, trigger="on demand", **options)


def _outcomes(run) -> dict[tuple[str, str], str]:
    return {(r["ref"], r["period"]): r["outcome"] for r in run.rows}


def test_figures_land_as_drafts_marked_as_the_feeds(sqlite_source, open_round):
    """GIVEN a source table with 180's 2020/21 Q3 and 182's October and November
    WHEN the feed runs
    THEN the three entries hold them as drafts, marked as the feed's, each
    audited as written by the feed; the staff's values hold them as drafts."""
    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Observation
    from perfreport.feeds.marks import automated_from

    fill_sqlite(
        sqlite_source,
        [("180", "2020/21 Q3", 98.1), ("182", "2020-10", 74), ("182", "2020-11", "75.5")],
    )
    feed = make_feed(sqlite_source, ["180", "182"])

    run = _run(feed)

    assert run.outcome == "ok", run.problems
    assert run.counts["new"] == 3 and run.counts["written"] == 3
    q3 = entry(open_round, "180", "2020/21 Q3")
    october = entry(open_round, "182", "2020-10")
    assert (q3.value, q3.state) == (Decimal("98.1"), "draft")
    assert october.value == Decimal("74")
    assert entry(open_round, "182", "2020-11").value == Decimal("75.5")
    assert automated_from([q3, october, entry(open_round, "182", "2020-12")]) == {
        q3.pk: "Case system",
        october.pk: "Case system",
    }
    events = AuditEvent.objects.filter(actor="feed Case system", object_type="entry")
    assert events.count() == 3
    assert {e.reason for e in events} == {"automated from feed Case system"}
    assert AuditEvent.objects.filter(actor="feed Case system", object_type="feed").count() == 1
    stored = Observation.objects.get(indicator__ref="180", period="2020/21 Q3")
    assert stored.is_draft and stored.value == Decimal("98.1")


def test_a_second_run_changes_the_feeds_own_figure_but_never_the_owners(
    sqlite_source, open_round, people
):
    """GIVEN a feed that wrote 182's October and November
    WHEN the source revises October, the owner types their own November, and
    the feed runs again
    THEN October is changed; November is skipped and reported (the owner's
    draft stands), and the run says rows were refused."""
    from perfreport.accounts.permissions import Actor
    from perfreport.data.models import Observation
    from perfreport.feeds.marks import automated_from
    from perfreport.rounds.services import EntryInput, save_entry

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("182", "2020-11", 75)])
    feed = make_feed(sqlite_source, ["182"])
    _run(feed)
    november = entry(open_round, "182", "2020-11")
    save_entry(
        Actor.of(people["admin"]), november.pk, EntryInput(value="60"), version=november.version
    )
    fill_sqlite(sqlite_source, [("182", "2020-10", 80), ("182", "2020-11", 75)])

    run = _run(feed)

    assert _outcomes(run) == {("182", "2020-10"): "changed", ("182", "2020-11"): "refused"}
    assert run.outcome == "problems"
    refused = next(r for r in run.rows if r["outcome"] == "refused")
    assert "its owner's draft (60)" in refused["message"]
    assert entry(open_round, "182", "2020-10").value == Decimal("80")
    stored = Observation.objects.get(indicator__ref="182", period="2020-10")
    assert (stored.value, stored.first_value, stored.is_draft) == (
        Decimal("80"),
        Decimal("80"),
        True,
    )
    assert entry(open_round, "182", "2020-10").version == 3  # opened at 1, two feed saves
    november.refresh_from_db()
    assert november.value == Decimal("60")
    assert automated_from([november]) == {}


def test_a_published_figure_is_never_replaced(sqlite_source, open_round):
    """GIVEN 180's 2020/21 Q2 published as 97.83
    WHEN a source gives 97.83 for it, and another source gives 90
    THEN the first is unchanged and the second refused, saying it is
    published; the published figure stays 97.83."""
    from perfreport.data.models import Observation

    fill_sqlite(sqlite_source, [("180", "2020/21 Q2", "97.83")])
    feed = make_feed(sqlite_source, ["180"])
    assert _outcomes(_run(feed)) == {("180", "2020/21 Q2"): "unchanged"}
    fill_sqlite(sqlite_source, [("180", "2020/21 Q2", 90)])

    run = _run(feed)

    assert run.outcome == "problems"
    assert "published as 97.83" in run.rows[0]["message"]
    stored = Observation.objects.get(indicator__ref="180", period="2020/21 Q2")
    assert (stored.value, stored.is_draft) == (Decimal("97.83"), False)


def test_rows_for_other_indicators_and_periods_no_round_collects_write_nothing(
    sqlite_source, open_round
):
    """GIVEN a feed that may fill 180 only
    WHEN its source also gives 181, and 180 for 2019/20 Q1 (no round, nothing published)
    THEN 181 is refused (not chosen), the old quarter is not collected, and
    only 180's Q3 is written."""
    fill_sqlite(
        sqlite_source,
        [("180", "2020/21 Q3", 98), ("181", "2020/21 Q3", 72), ("180", "2019/20 Q1", 95)],
    )
    feed = make_feed(sqlite_source, ["180"])

    run = _run(feed)

    assert _outcomes(run) == {
        ("180", "2020/21 Q3"): "new",
        ("181", "2020/21 Q3"): "refused",
        ("180", "2019/20 Q1"): "not collected",
    }
    assert "not one this feed may fill" in next(r for r in run.rows if r["ref"] == "181")["message"]
    assert entry(open_round, "181", "2020/21 Q3").value is None
    assert run.counts["written"] == 1


def test_a_bad_row_fails_the_run_and_names_its_row_and_column(sqlite_source, open_round):
    """GIVEN a source whose second row has month 2020-13 and third a figure 'n/a'
    WHEN the feed runs
    THEN it fails, naming each row and column, and nothing is written, not
    even the good first row."""
    from perfreport.feeds.models import FeedFigure

    fill_sqlite(
        sqlite_source, [("182", "2020-10", 74), ("182", "2020-13", 75), ("182", "2020-12", "n/a")]
    )
    feed = make_feed(sqlite_source, ["182"])

    run = _run(feed)

    assert run.outcome == "failed"
    assert run.summary == "2 errors in the rows."
    assert run.outcome_text == "Failed: nothing written"
    said = "\n".join(run.problems)
    assert "the query's results, row 2, column period: '2020-13'" in said
    assert "the query's results, row 3, column value: 'n/a'" in said
    assert entry(open_round, "182", "2020-10").value is None
    assert not FeedFigure.objects.exists()


def test_a_dry_run_says_what_would_change_and_writes_nothing(sqlite_source, open_round):
    """GIVEN a source with a new figure, a published one and one for another indicator
    WHEN the feed is tried (a dry run)
    THEN the run says new, unchanged and refused for each, and no entry,
    value, mark or audit event changed."""
    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Entry, Observation
    from perfreport.feeds.models import FeedFigure

    fill_sqlite(
        sqlite_source,
        [("180", "2020/21 Q3", 98), ("180", "2020/21 Q2", "97.83"), ("181", "2020/21 Q3", 72)],
    )
    feed = make_feed(sqlite_source, ["180"])
    before = (
        list(Entry.objects.values_list("pk", "version", "value")),
        Observation.objects.count(),
        AuditEvent.objects.count(),
    )

    run = _run(feed, dry_run=True)

    assert run.dry_run and run.summary.startswith("Dry run, nothing written: would be 1 new")
    assert _outcomes(run) == {
        ("180", "2020/21 Q3"): "new",
        ("180", "2020/21 Q2"): "unchanged",
        ("181", "2020/21 Q3"): "refused",
    }
    after = (
        list(Entry.objects.values_list("pk", "version", "value")),
        Observation.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert not FeedFigure.objects.exists()


@pytest.mark.parametrize(
    ("query", "said"),
    [
        pytest.param(
            "SELECT indicator AS ref FROM nowhere", "no such table: nowhere", id="sql_error"
        ),
        pytest.param(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            "SELECT count(*) AS ref, 1 AS period, 1 AS value FROM c",
            "ran for longer than its timeout of 1 second and was stopped",
            id="timeout",
        ),
        pytest.param("DELETE FROM kpi", "The query starts with DELETE", id="not_a_select"),
    ],
)
def test_a_source_that_cannot_be_read_fails_the_run(sqlite_source, open_round, query, said):
    feed = make_feed(sqlite_source, ["180"], query=query, timeout=1)

    run = _run(feed)

    assert run.outcome == "failed"
    assert said in run.summary


def test_a_missing_database_file_is_a_connection_failure(tmp_path, open_round):
    feed = make_feed(tmp_path / "gone.sqlite3", ["180"])

    run = _run(feed)

    assert run.outcome == "failed"
    assert "Could not connect to or read the database" in run.summary
    assert not (tmp_path / "gone.sqlite3").exists()  # opened read-only: never created


def test_the_sqlite_source_is_opened_read_only(sqlite_source):
    """A write through the feed's own connection is refused by SQLite."""
    import sqlalchemy as sa

    from perfreport.feeds.sources import _engine

    engine = _engine(sa.engine.make_url(f"sqlite:///{sqlite_source}"), 5)
    with engine.connect() as connection, pytest.raises(sa.exc.OperationalError, match="readonly"):
        connection.exec_driver_sql("INSERT INTO kpi VALUES ('1', '2', 3, 4, 5)")


def test_a_database_whose_driver_is_not_installed_fails_without_the_password(open_round):
    """SQL Server through pyodbc, which this installation lacks: the run fails
    saying so, and the password is in no message."""
    feed = make_feed("mssql+pyodbc://reader:Secret-pw-123@sql01.example.org/Cases", ["180"])

    run = _run(feed)

    assert run.outcome == "failed"
    assert "no driver for: its driver pyodbc is not installed" in run.summary
    assert "mssql+pyodbc://reader:***@sql01.example.org/Cases" in run.summary
    assert "Secret-pw-123" not in run.summary + "".join(run.problems)
