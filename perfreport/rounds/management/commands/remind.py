"""perfreport remind [--days N] [--dry-run] [--today YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from perfreport.data.management.commands._common import date_argument
from perfreport.rounds.models import ReminderKind
from perfreport.rounds.notifications import find_notifications
from perfreport.rounds.owners import unowned_in_open_rounds
from perfreport.rounds.reminders import Reminder, SendFailed, find_reminders, send_reminder


def days_argument(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        said = _("%(text)s is not a number of days: give 0 or more")
        raise argparse.ArgumentTypeError(said % {"text": repr(text)})
    return days


class Command(BaseCommand):
    help = gettext_noop(
        "Email owners whose entries and action updates in an open round are due within --days "
        "of the deadline or overdue, and approvers with submitted ones waiting: one email per "
        "person, round and kind, listing the figures and actions with a link to each. Each reminder is recorded "
        "(claimed) before it is sent and never sent again, even by a run that overlaps this "
        "one, so it is safe to run from cron every hour. Exit status 0, or 1 when an email "
        "could not be sent (its record is deleted and it is tried again on the next run). "
        "The same run tells owners of figures and actions returned to them (with the reason) "
        "and of their "
        "figures published in the last 7 days, in the same way."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=days_argument,
            default=None,
            help=_(
                "remind owners of entries due within this many days of today (default: "
                "the PERFREPORT_REMIND_DAYS setting, now %(days)s)"
            )
            % {"days": settings.PERFREPORT_REMIND_DAYS},
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("print who would be emailed about what; send and record nothing"),
        )
        parser.add_argument(
            "--today",
            type=date_argument,
            default=None,
            help=_(
                "the date to remind as of, YYYY-MM-DD (default: today), for catching up or testing"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.PERFREPORT_REMIND_DAYS
        today = options["today"] or timezone.localdate()
        self._unowned()
        reminders = []
        found = [*find_notifications(timezone.now()), *find_reminders(today, days)]
        for reminder in found:
            if reminder.user.email:
                reminders.append(reminder)
            else:
                self.stderr.write(
                    _(
                        "Warning: %(user)s has no email address: not reminded of %(summary)s "
                        "(give them one in the admin)"
                    )
                    % {"user": reminder.user.get_username(), "summary": reminder.summary}
                )
        if options["dry_run"]:
            self._dry_run(reminders)
            return
        failed = self._send(reminders)
        if failed:
            sys.exit(1)

    def _unowned(self) -> None:
        """Name the entries of open rounds that nobody owns: nobody is reminded of them."""
        for open_, entries in unowned_in_open_rounds():
            n = len(entries)
            listed = "; ".join(
                f"{e.indicator.ref} {e.indicator.title} ({e.get_period().long_label})"
                for e in entries
            )
            self.stderr.write(
                ngettext(
                    "Warning: in the round for %(round)s, %(count)s entry has no owner, so "
                    "nobody is reminded of it: %(listed)s. Give it an owner on the round's page "
                    "or with 'perfreport grant USERNAME owner --indicator REF'.",
                    "Warning: in the round for %(round)s, %(count)s entries have no owner, so "
                    "nobody is reminded of them: %(listed)s. Give each an owner on the round's "
                    "page or with 'perfreport grant USERNAME owner --indicator REF'.",
                    n,
                )
                % {"round": open_.period, "count": n, "listed": listed}
            )

    def _dry_run(self, reminders: list[Reminder]) -> None:
        for reminder in reminders:
            said = _("Would remind %(email)s: %(subject)s")
            self.stdout.write(said % {"email": reminder.user.email, "subject": reminder.subject})
            for item in reminder.items:
                entry = item.entry
                self.stdout.write(
                    f"  {entry.indicator.ref} {entry.indicator.title} ({entry.period}, "
                    f"{entry.get_state_display().lower()}) {item.link}"
                )
            for action_item in reminder.actions:
                update = action_item.update
                self.stdout.write(
                    f"  {update.action.ref} {update.action.title} ({update.period}, "
                    f"{update.get_state_display().lower()}) {action_item.link}"
                )
        self.stdout.write(
            ngettext(
                "Dry run: %(count)s reminder would be sent; nothing was sent or recorded.",
                "Dry run: %(count)s reminders would be sent; nothing was sent or recorded.",
                len(reminders),
            )
            % {"count": len(reminders)}
        )

    def _send(self, reminders: list[Reminder]) -> int:
        connection = get_connection()
        sent = failed = taken = 0
        for reminder in reminders:
            try:
                claimed = send_reminder(reminder, connection)
            except SendFailed as error:
                failed += 1
                self.stderr.write(
                    _(
                        "Could not remind %(email)s of %(summary)s: %(error)s. It will be tried "
                        "again on the next run."
                    )
                    % {"email": reminder.user.email, "summary": reminder.summary, "error": error}
                )
                continue
            if claimed is None:
                taken += 1
                self.stdout.write(
                    _(
                        "Not reminding %(email)s of %(summary)s: another run has sent it or is "
                        "sending it."
                    )
                    % {"email": reminder.user.email, "summary": reminder.summary}
                )
                continue
            sent += 1
            # Only what this run claimed: an overlapping run may have taken some entries.
            said = _verb(claimed)
            self.stdout.write(said % {"email": claimed.user.email, "summary": claimed.summary})
        if not reminders:
            self.stdout.write(
                _(
                    "Nothing to remind: no new figures or actions due, overdue, waiting for "
                    "approval, returned or published."
                )
            )
        else:
            done = [
                ngettext("Sent %(count)s reminder", "Sent %(count)s reminders", sent)
                % {"count": sent}
            ]
            if failed:
                done.append(
                    ngettext(
                        "%(count)s reminder could not be sent",
                        "%(count)s reminders could not be sent",
                        failed,
                    )
                    % {"count": failed}
                )
            if taken:
                done.append(
                    ngettext(
                        "%(count)s reminder left to another run",
                        "%(count)s reminders left to another run",
                        taken,
                    )
                    % {"count": taken}
                )
            self.stdout.write("; ".join(done) + ".")
        return failed


def _verb(reminder: Reminder) -> str:
    told = (ReminderKind.RETURNED, ReminderKind.PUBLISHED)
    if reminder.kind in told:
        return _("Told %(email)s: %(summary)s")
    return _("Reminded %(email)s: %(summary)s")
