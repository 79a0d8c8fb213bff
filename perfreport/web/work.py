"""Placeholder: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def my_work(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def entry(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def entry_preview(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def entry_approve(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def entry_return(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def entry_restate(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
