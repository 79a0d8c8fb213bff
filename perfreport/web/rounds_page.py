"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def rounds(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def round_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def round_publish(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
