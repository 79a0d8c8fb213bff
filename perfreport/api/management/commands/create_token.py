"""perfreport manage create_token USERNAME --name NAME"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.api.models import ApiToken


class Command(BaseCommand):
    help = gettext_noop(
        "Make an API token for a member of staff and print it. It is shown only this once: "
        "only a hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("the member of staff the token acts for"))
        parser.add_argument(
            "--name", required=True, help=_("what will use it, to recognise it later ('Power BI')")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(
                _(
                    "no user is called %(name)s: make one with "
                    "'perfreport manage createsuperuser' or in the admin"
                )
                % {"name": repr(options["username"])}
            ) from None
        if not user.is_active:
            said = _("user %(name)s is not active")
            raise CommandError(said % {"name": repr(options["username"])})
        token, secret = ApiToken.objects.issue(user, options["name"])
        self.stdout.write(secret)
        self.stderr.write(
            _(
                "API token %(name)s for %(user)s (starts %(prefix)s); copy it now, it is not "
                "shown again."
            )
            % {"name": repr(token.name), "user": options["username"], "prefix": token.prefix}
        )
