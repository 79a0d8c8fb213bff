"""Single sign-on's pages: the start (to the provider, with state, nonce and
a PKCE challenge), the callback (its answer checked by perfreport.sso), the
page that says why a sign-in was refused, and signing out (at the provider
too, where it supports it). mozilla-django-oidc's views, with perfreport's
settings read at each request and every refusal answered with a page that
says what happened, never an error page."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from perfreport.sso import provider, refusals
from perfreport.sso.refusals import SignInRefused

log = logging.getLogger(__name__)


def refusal_page(request: HttpRequest, refused: SignInRefused) -> HttpResponse:
    """Why the sign-in was refused, and what to do; the details go to the log."""
    log.warning("Single sign-on refused (%s): %s", refused.reason, refused.detail)
    context = {"nav": "login", "refused": refused}
    return render(request, "web/sso_refused.html", context, status=refused.status)


class SignInStart(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """To the provider's sign-in, with a new state, nonce and PKCE challenge
    kept in the session for the callback to check."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is read at the request, not here

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404(_("Single sign-on is not set up"))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints().authorization
        except SignInRefused as refused:
            return refusal_page(request, refused)
        self.OIDC_RP_CLIENT_ID = settings.PERFREPORT_OIDC_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr == "OIDC_RP_SCOPES":
            return settings.PERFREPORT_OIDC_SCOPES
        return super().get_settings(attr, *args)


class SignInCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: the state must be one this session started
    (used once), then perfreport.sso.backends checks the rest."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404(_("Single sign-on is not set up"))
        try:
            self._check(request)
            response: HttpResponse = super().get(request)
        except SignInRefused as refused:
            return refusal_page(request, refused)
        except SuspiciousOperation as error:
            return refusal_page(request, refusals.state_unknown(str(error)))
        return response

    def _check(self, request: HttpRequest) -> None:
        if request.GET.get("error"):
            # The state is forgotten (never used twice); whoever is signed in
            # stays so: a link to this page must not sign anyone out.
            states = request.session.get("oidc_states") or {}
            if states.pop(request.GET.get("state", ""), None) is not None:
                request.session["oidc_states"] = states
            detail = f"{request.GET['error']}: {request.GET.get('error_description', '')}"
            raise refusals.provider_refused(detail)
        state = request.GET.get("state")
        if not state or "code" not in request.GET:
            raise refusals.state_unknown("the callback has no code or no state")
        if state not in (request.session.get("oidc_states") or {}):
            raise refusals.state_unknown()

    def login_failure(self) -> HttpResponse:
        # The backend refuses with its reasons; this is what is left.
        return refusal_page(self.request, refusals.provider_refused("no user was signed in"))


class SignOut(LogoutView):
    """Sign out here and, for someone who signed in with the provider, there
    too (RP-initiated logout), coming back to the site's home page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        at_provider = provider.signout_url(request)  # read before the session ends
        if not at_provider:
            return super().post(request, *args, **kwargs)
        logout(request)
        return HttpResponseRedirect(at_provider)


class SignIn(LoginView):
    """The sign-in page: the provider's button first when single sign-on is
    set up; the password form for everyone, or, with password sign-in off,
    folded away for the break-glass accounts."""

    template_name = "web/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "login",
            "sso": provider.enabled(),
            "sso_name": settings.PERFREPORT_OIDC_PROVIDER_NAME,
            "passwords_for_all": settings.PERFREPORT_PASSWORD_SIGNIN,
        }
