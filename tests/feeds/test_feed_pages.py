"""The Feeds pages, for BI administrators only: a bad form names each field
and keeps what was typed (never the password); a saved feed is audited with
its URL's password as ***; the connection test says what the query returns;
Try it shows what would change and writes nothing; Run now queues a run for
the worker."""

from __future__ import annotations

import re

import pytest
from feed_helpers import PASSWORD, feed_form, fill_sqlite, make_feed

pytestmark = pytest.mark.django_db
SECRET = "Secret-pw-123"


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_only_bi_administrators_see_the_feeds(client, people, who):
    client.force_login(people[who])

    assert client.get("/feeds/").status_code == 403
    assert client.post("/feeds/add", feed_form()).status_code == 403


def test_staff_navigation_links_to_feeds_for_administrators(admin_client):
    page = admin_client.get("/scorecard/").content.decode()

    assert 'href="/feeds/"' in page


def test_a_bad_form_names_each_field_and_keeps_what_was_typed(admin_client):
    from perfreport.feeds.models import Feed

    response = admin_client.post(
        "/feeds/add",
        feed_form(
            name="",
            database_url=f"postgresql://reader:{SECRET}@db.example.org/cases",
            query="UPDATE kpi SET figure = 0",
            timeout_seconds="a minute",
            indicators=["180", "999"],
        ),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_name">Enter a name for the feed' in page
    assert '<a href="#id_query">The query starts with UPDATE' in page
    assert '<a href="#id_timeout_seconds">Enter the timeout as a whole number' in page
    assert '<a href="#id_indicators_0">There is no indicator 999' in page
    assert "UPDATE kpi SET figure = 0</textarea>" in page  # kept as typed
    assert 'value="a minute"' in page
    assert "postgresql://reader:***@db.example.org/cases" in page
    assert SECRET not in page
    assert not Feed.objects.exists()


def test_a_saved_feed_keeps_its_password_but_never_shows_or_audits_it(admin_client):
    from perfreport.audit.models import AuditEvent
    from perfreport.feeds.models import Feed

    url = f"postgresql://reader:{SECRET}@db.example.org/cases"
    response = admin_client.post("/feeds/add", feed_form(database_url=url))

    feed = Feed.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feeds/{feed.pk}/"
    assert feed.database_url == url
    event = AuditEvent.objects.get(object_type="feed", action="create")
    assert event.actor == "bi.admin"
    assert event.after["database_url"] == "postgresql://reader:***@db.example.org/cases"
    assert event.after["indicators"] == ["180", "182"]
    assert SECRET not in str(event.after)
    for address in ("/feeds/", f"/feeds/{feed.pk}/", f"/feeds/{feed.pk}/edit"):
        assert SECRET not in admin_client.get(address).content.decode()

    # Saved again as shown (the URL with ***, the password left empty): the password stays.
    admin_client.post(
        f"/feeds/{feed.pk}/edit",
        feed_form(database_url="postgresql://reader:***@db.example.org/cases", name="Cases"),
    )
    feed.refresh_from_db()
    assert (feed.name, feed.database_url) == ("Cases", url)
    change = AuditEvent.objects.get(object_type="feed", action="update")
    assert change.before == {"name": "Case system"} and change.after == {"name": "Cases"}


def test_the_connection_test_says_what_the_query_returns(admin_client, sqlite_source):
    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("182", "2020-11", 75)])

    response = admin_client.post(
        "/feeds/add", feed_form(database_url=f"sqlite:///{sqlite_source}", action="test")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Connected: the query returned 2 rows with the columns ref, period, value." in page
    assert f'value="sqlite:///{sqlite_source}"' in page  # the form, as typed, to save


def test_a_failed_connection_test_names_the_database_url(admin_client, tmp_path):
    response = admin_client.post(
        "/feeds/add", feed_form(database_url=f"sqlite:///{tmp_path}/gone.db", action="test")
    )

    assert response.status_code == 400
    assert '<a href="#id_database_url">The test failed: Could not connect' in (
        response.content.decode()
    )


def test_try_it_shows_each_row_and_writes_nothing(admin_client, sqlite_source, open_round):
    from perfreport.data.models import Entry

    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("181", "2020/21 Q3", 70)])
    feed = make_feed(sqlite_source, ["182"])

    response = admin_client.post(f"/feeds/{feed.pk}/try", follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run of Case system" in page
    assert "Dry run, nothing written: would be 1 new" in page
    rows = re.findall(
        r'<th scope="row">(\w+)</th>\s*<td class="nowrap">([^<]+)</td>\s*<td>(\w+)', page
    )
    assert sorted(rows) == [("181", "2020/21 Q3", "Refused"), ("182", "2020-10", "New")]
    assert not Entry.objects.filter(value__isnull=False, round=open_round).exists()


def test_run_now_queues_a_run_for_the_worker(admin_client, people, sqlite_source, open_round):
    from perfreport.jobs.models import Run

    feed = make_feed(sqlite_source, ["182"])

    response = admin_client.post(f"/feeds/{feed.pk}/run")

    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.job, run.params, run.trigger) == ("feed", {"target": str(feed.pk)}, "on demand")
    assert run.requested_by == people["admin"]
    assert run.outcome == "queued"


def test_removing_a_feed_is_audited(admin_client, sqlite_source):
    from perfreport.audit.models import AuditEvent
    from perfreport.feeds.models import Feed

    feed = make_feed(sqlite_source, ["182"])

    response = admin_client.post(f"/feeds/{feed.pk}/remove")

    assert response.status_code == 302
    assert not Feed.objects.exists()
    assert (
        AuditEvent.objects.get(object_type="feed", action="delete").before["name"] == "Case system"
    )


def test_password_is_a_password(admin_client):
    page = admin_client.get("/feeds/add").content.decode()

    assert 'id="id_password" name="password" type="password"' in page
    assert PASSWORD not in page


def test_a_folder_feed_is_tested_and_saved(admin_client, tmp_path):
    from perfreport.feeds.models import Feed

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "values.csv").write_text("ref,period,value\n182,2020-10,74\n")
    form = feed_form(kind="folder", database_url="", query="", folder=str(drop))

    tested = admin_client.post("/feeds/add", {**form, "action": "test"}).content.decode()
    saved = admin_client.post("/feeds/add", form)
    missing = admin_client.post("/feeds/add", {**form, "name": "Other", "folder": "relative/path"})

    assert f"The folder {drop} holds 1 file waiting: values.csv." in tested
    assert saved.status_code == 302
    assert Feed.objects.get().folder == str(drop)
    assert '<a href="#id_folder">relative/path is not a full path' in missing.content.decode()
