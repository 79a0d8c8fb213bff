"""The reminders as a job for the worker: the same run as ``perfreport
remind`` (which stays, for cron), so that a schedule on the Schedules page
can send them and every sending is in the Runs page's record."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils.translation import gettext_noop

from perfreport.jobs.registry import Job, JobContext, JobFailed


def send_reminders(context: JobContext) -> str:
    """Run ``perfreport remind`` as it runs from cron; its last line is the
    outcome. An email that could not be sent fails the run, naming it (it is
    tried again on the next run, as from cron)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("remind", stdout=out, stderr=err)
    except SystemExit:
        problems = [line for line in err.getvalue().splitlines() if line.startswith("Could not")]
        raise JobFailed(" ".join(problems) or "Some reminders could not be sent.") from None
    lines = out.getvalue().strip().splitlines()
    outcome = lines[-1] if lines else "Nothing to remind."
    warnings = [line for line in err.getvalue().splitlines() if line.startswith("Warning:")]
    if warnings:
        outcome += f" {len(warnings)} warning{'' if len(warnings) == 1 else 's'}: {warnings[0]}"
    return outcome


REMINDERS = Job(name="reminders", label=gettext_noop("Send reminders"), run=send_reminders)
