"""Signing in: with a password (Django's, switched off for all but the
break-glass accounts when ``PERFREPORT_PASSWORD_SIGNIN`` is off) and with the
OpenID provider (mozilla-django-oidc's authorization code flow with PKCE,
its answer checked here: signature, issuer, audience, expiry and nonce).

At each single sign-on the person is found by the configured claim (or their
account made on the first), their name and email address brought up to date,
and their roles from groups replaced by what their groups map to now."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from perfreport.accounts.permissions import Actor
from perfreport.accounts.signin import password_signin_allowed
from perfreport.audit import trail as audit
from perfreport.sso import grants, provider, refusals
from perfreport.sso.provider import Endpoints

__all__ = ["PasswordBackend", "SsoBackend", "password_signin_allowed"]

log = logging.getLogger(__name__)

PERSON = "person"
PERSON_FIELDS = ("username", "first_name", "email", "is_active")
NAME_MOST = 150


class PasswordBackend(ModelBackend):
    """Django's username and password, for the sign-in page and the admin's.
    With password sign-in off, anyone but a break-glass account is refused
    as a wrong password is, and a session they began with a password ends."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and password_signin_allowed(user)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def groups_of(claims: dict[str, Any]) -> list[str]:
    """The groups claim as plain strings (names or object ids); a provider
    that left it out for too many groups (Entra ID's overage) is refused."""
    name = settings.PERFREPORT_OIDC_GROUPS_CLAIM
    value = claims.get(name)
    if value is None and name in (claims.get("_claim_names") or {}):
        raise refusals.groups_overage()
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(group) for group in value if str(group).strip()]
    return []


class SsoBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """The provider's answer to a sign-in, checked, and the person it names.
    Raises SignInRefused, with words for the person, when it is not accepted."""

    endpoints: Endpoints

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Made for every request of someone signed in with it (get_user):
        # nothing read from the provider here.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback passes a nonce; a password sign-in passes none.
        if request is None or "nonce" not in kwargs or not provider.enabled():
            return None
        self.endpoints = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = self.endpoints.token
        self.OIDC_OP_USER_ENDPOINT = self.endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = self.endpoints.jwks
        self.OIDC_RP_CLIENT_ID = settings.PERFREPORT_OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.PERFREPORT_OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:
            raise refusals.provider_refused(str(error)) from None
        except requests.RequestException as error:
            raise refusals.unavailable(str(error)) from None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims, once its signature (the provider's keys),
        issuer, audience (this client), expiry and nonce are checked."""
        if not isinstance(token, str) or not token:
            raise refusals.token_invalid("the provider sent no ID token")
        try:
            key = self.retrieve_matching_jwk(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.endpoints.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise refusals.token_expired() from None
        except (jwt.InvalidTokenError, jwt.PyJWKError, SuspiciousOperation) as error:
            raise refusals.token_invalid(f"the ID token is not valid: {error}") from None
        if "nonce" in kwargs and claims.get("nonce") != kwargs["nonce"]:
            raise refusals.nonce_wrong()
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: Any) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's added where the
        provider has one (Entra ID's groups come in the ID token only)."""
        claims = dict(payload)
        if self.endpoints.userinfo and access_token:
            found = super().get_userinfo(access_token, id_token, payload)
            if isinstance(found, dict) and found.get("sub", claims["sub"]) == claims["sub"]:
                claims.update({k: v for k, v in found.items() if k != "sub"})
        return claims

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        """Accounts whose username is the claim's value; for the email claim,
        whose email address is it too (an invited person's username is their
        email address)."""
        claim = settings.PERFREPORT_OIDC_USER_CLAIM
        value = _text(claims.get(claim))
        match = Q(username__iexact=value)
        if claim == "email":
            match |= Q(email__iexact=value)
        return self.UserModel.objects.filter(match).order_by("pk")

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        claim = settings.PERFREPORT_OIDC_USER_CLAIM
        who = _text(claims.get(claim))
        if not who or len(who) > NAME_MOST:
            raise refusals.claim_missing(claim)
        groups = groups_of(claims)
        refuse = settings.PERFREPORT_OIDC_REQUIRE_GROUP and not grants.mappings_for(groups)
        with transaction.atomic():
            users = list(self.filter_users_by_claims(claims)[:2])
            if len(users) > 1:
                raise refusals.ambiguous(who)
            if users and not users[0].is_active:
                raise refusals.deactivated(who)
            if not users and refuse:
                raise refusals.no_group()  # no account made for someone refused
            if not users and not settings.PERFREPORT_OIDC_CREATE_USERS:
                raise refusals.no_account(who)
            user = users[0] if users else self._create(who, claims)
            self._update(user, claims)
            grants.groups_apply(user, groups, provider=settings.PERFREPORT_OIDC_PROVIDER_NAME)
        if refuse:
            raise refusals.no_group()  # their roles from groups are gone already
        return user

    def _create(self, username: str, claims: dict[str, Any]) -> Any:
        user = self.UserModel.objects.create_user(username=username.lower())  # no password
        self._update(user, claims, before=None)
        audit.record(
            Actor(user=user),
            "create",
            PERSON,
            user.pk,
            after=audit.fields_of(user, PERSON_FIELDS),
            reason="first sign-in with single sign-on",
        )
        return user

    def _update(self, user: Any, claims: dict[str, Any], before: Any = "read") -> None:
        """Their name and email address as the provider has them now."""
        old = audit.fields_of(user, ("first_name", "email")) if before == "read" else None
        name = _text(claims.get("name"))[:NAME_MOST]
        email = _text(claims.get("email"))[:254]
        user.first_name = name or user.first_name
        user.email = email or user.email
        user.save(update_fields=["first_name", "email"])
        if old is not None:
            audit.record_change(
                Actor(user=user), user, PERSON, old, reason="details from single sign-on"
            )
