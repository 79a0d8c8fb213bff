"""The OpenID provider perfreport signs people in with: whether single
sign-on is on, and the provider's endpoints, read from its discovery document
(``<issuer>/.well-known/openid-configuration``) at the first sign-in and kept
for an hour. Nothing is fetched at start-up: a provider that is down stops
sign-in with it, never the site."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url

from perfreport.sso.refusals import SignInRefused, unavailable

__all__ = ["Endpoints", "enabled", "endpoints", "forget_endpoints", "signout_url"]

# How long the discovery document is kept, in seconds (keys rotate; Entra
# ID's advice is to read the document again at least daily).
KEEP_SECONDS = 3600
DISCOVERY = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Endpoints:
    """What the discovery document says (the optional ones empty when absent)."""

    issuer: str
    authorization: str
    token: str
    jwks: str
    userinfo: str = ""
    end_session: str = ""


_kept: dict[str, tuple[float, Endpoints]] = {}
_lock = threading.Lock()


def enabled() -> bool:
    """Single sign-on is on when the issuer and client id are both set."""
    return bool(settings.PERFREPORT_OIDC_ISSUER and settings.PERFREPORT_OIDC_CLIENT_ID)


def endpoints() -> Endpoints:
    """The provider's endpoints, from its discovery document (kept for an
    hour). Raises SignInRefused (unavailable) when it cannot be read."""
    issuer = str(settings.PERFREPORT_OIDC_ISSUER)
    with _lock:
        kept = _kept.get(issuer)
    if kept is not None and time.monotonic() - kept[0] < KEEP_SECONDS:
        return kept[1]
    found = read_discovery(issuer, _fetch(issuer + DISCOVERY))
    with _lock:
        _kept[issuer] = (time.monotonic(), found)
    return found


def forget_endpoints() -> None:
    """Read the discovery document again at the next sign-in."""
    with _lock:
        _kept.clear()


def _fetch(url: str) -> Any:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise unavailable(f"its discovery document at {url} could not be read ({error})") from None


def read_discovery(issuer: str, document: Any) -> Endpoints:
    """The endpoints of a discovery document, checked: it must be the
    issuer's own (OpenID Connect Discovery 1.0, section 4.3) and name the
    endpoints the authorization code flow needs.

    >>> read_discovery("https://op", {"issuer": "https://op", "authorization_endpoint": "https://op/a",
    ...     "token_endpoint": "https://op/t", "jwks_uri": "https://op/k"}).token
    'https://op/t'
    """
    if not isinstance(document, dict):
        raise unavailable("its discovery document is not a JSON object")
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise unavailable(
            f"its discovery document names the issuer {document.get('issuer')!r}, "
            f"not {issuer!r} (check PERFREPORT_OIDC_ISSUER)"
        )
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        raise unavailable(f"its discovery document has no {', '.join(missing)}")
    return Endpoints(
        issuer=str(document["issuer"]),
        authorization=str(document["authorization_endpoint"]),
        token=str(document["token_endpoint"]),
        jwks=str(document["jwks_uri"]),
        userinfo=str(document.get("userinfo_endpoint") or ""),
        end_session=str(document.get("end_session_endpoint") or ""),
    )


def signout_url(request: HttpRequest) -> str:
    """Where to send someone signing out so that the provider ends its
    session too (RP-initiated logout, with the ID token as a hint and the
    site's home to come back to); empty when they did not sign in with the
    provider, or it has no end-session endpoint. Read before the session ends."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not enabled():
        return ""
    try:
        end_session = endpoints().end_session
    except SignInRefused:
        return ""  # signed out here; the provider cannot be told
    if not end_session:
        return ""
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": back,
            "client_id": settings.PERFREPORT_OIDC_CLIENT_ID,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
