"""Schedules: the one write path for adding, changing, pausing, deleting and
running them (BI administrators only, each change in the audit trail), and
firing the ones that are due (the worker)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.audit.trail import fields_of, record, record_change
from perfreport.core.errors import Invalid
from perfreport.jobs import registry, runs, timing
from perfreport.jobs.models import Run, Schedule, Trigger

logger = logging.getLogger("perfreport.jobs")

SCHEDULE = "schedule"  # what the audit trail calls one
FIELDS = ("job", "params", "cron", "enabled")


def zone() -> ZoneInfo:
    """The local time zone schedules are read in (the TIME_ZONE setting)."""
    return ZoneInfo(settings.TIME_ZONE)


def next_run_at(cron: str, after: datetime | None = None) -> datetime:
    return timing.next_run(cron, after or timezone.now(), zone())


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("Only BI administrators may change schedules or run jobs.")


def _checked(job_name: str, target: str, cron: str) -> dict[str, Any]:
    """The schedule's params, after checking the job, its target and that the
    timing ever comes; ``Invalid`` naming the field otherwise."""
    try:
        job = registry.get(job_name)
    except registry.UnknownJob:
        raise Invalid.one("job", "Choose a job to run.") from None
    if not job.schedulable:
        raise Invalid.one("job", f"{job.title()} is run by perfreport itself, not on a schedule.")
    next_run_at(cron)  # Invalid on "cron" when the expression names no time that comes
    if job.targets is None:
        return {}
    choices = dict(job.targets())
    if target not in choices:
        raise Invalid.one("target", f"Choose which {job.target_label} this schedule is for.")
    return {"target": target}


def missing_target(schedule: Schedule) -> str:
    """Why the schedule cannot run as it stands, in words ("Its feed was
    removed"), or "" when it can: its job is offered and, for a job that
    runs for a target, that target is still there."""
    try:
        job = registry.get(schedule.job)
    except registry.UnknownJob:
        return "No part of perfreport offers its job any more"
    if job.targets is None:
        return ""
    if schedule.target not in dict(job.targets()):
        return f"Its {job.target_label} was removed"
    return ""


@transaction.atomic
def schedule_create(
    actor: Actor, *, job: str, cron: str, target: str = "", enabled: bool = True
) -> Schedule:
    _require_admin(actor)
    params = _checked(job, target, cron)
    schedule = Schedule.objects.create(
        job=job,
        params=params,
        cron=cron,
        enabled=enabled,
        next_run_at=next_run_at(cron) if enabled else None,
        created_by=actor.user if actor.user is not None and actor.user.pk else None,
    )
    record(actor, "create", SCHEDULE, schedule.pk, after=fields_of(schedule, FIELDS))
    return schedule


@transaction.atomic
def schedule_update(
    actor: Actor, schedule: Schedule, *, cron: str, target: str = "", enabled: bool | None = None
) -> Schedule:
    """Change a schedule's timing or target (and, given, whether it runs);
    its next run is worked out again from now."""
    _require_admin(actor)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    before = fields_of(schedule, FIELDS)
    schedule.params = _checked(schedule.job, target, cron)
    schedule.cron = cron
    schedule.paused_reason = ""  # its target is chosen again
    if enabled is not None:
        schedule.enabled = enabled
    schedule.next_run_at = next_run_at(cron) if schedule.enabled else None
    schedule.save()
    record_change(actor, schedule, SCHEDULE, before)
    return schedule


@transaction.atomic
def schedule_set_enabled(actor: Actor, schedule: Schedule, enabled: bool) -> Schedule:
    """Pause a schedule (it keeps its settings and never fires) or resume it
    (its next run worked out from now: missed runs are not made up). One
    whose target was removed is not resumed: ``Invalid`` on "target" says
    to choose another."""
    _require_admin(actor)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    if enabled:
        _require_target(schedule)
    before = fields_of(schedule, FIELDS)
    schedule.enabled = enabled
    schedule.paused_reason = ""
    schedule.next_run_at = next_run_at(schedule.cron) if enabled else None
    schedule.save(update_fields=["enabled", "paused_reason", "next_run_at"])
    record_change(actor, schedule, SCHEDULE, before, action="resume" if enabled else "pause")
    return schedule


@transaction.atomic
def schedule_delete(actor: Actor, schedule: Schedule) -> None:
    """Delete a schedule; its runs stay in the record."""
    _require_admin(actor)
    before = fields_of(schedule, FIELDS)
    pk = schedule.pk
    schedule.delete()
    record(actor, "delete", SCHEDULE, pk, before=before)


@transaction.atomic
def schedule_run_now(actor: Actor, schedule: Schedule) -> Run:
    """Queue a run of the schedule's job now, as asked for by ``actor``; the
    schedule's own next run is unchanged. One whose target was removed is
    not run: ``Invalid`` on "target"."""
    _require_admin(actor)
    _require_target(schedule)
    run = runs.enqueue(
        schedule.job,
        schedule.params,
        trigger=Trigger.ON_DEMAND,
        requested_by=actor.user,
        schedule=schedule,
    )
    record(actor, "run", SCHEDULE, schedule.pk, after={"run": run.pk})
    return run


def _require_target(schedule: Schedule) -> None:
    missing = missing_target(schedule)
    if missing:
        raise Invalid.one(
            "target", f"{missing}: change the schedule to choose another, or delete it."
        )


def fire_due(now: datetime | None = None) -> list[Run]:
    """Queue one run of every enabled schedule that is due, and move each on
    to its next time. The move is a conditional update on the next-run time
    the worker read: of two workers that read the same due schedule, one
    moves it and queues the run, the other finds it moved and does nothing.
    Runs missed while no worker ran are not made up: a due schedule runs
    once, then at its next time after now."""
    now = now or timezone.now()
    fired = []
    due = Schedule.objects.filter(enabled=True, next_run_at__lte=now).order_by("next_run_at")
    for schedule in due:
        run = _fire(schedule, now)
        if run is not None:
            fired.append(run)
    return fired


def _fire(schedule: Schedule, now: datetime) -> Run | None:
    try:
        following = next_run_at(schedule.cron, now)
    except Invalid:
        _pause_itself(schedule, "Its timing names no time that ever comes")
        return None
    missing = missing_target(schedule)
    if missing:
        _pause_itself(schedule, missing)
        return None
    with transaction.atomic():
        claimed = Schedule.objects.filter(
            pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
        ).update(next_run_at=following)
        if not claimed:
            return None
        run = runs.enqueue(
            schedule.job, schedule.params, trigger=Trigger.SCHEDULE, schedule=schedule
        )
        Schedule.objects.filter(pk=schedule.pk).update(last_run=run)
    return run


def _pause_itself(schedule: Schedule, why: str) -> None:
    """Pause a due schedule that cannot run, saying why on the Schedules page,
    rather than fail at every one of its times: in the audit trail as done by
    perfreport itself. Of two workers, one pauses it (a conditional update
    on the next-run time both read)."""
    reason = f"{why}: paused by perfreport on {timezone.localtime():%-d %b %Y at %H:%M}"
    with transaction.atomic():
        paused = Schedule.objects.filter(
            pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
        ).update(enabled=False, next_run_at=None, paused_reason=reason[:300])
        if not paused:
            return
        record(
            Actor.command_line(),
            "pause",
            SCHEDULE,
            schedule.pk,
            before={"enabled": True},
            after={"enabled": False},
            reason=reason,
        )
    logger.warning("Schedule %s (%s) paused: %s", schedule.pk, schedule.job, why)
