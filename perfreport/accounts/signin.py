"""Who is signing in, and how fast they may try again.

django-axes counts failed sign-ins by username *and* client address: five
failures from one address for one username lock that pair out. The address
is the connection's (``REMOTE_ADDR``) unless the site sits behind a reverse
proxy named by ``PERFREPORT_TRUSTED_PROXY_HEADER``: then it is read from that
header, counting the trusted proxies from the right, so a client cannot name
its own address. A username tried wrongly from many addresses is not locked
(that would let anyone lock the BI administrator out): each further attempt
waits a few seconds more, capped small (``slowdown_seconds``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

__all__ = [
    "SlowdownBackend",
    "client_address",
    "password_signin_allowed",
    "seconds_to_wait",
    "slowdown_seconds",
]

# The longest a username's next attempt is held back, in seconds.
MOST_WAIT = 30


def password_signin_allowed(user: Any) -> bool:
    """Whether ``user`` may sign in with a password: everyone, unless
    password sign-in is off (PERFREPORT_PASSWORD_SIGNIN, for single sign-on);
    then only the break-glass accounts named in PERFREPORT_BREAK_GLASS_USERS.
    The sign-in backends, the invitation and the password reset all ask this."""
    if settings.PERFREPORT_PASSWORD_SIGNIN:
        return True
    names = {name.casefold() for name in settings.PERFREPORT_BREAK_GLASS_USERS}
    return str(user.get_username()).casefold() in names


def client_address(request: HttpRequest) -> str:
    """The address of the client: ``REMOTE_ADDR``, or, behind the trusted
    proxies, the address the outermost of them saw. nginx's
    ``$proxy_add_x_forwarded_for`` and Caddy append the address they were
    reached from, so with one proxy that is the last entry; whatever a client
    wrote in the header itself sits further left and is never used."""
    header = settings.PERFREPORT_TRUSTED_PROXY_HEADER
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not header:
        return remote
    key = "HTTP_" + header.upper().replace("-", "_")
    entries = [e.strip() for e in str(request.META.get(key, "")).split(",") if e.strip()]
    count = settings.PERFREPORT_TRUSTED_PROXY_COUNT
    return entries[-count] if len(entries) >= count else remote


def slowdown_seconds(failures: int, limit: int) -> int:
    """Seconds a username waits after its latest failure, across all addresses:
    none below ``limit`` failures, then 1, 2, 4, ... up to ``MOST_WAIT``.

    >>> [slowdown_seconds(n, 5) for n in (4, 5, 6, 7, 20)]
    [0, 1, 2, 4, 30]
    """
    if failures < limit:
        return 0
    return int(min(2 ** min(failures - limit, 16), MOST_WAIT))


def seconds_to_wait(username: str, now: datetime) -> int:
    """How long ``username`` must still wait before its next attempt (0: none),
    from the failures axes keeps within its cool-off time."""
    since = now - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    wait = slowdown_seconds(totals["failures"] or 0, settings.AXES_FAILURE_LIMIT)
    if not wait:
        return 0
    remaining: float = (totals["last"] - now).total_seconds() + wait
    return max(0, math.ceil(remaining))


class SlowdownBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """django-axes' lockout of an address-and-username pair, then the
    username's slowdown. A held-back attempt is answered as axes answers a
    lockout (``web.signin.locked_out``, with how many seconds to wait) and is
    not counted as a failure, so waiting is all it takes."""

    def authenticate(
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().authenticate(request, username=username, password=password, **kwargs)
        wait = seconds_to_wait(username, timezone.now()) if username else 0
        if wait:
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.perfreport_retry_after = wait  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("signing in with this username is slowed down")
