"""What every page's layout needs: the organisation's name and who is signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from perfreport.accounts.permissions import Actor
from perfreport.data.evaluations import kept
from perfreport.registry.models import Organisation


def _home_name() -> str:
    return Organisation.objects.filter(is_home=True).values_list("name", flat=True).first() or ""


def site(request: HttpRequest) -> dict[str, Any]:
    home = kept(("site-organisation",), False, _home_name)
    actor = Actor.of(getattr(request, "user", None))
    return {
        "site_organisation": home or "",
        # May see the internal pages: signed in, with a role.
        "site_is_staff": actor.can_view_internal,
        "site_signed_in": actor.user is not None,
        # Signed in by single sign-on only: perfreport keeps no password of theirs.
        "site_has_password": actor.user is not None and actor.user.has_usable_password(),
        "site_actor": actor,
    }
