"""The Distribution pages, for BI administrators: the subscriptions (who gets
which report, how and when), adding, changing and deleting one, "Send now",
and the history of what was sent. And, for anyone holding an email's link,
the unsubscribe page: GET asks, POST (the page's button, or a mail client's
one-click request, RFC 8058) ends the subscription.

The pages read and lay out; the writes are
:mod:`perfreport.distribution.services`' (audited) and the jobs queue's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perfreport.accounts.permissions import Actor
from perfreport.distribution import services
from perfreport.distribution.emails import read_unsubscribe_token
from perfreport.distribution.forms import SubscriptionForm
from perfreport.distribution.job import NAME as JOB_NAME
from perfreport.distribution.models import Sending, Subscription
from perfreport.jobs.models import Trigger
from perfreport.jobs.runs import enqueue
from perfreport.web.access import actor_of, staff_required
from perfreport.web.schedules_page import one_or_404

HISTORY_ROWS = 200


def _administrator(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    actor.require_admin(gettext_noop("see and change who is sent the reports"))  # 403
    return actor


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _no_subscription(pk: int) -> str:
    return _(
        "There is no subscription number %(pk)s (or it has ended): it may have been deleted. "
        "The Distribution page lists every subscription."
    ) % {"pk": pk}


def _subscriptions() -> list[Subscription]:
    """Every subscription with its newest sending's time, state and period
    (read by the database, however long the history)."""
    newest = Sending.objects.filter(subscription=OuterRef("pk")).order_by("-claimed_at", "-pk")
    return list(
        Subscription.objects.select_related("user", "directorate", "role_directorate")
        .annotate(
            last_at=Subquery(newest.values("claimed_at")[:1]),
            last_state=Subquery(newest.values("state")[:1]),
            last_period=Subquery(newest.values("period")[:1]),
            left=Count("opt_outs"),
        )
        .order_by("ended_at", "pk")
    )


@staff_required
@require_safe
def distribution(request: HttpRequest) -> HttpResponse:
    """Every subscription, with what was last sent."""
    _administrator(request)
    context = {"nav": "distribution", "rows": _subscriptions()}
    return render(request, "web/distribution.html", context)


def _form_page(
    request: HttpRequest,
    form: SubscriptionForm,
    subscription: Subscription | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "distribution",
        "form": form,
        "subscription": subscription,
        "errors": list(form.errors_in_order()) if form.is_bound else [],
        "value": _values(form),
    }
    return render(request, "web/distribution_form.html", context, status=status)


def _values(form: SubscriptionForm) -> dict[str, Any]:
    """What each field shows: as typed, else as stored, else its default."""
    names = list(form.fields)
    if form.is_bound:
        values = {name: form[name].value() for name in names}
        values["on_publish"] = bool(form.data.get("on_publish"))
        return values
    defaults = {"recipient_kind": "", "report": "full", "delivery": "pdf", "on_publish": True}
    return {name: form.initial.get(name, defaults.get(name, "")) for name in names}


@staff_required
@require_http_methods(["GET", "POST"])
def subscription_new(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    if request.method != "POST":
        return _form_page(request, SubscriptionForm())
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    subscription = services.subscription_create(actor, form.to_input())
    messages.success(request, _("Added: %(report)s to %(who)s.") % _words(subscription))
    return _see_other(reverse("web:distribution"))


@staff_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administrator(request)
    subscription = one_or_404(Subscription, pk, _no_subscription(pk))
    if request.method != "POST":
        return _form_page(request, SubscriptionForm.of(subscription), subscription)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, subscription, status=400)
    services.subscription_update(actor, subscription, form.to_input())
    messages.success(request, _("Saved: %(report)s to %(who)s.") % _words(subscription))
    return _see_other(reverse("web:distribution"))


@staff_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administrator(request)
    subscription = one_or_404(Subscription, pk, _no_subscription(pk))
    said = _words(subscription)
    services.subscription_delete(actor, subscription)
    messages.success(
        request, _("Deleted: %(report)s to %(who)s. What was sent stays in the history.") % said
    )
    return _see_other(reverse("web:distribution"))


@staff_required
@require_POST
def subscription_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a run sending the latest published period to this subscription
    now, even if it was sent before."""
    _administrator(request)
    subscription = one_or_404(Subscription.objects.active(), pk, _no_subscription(pk))
    enqueue(
        JOB_NAME,
        {"target": str(subscription.pk), "again": True},
        trigger=Trigger.ON_DEMAND,
        requested_by=request.user,
    )
    messages.success(
        request,
        _("Sending the %(report)s to %(who)s now: the history shows each email once it has gone.")
        % {"report": subscription.report_phrase(), "who": _who(subscription)},
    )
    return _see_other(reverse("web:distribution"))


@staff_required
@require_safe
def sendings(request: HttpRequest) -> HttpResponse:
    """The newest sendings, each with its outcome."""
    _administrator(request)
    rows = Sending.objects.select_related("subscription")[:HISTORY_ROWS]
    context = {"nav": "distribution", "rows": rows, "limit": HISTORY_ROWS}
    return render(request, "web/distribution_history.html", context)


def _who(subscription: Subscription) -> str:
    return subscription.recipient_words()


def _words(subscription: Subscription) -> dict[str, str]:
    return {"report": subscription.report_words(), "who": _who(subscription)}


# -- a person's own subscriptions -------------------------------------------


@staff_required
@require_safe
def my_subscriptions(request: HttpRequest) -> HttpResponse:
    """The reports emailed to the person signed in, each with a button to stop it."""
    rows = services.subscriptions_reaching(request.user)
    context = {"nav": "", "rows": rows, "email": getattr(request.user, "email", "")}
    return render(request, "web/distribution_mine.html", context)


@staff_required
@require_POST
def my_subscription_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop one report being emailed to the person signed in (one that reaches them)."""
    mine = {s.pk: s for s in services.subscriptions_reaching(request.user)}
    if pk not in mine:
        messages.error(request, _("That report is not emailed to you: nothing was changed."))
    else:
        email = str(getattr(request.user, "email", ""))
        services.subscription_unsubscribe(mine[pk], email, actor_of(request))
        messages.success(
            request,
            _("The %(report)s is no longer emailed to you.") % {"report": mine[pk].report_phrase()},
        )
    return _see_other(reverse("web:my_subscriptions"))


# -- unsubscribing: no sign-in, the token is the key ------------------------


@csrf_exempt  # a mail client's one-click POST carries no cookie; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    subscription = Subscription.objects.filter(pk=found[0]).first() if found else None
    if found is None or subscription is None:
        return render(request, "web/unsubscribe.html", {"state": "invalid"}, status=404)
    email = found[1]
    context: dict[str, Any] = {"nav": "", "subscription": subscription, "email": email}
    if request.method == "POST":
        services.subscription_unsubscribe(subscription, email)
        return render(request, "web/unsubscribe.html", {**context, "state": "done"})
    state = "already" if services.is_unsubscribed(subscription, email) else "ask"
    return render(request, "web/unsubscribe.html", {**context, "state": state})


def patterns() -> list[Any]:
    """The pages' addresses, for perfreport/web/urls.py."""
    return [
        path("distribution/", distribution, name="distribution"),
        path("distribution/new", subscription_new, name="subscription_new"),
        path("distribution/<int:pk>/", subscription_edit, name="subscription_edit"),
        path("distribution/<int:pk>/delete", subscription_delete, name="subscription_delete"),
        path("distribution/<int:pk>/send", subscription_send, name="subscription_send"),
        path("distribution/sendings/", sendings, name="sendings"),
        path("distribution/mine/", my_subscriptions, name="my_subscriptions"),
        path("distribution/mine/<int:pk>/stop", my_subscription_stop, name="my_subscription_stop"),
        path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    ]
