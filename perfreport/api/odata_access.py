"""Who is reading the OData feed, and what they may see.

The public feed (/odata/public/) is everyone's and shows published figures
only, whatever the request sends. The staff feed (/odata/) needs a member of
staff: an API token, sent in whichever way the program can send it, or a
signed-in session (a browser, single sign-on included). It then follows the
API's rules (docs/api.md, "Who sees what"): drafts for those who write or
sign off the figures (``perfreport.api.access.sees_drafts``), published
figures only for a viewer, nothing for someone with no role.

A token can be sent as
- ``Authorization: Bearer <token>``, as the API takes it;
- the password of HTTP Basic authentication (any user name), which is what
  Excel's and Power BI's "Basic" credential sends;
- the query option ``token=<token>``, which is what their "Web API" key
  credential sends when the query names ``ApiKeyName="token"``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from perfreport.accounts.permissions import Actor
from perfreport.api.access import sees_drafts
from perfreport.api.models import ApiToken
from perfreport.api.odata_options import ODataError

KEY_NAME = "token"  # the query option a "Web API" key credential is sent in
REALM = 'Basic realm="perfreport", charset="UTF-8"'


@dataclass(frozen=True)
class FeedAccess:
    actor: Actor | None  # None: the public
    published_only: bool


PUBLIC = FeedAccess(None, True)


def feed_access(request: HttpRequest, public: bool) -> FeedAccess:
    """The public's access to the public feed; on the staff feed, the
    token's holder or the signed-in user, with their roles (401 without
    either, or with a token that is wrong or revoked; 403 without a role)."""
    if public:
        return PUBLIC
    user = _token_user(request)
    if user is None and request.user.is_authenticated:
        user = request.user
    if user is None:
        raise unauthorised(
            "the staff feed needs an API token: send it as the password of Basic "
            "authentication, as Authorization: Bearer <token>, or as ?token=<token>; "
            "the public feed needs none"
        )
    actor = Actor.of(user)
    if not actor.can_view_internal:
        raise ODataError(
            403, "Forbidden", f"{actor.name} has no role in perfreport: ask the BI team for one"
        )
    return FeedAccess(actor, not sees_drafts(actor))


def unauthorised(message: str) -> ODataError:
    return ODataError(401, "Unauthorized", message)


def _token_user(request: HttpRequest) -> Any:
    secret = _secret(request)
    if secret is None:
        return None
    token = ApiToken.objects.find(secret)
    if token is None:
        raise unauthorised("the API token is not valid or has been revoked")
    return token.user


def _secret(request: HttpRequest) -> str | None:
    """The token the request sends, in any of the three ways; None if none."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            return value.strip()
        if scheme.lower() == "basic":
            return _basic_password(value.strip())
        raise unauthorised("send the token as Basic authentication's password or as a Bearer token")
    sent = set(request.GET.getlist(KEY_NAME))
    if len(sent) > 1:
        raise unauthorised(f"{KEY_NAME} is given twice, with different values")
    return sent.pop() if sent else None


def _basic_password(value: str) -> str:
    """The password of ``Basic base64(user:password)``, or the user name when
    the password is empty (a token pasted into the wrong box)."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise unauthorised("the Basic credentials cannot be read") from None
    user, _, password = decoded.partition(":")
    return password or user
