"""Automated feeds: where a feed reads its figures (a read-only database's
query, or a folder files are dropped in), which indicators it may fill, what
each run found, and which round entries hold a figure a feed wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from perfreport.data.models import Entry
from perfreport.registry.models import Indicator, value_field

NAME_LIMIT = 100  # the audit trail names the feed's actor "feed <name>" in 150 characters
DEFAULT_TIMEOUT = 60  # seconds a query may run


class FeedKind(models.TextChoices):
    DATABASE = "database", gettext_lazy("Database query")
    FOLDER = "folder", gettext_lazy("Folder of files")


class Feed(models.Model):
    """A source of figures for chosen indicators. The database URL keeps its
    password, which no page, log or audit event shows (:meth:`safe_url`)."""

    name = models.CharField(max_length=NAME_LIMIT, unique=True)
    kind = models.CharField(max_length=10, choices=FeedKind.choices, default=FeedKind.DATABASE)
    database_url = models.CharField(
        "database URL",
        max_length=1000,
        blank=True,
        help_text="A SQLAlchemy URL of a read-only account, such as "
        "postgresql://reader@db.example.org/cases; its password is never shown.",
    )
    query = models.TextField(
        blank=True, help_text="A SELECT returning the columns ref, period and value."
    )
    folder = models.CharField(
        max_length=500, blank=True, help_text="The folder files are dropped in."
    )
    timeout_seconds = models.PositiveSmallIntegerField("timeout (seconds)", default=DEFAULT_TIMEOUT)
    indicators = models.ManyToManyField(Indicator, related_name="feeds", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_database(self) -> bool:
        return self.kind == FeedKind.DATABASE

    def safe_url(self) -> str:
        """The database URL with its password as ***: what pages and the trail show."""
        from perfreport.feeds.sources import hide_password

        return hide_password(self.database_url)

    def source_text(self) -> str:
        return self.safe_url() if self.is_database else self.folder


class RunOutcome(models.TextChoices):
    OK = "ok", gettext_lazy("Done")
    PROBLEMS = "problems", gettext_lazy("Done, with rows refused")
    FAILED = "failed", gettext_lazy("Failed: nothing written")


class FeedRun(models.Model):
    """One run of a feed, or one dry run: what it found, by outcome, with the
    rows worth a look (refused, suspect, changed) kept up to a limit."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    dry_run = models.BooleanField(default=False)
    trigger = models.CharField(max_length=20, help_text="schedule, on demand, command line, page")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=RunOutcome.choices, blank=True)
    summary = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    job_run_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The background run that made it, if any."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def how(self) -> str:
        """Who ran it and from where, in plain words: "by admin from the feed's page"."""
        how = _(HOW[self.trigger]) if self.trigger in HOW else self.trigger
        if self.requested_by:
            return _("by %(user)s %(how)s") % {"user": self.requested_by.get_username(), "how": how}
        return how

    @property
    def outcome_text(self) -> str:
        """The outcome as pages say it: a folder run that wrote some files and
        failed on others failed in part, not "nothing written"."""
        if not self.outcome:
            return _("Running")
        if self.outcome == RunOutcome.FAILED and self.counts.get("files_taken"):
            return _("Would fail in part") if self.dry_run else _("Failed in part")
        if self.outcome == RunOutcome.FAILED and self.dry_run:
            return _("Would fail")
        return str(self.get_outcome_display())


HOW = {
    "page": gettext_noop("from the feed's page"),
    "on demand": gettext_noop("with Run now"),
    "schedule": gettext_noop("on a schedule"),
    "command line": gettext_noop("from the command line"),
    "event": gettext_noop("after an event"),
}


class FeedFigure(models.Model):
    """The figure a feed wrote into a round's entry: while the entry still
    holds it, the entry is shown as "Automated from <feed>", so that its
    owner knows to write the commentary and submit it."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="feed_figure")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="figures")
    value = value_field(null=True, blank=True)
    withheld_as = models.CharField(max_length=40, blank=True)
    written_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.entry} from {self.feed}"

    def holds(self, entry: Entry) -> bool:
        """Whether ``entry`` still holds the figure the feed wrote."""
        return entry.value == self.value and entry.withheld_as == self.withheld_as
