"""Who a command acts for."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from perfreport.accounts.permissions import Actor


def actor_for(username: str | None) -> Actor:
    """The named person, or the command line itself (a BI administrator:
    whoever can run commands here can reach the database anyway)."""
    if not username:
        return Actor.command_line()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("there is no active user %(name)s") % {"name": repr(username)})
    return Actor.of(user)
