"""Requests no page can answer, refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"


class RefuseNullCharacters:
    """A null character in the address or the query is never meaningful, and
    PostgreSQL refuses it in any text it is given: answer 422 (the API's
    validation error) or 400 (a page) rather than fail on the query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _null_in(request)
        if where is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = [
                {"loc": [where], "msg": "must not contain a null character", "type": "value_error"}
            ]
            return JsonResponse({"detail": detail}, status=422)
        return HttpResponseBadRequest(
            f"The {where} of this address holds a null character, which no page can show.",
            content_type="text/plain; charset=utf-8",
        )


def _null_in(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    if any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()):
        return "query"
    return None
