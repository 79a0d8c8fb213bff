"""Schedules: changed only by BI administrators, every change in the audit
trail, and fired once when due however many workers look."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult

from perfreport.accounts.permissions import Actor, NotAllowed, grant
from perfreport.audit.models import AuditEvent
from perfreport.core.errors import Invalid
from perfreport.jobs import registry, schedules
from perfreport.jobs.models import Outcome, Run, Schedule, Trigger
from perfreport.jobs.registry import Job

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London


@pytest.fixture
def admin() -> Actor:
    user = User.objects.create_user("bi-lead")
    grant(user, "admin")
    return Actor.of(user)


@pytest.fixture
def viewer() -> Actor:
    user = User.objects.create_user("reader")
    grant(user, "viewer")
    return Actor.of(user)


@pytest.fixture
def targeted():
    job = Job(
        "test-feed",
        "Test: load a feed",
        lambda context: f"loaded {context.params['target']}",
        targets=lambda: [("1", "Finance"), ("2", "Housing")],
    )
    registry.register(job)
    yield job
    registry.unregister(job.name)


@time_machine.travel(NOON, tick=False)
def test_an_administrator_adds_a_schedule_with_its_next_run_in_local_time(admin):
    schedule = schedules.schedule_create(admin, job="reminders", cron="0 7 * * *")

    assert schedule.next_run_at == datetime(2026, 6, 2, 6, 0, tzinfo=UTC)  # 07:00 BST
    assert schedule.created_by == admin.user
    event = AuditEvent.objects.get(object_type="schedule")
    assert (event.action, event.object_id, event.actor) == ("create", str(schedule.pk), "bi-lead")
    assert event.after == {"job": "reminders", "params": {}, "cron": "0 7 * * *", "enabled": True}


def test_anyone_else_is_refused_and_nothing_changes(admin, viewer):
    schedule = schedules.schedule_create(admin, job="reminders", cron="0 7 * * *")

    with pytest.raises(NotAllowed, match="Only BI administrators"):
        schedules.schedule_create(viewer, job="reminders", cron="0 8 * * *")
    for change in (
        lambda: schedules.schedule_update(viewer, schedule, cron="0 9 * * *"),
        lambda: schedules.schedule_set_enabled(viewer, schedule, False),
        lambda: schedules.schedule_delete(viewer, schedule),
        lambda: schedules.schedule_run_now(viewer, schedule),
    ):
        with pytest.raises(NotAllowed):
            change()

    assert list(Schedule.objects.values_list("cron", "enabled")) == [("0 7 * * *", True)]
    assert not Run.objects.exists()
    assert AuditEvent.objects.filter(object_type="schedule").count() == 1


@pytest.mark.parametrize(
    ("job", "target", "cron", "field"),
    [
        pytest.param("", "", "0 7 * * *", "job", id="no_job"),
        pytest.param("nothing", "", "0 7 * * *", "job", id="unknown_job"),
        pytest.param("test-feed", "", "0 7 * * *", "target", id="target_missing"),
        pytest.param("test-feed", "9", "0 7 * * *", "target", id="target_unknown"),
        pytest.param("test-feed", "1", "0 7 30 2 *", "cron", id="never_comes"),
    ],
)
def test_a_schedule_that_cannot_run_is_refused_naming_the_field(
    admin, targeted, job, target, cron, field
):
    with pytest.raises(Invalid) as error:
        schedules.schedule_create(admin, job=job, target=target, cron=cron)

    assert list(error.value.errors) == [field]
    assert not Schedule.objects.exists()


def test_a_job_only_code_runs_cannot_be_scheduled(admin):
    registry.register(Job("test-code", "Test: code only", lambda c: "", schedulable=False))
    try:
        with pytest.raises(Invalid, match="run by perfreport itself"):
            schedules.schedule_create(admin, job="test-code", cron="0 7 * * *")
    finally:
        registry.unregister("test-code")


@time_machine.travel(NOON, tick=False)
def test_changing_the_timing_and_target_is_audited_with_before_and_after(admin, targeted):
    schedule = schedules.schedule_create(admin, job="test-feed", target="1", cron="0 7 * * *")

    schedules.schedule_update(admin, schedule, cron="30 18 * * fri", target="2")

    schedule.refresh_from_db()
    assert schedule.params == {"target": "2"}
    assert schedule.next_run_at == datetime(2026, 6, 5, 17, 30, tzinfo=UTC)
    event = AuditEvent.objects.filter(object_type="schedule", action="update").get()
    assert event.before == {"params": {"target": "1"}, "cron": "0 7 * * *"}
    assert event.after == {"params": {"target": "2"}, "cron": "30 18 * * fri"}


@time_machine.travel(NOON, tick=False)
def test_a_paused_schedule_never_fires_and_resumes_from_now(admin):
    schedule = schedules.schedule_create(admin, job="reminders", cron="*/15 * * * *")

    schedules.schedule_set_enabled(admin, schedule, False)
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert schedules.fire_due() == []
        schedules.schedule_set_enabled(admin, schedule, True)

    schedule.refresh_from_db()
    assert schedule.next_run_at == NOON + timedelta(days=2, minutes=15)
    actions = list(
        AuditEvent.objects.filter(object_type="schedule")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "pause", "resume"]


def test_deleting_a_schedule_keeps_its_runs_and_is_audited(admin):
    schedule = schedules.schedule_create(admin, job="reminders", cron="0 7 * * *")
    run = schedules.schedule_run_now(admin, schedule)

    schedules.schedule_delete(admin, schedule)

    run.refresh_from_db()
    assert run.schedule is None
    event = AuditEvent.objects.get(object_type="schedule", action="delete")
    assert event.before["cron"] == "0 7 * * *"


def test_run_now_queues_a_run_asked_for_by_the_administrator(
    admin, django_capture_on_commit_callbacks
):
    schedule = schedules.schedule_create(admin, job="reminders", cron="0 7 * * *")
    next_run_at = schedule.next_run_at

    with django_capture_on_commit_callbacks(execute=True):
        run = schedules.schedule_run_now(admin, schedule)

    assert (run.trigger, run.requested_by, run.schedule) == (
        Trigger.ON_DEMAND,
        admin.user,
        schedule,
    )
    assert DBTaskResult.objects.count() == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == next_run_at
    assert AuditEvent.objects.get(action="run").after == {"run": run.pk}


def test_a_due_schedule_fires_once_and_moves_on(admin, django_capture_on_commit_callbacks):
    with time_machine.travel(NOON, tick=False):
        schedule = schedules.schedule_create(admin, job="reminders", cron="0 7 * * *")

    with time_machine.travel(datetime(2026, 6, 2, 6, 0, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            fired = schedules.fire_due()
        again = schedules.fire_due()

    assert len(fired) == 1 and again == []
    run = fired[0]
    assert (run.trigger, run.schedule, run.outcome) == (Trigger.SCHEDULE, schedule, Outcome.QUEUED)
    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime(2026, 6, 3, 6, 0, tzinfo=UTC)
    assert schedule.last_run == run
    assert DBTaskResult.objects.count() == 1


def test_two_workers_that_read_the_same_due_schedule_fire_it_once(admin):
    """Both read the schedule while it was due; the first moves it on, the
    second's conditional update finds it moved and queues nothing."""
    with time_machine.travel(NOON, tick=False):
        schedules.schedule_create(admin, job="reminders", cron="*/5 * * * *")
    later = NOON + timedelta(minutes=6)
    read_by_first = Schedule.objects.get()
    read_by_second = Schedule.objects.get()

    first = schedules._fire(read_by_first, later)
    second = schedules._fire(read_by_second, later)

    assert first is not None and second is None
    assert Run.objects.count() == 1


def test_runs_missed_while_no_worker_ran_are_not_made_up(admin):
    with time_machine.travel(NOON, tick=False):
        schedule = schedules.schedule_create(admin, job="reminders", cron="*/15 * * * *")

    a_day_later = NOON + timedelta(days=1, minutes=7)
    fired = schedules.fire_due(a_day_later)

    assert len(fired) == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == NOON + timedelta(days=1, minutes=15)


def test_a_schedule_whose_job_has_gone_fires_nothing_and_pauses_itself(admin, targeted):
    with time_machine.travel(NOON, tick=False):
        schedule = schedules.schedule_create(admin, job="test-feed", target="1", cron="0 7 * * *")
    registry.unregister("test-feed")

    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert schedules.fire_due() == []
        assert schedules.fire_due() == []  # paused: not tried again

    schedule.refresh_from_db()
    assert not schedule.enabled and schedule.next_run_at is None
    assert schedule.paused_reason.startswith("No part of perfreport offers its job any more: ")
    assert not Run.objects.exists()
    assert AuditEvent.objects.filter(object_type="schedule", action="pause").count() == 1
