"""An indicator's history of changes: every change to its values, targets,
commentary, actions, definition and entries' states, newest first, with who
made it, when, what each field was before and after, and why. A BI
administrator can revert a change from here; the revert is itself a change
in the history, and a published round's figure is restated instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.audit.models import AuditEvent
from perfreport.core.periods import PeriodError
from perfreport.core.units import format_value
from perfreport.core.workflow import EntryState
from perfreport.data.models import Entry, RoundState
from perfreport.registry.bilingual import text as in_language
from perfreport.registry.models import Indicator
from perfreport.registry.periods import read_period
from perfreport.rounds import services
from perfreport.rounds.revert import REVERTIBLE, ChangedSince, revert_event
from perfreport.web.access import actor_of, staff_required
from perfreport.web.entry_page import FIELD_LABELS

PER_PAGE = 50
DONE = {
    "save": gettext_lazy("Saved"),
    "submit": gettext_lazy("Submitted"),
    "approve": gettext_lazy("Approved"),
    "return": gettext_lazy("Returned"),
    "restate": gettext_lazy("Restated"),
    "revert": gettext_lazy("Reverted"),
    "publish": gettext_lazy("Published"),
    "open": gettext_lazy("Opened"),
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
    "import": gettext_lazy("Imported"),
}
# What the trail calls each kind of thing, in the page's language.
THINGS = {
    audit.ENTRY: gettext_lazy("entry"),
    audit.OBSERVATION: gettext_lazy("observation"),
    audit.COMMENTARY: gettext_lazy("commentary"),
    audit.TARGET: gettext_lazy("target"),
    audit.INDICATOR: gettext_lazy("indicator"),
    audit.ROUND: gettext_lazy("round"),
    audit.IMPORT: gettext_lazy("import"),
    "action update": gettext_lazy("action update"),
}
# The fields of the trail's changes as the history names them.
FIELD_WORDS = {
    **FIELD_LABELS,  # an entry's, as its pages name them
    "text_cy": gettext_lazy("Commentary (Welsh)"),
    "text": gettext_lazy("Commentary"),
    "is_draft": gettext_lazy("Draft"),
    "stated_rag": gettext_lazy("Rating as published"),
}
# The fields that hold a figure in the indicator's unit, by the kind of thing changed.
FIGURES = {
    audit.ENTRY: {"value"},
    audit.OBSERVATION: {"value", "first_value"},
    audit.TARGET: {"value"},
}
LABELS = {**services.LABELS, "text": "Commentary", "is_draft": "Draft", "stated_rag": "Rating as published"}  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str  # "" when the field was empty
    after: str


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    at: datetime  # local time
    what: str  # "Saved entry for December 2020"
    changes: tuple[FieldChange, ...]
    reverts_at: datetime | None  # when the change this one undid was made
    reverted: bool
    can_revert: bool  # for this person, now
    restate_instead: bool  # a published round's entry: restated, never reverted
    latest: int = 0  # the newest event about the same thing: what a revert form carries


@dataclass(frozen=True)
class Problem:
    """A revert refused, shown beside its change with the reason as typed."""

    event_id: int
    message: str
    field: str = ""  # "reason" when the reason is what is wrong
    reason: str = ""


def describe(event: AuditEvent) -> str:
    """What happened, in words: "Saved entry for December 2020"."""
    done = str(DONE.get(event.action, event.action.replace("_", " ").capitalize()))
    thing = str(THINGS.get(event.object_type, event.object_type))
    if not event.period:
        return _("%(done)s %(thing)s") % {"done": done, "thing": thing}
    try:
        period = read_period(event.period).long_label
    except PeriodError:
        period = event.period
    return _("%(done)s %(thing)s for %(period)s") % {"done": done, "thing": thing, "period": period}


def shown(event: AuditEvent, name: str, kept: object, indicator: Indicator) -> str:
    """A field's value as the trail kept it, as people read it: figures with
    their unit, states and yes/no in words; "" for empty."""
    if kept is None or kept == "":
        return ""
    if isinstance(kept, bool):
        return _("Yes") if kept else _("No")
    if name in FIGURES.get(event.object_type, set()):
        try:
            return format_value(Decimal(str(kept)), indicator.unit_format, indicator.decimals)
        except (InvalidOperation, ValueError):
            return str(kept)
    if name == "state" and event.object_type == audit.ENTRY:
        try:
            return EntryState(str(kept)).label
        except ValueError:
            return str(kept)
    return str(kept)


def field_changes(event: AuditEvent, indicator: Indicator) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(
            field_word(name),
            shown(event, name, before, indicator),
            shown(event, name, after, indicator),
        )
        for name, before, after in event.changes()
    )


def field_word(name: str) -> str:
    if name in FIELD_WORDS:
        return str(FIELD_WORDS[name])
    return str(LABELS.get(name, name.replace("_", " ").capitalize()))


def revertible(event: AuditEvent) -> bool:
    """Whether the change put something back that a revert could restore."""
    if event.object_type not in REVERTIBLE or not event.before:
        return False
    allowed = REVERTIBLE[event.object_type]
    return allowed is None or any(name in allowed for name in event.before)


def events_of(indicator: Indicator) -> QuerySet[AuditEvent]:
    """Every change to ``indicator``, newest first, each marked if reverted since."""
    undone = AuditEvent.objects.filter(reverts=OuterRef("pk"))
    return (
        AuditEvent.objects.filter(indicator=indicator)
        .select_related("reverts")
        .annotate(is_reverted=Exists(undone))
        .order_by("-at", "-pk")
    )


def _entry_id(event: AuditEvent) -> int | None:
    if event.object_type != audit.ENTRY or not event.object_id.isdigit():
        return None
    return int(event.object_id)


def event_rows(events: list[AuditEvent], indicator: Indicator, actor: Actor) -> list[EventRow]:
    """The page's rows; whether each can be reverted depends on its entry's
    round (one query for them all): published, or deleted since."""
    ids = [i for i in map(_entry_id, events) if i is not None]
    rounds = dict(Entry.objects.filter(pk__in=ids).values_list("pk", "round__state"))
    newest = _newest_events(events)
    rows = []
    for event in events:
        entry_id = _entry_id(event)
        frozen = entry_id is not None and rounds.get(entry_id) == RoundState.PUBLISHED
        gone = event.object_type == audit.ENTRY and entry_id not in rounds
        reverted = bool(getattr(event, "is_reverted", False))
        rows.append(
            EventRow(
                event=event,
                at=timezone.localtime(event.at),
                what=describe(event),
                changes=field_changes(event, indicator),
                reverts_at=timezone.localtime(event.reverts.at) if event.reverts else None,
                reverted=reverted,
                can_revert=actor.is_admin
                and revertible(event)
                and not (reverted or frozen or gone),
                restate_instead=actor.is_admin and frozen and revertible(event),
                latest=newest.get((event.object_type, event.object_id), event.pk),
            )
        )
    return rows


def _newest_events(events: list[AuditEvent]) -> dict[tuple[str, str], int]:
    """The newest event about each thing the events changed (one query)."""
    keys = Q()
    for event in events:
        keys |= Q(object_type=event.object_type, object_id=event.object_id)
    if not events:
        return {}
    rows = (
        AuditEvent.objects.filter(keys)
        .values("object_type", "object_id")
        .annotate(newest=Max("pk"))
        .order_by()
    )
    return {(r["object_type"], r["object_id"]): r["newest"] for r in rows}


def _page_number(request: HttpRequest) -> str:
    return str(request.POST.get("page") or request.GET.get("page") or "1")


def _history_page(
    request: HttpRequest, indicator: Indicator, problem: Problem | None = None, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    page: Page[AuditEvent] = Paginator(events_of(indicator), PER_PAGE).get_page(
        _page_number(request)
    )
    context = {
        "indicator": indicator,
        "page": page,
        "rows": event_rows(list(page.object_list), indicator, actor),
        "problem": problem,
        "is_admin": actor.is_admin,
        "nav": "scorecard",
    }
    return render(request, "web/history.html", context, status=status)


def _not_found(request: HttpRequest, ref: str) -> HttpResponse:
    refs = list(Indicator.objects.values_list("ref", flat=True))
    starting = [r for r in refs if r.lower().startswith(ref.lower())]
    close = difflib.get_close_matches(ref, refs, n=5, cutoff=0.6)
    found = Indicator.objects.in_bulk(list(dict.fromkeys(starting + close))[:5], field_name="ref")
    context = {
        "message": _("There is no indicator with the reference “%(ref)s”.") % {"ref": ref},
        "suggestions": [
            (
                _("History of indicator %(ref)s: %(title)s")
                % {"ref": i.ref, "title": in_language(i, "title")},
                reverse("web:indicator_history", args=[i.ref]),
            )
            for i in found.values()
        ],
        "scorecard_url": reverse("web:scorecard"),
        "scorecard_text": _("See every indicator on the scorecard"),
        "nav": "scorecard",
    }
    return render(request, "404.html", context, status=404)


@staff_required
@require_GET
def indicator_history(request: HttpRequest, ref: str) -> HttpResponse:
    indicator = Indicator.objects.filter(ref=ref).first()
    if indicator is None:
        return _not_found(request, ref)
    return _history_page(request, indicator)


@staff_required
@require_POST
def revert(request: HttpRequest, pk: int) -> HttpResponse:
    """Revert one change, with a reason; a refusal is shown beside the change."""
    actor = actor_of(request)
    actor.require_admin(gettext_noop("revert a change"))  # NotAllowed: 403, nothing read or changed
    event = get_object_or_404(AuditEvent.objects.select_related("indicator"), pk=pk)
    reason = request.POST.get("reason", "")
    indicator = event.indicator
    latest = request.POST.get("latest", "").strip()
    if not (latest.isascii() and latest.isdigit() and len(latest) < 19):
        message = _(
            "The form did not say which changes you were shown, so it cannot be checked "
            "against changes made since: nothing was reverted. Look at the history again"
        )
        return _refused(request, indicator, Problem(event.pk, message, "", reason), 400)
    try:
        revert_event(actor, event.pk, reason, latest=int(latest))
    except ChangedSince as stale:
        message = _changed_since(stale, indicator)
        return _refused(request, indicator, Problem(event.pk, message, "", reason), 409)
    except services.Invalid as refused:
        message = "; ".join(f"{field_word(name)} {text}" for name, text in refused.errors.items())
        return _refused(request, indicator, Problem(event.pk, message, "reason", reason), 200)
    except ObjectDoesNotExist:
        message = _("The %(thing)s this change was made to no longer exists") % {
            "thing": THINGS.get(event.object_type, event.object_type)
        }
        return _refused(request, indicator, Problem(event.pk, message, "", reason), 409)
    except (services.RoundError, services.TransitionError) as refused:
        message = str(refused)[:1].upper() + str(refused)[1:]
        return _refused(request, indicator, Problem(event.pk, message, "", reason), 409)
    at = format_date(timezone.localtime(event.at), "j F Y, H:i")
    messages.success(
        request,
        _(
            "Reverted the change made by %(actor)s on %(at)s: the history shows the revert as "
            "a change of its own."
        )
        % {"actor": event.actor, "at": at},
    )
    if indicator is None:
        return redirect("web:rounds")
    return redirect(_history_url(indicator, _page_number(request)))


def _changed_since(stale: ChangedSince, indicator: Indicator | None) -> str:
    """The refusal in words, with what changed since: "Value is now 74.0% (the
    revert would put back 72.5%)"."""
    said = str(stale)[:1].upper() + str(stale)[1:]
    event = stale.event
    parts = []
    for name, _label, now, back in stale.changes:
        label = field_word(name)
        if indicator is not None:
            now, back = shown(event, name, now, indicator), shown(event, name, back, indicator)
        empty = _("(empty)")
        parts.append(
            _("%(field)s is now %(now)s (the revert would put back %(back)s)")
            % {"field": label, "now": now or empty, "back": back or empty}
        )
    return f"{said}. {'; '.join(parts)}" if parts else said


def _refused(
    request: HttpRequest, indicator: Indicator | None, problem: Problem, status: int
) -> HttpResponse:
    """The history page again, the refusal beside the change; a change to no
    indicator has no history page, so its refusal goes to the rounds page."""
    if indicator is None:
        messages.error(
            request, _("The change was not reverted: %(why)s.") % {"why": problem.message}
        )
        return redirect("web:rounds")
    return _history_page(request, indicator, problem, status)


def _history_url(indicator: Indicator, page: str) -> str:
    url = reverse("web:indicator_history", args=[indicator.ref])
    return url if page == "1" else f"{url}?{urlencode({'page': page})}"
