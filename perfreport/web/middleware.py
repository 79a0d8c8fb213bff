"""Requests no answer can be given to, refused before any view sees them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"


class RefuseNullCharacters:
    """A null character in an API address or query is never meaningful, and
    PostgreSQL refuses it in any text it is given: answer 422 (the API's
    validation error) rather than fail on the query. Pages check their own
    input and say what is wrong in their own way (a notice, a form error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _null_in(request) if request.path.startswith("/api/") else None
        if where is None:
            return self.get_response(request)
        detail = [
            {"loc": [where], "msg": "must not contain a null character", "type": "value_error"}
        ]
        return JsonResponse({"detail": detail}, status=422)


def _null_in(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    if any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()):
        return "query"
    return None


# Django 5.2 has no Content-Security-Policy of its own (6.0 does) and
# django-csp is not installed: one fixed policy for every answer. Scripts and
# styles come only from the site's own files (the pages' JavaScript is in
# static/web/*.js, no page has a style attribute); images may be data: URLs,
# as the Swagger UI's stylesheet uses.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicy:
    """The Content-Security-Policy header on every answer that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", _policy(settings.PERFREPORT_OIDC_ISSUER)
        )
        return response


@functools.lru_cache(maxsize=4)
def _policy(issuer: str) -> str:
    """With single sign-on, the sign-out form (on every page) leads on to
    the provider's end-session endpoint: form-action allows its origin
    (Chromium checks a form's redirects against form-action too)."""
    if not issuer:
        return CONTENT_SECURITY_POLICY
    parts = urlsplit(issuer)
    origin = f"{parts.scheme}://{parts.netloc}"
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")


class RememberLanguage:
    """Remember the language of the last page read (a cookie, for a year) and
    take a reader who comes back to the home page from elsewhere to the home
    page in that language. The address alone says the language of every
    other page (/cy/... is Welsh), so a link or a bookmark always opens the
    page it names, in the language it names. A signed-in person's language
    is saved with their account when it changes: their emails are in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import HttpResponseRedirect
        from django.urls import reverse
        from django.utils import translation

        remembered = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if (
            request.method == "GET"
            and request.path == "/"
            and remembered
            and remembered != settings.LANGUAGE_CODE
            and not _from_this_site(request)
        ):
            with translation.override(remembered):
                return HttpResponseRedirect(reverse("web:home"))
        response = self.get_response(request)
        language = translation.get_language()
        if (
            language
            and language != remembered
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",  # settings.LANGUAGE_COOKIE_SAMESITE
            )
            # A switch of language (or a first page read in Welsh): no write
            # for a client that keeps no cookie and reads the default.
            if remembered is not None or language != settings.LANGUAGE_CODE:
                _save_for_person(request, language)
        return response


def _supported(language: str | None) -> str | None:
    """One of LANGUAGES' own codes for a cookie's value ("en-GB" is "en-gb",
    "cy-GB" is "cy"), or None for one that is not offered."""
    from django.utils import translation

    if not language or len(language) > 20:
        return None
    try:
        return translation.get_supported_language_variant(language.lower())
    except LookupError:
        return None


def _save_for_person(request: HttpRequest, language: str) -> None:
    """A signed-in person who changes language gets their emails in it too
    (only when the cookie says it changed: one UPDATE then, none otherwise)."""
    from perfreport.accounts.languages import language_set

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language_set(user, language)


def _from_this_site(request: HttpRequest) -> bool:
    referer = request.headers.get("Referer", "")
    return bool(referer) and urlsplit(referer).netloc == request.get_host()
