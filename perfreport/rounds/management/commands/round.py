"""perfreport round open|list|publish"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from perfreport.accounts.management.commands._people import actor_for
from perfreport.core.workflow import EntryState
from perfreport.data.management.commands._common import date_argument, period_argument
from perfreport.data.models import Round
from perfreport.data.snapshots import snapshot_of
from perfreport.rounds.services import Invalid, NotAllowed, RoundError, open_round, publish_round


class Command(BaseCommand):
    help = gettext_noop(
        "Run the quarterly round from the command line: open a round for a period with a "
        "deadline (an entry for every indicator due in it), list the rounds and where their "
        "entries stand, or publish a round whose entries are all approved. The command line "
        "acts as a BI administrator unless --user names the person it acts for."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help=_("act as this person (their roles apply)"))
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        opening = actions.add_parser("open", help=_("open the round for a period"))
        opening.add_argument(
            "--period", required=True, type=period_argument, help=_("e.g. 2020/21 Q3")
        )
        opening.add_argument(
            "--deadline",
            required=True,
            type=date_argument,
            help=_("when entries are due: YYYY-MM-DD"),
        )
        actions.add_parser("list", help=_("list the rounds and their entries by state"))
        publishing = actions.add_parser("publish", help=_("publish a round"))
        publishing.add_argument(
            "--period", required=True, type=period_argument, help=_("the round's period")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_for(options["user"])
        try:
            if options["action"] == "open":
                opened = open_round(actor, options["period"], options["deadline"])
                self.stdout.write(
                    _("Opened the round for %(period)s: %(count)s entries, due by %(deadline)s.")
                    % {
                        "period": opened.period,
                        "count": opened.entries.count(),
                        "deadline": date_format(opened.deadline, "j F Y"),
                    }
                )
                if updates := opened.action_updates.count():
                    self.stdout.write(
                        ngettext(
                            "%(count)s action update to make: the actions and projects open at "
                            "the period's end.",
                            "%(count)s action updates to make: the actions and projects open at "
                            "the period's end.",
                            updates,
                        )
                        % {"count": updates}
                    )
            elif options["action"] == "publish":
                found = _round(options["period"].label)
                published = publish_round(actor, found.pk)
                count = len(snapshot_of(published).entries)
                said = _("Published the round for %(period)s: %(count)s values.")
                self.stdout.write(said % {"period": published.period, "count": count})
            else:
                self._list()
        except Invalid as error:
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from None
        except (NotAllowed, RoundError) as error:
            raise CommandError(str(error)) from None

    def _list(self) -> None:
        rounds = list(Round.objects.all())
        if not rounds:
            self.stdout.write(_("No rounds yet: open one with 'perfreport round open'."))
            return
        for found in rounds:
            counts = dict(
                found.entries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
            )
            states = ", ".join(
                f"{counts[s.value]} {s.label.lower()}" for s in EntryState if counts.get(s.value)
            )
            self.stdout.write(
                _("%(period)s  %(state)s  due %(deadline)s  %(entries)s")
                % {
                    "period": found.period,
                    "state": f"{found.get_state_display():<9}",
                    "deadline": f"{found.deadline:%Y-%m-%d}",
                    "entries": states or _("no entries"),
                }
            )


def _round(label: str) -> Round:
    found = Round.objects.filter(period=label).first()
    if found is None:
        said = _("there is no round for %(period)s: open it with 'perfreport round open'")
        raise CommandError(said % {"period": label})
    return found
