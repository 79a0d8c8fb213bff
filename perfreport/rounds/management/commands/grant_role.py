"""perfreport grant USERNAME ROLE [--indicator REF | --service NAME | --directorate NAME]"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.accounts.models import Role, RoleGrant
from perfreport.accounts.permissions import Actor
from perfreport.registry.models import Directorate, Indicator, Service
from perfreport.rounds.people import Scope, role_grant, role_revoke


class Command(BaseCommand):
    help = gettext_noop(
        "Give a person a role: admin (the BI team: everything), owner (enter values and "
        "commentary for an indicator, a service or a directorate), approver (sign off a "
        "directorate, or every directorate) or viewer (read the internal pages). With --list, "
        "show everyone's roles. With --revoke, take the role away."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help=_("the person's username"))
        parser.add_argument("role", nargs="?", choices=Role.values, help=_("the role to give"))
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--indicator", metavar="REF", help=_("owner of this indicator"))
        scope.add_argument("--service", metavar="NAME", help=_("owner of every indicator in it"))
        scope.add_argument(
            "--directorate", metavar="NAME", help=_("owner or approver for this directorate")
        )
        parser.add_argument("--revoke", action="store_true", help=_("take the role away instead"))
        parser.add_argument("--list", action="store_true", help=_("list every role given"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for found in RoleGrant.objects.select_related(
                "user", "indicator", "service", "directorate"
            ):
                self.stdout.write(str(found))
            return
        if not options["username"] or not options["role"]:
            raise CommandError(_("give a username and a role (or --list)"), returncode=2)
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _(
                    "there is no user %(name)s: invite them on the People page first, or "
                    "create them with 'perfreport manage createsuperuser'"
                )
                % {"name": repr(options["username"])}
            )
        scope = Scope(**_scope(options))
        # The same service as the People page, recorded in the audit trail as
        # the command line's.
        actor = Actor.command_line()
        if options["revoke"]:
            if not role_revoke(actor, user=user, role=options["role"], scope=scope):
                raise CommandError(_("%(user)s has no such role to revoke") % {"user": user})
            said = _("Revoked: %(user)s %(role)s")
            self.stdout.write(said % {"user": user, "role": options["role"]})
            return
        try:
            grant, created = role_grant(actor, user=user, role=options["role"], scope=scope)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        said = _("Granted: %(grant)s") if created else _("Already held: %(grant)s")
        self.stdout.write(said % {"grant": grant})


def _scope(options: dict[str, Any]) -> dict[str, Any]:
    """Every scope field, the ones not given as None: a grant for every
    directorate is not the same as one for a named directorate."""
    scope: dict[str, Any] = {"indicator": None, "service": None, "directorate": None}
    if options["indicator"]:
        scope["indicator"] = _get(Indicator, ref=options["indicator"], what="indicator")
    elif options["service"]:
        scope["service"] = _get(Service, name=options["service"], what="service")
    elif options["directorate"]:
        scope["directorate"] = _get(Directorate, name=options["directorate"], what="directorate")
    return scope


def _get(model: Any, *, what: str, **key: str) -> Any:
    found = model.objects.filter(**key).first()
    if found is None:
        known = ", ".join(str(o) for o in model.objects.all()[:10])
        said = {
            "indicator": _("there is no indicator %(name)s; there are: %(known)s"),
            "service": _("there is no service %(name)s; there are: %(known)s"),
            "directorate": _("there is no directorate %(name)s; there are: %(known)s"),
        }[what]
        raise CommandError(said % {"name": repr(next(iter(key.values()))), "known": known})
    if model is Service and model.objects.filter(**key).count() > 1:
        said = _("%(key)s names more than one service: use --indicator instead")
        raise CommandError(said % {"key": key})
    return found
