"""An indicator's page: staff and public, with a .json twin and its data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def indicator(request: HttpRequest, ref: str) -> HttpResponse:
    return HttpResponse(status=501)


def indicator_json(request: HttpRequest, ref: str) -> HttpResponse:
    return HttpResponse(status=501)


def indicator_data(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    return HttpResponse(status=501)


def public_indicator(request: HttpRequest, ref: str) -> HttpResponse:
    return HttpResponse(status=501)


def public_indicator_json(request: HttpRequest, ref: str) -> HttpResponse:
    return HttpResponse(status=501)
