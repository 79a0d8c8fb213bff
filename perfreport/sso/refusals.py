"""Why a single sign-on was refused, in words for the person refused: one
exception with a reason code (for the log and the tests) and a message."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["SignInRefused"]


class SignInRefused(Exception):
    """A sign-in with the provider that perfreport refuses. ``status`` is the
    page's HTTP status: 403, or 503 when the provider could not be reached."""

    def __init__(self, reason: str, message: str, *, detail: str = "", status: int = 403):
        super().__init__(f"{reason}: {detail or message}")
        self.reason = reason
        self.message = message
        self.detail = detail  # for the log: what the IT team needs, never shown
        self.status = status


def _provider() -> str:
    return str(settings.PERFREPORT_OIDC_PROVIDER_NAME)


def unavailable(detail: str) -> SignInRefused:
    return SignInRefused(
        "unavailable",
        _(
            "The sign-in service (%(provider)s) could not be reached. Try again in a few "
            "minutes; if it goes on, tell your IT team."
        )
        % {"provider": _provider()},
        detail=detail,
        status=503,
    )


def state_unknown(detail: str = "") -> SignInRefused:
    return SignInRefused(
        "state",
        _(
            "This sign-in could not be checked: it was not started in this browser, was used "
            "already, or was changed on the way. Start again from the sign-in page."
        ),
        detail=detail or "the state in the callback is not one this session started",
    )


def nonce_wrong() -> SignInRefused:
    return SignInRefused(
        "nonce",
        _(
            "The sign-in service's answer was not for this sign-in, so it was not accepted. "
            "Start again from the sign-in page."
        ),
        detail="the ID token's nonce is not the one this sign-in sent",
    )


def token_expired() -> SignInRefused:
    return SignInRefused(
        "expired",
        _(
            "The sign-in service's answer had expired before perfreport could check it. Start "
            "again; if it happens again, tell your IT team (the server's clock may be wrong)."
        ),
        detail="the ID token had expired when it arrived",
    )


def token_invalid(detail: str) -> SignInRefused:
    return SignInRefused(
        "invalid_token",
        _(
            "The sign-in service's answer could not be verified, so it was not accepted. Start "
            "again; if it happens again, tell your IT team."
        ),
        detail=detail,
    )


def provider_refused(detail: str) -> SignInRefused:
    return SignInRefused(
        "provider",
        _(
            "The sign-in service (%(provider)s) did not sign you in. Start again; if it "
            "happens again, tell your IT team."
        )
        % {"provider": _provider()},
        detail=detail,
    )


def claim_missing(claim: str) -> SignInRefused:
    return SignInRefused(
        "missing_claim",
        _(
            "The sign-in service did not say your %(claim)s, which perfreport needs to know who "
            "you are. Ask your IT team to send the '%(claim)s' claim to perfreport."
        )
        % {"claim": claim},
        detail=f"no {claim!r} claim",
    )


def groups_overage() -> SignInRefused:
    return SignInRefused(
        "missing_claim",
        _(
            "You are in too many groups for the sign-in service to list them, so your roles "
            "cannot be worked out. Ask your IT team to send only the groups assigned to "
            "perfreport."
        ),
        detail="the groups claim was left out for too many groups (_claim_names)",
    )


def no_group() -> SignInRefused:
    return SignInRefused(
        "no_group",
        _(
            "None of your groups gives you a role in perfreport, so you cannot sign in. If you "
            "should have one, ask the business intelligence team."
        ),
        detail="no group of theirs is mapped to a role",
    )


def no_account(who: str) -> SignInRefused:
    return SignInRefused(
        "no_account",
        _(
            "There is no perfreport account for %(who)s. Ask the business intelligence team to "
            "invite you."
        )
        % {"who": who},
        detail=f"no account matches {who!r} and PERFREPORT_OIDC_CREATE_USERS is off",
    )


def deactivated(who: str) -> SignInRefused:
    return SignInRefused(
        "deactivated",
        _(
            "The perfreport account for %(who)s is deactivated. If you need it again, ask the "
            "business intelligence team."
        )
        % {"who": who},
        detail=f"the account {who!r} is deactivated",
    )


def ambiguous(who: str) -> SignInRefused:
    return SignInRefused(
        "ambiguous",
        _(
            "More than one perfreport account matches %(who)s, so perfreport cannot tell which "
            "is yours. Ask the business intelligence team."
        )
        % {"who": who},
        detail=f"several accounts match {who!r}",
    )
