"""The feed as a job for the worker: a schedule on the Schedules page (or a
"Run now" on the feed's page) names one feed as its target, or "all" for
every feed (none: every feed too). The run's outcome is the feed run's summary; a run that failed
or refused rows fails the job, so that the Runs page shows it in red."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.feeds.models import Feed, RunOutcome
from perfreport.jobs.registry import Job, JobContext, JobFailed

ALL = "all"


def feed_targets() -> list[tuple[str, str]]:
    """Which feed a schedule runs: every feed, or one by its id."""
    feeds = [(str(pk), name) for pk, name in Feed.objects.values_list("pk", "name")]
    return [(ALL, _("Every feed")), *feeds]


def run_feeds(context: JobContext) -> str:
    """Run the target feed (every feed when none is named)."""
    from perfreport.feeds.runs import feed_run  # SQLAlchemy loads when a feed runs, not at start-up

    target = str(context.params.get("target") or "")
    target = "" if target == ALL else target
    feeds = Feed.objects.all()
    if target:
        feeds = feeds.filter(pk=int(target)) if target.isdigit() else feeds.none()
        if not feeds:
            said = _("There is no feed %(target)s: it was deleted. Edit the schedule.")
            raise JobFailed(said % {"target": target})
    outcomes, failed = [], False
    for feed in feeds:
        run = feed_run(
            feed,
            trigger=context.run.trigger,
            requested_by=context.run.requested_by,
            progress=context.progress,
            job_run_id=context.run.pk,
        )
        said = (
            f"{run.outcome_text}. {run.summary}"
            if run.outcome == RunOutcome.FAILED
            else run.summary
        )
        outcomes.append(f"{feed.name}: {said}")
        failed = failed or run.outcome != RunOutcome.OK
    line = " ".join(outcomes) or _("There are no feeds.")
    if failed:
        raise JobFailed(line)
    return line


FEED = Job(
    name="feed",
    label=gettext_noop("Run a feed"),
    run=run_feeds,
    targets=feed_targets,
    target_label=gettext_noop("feed"),
)
