"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def indicator_history(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def revert(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
