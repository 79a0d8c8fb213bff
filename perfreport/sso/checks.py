"""System checks for sign-in settings that would lock people out
(``perfreport manage check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from perfreport.sso.provider import enabled


@register(Tags.security, deploy=True)
def check_password_sign_in(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.PERFREPORT_PASSWORD_SIGNIN:
        return []
    found = []
    if not enabled():
        found.append(
            Warning(
                "Password sign-in is off and single sign-on is not set up.",
                hint="Only the break-glass accounts can sign in: set PERFREPORT_OIDC_ISSUER and "
                "PERFREPORT_OIDC_CLIENT_ID, or PERFREPORT_PASSWORD_SIGNIN=on (docs/sso.md).",
                id="perfreport.W010",
            )
        )
    if not settings.PERFREPORT_BREAK_GLASS_USERS:
        found.append(
            Warning(
                "Password sign-in is off and there is no break-glass account.",
                hint="If the sign-in service fails, nobody can sign in: name one or two "
                "emergency accounts in PERFREPORT_BREAK_GLASS_USERS (docs/sso.md).",
                id="perfreport.W011",
            )
        )
    return found
