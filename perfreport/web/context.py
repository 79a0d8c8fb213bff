"""What every page's layout needs: the organisation's name and who is signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from perfreport.registry.models import Organisation


def site(request: HttpRequest) -> dict[str, Any]:
    home = Organisation.objects.filter(is_home=True).values_list("name", flat=True).first()
    user = getattr(request, "user", None)
    return {
        "site_organisation": home or "",
        "site_is_staff": bool(user is not None and user.is_authenticated),
    }
