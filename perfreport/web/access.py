"""Who may see the internal pages: anyone with a role (perfreport.accounts.permissions).
A visitor who is not signed in is sent to sign in; a signed-in person with no
role gets 403 with what to do about it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from perfreport.accounts.permissions import Actor


def actor_of(request: HttpRequest) -> Actor:
    return Actor.of(getattr(request, "user", None))


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For every internal page: signed in, and holding a role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor_of(request).require_internal()  # NotAllowed: 403
        return view(request, *args, **kwargs)

    return wrapper
