"""What a BI administrator trying feeds for the first time met, through the
pages, the command and the job: a database whose driver is not installed is
refused on the form and fails any run plainly (never a 500 or a traceback);
a run always ends; a folder's run says what became of each file; removing a
feed asks first and takes its schedules with it; plain words throughout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from feed_helpers import feed_form, fill_sqlite, make_feed, make_folder_feed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import run

pytestmark = pytest.mark.django_db
NO_DRIVER = [
    ("mysql+pymysql://u:Secret-pw-123@127.0.0.1/x", "pymysql"),
    ("mssql+pyodbc://u:Secret-pw-123@sql01.example.org/Cases", "pyodbc"),
    ("oracle+oracledb://u:Secret-pw-123@ora01.example.org:1521/?service_name=CASES", "oracledb"),
]


def _form(**fields):
    return feed_form(indicators=("182",), **fields)


# 1. A driver that is not installed


@pytest.mark.parametrize(("url", "driver"), NO_DRIVER)
@pytest.mark.parametrize("action", ["save", "test"])
def test_a_url_whose_driver_is_missing_is_refused_on_the_form(admin_client, url, driver, action):
    from perfreport.feeds.models import Feed

    response = admin_client.post("/feeds/add", _form(database_url=url, action=action))

    page = response.content.decode()
    assert response.status_code == 400
    assert "this installation has no driver for" in page
    assert f"its driver {driver} is not installed" in page
    assert "Secret-pw-123" not in page
    assert not Feed.objects.exists()


@pytest.mark.parametrize(("url", "driver"), NO_DRIVER)
def test_a_feed_whose_driver_is_missing_fails_plainly_everywhere(
    admin_client, open_round, smtp, url, driver
):
    """A feed saved before its driver was removed: Try it, the command's dry
    run and a run by the worker's job each fail with one plain sentence, and
    the real run emails the BI administrators."""
    from perfreport.jobs.runs import run_now

    feed = make_feed(url, ["182"])
    said = f"no driver for: its driver {driver} is not installed"

    tried = admin_client.post(f"/feeds/{feed.pk}/try", follow=True)
    assert tried.status_code == 200
    assert "Would fail." in tried.content.decode()
    assert said in tried.content.decode()

    dry = run("feed", "Case system", "--dry-run")
    assert dry.returncode == 1
    assert dry.stdout.startswith(f"Case system: Would fail. The database URL {url.split(':')[0]}")
    assert said in dry.stdout and "Traceback" not in dry.stdout + dry.stderr
    assert len(dry.stdout.splitlines()) == 1  # one line, the reason said once
    assert "Secret-pw-123" not in dry.stdout + dry.stderr

    job = run_now("feed", {"target": str(feed.pk)}, trigger="on demand")
    assert job.outcome == "failed" and said in job.error
    [message] = smtp.parsed()
    assert message["Subject"] == "Feed Case system: failed"
    assert said in message.get_content()


# 2. A run always ends


def test_a_run_stopped_by_an_unexpected_error_ends_failed_everywhere(
    admin_client, open_round, sqlite_source, monkeypatch
):
    """An error past the run's own handling (here, in writing its summary):
    the run still ends as Failed, on the feed's page, the Feeds list and the
    command's list."""
    import perfreport.feeds.runs as runs

    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])
    feed = make_feed(sqlite_source, ["182"])
    run_ = runs.feed_run(feed)  # a real run first, then one that breaks
    assert run_.outcome == "ok"

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(runs, "summary_line", broken)
    with pytest.raises(RuntimeError):
        runs.feed_run(feed)
    monkeypatch.undo()

    last = feed.runs.first()
    assert last.outcome == "failed" and last.finished_at is not None
    assert last.summary == "The run stopped before it finished: see the server's log."
    page = admin_client.get(f"/feeds/{feed.pk}/").content.decode()
    assert "Running" not in page and "Failed: nothing written" in page
    assert "Failed: nothing written" in admin_client.get("/feeds/").content.decode()
    listed = run("feed")
    assert "Failed: nothing written. The run stopped before it finished" in listed.stdout


def test_an_unexpected_error_reading_a_file_fails_that_file_only(tmp_path, open_round, monkeypatch):
    """A file that fails for a reason nobody planned for (here, a fault put
    into its reading) fails plainly on its own; the other files are read."""
    import perfreport.feeds.runs as runs

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.csv").write_text("ref,period,value\n182,2020-10,74\n")
    (drop / "b.csv").write_text("ref,period,value\n182,2020-11,75\n")
    feed = make_folder_feed(drop, ["182"])
    reading = runs.read_file

    def faulty(path, limits):
        if path.name == "b.csv":
            raise MemoryError("no room")
        return reading(path, limits)

    monkeypatch.setattr(runs, "read_file", faulty)

    done = runs.feed_run(feed, dry_run=True)

    assert done.outcome_text == "Would fail in part"
    assert done.summary == (
        "Dry run, nothing written: 1 file would be processed (would be 1 new, 0 changed, "
        "0 unchanged, 0 refused); 1 file would fail, nothing of it written: b.csv: the run "
        "stopped on an unexpected error: MemoryError: no room."
    )


# 3. A folder's run, file by file


def test_a_folder_run_says_what_became_of_each_file(tmp_path, open_round):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a-good.csv").write_text("ref,period,value\n182,2020-10,74\n182,2020-11,75\n")
    (drop / "bad.csv").write_text("ref,period,value\n182,2020-13,74\n")
    (drop / "junk.xlsx").write_bytes(b"not a workbook")
    (drop / "weird.csv").write_text("not,a,values\n1,2,3\n")
    make_folder_feed(drop, ["182"])

    result = run("feed", "Drop folder")

    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "Drop folder: Failed in part. 1 file processed (2 new, 0 changed, 0 unchanged, "
        "0 refused); 3 files failed, nothing of them written: bad.csv: 1 error in the rows; "
        "junk.xlsx: "
    )
    assert "junk.xlsx: junk.xlsx" not in result.stdout
    assert first.endswith("; weird.csv: 1 error in the rows.")
    assert (
        "weird.csv, row 1: missing required column(s) ref, period, value: a feed needs ref, "
        "period and value, and the header has not, a, values"
    ) in result.stdout
    assert len(list((drop / "processed").glob("*-a-good.csv"))) == 1


def test_a_dry_run_that_fails_says_so_once(admin_client, open_round, sqlite_source):
    fill_sqlite(sqlite_source, [("182", "2020-13", 74), ("999", "2020-10", 1)])
    feed = make_feed(sqlite_source, ["182"])

    page = admin_client.post(f"/feeds/{feed.pk}/try", follow=True).content.decode()

    assert "<strong>Would fail.</strong> 2 errors in the rows." in page
    assert page.count("Failed") == 0
    assert "&#x27;999&#x27; is not an indicator in the register<" in page  # 6: no indicators.csv


# 4. The schedule's target


def test_the_schedule_form_offers_every_feed_as_the_docs_say(admin_client, open_round, tmp_path):
    make_feed(tmp_path / "cases.sqlite3", ["182"])

    page = admin_client.get("/schedules/add?job=feed").content.decode()

    assert '<option value="all">Every feed</option>' in page
    assert '<label class="label" for="id_target">Which feed</label>' in page
    assert '<option value="1">Case system</option>' in page or ">Case system</option>" in page
    docs = (Path(__file__).resolve().parents[2] / "docs" / "feeds.md").read_text()
    assert "or *Every feed*" in docs and "none for every feed" not in docs


# 5. Removing a feed


def test_removing_a_feed_asks_first_and_deletes_its_schedules(admin_client, people, tmp_path):
    from perfreport.accounts.permissions import Actor
    from perfreport.audit.models import AuditEvent
    from perfreport.feeds.models import Feed
    from perfreport.jobs.models import Schedule
    from perfreport.jobs.schedules import schedule_create

    feed = make_feed(tmp_path / "cases.sqlite3", ["182"])
    actor = Actor.of(people["admin"])
    mine = schedule_create(actor, job="feed", target=str(feed.pk), cron="0 7 * * *")
    every = schedule_create(actor, job="feed", target="all", cron="0 6 * * *")

    detail = admin_client.get(f"/feeds/{feed.pk}/").content.decode()
    assert f'href="/feeds/{feed.pk}/remove"' in detail  # a link to the page that asks
    asked = admin_client.get(f"/feeds/{feed.pk}/remove")
    page = asked.content.decode()
    assert asked.status_code == 200 and Feed.objects.filter(pk=feed.pk).exists()
    assert "Remove the feed Case system?" in page
    assert "1 schedule on the Schedules page runs this feed, and is deleted with it" in page
    assert "Run a feed: Daily at 07:00" in page

    done = admin_client.post(f"/feeds/{feed.pk}/remove", follow=True)

    assert "Its 1 schedule on the Schedules page is deleted too." in done.content.decode()
    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert list(Schedule.objects.all()) == [every]
    assert AuditEvent.objects.filter(object_type="schedule", action="delete", object_id=mine.pk)
    assert AuditEvent.objects.filter(object_type="feed", action="delete", object_id=feed.pk)
    assert "no longer there" not in admin_client.get("/schedules/").content.decode()


# 6 and 7. Words


def test_a_run_page_says_who_ran_it_in_plain_words(admin_client, open_round, sqlite_source):
    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])
    feed = make_feed(sqlite_source, ["182"])

    page = admin_client.post(f"/feeds/{feed.pk}/try", follow=True).content.decode()

    assert ", a dry run by bi.admin from the feed&#x27;s page." in page
    listed = admin_client.get(f"/feeds/{feed.pk}/").content.decode()
    assert "Dry run by bi.admin from the feed&#x27;s page" in listed


def test_a_long_name_says_how_long_it_may_be(admin_client):
    response = admin_client.post("/feeds/add", _form(name="x" * 101))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The name is 101 characters long: use at most 100 characters" in page
    assert "are kept" not in page


def test_the_connection_test_names_the_columns_a_query_lacks(admin_client, sqlite_source):
    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])

    response = admin_client.post(
        "/feeds/add",
        _form(
            database_url=f"sqlite:///{sqlite_source}",
            query="SELECT indicator AS ref FROM kpi",
            action="test",
        ),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<a href="#id_query">Connected: the query returned 1 row with the columns ref. But it '
        "has no columns period and value: a feed needs the columns ref, period and value"
    ) in page
