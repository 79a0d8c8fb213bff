"""Automated feeds, for BI administrators: the list, adding and changing a
feed (with a button that tests its connection), trying it (a dry run that
says what would change and writes nothing), running it now (queued for the
worker), and each run's result. The feed's services check and audit every
change (:mod:`perfreport.feeds.services`); the URL's password is never put
on a page: the form shows *** for it and keeps the stored one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from perfreport.core.errors import Invalid
from perfreport.feeds.models import Feed, FeedKind, FeedRun
from perfreport.feeds.plan import OUTCOMES
from perfreport.feeds.runs import feed_run
from perfreport.feeds.services import (
    FeedInput,
    connection_test,
    feed_delete,
    feed_save,
    schedules_of,
)
from perfreport.feeds.sources import MissingColumns, SourceFailed, hide_password
from perfreport.jobs.runs import enqueue
from perfreport.jobs.timing import describe
from perfreport.registry.models import Indicator
from perfreport.web.access import actor_of, staff_required

RUNS_LISTED = 10
FIELDS = ("name", "kind", "database_url", "password", "query", "folder", "timeout_seconds")


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


def _admin(request: HttpRequest) -> None:
    actor_of(request).require_admin(gettext_noop("set up feeds"))  # NotAllowed: 403


@staff_required
@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    _admin(request)
    listed = [(feed, feed.runs.filter(dry_run=False).first()) for feed in Feed.objects.all()]
    return render(request, "web/feeds.html", {"listed": listed, "nav": "feeds"})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_add(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _form(request, None)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    return _form(request, get_object_or_404(Feed, pk=pk))


def _form(request: HttpRequest, feed: Feed | None) -> HttpResponse:
    """The form; Save checks and saves it, Test the connection tries it as typed."""
    if request.method != "POST":
        return _form_page(request, feed, FeedInput.of(feed) if feed else FeedInput())
    typed = _typed(request)
    if request.POST.get("action") == "test":
        return _tested(request, feed, typed)
    try:
        saved = feed_save(actor_of(request), feed, typed)
    except Invalid as invalid:
        return _form_page(request, feed, typed, invalid.errors, status=400)
    messages.success(request, _("The feed %(name)s is saved.") % {"name": saved.name})
    return redirect("web:feed", saved.pk)


def _tested(request: HttpRequest, feed: Feed | None, typed: FeedInput) -> HttpResponse:
    try:
        said = connection_test(typed, feed)
    except Invalid as invalid:
        return _form_page(request, feed, typed, invalid.errors, status=400)
    except MissingColumns as lacking:
        return _form_page(request, feed, typed, {"query": str(lacking)}, status=400, tested=True)
    except SourceFailed as failure:
        field = "database_url" if typed.kind == FeedKind.DATABASE else "folder"
        why = f"{str(failure)[:1].upper()}{str(failure)[1:]}"
        message = _("The test failed: %(why)s") % {"why": why}
        return _form_page(request, feed, typed, {field: message}, status=400, tested=True)
    return _form_page(request, feed, typed, tested_ok=said)


def _typed(request: HttpRequest) -> FeedInput:
    values = {name: request.POST.get(name, "") for name in FIELDS}
    return FeedInput(**values, indicators=request.POST.getlist("indicators"))


def _form_page(
    request: HttpRequest,
    feed: Feed | None,
    typed: FeedInput,
    errors: dict[str, str] | None = None,
    *,
    status: int = 200,
    tested: bool = False,
    tested_ok: str = "",
) -> HttpResponse:
    errors = errors or {}
    typed.password = ""  # never sent back to the browser
    typed.database_url = hide_password(typed.database_url)
    context: dict[str, Any] = {
        "feed": feed,
        "typed": typed,
        "chosen": set(typed.indicators),
        "indicators": Indicator.objects.order_by("position", "ref").only("ref", "title"),
        "errors": [ErrorItem(_field_id(name), message) for name, message in errors.items()],
        "field_errors": errors,
        "tested": tested,
        "tested_ok": tested_ok,
        "kinds": FeedKind.choices,
        "password_hint": (
            _("A password is stored: leave this empty to keep it, or type a new one.")
            if feed is not None and "***" in feed.safe_url()
            else _("The account's password, if the URL does not hold it. It is never shown again.")
        ),
        "nav": "feeds",
    }
    return render(request, "web/feed_form.html", context, status=status)


def _field_id(name: str) -> str:
    return "id_indicators_0" if name == "indicators" else f"id_{name}"


@staff_required
@require_GET
def feed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    feed = get_object_or_404(Feed.objects.prefetch_related("indicators"), pk=pk)
    runs = list(feed.runs.select_related("requested_by")[:RUNS_LISTED])
    context = {"feed": feed, "runs": runs, "nav": "feeds"}
    return render(request, "web/feed.html", context)


@staff_required
@require_POST
def feed_try(request: HttpRequest, pk: int) -> HttpResponse:
    """A dry run, here and now: what would change, writing nothing."""
    _admin(request)
    feed = get_object_or_404(Feed, pk=pk)
    run = feed_run(feed, dry_run=True, trigger="page", requested_by=request.user)
    return redirect("web:feed_run", feed.pk, run.pk)


@staff_required
@require_POST
def feed_run_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a run for the worker; its outcome joins the feed's runs."""
    _admin(request)
    feed = get_object_or_404(Feed, pk=pk)
    enqueue("feed", {"target": str(feed.pk)}, trigger="on demand", requested_by=request.user)
    messages.success(
        request,
        _(
            "The feed %(name)s is queued: the worker runs it in a moment, and its outcome "
            "shows in the runs below (reload the page)."
        )
        % {"name": feed.name},
    )
    return redirect("web:feed", feed.pk)


@staff_required
@require_GET
def feed_run_page(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    _admin(request)
    run = get_object_or_404(FeedRun.objects.select_related("feed"), pk=run_pk, feed_id=pk)
    counts = [(o.value, run.counts.get(o.value, 0)) for o in OUTCOMES]
    context = {"feed": run.feed, "run": run, "counts": counts, "nav": "feeds"}
    return render(request, "web/feed_run.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that asks first, naming the schedules that run the feed (they
    go with it); the removal itself is a POST."""
    _admin(request)
    feed = get_object_or_404(Feed, pk=pk)
    if request.method != "POST":
        aimed = [(s, describe(s.cron), s.enabled) for s in schedules_of(feed)]
        context = {"feed": feed, "schedules": aimed, "nav": "feeds"}
        return render(request, "web/feed_remove.html", context)
    deleted = feed_delete(actor_of(request), feed)
    said = (
        ngettext(
            "The feed %(name)s is removed; the figures it wrote stay. Its %(n)s schedule on the "
            "Schedules page is deleted too.",
            "The feed %(name)s is removed; the figures it wrote stay. Its %(n)s schedules on the "
            "Schedules page are deleted too.",
            len(deleted),
        )
        if deleted
        else _("The feed %(name)s is removed; the figures it wrote stay.")
    )
    messages.success(request, said % {"name": feed.name, "n": len(deleted)})
    return redirect("web:feeds")
