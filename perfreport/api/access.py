"""Who is asking the API, and whether their copy is still current.

Without an ``Authorization`` header a request is the public's: published
values only. With ``Authorization: Bearer <token>`` it acts for the token's
member of staff, with their roles (perfreport.accounts.permissions), and writes
only what their role lets them. Drafts are shown only to those who write or
sign off a round's figures (``sees_drafts``); a viewer's token reads what the
public read. A token whose holder has no role is refused (403); a header that
names no live token is refused (401), never quietly treated as public.

Every GET answers with an ETag made of the data version, the address and who
is asking; a client that sends it back in ``If-None-Match`` gets 304 Not
Modified until the data change, and nothing is worked out for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from ninja.security import HttpBearer

from perfreport import __version__
from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.api.models import ApiToken
from perfreport.data.versions import current_data_version

SCHEME = "bearer"


def sees_drafts(actor: Actor) -> bool:
    """Whether the API shows ``actor`` the drafts of open rounds: only those
    who take part in writing or signing off the figures (owners and service
    leads, approvers, BI administrators). A viewer has no part in the round,
    and a viewer's token is the one a program that only reads is given
    (docs/api.md), to dashboards and feeds that pass on what they read: it gets
    the published figures, as the public do, so nothing unapproved leaves
    perfreport through it."""
    return actor.is_owner or actor.is_approver  # each is true for an administrator too


@dataclass(frozen=True)
class Access:
    """The public (no token) or a token's holder."""

    token: ApiToken | None = None

    @property
    def published_only(self) -> bool:
        """The published read path, for everyone but those who ``sees_drafts``:
        the one place the API decides whether a request may see a draft."""
        return self.token is None or not sees_drafts(self.actor)

    @property
    def kind(self) -> str:
        """What the answer depends on besides the address: the same for the
        public and a viewer's token, who are sent the same published figures."""
        return "public" if self.published_only else "staff"

    @property
    def actor(self) -> Actor:
        """Who the request acts for: the token's holder, or the public (no
        role, no user)."""
        return Actor.of(self.token.user if self.token is not None else None)

    @property
    def may_read(self) -> bool:
        """The public may read the published values; a token's holder needs a role."""
        return self.token is None or self.actor.can_view_internal

    def require_role(self) -> None:
        if not self.may_read:
            raise NotAllowed(
                f"this token's user ({self.actor.name}) has no role in perfreport: ask the BI "
                "team for one"
            )


PUBLIC = Access()


def request_access(request: HttpRequest) -> Access | None:
    """The access a request has, looked up once per request; None when it
    sends a token that is wrong, revoked or not a bearer token."""
    if hasattr(request, "_api_access"):
        return request._api_access  # type: ignore[no-any-return]
    header = request.headers.get("Authorization", "").strip()
    access: Access | None = PUBLIC
    if header:
        scheme, _, secret = header.partition(" ")
        token = ApiToken.objects.find(secret.strip()) if scheme.lower() == SCHEME else None
        access = Access(token) if token else None
    request._api_access = access  # type: ignore[attr-defined]
    return access


class BearerToken(HttpBearer):
    """An API token: ``Authorization: Bearer <token>``. Made in the admin or
    with ``perfreport manage create_token``. Optional for reading: without it
    (or with a viewer's) the API shows published values only."""

    def __init__(self, *, required: bool) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest) -> Access | None:
        """The request's access; None (401) without a live token where one is
        required. A token whose holder has no role raises NotAllowed (403)."""
        access = request_access(request)
        if access is None or (self.required and access.token is None):
            return None
        access.require_role()
        return access

    def authenticate(self, request: HttpRequest, token: str) -> Access | None:
        return self(request)  # __call__ reads the header itself


# For the OpenAPI schema: a read works with a token or without one.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{"BearerToken": []}, {}]}


def etag_for(request: HttpRequest, access: Access) -> str:
    """A strong ETag: the same data, address and access give the same body."""
    basis = f"{__version__}|{current_data_version()}|{access.kind}|{request.get_full_path()}"
    return f'"{hashlib.sha256(basis.encode()).hexdigest()[:32]}"'


def _matches(request: HttpRequest, etag: str) -> bool:
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in sent or etag in (tag.removeprefix("W/") for tag in sent)


def conditional(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an operation (with ``ninja.decorators.decorate_view``): ETag on a
    200, 304 when the client's copy is current. A refused token is left to the
    operation to answer 401 (or 403, for a token whose holder has no role)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        access = request_access(request)
        if access is None or not access.may_read:
            return run(request, *args, **kwargs)  # refused there: 401 or 403, no ETag
        etag = etag_for(request, access)
        response: HttpResponseBase
        if _matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = run(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Cache-Control"] = "no-cache"  # keep it, but ask each time
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapper
