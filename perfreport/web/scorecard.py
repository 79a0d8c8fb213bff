"""The scorecard: staff (/scorecard/) and public (/public/), with .json twins."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def scorecard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The staff scorecard is being built.", status=501)


def scorecard_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def public_scorecard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The public scorecard is being built.", status=501)


def public_scorecard_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
