"""perfreport manage create_token USERNAME --name NAME"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from perfreport.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make an API token for a member of staff and print it. It is shown only this once: "
        "only a hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the member of staff the token acts for")
        parser.add_argument(
            "--name", required=True, help="what will use it, to recognise it later ('Power BI')"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(
                f"no user is called {options['username']!r}: make one with "
                "'perfreport manage createsuperuser' or in the admin"
            ) from None
        if not user.is_active:
            raise CommandError(f"user {options['username']!r} is not active")
        token, secret = ApiToken.objects.issue(user, options["name"])
        self.stdout.write(secret)
        self.stderr.write(
            f"API token {token.name!r} for {options['username']} (starts {token.prefix}); "
            "copy it now, it is not shown again."
        )
