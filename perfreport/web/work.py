"""My work, and the entry pages of the quarterly round.

*My work* lists what the signed-in person has to do: entries due, returned
and submitted, entries awaiting their approval and, for the BI team, the open
rounds. An entry's page is where its owner types a value, commentary and
actions and sees the RAG rating worked out as they type; where an approver
approves or returns it; and, once its round is published, where a value is
restated.

Every write goes through :mod:`perfreport.rounds.services`, which checks the
person's role and the entry's state. These views read the form, call the
service and say what happened. Whatever is refused is shown again exactly as
it was typed, so that nothing typed is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from perfreport.core.evaluation import Evaluation
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import ResolvedTarget, TargetBasis, resolve_target
from perfreport.core.units import Unit, format_value, plain
from perfreport.core.workflow import EntryState
from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.registry.models import Indicator, Target
from perfreport.registry.periods import stored_period
from perfreport.rounds import audit
from perfreport.rounds.models import AuditEvent, Entry, Role, Round, RoundState
from perfreport.rounds.permissions import Actor, NotAllowed
from perfreport.rounds.services import (
    LABELS,
    Conflict,
    EntryInput,
    Invalid,
    TransitionError,
    approve_entry,
    parse_entry,
    preview,
    previous_commentary,
    restate_entry,
    return_entry,
    save_entry,
)
from perfreport.web.access import actor_of, staff_required

_S = EntryState
FIELDS = ("value", "numerator", "denominator", "commentary", "actions", "reason")
UNIT_HINTS = {
    Unit.PERCENT: "A percentage, 0 to 100, such as 85.5 (the % sign is optional)",
    Unit.NUMBER: "A number, such as 97.83",
    Unit.COUNT: "A count, such as 1,250",
    Unit.STARS: "A number of stars, such as 4",
    Unit.CURRENCY: "An amount in pounds, such as £1,250.50 (the £ sign is optional)",
}
UNIT_WORDS = {
    Unit.PERCENT: "Percentage, 0 to 100",
    Unit.NUMBER: "Number",
    Unit.COUNT: "Count",
    Unit.STARS: "Stars",
    Unit.CURRENCY: "Pounds (£)",
}
RECENT_VALUES = 6


# -- My work -------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """One entry in a list on My work, with what its person needs to know."""

    entry: Entry
    href: str
    period: str
    round: str
    deadline: date
    overdue: bool
    note: str = ""


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    label: str
    href: str
    counts: list[tuple[str, str, int]]  # (state, label, number of entries)
    total: int
    overdue: bool


@staff_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    own = _in_open_rounds().filter(indicator__in=Indicator.objects.filter(_owner_scope(actor)))
    approvals = _in_open_rounds().filter(
        state=_S.SUBMITTED.value, indicator__in=Indicator.objects.filter(actor.approvable())
    )
    context = {
        "nav": "work",
        "is_owner": actor.is_owner,
        "is_approver": actor.is_approver,
        "is_admin": actor.is_admin,
        "due": _items(own.filter(state__in=[_S.NOT_STARTED.value, _S.DRAFT.value]), today),
        "returned": _items(own.filter(state=_S.RETURNED.value), today),
        "submitted": _items(own.filter(state__in=[_S.SUBMITTED.value, _S.APPROVED.value]), today),
        "approvals": _items(approvals, today, actor) if actor.is_approver else [],
        "rounds": _round_summaries(today) if actor.is_admin else [],
    }
    return render(request, "web/work.html", context)


def _owner_scope(actor: Actor) -> Q:
    """The indicators whose entries are this person's own work. An
    administrator may edit every entry, but only those they own are listed as
    theirs: the rounds page shows the rest."""
    if not actor.is_admin:
        return actor.editable()
    return Actor(grants=[g for g in actor.grants if g.role == Role.OWNER]).editable()


def _in_open_rounds() -> QuerySet[Entry]:
    return (
        Entry.objects.filter(round__state=RoundState.OPEN)
        .select_related("round", "indicator", "submitted_by")
        .order_by("round__deadline", "indicator__position", "indicator__ref")
    )


def _items(entries: QuerySet[Entry], today: date, approver: Actor | None = None) -> list[WorkItem]:
    return [
        WorkItem(
            entry=e,
            href=reverse("web:entry", args=[e.pk]),
            period=e.get_period().long_label,
            round=e.round.get_period().long_label,
            deadline=e.round.deadline,
            overdue=_overdue(e, today),
            note=_item_note(e, approver),
        )
        for e in entries
    ]


def _overdue(entry: Entry, today: date) -> bool:
    return entry.entry_state.is_open and today > entry.round.deadline


def _item_note(entry: Entry, approver: Actor | None) -> str:
    if entry.entry_state is _S.RETURNED:
        return entry.return_reason
    if entry.entry_state is not _S.SUBMITTED or entry.submitted_by is None:
        return ""
    when = timezone.localtime(entry.submitted_at) if entry.submitted_at else None
    note = f"Submitted by {entry.submitted_by.get_username()}"
    note += f" on {when:%d %B %Y at %H:%M}" if when else ""
    if approver is not None and _own_submission(approver, entry):
        note += ". You submitted it yourself: another approver must sign it off"
    return note


def _own_submission(actor: Actor, entry: Entry) -> bool:
    return (
        not settings.PERFREPORT_ALLOW_SELF_APPROVAL
        and actor.user is not None
        and entry.submitted_by_id == actor.user.pk
    )


def _round_summaries(today: date) -> list[RoundSummary]:
    summaries = []
    for found in Round.objects.filter(state=RoundState.OPEN).order_by("deadline"):
        by_state = dict(
            found.entries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        counts = [(s.value, s.label, by_state.get(s.value, 0)) for s in EntryState]
        summaries.append(
            RoundSummary(
                round=found,
                label=found.get_period().long_label,
                href=reverse("web:round", args=[found.pk]),
                counts=[c for c in counts if c[2]],
                total=sum(by_state.values()),
                overdue=today > found.deadline,
            )
        )
    return summaries


# -- What a value would be rated -------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """The RAG rating and change the round's report would print for a value,
    as the entry page shows it and its preview endpoint answers it."""

    value: str = ""
    rating: str | None = None
    rating_label: str = ""
    symbol: str = ""
    explanation: str = ""
    change: str | None = None
    change_label: str = ""
    change_text: str = ""
    target: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def actions_required(self) -> bool:
        return self.rating == Rating.RED.value

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "rating": self.rating,
            "rating_label": self.rating_label,
            "symbol": self.symbol,
            "explanation": self.explanation,
            "change": self.change,
            "change_label": self.change_label,
            "change_text": self.change_text,
            "target": self.target,
            "actions_required": self.actions_required,
            "errors": self.errors,
        }


def _preview_of(entry: Entry, value: Decimal | None) -> Preview:
    period = entry.get_period().long_label
    if value is None:
        return Preview(explanation=f"No value for {period} yet: enter one to see its RAG rating.")
    evaluation = preview(entry, value)
    return Preview(
        value=evaluation.show(value),
        rating=evaluation.rating.value if evaluation.rating else None,
        rating_label=evaluation.rating.label if evaluation.rating else "Not rated",
        symbol=evaluation.rating.symbol if evaluation.rating else "",
        explanation=evaluation.explanation,
        change=evaluation.change.value if evaluation.change else None,
        change_label=evaluation.change.label if evaluation.change else "",
        change_text=_change_text(evaluation),
        target=evaluation.show(evaluation.target.value) if evaluation.target else "",
    )


def _change_text(evaluation: Evaluation) -> str:
    earlier = evaluation.previous
    if evaluation.change is None or earlier is None:
        return "No earlier value to compare with."
    shown = evaluation.show(earlier.value)
    return f"{evaluation.change.label} compared with {earlier.period.long_label} ({shown})."


@staff_required
@require_GET
def entry_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The rating of a value as it is typed (``?value=70``), checked as a save
    would check it: a value it cannot read says why instead."""
    found = Entry.objects.select_related("round", "indicator").filter(pk=pk).first()
    if found is None:
        return JsonResponse({"errors": {"entry": f"There is no entry {pk}."}}, status=404)
    typed = EntryInput(value=request.GET.get("value", ""))
    parsed = parse_entry(found.indicator, typed)
    if "value" in parsed.errors:
        message = _error_text("value", parsed.errors["value"])
        result = Preview(explanation=message, errors={"value": message})
    else:
        result = _preview_of(found, parsed.value)
    return JsonResponse(result.as_json(), json_dumps_params={"ensure_ascii": False})


# -- The entry page ----------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


@dataclass
class Refusal:
    """Why the last post was not done, for the page shown again."""

    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    conflict: Conflict | None = None


@staff_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the entry, as a form for whoever may edit it. POST: save or submit it."""
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    if request.method != "POST":
        return _entry_page(request, found)
    actor = actor_of(request)
    actor.require_edit(found.indicator)  # a forged post: 403
    typed = _typed(request)
    action = request.POST.get("action", "")
    version = _version(request)
    if action == "check":
        return _entry_page(request, found, typed=typed, version=version)
    if action not in ("save", "submit"):
        problem = "The form did not say whether to save or submit: choose one of the buttons."
        return _entry_page(request, found, typed, version, Refusal(problem=problem), status=400)
    if version is None:
        return _entry_page(request, found, typed, None, Refusal(problem=_NO_VERSION), status=400)
    try:
        saved = save_entry(actor, found.pk, typed, version=version, submit=action == "submit")
    except Invalid as invalid:
        return _entry_page(request, found, typed, version, Refusal(errors=invalid.errors))
    except Conflict as conflict:
        found.refresh_from_db()
        refusal = Refusal(conflict=conflict)
        return _entry_page(request, found, typed, conflict.entry.version, refusal, status=409)
    except TransitionError as error:
        found.refresh_from_db()
        return _entry_page(request, found, typed, version, Refusal(problem=_sentence(error)))
    messages.success(request, _done(saved, "Submitted" if action == "submit" else "Saved"))
    return _see_other(reverse("web:my_work"))


_NO_VERSION = (
    "The form did not say which version of the entry you started from, so it cannot be "
    "checked against changes made since: nothing was saved. Check what you typed against "
    "the entry as saved, then save again."
)


@staff_required
@require_POST
def entry_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    try:
        approved = approve_entry(actor_of(request), found.pk)
    except TransitionError as error:
        return _entry_page(request, found, refusal=Refusal(problem=_sentence(error)))
    except NotAllowed as refused:
        # Shown on the entry page, not a bare 403: "you submitted it yourself"
        # needs saying where the approver is looking.
        return _entry_page(request, found, refusal=Refusal(problem=_sentence(refused)), status=403)
    messages.success(request, _done(approved, "Approved"))
    return _see_other(reverse("web:my_work"))


@staff_required
@require_POST
def entry_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    reason = request.POST.get("reason", "")
    try:
        returned = return_entry(actor_of(request), found.pk, reason)
    except Invalid as invalid:
        return _entry_page(request, found, reason=reason, refusal=Refusal(errors=invalid.errors))
    except TransitionError as error:
        return _entry_page(request, found, reason=reason, refusal=Refusal(problem=_sentence(error)))
    messages.success(request, _done(returned, "Returned") + f" The reason given: {reason.strip()}")
    return _see_other(reverse("web:my_work"))


@staff_required
def entry_restate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a published value, with a reason, beside the published figure."""
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    if request.method != "POST":
        return _restate_page(request, found)
    typed = EntryInput(
        **{n: request.POST.get(n, "") for n in ("value", "numerator", "denominator")}
    )
    reason = request.POST.get("reason", "")
    was = _shown_value(found, found.value)
    try:
        restated = restate_entry(actor_of(request), found.pk, typed, reason=reason)
    except Invalid as invalid:
        return _restate_page(request, found, typed, reason, Refusal(errors=invalid.errors))
    except TransitionError as error:
        return _restate_page(request, found, typed, reason, Refusal(problem=_sentence(error)))
    now = _shown_value(restated, restated.value)
    messages.success(
        request,
        f"Restated indicator {restated.indicator.ref} for {restated.get_period().long_label}: "
        f"{now} replaces {was}. The published figure is kept beside it.",
    )
    return _see_other(reverse("web:entry", args=[pk]))


# -- Building the pages ------------------------------------------------------------


def _entry_page(
    request: HttpRequest,
    found: Entry,
    typed: EntryInput | None = None,
    version: int | None = None,
    refusal: Refusal | None = None,
    *,
    reason: str = "",
    status: int = 200,
) -> HttpResponse:
    """The entry, as a form for whoever may edit it now (or whose post was
    refused, so that what they typed is never lost), else to read."""
    actor = actor_of(request)
    refusal = refusal or Refusal()
    indicator = found.indicator
    may_edit = actor.can_edit(indicator)
    round_open = not found.round.is_published
    may_approve = actor.can_approve(indicator) and round_open
    own = _own_submission(actor, found)
    context = {
        "nav": "work",
        "entry": found,
        "indicator": indicator,
        "period": found.get_period().long_label,
        "round_period": found.round.get_period().long_label,
        "overdue": _overdue(found, timezone.localdate()),
        "facts": _facts(found),
        "editing": may_edit and round_open and (found.entry_state.is_open or typed is not None),
        "form": typed or _stored_input(found),
        "version": found.version if version is None else version,
        "unit_hint": _unit_hint(indicator),
        "preview": _typed_preview(found, typed),
        "stored": _stored_rows(found),
        "restate_url": reverse("web:entry_restate", args=[found.pk])
        if found.round.is_published and may_edit
        else "",
        "can_approve": may_approve and found.entry_state is _S.SUBMITTED and not own,
        "own_submission": may_approve and found.entry_state is _S.SUBMITTED and own,
        "can_return": may_approve and found.entry_state in (_S.SUBMITTED, _S.APPROVED),
        "reason": reason,
        "returned": _return_event(found),
        "recent": _recent_values(found),
        "previous": previous_commentary(found),
        **_refusal_context(refusal),
    }
    return render(request, "web/work_entry.html", context, status=status)


def _restate_page(
    request: HttpRequest,
    found: Entry,
    typed: EntryInput | None = None,
    reason: str = "",
    refusal: Refusal | None = None,
) -> HttpResponse:
    indicator = found.indicator
    context = {
        "nav": "work",
        "entry": found,
        "indicator": indicator,
        "period": found.get_period().long_label,
        "round_period": found.round.get_period().long_label,
        "published": _published_figure(found),
        "current": _shown_value(found, found.value),
        "may_restate": found.round.is_published and actor_of(request).can_edit(indicator),
        "form": typed or _stored_input(found),
        "reason": reason,
        "unit_hint": _unit_hint(indicator),
        **_refusal_context(refusal or Refusal()),
    }
    return render(request, "web/work_restate.html", context)


def _refusal_context(refusal: Refusal) -> dict[str, Any]:
    conflict = refusal.conflict
    return {
        "errors": _error_items(refusal.errors),
        "field_errors": {n: _error_text(n, m) for n, m in refusal.errors.items()},
        "problem": refusal.problem,
        "conflict": conflict,
        "conflict_message": _sentence(conflict) if conflict else "",
    }


def _entry_or_none(pk: int) -> Entry | None:
    return (
        Entry.objects.select_related(
            "round", "indicator", "indicator__service", "updated_by", "submitted_by"
        )
        .filter(pk=pk)
        .first()
    )


def _not_found(request: HttpRequest, pk: int) -> HttpResponse:
    context = {
        "message": f"There is no entry number {pk}: it may have belonged to a round that has "
        "since been removed.",
        "suggestions": [("Your work: every entry that is yours to do", reverse("web:my_work"))],
        "nav": "work",
    }
    return render(request, "404.html", context, status=404)


def _typed(request: HttpRequest) -> EntryInput:
    names = ("value", "numerator", "denominator", "commentary", "actions")
    return EntryInput(**{name: request.POST.get(name, "") for name in names})


def _version(request: HttpRequest) -> int | None:
    text = request.POST.get("version", "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _stored_input(found: Entry) -> EntryInput:
    """The entry as its form shows it: numbers exactly, without units."""

    def text(value: Decimal | None) -> str:
        return "" if value is None else plain(value)

    return EntryInput(
        text(found.value),
        text(found.numerator),
        text(found.denominator),
        found.commentary,
        found.actions,
    )


def _typed_preview(found: Entry, typed: EntryInput | None) -> Preview:
    if typed is None:
        return _preview_of(found, found.value)
    parsed = parse_entry(found.indicator, typed)
    if "value" in parsed.errors:
        message = _error_text("value", parsed.errors["value"])
        return Preview(explanation=message, errors={"value": message})
    return _preview_of(found, parsed.value)


def _error_text(name: str, message: str) -> str:
    """A service's message for a field, as a sentence that names the field:
    "is 0: …" for the denominator reads "Denominator is 0: …"."""
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    if message.startswith(("is ", "are ")):
        return f"{label} {message}"
    return f"{label}: {message}"


def _error_items(errors: dict[str, str]) -> list[ErrorItem]:
    ordered = [n for n in FIELDS if n in errors] + [n for n in errors if n not in FIELDS]
    return [ErrorItem(f"id_{n}", _error_text(n, errors[n])) for n in ordered]


def _sentence(error: object) -> str:
    text = str(error).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _done(found: Entry, verb: str) -> str:
    now = {
        _S.DRAFT: "it is now a draft",
        _S.SUBMITTED: "it is now submitted and awaits approval",
        _S.APPROVED: "it is now approved",
        _S.RETURNED: "it is now returned to its owner",
    }.get(found.entry_state, f"it is now {found.entry_state.label.lower()}")
    indicator = found.indicator
    period = found.get_period().long_label
    return f"{verb} indicator {indicator.ref} ({indicator.title}) for {period}: {now}."


def _see_other(url: str) -> HttpResponse:
    """After a post, the page to look at next (303: fetch it with GET)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# -- What the entry page shows -----------------------------------------------------


def _shown_value(found: Entry, value: Decimal | None) -> str:
    if value is None:
        return "no value"
    return format_value(value, Unit(found.indicator.unit), found.indicator.decimals)


def _unit_hint(indicator: Indicator) -> str:
    return f"{UNIT_HINTS[Unit(indicator.unit)]}; {_places(indicator)}."


def _places(indicator: Indicator) -> str:
    places = indicator.decimals
    return f"shown to {places} decimal place{'' if places == 1 else 's'}"


def _facts(found: Entry) -> list[tuple[str, str]]:
    indicator = found.indicator
    polarity = Polarity(indicator.polarity)
    saved = ""
    if found.updated_by is not None:
        at = timezone.localtime(found.updated_at)
        saved = f"; last saved by {found.updated_by.get_username()} on {at:%d %B %Y at %H:%M}"
    return [
        ("Period", f"{found.get_period().long_label} ({indicator.frequency} value)"),
        ("Unit", f"{UNIT_WORDS[Unit(indicator.unit)]}, {_places(indicator)}"),
        ("Direction for improvement", f"{polarity.arrow} {polarity.words.capitalize()}"),
        (f"Target for {found.get_period().long_label}", _target_text(found)),
        ("State", f"{found.entry_state.label}{saved}"),
    ]


def _targets(indicator: Indicator) -> Any:
    return [t.to_core() for t in Target.objects.filter(indicator=indicator)]


def _target_for(found: Entry, period: Any, targets: Any) -> ResolvedTarget | None:
    spec = found.indicator.to_core()
    return resolve_target(period, targets, cumulative=spec.cumulative, decimals=spec.decimals)


def _target_text(found: Entry) -> str:
    spec = found.indicator.to_core()
    if spec.rating_basis is not RatingBasis.TARGETED:
        return f"None: this indicator is rated {spec.rating_basis.value}, without a target"
    resolved = _target_for(found, found.get_period(), _targets(found.indicator))
    if resolved is None:
        return f"None is set for {found.get_period().long_label}, so the value cannot be rated"
    shown = _shown_value(found, resolved.value)
    source = resolved.sources[0].period
    notes = {
        TargetBasis.CONTAINING: f"the target set for {source}",
        TargetBasis.CARRIED: f"the target set for {source} still applies",
        TargetBasis.PRO_RATA: f"pro rata, from the target for {source}",
        TargetBasis.INTERPOLATED: "worked out from the milestones",
    }
    note = notes.get(resolved.basis)
    return f"{shown} ({note})" if note else shown


def _stored_rows(found: Entry) -> list[tuple[str, str]]:
    def number(value: Decimal | None) -> str:
        return "None entered" if value is None else plain(value)

    return [
        (f"Value for {found.get_period().long_label}", _shown_value(found, found.value)),
        ("Numerator", number(found.numerator)),
        ("Denominator", number(found.denominator)),
        ("Commentary", found.commentary or "None entered"),
        ("Actions", found.actions or "None entered"),
    ]


@dataclass(frozen=True)
class RecentValue:
    period: str
    value: str
    target: str
    draft: bool


def _recent_values(found: Entry) -> list[RecentValue]:
    """The last few values before the entry's period, latest first, for reference."""
    rows = Observation.objects.filter(
        indicator=found.indicator,
        organisation=home_organisation(),
        last_month__lt=found.first_month,
    ).order_by("-last_month")[:RECENT_VALUES]
    targets = _targets(found.indicator)
    recent = []
    for row in rows:
        period = stored_period(row.frequency, row.first_month)
        target = _target_for(found, period, targets)
        recent.append(
            RecentValue(
                period=period.long_label,
                value=_shown_value(found, row.value),
                target=_shown_value(found, target.value) if target else "",
                draft=row.is_draft,
            )
        )
    return recent


def _return_event(found: Entry) -> AuditEvent | None:
    if found.entry_state is not _S.RETURNED:
        return None
    return (
        AuditEvent.objects.filter(object_type=audit.ENTRY, object_id=str(found.pk), action="return")
        .order_by("-at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PublishedFigure:
    value: str
    rating: str
    explanation: str
    published_at: Any
    published_by: str


def _published_figure(found: Entry) -> PublishedFigure | None:
    """The entry as its round published it, from the round's frozen snapshot."""
    round_ = found.round
    if not round_.is_published:
        return None
    frozen = next(
        (
            item
            for item in (round_.snapshot or {}).get("entries", [])
            if item.get("indicator_id") == found.indicator_id
        ),
        None,
    )
    by = (round_.snapshot or {}).get("published_by", "")
    if frozen is None:
        return PublishedFigure(
            "no value (the entry was not approved)", "", "", round_.published_at, by
        )
    value = frozen.get("value")
    rating = frozen.get("rating")
    return PublishedFigure(
        value=_shown_value(found, None if value is None else Decimal(str(value))),
        rating=Rating(rating).label if rating else "",
        explanation=frozen.get("explanation", ""),
        published_at=round_.published_at,
        published_by=by,
    )
