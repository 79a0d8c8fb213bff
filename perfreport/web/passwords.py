"""Password reset and change: Django's own views (their tokens, their
checks), with perfreport's pages and emails. The reset page reads the same
whether or not the address has an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path, reverse_lazy

from perfreport.accounts.forms import ResetForm

COMPLETE = reverse_lazy("web:password_reset_complete")


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change; for a person who signs in with single
    sign-on only (no password of perfreport's), a page saying where their
    password is kept instead of a form asking for one they never had."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not user.has_usable_password():
            context = {"provider": settings.PERFREPORT_OIDC_PROVIDER_NAME, "nav": "password"}
            return render(request, "web/password_none.html", context)
        return super().dispatch(request, *args, **kwargs)


def patterns() -> list[URLPattern]:
    """The addresses, under accounts/ beside sign-in."""
    confirm = auth_views.PasswordResetConfirmView
    return [
        path(
            "accounts/password_reset/",
            auth_views.PasswordResetView.as_view(
                form_class=ResetForm,
                template_name="web/password_reset.html",
                success_url=reverse_lazy("web:password_reset_done"),
                extra_context={"nav": "login"},
            ),
            name="password_reset",
        ),
        path(
            "accounts/password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_done.html"),
            name="password_reset_done",
        ),
        path(
            "accounts/reset/<uidb64>/<token>/",
            confirm.as_view(template_name="web/password_set.html", success_url=COMPLETE),
            name="password_reset_confirm",
        ),
        path(
            "accounts/welcome/<uidb64>/<token>/",
            confirm.as_view(
                template_name="web/password_set.html",
                success_url=COMPLETE,
                extra_context={"invited": True},
            ),
            name="welcome",
        ),
        path(
            "accounts/reset/done/",
            auth_views.PasswordResetCompleteView.as_view(
                template_name="web/password_reset_complete.html"
            ),
            name="password_reset_complete",
        ),
        path(
            "accounts/password_change/",
            PasswordChange.as_view(
                template_name="web/password_change.html",
                success_url=reverse_lazy("web:password_change_done"),
                extra_context={"nav": "password"},
            ),
            name="password_change",
        ),
        path(
            "accounts/password_change/done/",
            auth_views.PasswordChangeDoneView.as_view(
                template_name="web/password_change_done.html",
                extra_context={"nav": "password"},
            ),
            name="password_change_done",
        ),
    ]
