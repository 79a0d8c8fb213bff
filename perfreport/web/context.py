"""What every page's layout needs: the organisation's name and who is signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from perfreport.registry.models import Organisation
from perfreport.web.evaluations import kept


def _home_name() -> str:
    return Organisation.objects.filter(is_home=True).values_list("name", flat=True).first() or ""


def site(request: HttpRequest) -> dict[str, Any]:
    home = kept(("site-organisation",), False, _home_name)
    user = getattr(request, "user", None)
    return {
        "site_organisation": home or "",
        "site_is_staff": bool(user is not None and user.is_authenticated),
    }
