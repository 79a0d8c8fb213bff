"""A feed from a real PostgreSQL source database (``pr_feed_source``): its
figures land as drafts; the session is read-only, so a query that would
write is refused by PostgreSQL; a slow query is stopped at the timeout; a
wrong password is a connection failure that never shows the password."""

from __future__ import annotations

from decimal import Decimal

import pytest
from feed_helpers import entry, make_feed

pytestmark = pytest.mark.django_db


def _fill(source, rows):
    connection, table = source
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (indicator, month, figure) VALUES (%s, %s, %s)", rows
        )


def _query(source, select="indicator AS ref, month AS period, figure AS value"):
    return f"SELECT {select} FROM {source[1]}"


def test_figures_from_postgresql_land_as_drafts(pg_source, open_round):
    url, source = pg_source
    _fill(source, [("180", "2020/21 Q3", Decimal("98.25")), ("182", "2020-12", Decimal("70"))])
    feed = make_feed(url, ["180", "182"], query=_query(source))

    from perfreport.feeds.runs import feed_run

    run = feed_run(feed)

    assert run.outcome == "ok", run.problems
    assert run.counts["new"] == 2
    assert entry(open_round, "180", "2020/21 Q3").value == Decimal("98.25")
    assert entry(open_round, "182", "2020-12").state == "draft"


def test_the_postgresql_session_is_read_only(pg_source, open_round):
    """A SELECT that would write (a sequence's nextval) is refused by the server."""
    url, (connection, table) = pg_source
    connection.execute(f"CREATE SEQUENCE {table}_seq")
    try:
        query = f"SELECT nextval('{table}_seq')::text AS ref, '2020-12' AS period, 1 AS value"
        feed = make_feed(url, ["182"], query=query)

        from perfreport.feeds.runs import feed_run

        run = feed_run(feed)
    finally:
        connection.execute(f"DROP SEQUENCE {table}_seq")

    assert run.outcome == "failed"
    assert "read-only transaction" in run.summary


def test_a_slow_query_is_stopped_at_the_timeout(pg_source, open_round):
    url, _ = pg_source
    query = "SELECT '182' AS ref, '2020-12' AS period, 1 AS value FROM pg_sleep(5)"
    feed = make_feed(url, ["182"], query=query, timeout=1)

    from perfreport.feeds.runs import feed_run

    run = feed_run(feed)

    assert run.outcome == "failed"
    assert "ran for longer than its timeout of 1 second" in run.summary


def test_a_wrong_password_fails_without_showing_it(open_round):
    """A login refused by the server (here: a role that does not exist, with a
    password) is a connection failure; the password appears nowhere."""
    from feed_helpers import pg_source_url

    from perfreport.feeds.runs import feed_run

    url = pg_source_url()[0].replace("postgres@", "no_such_reader:Secret-pw-123@", 1)
    if "@" not in url:
        pytest.fail(f"expected a URL with a user: {url}")
    feed = make_feed(url, ["182"], query="SELECT 1 AS ref")

    run = feed_run(feed)

    assert run.outcome == "failed"
    assert "Could not connect to or read the database" in run.summary
    assert "Secret-pw-123" not in run.summary + "".join(run.problems)
    assert "no_such_reader:***@" in run.summary
