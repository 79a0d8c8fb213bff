"""The reports page: generate and download the report for any period."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def reports(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def download(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def public_reports(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def public_download(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
