"""perfreport feed [NAME [--dry-run]]"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from perfreport.core.text import escaped
from perfreport.feeds.models import Feed, FeedRun, RunOutcome


class Command(BaseCommand):
    help = gettext_noop(
        "Run an automated feed: its figures land as drafts in the open round's entries, marked "
        "as automated, for their owners to add commentary and submit. Without NAME, list the "
        "feeds. With --dry-run, say what would change (new, changed, unchanged, refused, "
        "suspect) and write nothing. Exit status 0 when every row was taken; 1 when the run "
        "failed (nothing written) or refused rows; 2 when the command line is wrong (an unknown "
        "feed). Progress goes to standard error, the result to standard output."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help=_("the feed to run, by name (see the list)"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the source and say what would change; write nothing and move no file"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if not name:
            if options["dry_run"]:
                raise CommandError(_("--dry-run needs the feed's name"), returncode=2)
            self._list()
            return
        feed = Feed.objects.filter(name__iexact=name).first()
        if feed is None:
            known = ", ".join(Feed.objects.values_list("name", flat=True)) or _("none yet")
            said = _("there is no feed %(name)s (feeds: %(known)s)")
            raise CommandError(said % {"name": repr(name), "known": known}, returncode=2)
        from perfreport.feeds.runs import feed_run
        from perfreport.feeds.sources import without_password

        try:
            run = feed_run(
                feed, dry_run=options["dry_run"], trigger="command line", progress=self._progress
            )
        except Exception as error:  # the run is recorded as failed; one line here, no traceback
            said = without_password(f"{type(error).__name__}: {error}", feed.database_url)
            stopped = _("the run stopped: %(error)s") % {"error": said.splitlines()[0]}
            raise CommandError(stopped, returncode=1) from None
        self._report(run)
        if run.outcome != RunOutcome.OK:
            sys.stdout.flush()
            raise SystemExit(1)

    def _list(self) -> None:
        feeds = list(Feed.objects.prefetch_related("indicators"))
        if not feeds:
            self.stdout.write(_("No feeds yet: a BI administrator adds them on the Feeds page."))
            return
        for feed in feeds:
            last = feed.runs.filter(dry_run=False).first()
            said = (
                _("last run %(when)s: %(outcome)s. %(summary)s")
                % {
                    "when": f"{last.started_at:%Y-%m-%d %H:%M}",
                    "outcome": last.outcome_text,
                    "summary": last.summary,
                }
                if last
                else _("never run")
            )
            count = feed.indicators.count()
            line = ngettext(
                "%(name)s  (%(kind)s: %(source)s; %(count)s indicator; %(said)s)",
                "%(name)s  (%(kind)s: %(source)s; %(count)s indicators; %(said)s)",
                count,
            ) % {
                "name": feed.name,
                "kind": feed.get_kind_display().lower(),
                "source": feed.source_text(),
                "count": count,
                "said": said,
            }
            self.stdout.write(escaped(line))

    def _progress(self, percent: int, note: str) -> None:
        if percent < 100:
            self.stderr.write(escaped(f"{percent:3d}%  {note}"))

    def _report(self, run: FeedRun) -> None:
        write = self.stdout.write
        said = (
            f"{run.outcome_text}. {run.summary}"
            if run.outcome == RunOutcome.FAILED
            else run.summary
        )
        write(escaped(f"{run.feed.name}: {said}"))
        for problem in run.problems:
            write(escaped(problem))
        for row in run.rows:
            if row["outcome"] in ("unchanged",) and not row["suspect"]:
                continue
            figures = f"{row['before'] or _('(none)')} -> {row['after']}"
            said = row["message"]
            if row["suspect"]:
                suspect = _("suspect: %(findings)s") % {"findings": "; ".join(row["suspect"])}
                said = "; ".join(filter(None, [said, suspect]))
            write(
                escaped(
                    f"{row['outcome']:<13} {row['ref']} {row['period']}: {figures}"
                    + (f"  ({said})" if said else "")
                )
            )
