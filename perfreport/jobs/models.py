"""Schedules kept in the database, and the record of every run of a job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfreport.jobs import registry


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("On a schedule")
    ON_DEMAND = "on demand", _("On demand")
    EVENT = "event", _("After an event")


class Outcome(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    OK = "ok", _("Finished")
    FAILED = "failed", _("Failed")


class Schedule(models.Model):
    """A job to run at the times a cron expression names, in local time
    (``TIME_ZONE``). ``next_run_at`` is when it is next due (kept in UTC, as
    every time is); the worker fires a due schedule by moving it on first, in
    one conditional update, so two workers never both fire it."""

    job = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    cron = models.CharField(
        max_length=100, help_text=_("When it runs: minute hour day-of-month month day-of-week")
    )
    enabled = models.BooleanField(default=True)
    paused_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Why perfreport paused it itself (its target was removed), shown on its page"),
    )
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey(
        "Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["job", "pk"]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="jobs_schedule_due")]

    def __str__(self) -> str:
        return f"{self.job_label} ({self.cron})"

    @property
    def job_label(self) -> str:
        return registry.label_of(self.job)

    @property
    def target(self) -> str:
        return str((self.params or {}).get("target", ""))


class Run(models.Model):
    """One run of a job: asked for by a schedule, a person or an event;
    queued, running, then finished well or failed, with a one-line summary,
    the error (a message for the BI team, never a traceback), its progress
    and the file it made, if any."""

    job = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_runs",
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    output = models.CharField(
        max_length=300, blank=True, help_text=_("The file it made, relative to MEDIA_ROOT")
    )
    worker = models.CharField(max_length=100, blank=True, help_text=_("The worker that ran it"))

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [
            models.Index(fields=["outcome"], name="jobs_run_outcome"),
            models.Index(fields=["job", "-queued_at"], name="jobs_run_job"),
        ]

    def __str__(self) -> str:
        return f"{self.job_label} #{self.pk} ({self.outcome})"

    @property
    def job_label(self) -> str:
        return registry.label_of(self.job)

    @property
    def finished(self) -> bool:
        return self.outcome in (Outcome.OK, Outcome.FAILED)
