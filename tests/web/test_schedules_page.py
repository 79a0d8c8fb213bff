"""The Schedules and Runs pages: for BI administrators only; adding,
changing, pausing, resuming, deleting and running a schedule, each change
in the audit trail; a refused form keeps what was typed and names the field;
the Runs list filters, a run's page and its JSON twin say how far it has got,
and its file goes only to administrators."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from perfreport.accounts.permissions import Actor, grant
from perfreport.audit.models import AuditEvent
from perfreport.jobs import registry, runs, schedules
from perfreport.jobs.models import Outcome, Run, Schedule, Trigger
from perfreport.jobs.registry import Job, JobContext

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London


def write_file(context: JobContext) -> str:
    context.output_path("made.csv").write_text("a,b\n", encoding="utf-8")
    return "Made made.csv"


@pytest.fixture(autouse=True)
def jobs():
    made = [
        Job("test-file", "Test: make a file", write_file),
        Job(
            "test-feed",
            "Test: load a feed",
            lambda context: "loaded",
            targets=lambda: [("1", "Finance ledger"), ("2", "Housing repairs")],
        ),
    ]
    for job in made:
        registry.register(job)
    yield
    for job in made:
        registry.unregister(job.name)


@pytest.fixture
def admin_client(client):
    user = User.objects.create_user("bi-lead", "bi@example.org")
    grant(user, "admin")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def schedule(admin_client) -> Schedule:
    with time_machine.travel(NOON, tick=False):
        return schedules.schedule_create(
            Actor.of(admin_client.user), job="test-feed", target="2", cron="30 6 * * mon"
        )


def test_someone_without_the_administrator_role_is_refused_every_page(client, schedule):
    user = User.objects.create_user("reader")
    grant(user, "owner")
    client.force_login(user)
    run = runs.enqueue("test-file", trigger=Trigger.EVENT)
    urls = [
        reverse("web:schedules"),
        reverse("web:schedule_add"),
        reverse("web:schedule", args=[schedule.pk]),
        reverse("web:schedule_delete", args=[schedule.pk]),
        reverse("web:runs"),
        reverse("web:run", args=[run.pk]),
        reverse("web:run_json", args=[run.pk]),
        reverse("web:run_file", args=[run.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    for name in ("schedule_pause", "schedule_resume", "schedule_run", "schedule_delete"):
        assert client.post(reverse(f"web:{name}", args=[schedule.pk])).status_code == 403, name

    schedule.refresh_from_db()
    assert schedule.enabled
    assert Run.objects.count() == 1


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("web:schedules"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@time_machine.travel(datetime(2026, 6, 1, 11, 0, tzinfo=UTC), tick=False)
def test_the_list_shows_each_schedule_in_plain_words_with_its_next_run(admin_client, schedule):
    response = admin_client.get(reverse("web:schedules"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Test: load a feed" in text and "Housing repairs" in text
    assert "Weekly on Monday at 06:30" in text
    assert "Mon 8 Jun 2026, 06:30" in text  # local time (BST), stored as 05:30 UTC
    assert 'href="/schedules/"' in text and 'aria-current="page">Schedules' in text


def test_adding_a_schedule_asks_for_the_job_first(admin_client):
    response = admin_client.get(reverse("web:schedule_add"))

    assert response.status_code == 200
    assert "Test: load a feed" in response.content.decode()
    assert "Test: make a file" in response.content.decode()

    refused = admin_client.get(reverse("web:schedule_add") + "?job=")
    assert refused.status_code == 400
    assert "Choose the job to run" in refused.content.decode()


@time_machine.travel(NOON, tick=False)
def test_an_administrator_adds_a_daily_schedule(admin_client):
    response = admin_client.post(
        reverse("web:schedule_add"),
        {"job": "test-feed", "target": "1", "kind": "daily", "time": "07:15", "every": "15"},
    )

    assert response.status_code == 303
    schedule = Schedule.objects.get()
    assert (schedule.job, schedule.params, schedule.cron) == (
        "test-feed",
        {"target": "1"},
        "15 7 * * *",
    )
    assert schedule.next_run_at == datetime(2026, 6, 2, 6, 15, tzinfo=UTC)
    assert AuditEvent.objects.get(object_type="schedule").action == "create"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        pytest.param({"kind": "daily", "time": "7pm"}, "time", "HH:MM", id="bad_time"),
        pytest.param({"kind": "monthly", "day": "40", "time": "07:00"}, "day", "1 to 31", id="day_40"),
        pytest.param({"kind": "monthly", "day": "", "time": "07:00"}, "day", "1 to 31", id="no_day"),
        pytest.param({"kind": "cron", "cron": "every day"}, "cron", "five fields", id="bad_cron"),
        pytest.param({"kind": "cron", "cron": "0 7 30 2 *"}, "cron", "no time that ever comes", id="never_comes"),
        pytest.param({"kind": ""}, "kind", "how often", id="no_kind"),
        pytest.param({"kind": "daily", "time": "07:00", "target": ""}, "target", "Choose which", id="no_target"),
    ],
)  # fmt: skip
def test_a_refused_schedule_keeps_what_was_typed_and_names_the_field(
    admin_client, typed, field, message
):
    form = {"job": "test-feed", "target": "2", "every": "15", "weekday": "2", **typed}

    response = admin_client.post(reverse("web:schedule_add"), form)

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert f'href="#id_{field}"' in text
    assert message.lower() in text.lower()
    assert "<title>Error:" in text
    for name in ("time", "day", "cron"):
        if typed.get(name):
            assert f'value="{typed[name]}"' in text
    if form["target"]:
        assert '<option value="2" selected>' in text
    assert '<option value="2" selected>Wednesday</option>' in text
    assert not Schedule.objects.exists()


def test_changing_a_schedule_shows_it_as_set_and_saves_the_change(admin_client, schedule):
    page = admin_client.get(reverse("web:schedule", args=[schedule.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="weekly" checked' in text and 'value="06:30"' in text
    assert '<option value="0" selected>Monday</option>' in text

    response = admin_client.post(
        reverse("web:schedule", args=[schedule.pk]),
        {"target": "1", "kind": "minutes", "every": "30", "time": "", "weekday": "0"},
    )

    assert response.status_code == 303
    schedule.refresh_from_db()
    assert (schedule.cron, schedule.params) == ("*/30 * * * *", {"target": "1"})
    event = AuditEvent.objects.get(object_type="schedule", action="update")
    assert event.before == {"params": {"target": "2"}, "cron": "30 6 * * mon"}


def test_pause_resume_run_now_and_delete(admin_client, schedule):
    assert admin_client.post(reverse("web:schedule_pause", args=[schedule.pk])).status_code == 303
    schedule.refresh_from_db()
    assert not schedule.enabled and schedule.next_run_at is None
    assert "Paused" in admin_client.get(reverse("web:schedules")).content.decode()

    assert admin_client.post(reverse("web:schedule_resume", args=[schedule.pk])).status_code == 303
    schedule.refresh_from_db()
    assert schedule.enabled and schedule.next_run_at is not None

    response = admin_client.post(reverse("web:schedule_run", args=[schedule.pk]))
    run = Run.objects.get()
    assert response.status_code == 303 and response.url == reverse("web:run", args=[run.pk])
    assert (run.trigger, run.requested_by, run.params) == (
        Trigger.ON_DEMAND,
        admin_client.user,
        {"target": "2"},
    )

    confirm = admin_client.get(reverse("web:schedule_delete", args=[schedule.pk]))
    assert "Delete the schedule: Test: load a feed, Housing repairs?" in confirm.content.decode()
    assert admin_client.post(reverse("web:schedule_delete", args=[schedule.pk])).status_code == 303
    assert not Schedule.objects.exists()
    run.refresh_from_db()
    assert run.schedule is None
    actions = list(
        AuditEvent.objects.filter(object_type="schedule")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "pause", "resume", "run", "delete"]


def test_a_get_never_changes_a_schedule(admin_client, schedule):
    for name in ("schedule_pause", "schedule_run"):
        assert admin_client.get(reverse(f"web:{name}", args=[schedule.pk])).status_code == 405

    schedule.refresh_from_db()
    assert schedule.enabled and not Run.objects.exists()


def test_the_runs_list_shows_every_run_and_filters_by_job_and_outcome(admin_client):
    made = runs.run_now("test-file", trigger=Trigger.ON_DEMAND, requested_by=admin_client.user)
    queued = runs.enqueue("test-feed", {"target": "1"}, trigger=Trigger.EVENT)

    every = admin_client.get(reverse("web:runs")).content.decode()
    only_ok = admin_client.get(reverse("web:runs") + "?outcome=ok").content.decode()
    only_feed = admin_client.get(reverse("web:runs") + "?job=test-feed").content.decode()

    assert f"#{made.pk}" in every and f"#{queued.pk}" in every
    assert "Made made.csv" in every and "bi-lead" in every and "After an event" in every
    assert f"#{made.pk}" in only_ok and f"#{queued.pk}" not in only_ok
    assert f"#{queued.pk}" in only_feed and f"#{made.pk}" not in only_feed


def test_a_runs_page_and_json_say_how_far_it_has_got(admin_client):
    run = runs.enqueue("test-feed", {"target": "1"}, trigger=Trigger.EVENT)
    Run.objects.filter(pk=run.pk).update(
        outcome=Outcome.RUNNING, progress=45, progress_note="row 450 of 1,000"
    )

    page = admin_client.get(reverse("web:run", args=[run.pk])).content.decode()
    answer = admin_client.get(reverse("web:run_json", args=[run.pk])).json()

    assert "Running." in page and "45% done: row 450 of 1,000" in page
    assert 'value="45"' in page and "job_run.js" in page
    assert "Test: load a feed: Finance ledger" in page
    assert (answer["outcome"], answer["progress"], answer["finished"]) == ("running", 45, False)
    assert answer["detail"] == "45% done: row 450 of 1,000"


def test_a_failed_run_shows_its_error(admin_client):
    Run.objects.create(
        job="test-feed",
        trigger=Trigger.SCHEDULE,
        outcome=Outcome.FAILED,
        error="The source refused",
    )

    page = admin_client.get(reverse("web:run", args=[Run.objects.get().pk])).content.decode()

    assert "Failed: The source refused" in page
    assert "job_run.js" not in page


def test_a_finished_runs_file_is_downloaded_by_an_administrator(admin_client):
    run = runs.run_now("test-file", trigger=Trigger.ON_DEMAND)

    page = admin_client.get(reverse("web:run", args=[run.pk])).content.decode()
    response = admin_client.get(reverse("web:run_file", args=[run.pk]))

    assert "Download made.csv" in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a,b\n"
    assert 'filename="made.csv"' in response["Content-Disposition"]


def test_a_run_without_a_file_answers_404(admin_client):
    run = runs.enqueue("test-file", trigger=Trigger.EVENT)

    assert admin_client.get(reverse("web:run_file", args=[run.pk])).status_code == 404
    assert admin_client.get(reverse("web:run", args=[run.pk + 1])).status_code == 404
