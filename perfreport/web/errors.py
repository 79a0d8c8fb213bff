"""Unexpected errors: each request gets an id, the log record of a server
error carries it, and the 500 page shows it, so that a user's report of an
error can be matched to its traceback in the log."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils import translation

HEADER = "X-Request-ID"


class RequestId:
    """Gives each request a short random id (``request.request_id``), and
    sends it back in the ``X-Request-ID`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = new_request_id()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        return response


def new_request_id() -> str:
    return uuid.uuid4().hex[:12]


def request_id_of(request: object) -> str:
    """The id of a request, or "-" for a record of no request."""
    return str(getattr(request, "request_id", "-"))


class RequestIdFilter(logging.Filter):
    """Puts the id of the request a log record is about (Django's
    ``django.request`` records carry the request) on the record as
    ``request_id``, for the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_of(getattr(record, "request", None))
        return True


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 answer: JSON for the API, else a page that needs neither the
    database nor a session (either may be what failed), showing the id."""
    request_id = request_id_of(request)
    if request.path.startswith("/api/"):
        body = {"detail": "Server error", "request_id": request_id}
        return JsonResponse(body, status=500)
    page = loader.get_template("500.html").render(
        {
            "request_id": request_id,
            "page_lang": "cy" if translation.get_language() == "cy" else "en-GB",
            "scorecard_url": _public_scorecard_url(),
        }
    )
    return HttpResponseServerError(page)


def _public_scorecard_url() -> str:
    """The published scorecard in the page's language; its plain address if
    even the URLs cannot be read."""
    try:
        return reverse("web:public_scorecard")
    except Exception:  # the error page must render whatever failed
        return "/public/"
