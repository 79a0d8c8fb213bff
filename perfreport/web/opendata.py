"""Open data: published values and indicator definitions as CSV and JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def open_data(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def open_data_file(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    return HttpResponse(status=501)
