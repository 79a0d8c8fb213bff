"""The answer to a sign-in that is refused for now (django-axes'
``AXES_LOCKOUT_CALLABLE``): 429, with how long to wait."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """An address-and-username pair locked out for the cool-off time, or a
    username slowed down for a few seconds (``accounts.signin``)."""
    wait = getattr(request, "perfreport_retry_after", None)
    seconds = wait or int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": seconds // 60,
        "wait_seconds": wait,
    }
    response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
