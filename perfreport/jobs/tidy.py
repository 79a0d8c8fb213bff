"""The jobs app's own job: "Tidy old runs". Runs pile up (charts are drawn
after every change of figures): scheduled, this deletes the runs that
finished more than 30, 90 or 365 days ago, the files they made, and the
queue's records of them, in batches so that memory stays flat."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks_db.models import DBTaskResult

from perfreport.jobs.models import Run
from perfreport.jobs.registry import Job, JobContext, JobFailed
from perfreport.jobs.runs import OUTPUT_FOLDER

AGES = [("30", "Runs finished over 30 days ago"), ("90", "Runs finished over 90 days ago"),
        ("365", "Runs finished over a year ago")]  # fmt: skip
BATCH = 500


def tidy_runs(context: JobContext) -> str:
    days = str(context.params.get("target") or "90")
    if days not in dict(AGES):
        raise JobFailed(f"Runs are kept 30, 90 or 365 days, not {days!r}: edit the schedule.")
    cutoff = timezone.now() - timedelta(days=int(days))
    old = Run.objects.filter(finished_at__lt=cutoff).exclude(pk=context.run.pk).order_by("pk")
    total, deleted = old.count(), 0
    while batch := list(old.values_list("pk", flat=True)[:BATCH]):
        for pk in batch:
            shutil.rmtree(Path(settings.MEDIA_ROOT) / OUTPUT_FOLDER / str(pk), ignore_errors=True)
        deleted += Run.objects.filter(pk__in=batch).delete()[0]
        context.progress(90 * deleted // total, f"{deleted} of {total} runs deleted")
    tasks = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()[0]
    return (
        f"Deleted {deleted} run{'' if deleted == 1 else 's'} finished before "
        f"{timezone.localtime(cutoff):%-d %B %Y} and their files, and {tasks} finished "
        f"task{'' if tasks == 1 else 's'} from the queue."
    )


TIDY = Job(
    name="tidy-runs", label=gettext_noop("Tidy old runs"), run=tidy_runs, targets=lambda: AGES
)
