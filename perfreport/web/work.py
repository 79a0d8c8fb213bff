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
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from perfreport.accounts.models import Role
from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.core.workflow import EntryState
from perfreport.data.models import Entry, Round, RoundState
from perfreport.feeds.marks import automated_from
from perfreport.registry.bilingual import text as in_language
from perfreport.registry.models import Indicator
from perfreport.rounds.services import (
    Conflict,
    EntryInput,
    Invalid,
    TransitionError,
    approve_entry,
    previous_commentary,
    restate_entry,
    return_entry,
    save_entry,
    text_errors,
)
from perfreport.web.access import actor_of, staff_required
from perfreport.web.action_work import my_action_work
from perfreport.web.approvals import approval_rows
from perfreport.web.entry_page import (
    bilingual_mode,
    error_text,
    facts,
    is_overdue,
    last_year_value,
    own_submission,
    published_figure,
    recent_values,
    return_event,
    shown_value,
    stored_rows,
    typed_draft,
    typed_preview,
    unit_hint,
    when_text,
    with_draft,
)
from perfreport.web.evidence_page import evidence_hint, evidence_rows
from perfreport.web.grid import next_due_url

_S = EntryState
FIELDS = (
    "value",
    "numerator",
    "denominator",
    "commentary",
    "commentary_cy",
    "actions",
    "actions_cy",
    "reason",
)


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
        "bilingual": bilingual_mode(),
        "is_owner": Role.OWNER in actor.roles(),
        "is_approver": actor.is_approver,
        "is_admin": actor.is_admin,
        "due": _items(own.filter(state__in=[_S.NOT_STARTED.value, _S.DRAFT.value]), today),
        "returned": _items(own.filter(state=_S.RETURNED.value), today),
        "submitted": _items(own.filter(state__in=[_S.SUBMITTED.value, _S.APPROVED.value]), today),
        "published": _items(_latest_published(actor), today),
        "approvals": approval_rows(_items(approvals, today, actor), actor)
        if actor.is_approver
        else [],
        "rounds": _round_summaries(today) if actor.is_admin else [],
        **my_action_work(actor, today),
    }
    return render(request, "web/work.html", context)


def _owner_scope(actor: Actor) -> Q:
    """The indicators whose entries are this person's own work. An
    administrator may edit every entry, but only those they own are listed as
    theirs: the rounds page shows the rest."""
    if not actor.is_admin:
        return actor.editable()
    return Actor(grants=[g for g in actor.grants if g.role == Role.OWNER]).editable()


def _latest_published(actor: Actor) -> QuerySet[Entry]:
    """This person's figures published by the round published last (none
    before any round is published): what they submitted, now public."""
    latest = Round.objects.filter(state=RoundState.PUBLISHED).order_by("-published_at").first()
    return (
        Entry.objects.filter(round=latest, state=_S.PUBLISHED.value)
        .filter(indicator__in=Indicator.objects.filter(_owner_scope(actor)))
        .select_related("round", "indicator", "submitted_by")
        .order_by("indicator__position", "indicator__ref", "first_month")
    )


def _in_open_rounds() -> QuerySet[Entry]:
    return (
        Entry.objects.filter(round__state=RoundState.OPEN)
        .select_related("round", "indicator", "submitted_by")
        .order_by("round__deadline", "indicator__position", "indicator__ref", "first_month")
    )


def _items(entries: QuerySet[Entry], today: date, approver: Actor | None = None) -> list[WorkItem]:
    return [
        WorkItem(
            entry=e,
            href=reverse("web:entry", args=[e.pk]),
            period=e.get_period().long_label,
            round=e.round.get_period().long_label,
            deadline=e.round.deadline,
            overdue=is_overdue(e, today),
            note=_item_note(e, approver),
        )
        for e in entries
    ]


def _item_note(entry: Entry, approver: Actor | None) -> str:
    if entry.entry_state is _S.RETURNED:
        return entry.return_reason
    if entry.entry_state is not _S.SUBMITTED or entry.submitted_by is None:
        return ""
    when = timezone.localtime(entry.submitted_at) if entry.submitted_at else None
    name = entry.submitted_by.get_username()
    if when:
        note = _("Submitted by %(name)s on %(when)s") % {"name": name, "when": when_text(when)}
    else:
        note = _("Submitted by %(name)s") % {"name": name}
    if approver is not None and own_submission(approver, entry):
        note += _(". You submitted it yourself: another approver must sign it off")
    return note


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


@staff_required
@require_GET
def entry_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The rating of a value as it is typed (``?value=70``), checked as a save
    would check it: a value it cannot read says why instead."""
    found = Entry.objects.select_related("round", "indicator").filter(pk=pk).first()
    if found is None:
        message = _("There is no entry %(pk)s.") % {"pk": pk}
        return JsonResponse({"errors": {"entry": message}}, status=404)
    typed = EntryInput(
        **{name: request.GET.get(name, "") for name in ("value", "numerator", "denominator")}
    )
    answer = typed_preview(found, typed).as_json()
    if request.GET.get("draft"):  # "Use the drafted commentary": for the value typed
        answer["drafted"] = typed_draft(found, typed)
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


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
    step: str = ""  # a refused step that types nothing: "approved", "returned"
    retry: str = ""  # what to do again: "approve it", "restate"


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
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
    if nul := _null_characters(vars(typed)):
        return _entry_page(request, found, typed, version, Refusal(errors=nul))
    if action == "check":
        return _entry_page(request, found, typed=typed, version=version)
    if action == "draft":  # "Use the drafted commentary", without JavaScript
        drafted = typed_draft(found, typed)
        typed.commentary = with_draft(typed.commentary, drafted)
        return _entry_page(request, found, typed=typed, version=version, drafted=drafted)
    if action not in ("save", "submit", "save_next"):
        problem = _("The form did not say whether to save or submit: choose one of the buttons.")
        return _entry_page(request, found, typed, version, Refusal(problem=problem), status=400)
    if version is None:
        return _entry_page(
            request, found, typed, None, Refusal(problem=str(_NO_VERSION)), status=400
        )
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
    messages.success(request, _done(saved, "submit" if action == "submit" else "save"))
    if action == "save_next":  # "Save and go to next": the owner's next due figure
        return _see_other(next_due_url(actor, saved))
    return _see_other(reverse("web:my_work"))


_NO_STEP_VERSION = gettext_lazy(
    "The form did not say which version of the entry you were shown, so it cannot be "
    "checked against changes made since: nothing was done. Look at the entry as it is now, "
    "then try again."
)


def _stale_step(
    request: HttpRequest, found: Entry, conflict: Conflict, step: str, retry: str, reason: str = ""
) -> HttpResponse:
    """An approval or return refused because the entry changed after the
    approver opened it: the page again, with the entry as it now reads (409)."""
    found.refresh_from_db()
    refusal = Refusal(conflict=conflict, step=step, retry=retry)
    return _entry_page(request, found, reason=reason, refusal=refusal, status=409)


_NO_VERSION = gettext_lazy(
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
    actor = actor_of(request)
    version = _version(request)
    if version is None:
        return _entry_page(
            request, found, refusal=Refusal(problem=str(_NO_STEP_VERSION)), status=400
        )
    try:
        approved = approve_entry(actor, found.pk, version=version)
    except Conflict as conflict:
        return _stale_step(request, found, conflict, "approved", "approve it")
    except TransitionError as error:
        return _entry_page(request, found, refusal=Refusal(problem=_sentence(error)))
    except NotAllowed as refused:
        # Shown on the entry page, not a bare 403: "you submitted it yourself"
        # needs saying where the approver is looking.
        return _entry_page(
            request, found, refusal=Refusal(problem=_sentence(refused, actor.name)), status=403
        )
    messages.success(request, _done(approved, "approve"))
    return _see_other(reverse("web:my_work"))


@staff_required
@require_POST
def entry_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    actor = actor_of(request)
    actor.require_approve(found.indicator)  # a forged post: 403
    reason = request.POST.get("reason", "")
    if nul := _null_characters({"reason": reason}):
        return _entry_page(request, found, reason=reason, refusal=Refusal(errors=nul))
    version = _version(request)
    if version is None:
        refusal = Refusal(problem=str(_NO_STEP_VERSION))
        return _entry_page(request, found, reason=reason, refusal=refusal, status=400)
    try:
        returned = return_entry(actor, found.pk, reason, version=version)
    except Conflict as conflict:
        return _stale_step(request, found, conflict, "returned", "return it", reason=reason)
    except Invalid as invalid:
        return _entry_page(request, found, reason=reason, refusal=Refusal(errors=invalid.errors))
    except TransitionError as error:
        return _entry_page(request, found, reason=reason, refusal=Refusal(problem=_sentence(error)))
    given = _(" The reason given: %(reason)s") % {"reason": reason.strip()}
    messages.success(request, _done(returned, "return") + given)
    return _see_other(reverse("web:my_work"))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_restate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a published value, with a reason, beside the published figure."""
    found = _entry_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    if request.method != "POST":
        return _restate_page(request, found)
    actor = actor_of(request)
    actor.require_edit(found.indicator)  # a forged post: 403
    typed = EntryInput(
        **{n: request.POST.get(n, "") for n in ("value", "numerator", "denominator")}
    )
    reason = request.POST.get("reason", "")
    was = shown_value(found, found.value, found.withheld_as)
    version = _version(request)
    if nul := _null_characters({**vars(typed), "reason": reason}):
        return _restate_page(request, found, typed, reason, Refusal(errors=nul), version=version)
    if version is None:
        refusal = Refusal(problem=str(_NO_VERSION))
        return _restate_page(request, found, typed, reason, refusal, status=400)
    try:
        restated = restate_entry(actor, found.pk, typed, reason=reason, version=version)
    except Conflict as conflict:
        found.refresh_from_db()
        refusal = Refusal(conflict=conflict, retry="restate")
        return _restate_page(
            request, found, typed, reason, refusal, version=conflict.entry.version, status=409
        )
    except Invalid as invalid:
        refusal = Refusal(errors=invalid.errors)
        return _restate_page(request, found, typed, reason, refusal, version=version)
    except TransitionError as error:
        refusal = Refusal(problem=_sentence(error))
        return _restate_page(request, found, typed, reason, refusal, version=version)
    now = shown_value(restated, restated.value, restated.withheld_as)
    messages.success(
        request,
        _(
            "Restated indicator %(ref)s for %(period)s: %(now)s replaces %(was)s. The "
            "published figure is kept beside it."
        )
        % {
            "ref": restated.indicator.ref,
            "period": restated.get_period().long_label,
            "now": now,
            "was": was,
        },
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
    drafted: str = "",
) -> HttpResponse:
    """The entry, as a form for whoever may edit it now (or whose post was
    refused, so that what they typed is never lost), else to read. The
    drafted commentary is written only when asked for (``drafted``): it
    costs as much as the rest of the page."""
    actor = actor_of(request)
    refusal = refusal or Refusal()
    indicator = found.indicator
    may_edit = actor.can_edit(indicator)
    round_open = not found.round.is_published
    may_approve = actor.can_approve(indicator) and round_open
    own = own_submission(actor, found)
    welsh = bilingual_mode()
    context = {
        "bilingual": welsh,
        "nav": "work",
        "entry": found,
        "indicator": indicator,
        "period": found.get_period().long_label,
        "round_period": found.round.get_period().long_label,
        "overdue": is_overdue(found, timezone.localdate()),
        "facts": facts(found),
        "automated": automated_from([found]).get(found.pk, ""),
        "may_edit": may_edit,
        "editing": may_edit and round_open and (found.entry_state.is_open or typed is not None),
        "form": typed or EntryInput.of(found),
        "version": found.version if version is None else version,
        "unit_hint": unit_hint(indicator),
        "preview": typed_preview(found, typed),
        "stored": stored_rows(found, welsh),
        "restate_url": reverse("web:entry_restate", args=[found.pk])
        if found.round.is_published and may_edit
        else "",
        "can_approve": may_approve and found.entry_state is _S.SUBMITTED and not own,
        "own_submission": may_approve and found.entry_state is _S.SUBMITTED and own,
        "can_return": may_approve and found.entry_state in (_S.SUBMITTED, _S.APPROVED),
        "reason": reason,
        "returned": return_event(found),
        "recent": recent_values(found),
        "last_year": last_year_value(found),
        "previous": previous_commentary(found),
        "drafted": drafted,
        "evidence": evidence_rows(actor, found),
        "evidence_hint": evidence_hint(),
        "may_attach": may_edit and round_open and found.entry_state.is_open,
        **_refusal_context(refusal),
    }
    return render(request, "web/work_entry.html", context, status=status)


def _restate_page(
    request: HttpRequest,
    found: Entry,
    typed: EntryInput | None = None,
    reason: str = "",
    refusal: Refusal | None = None,
    *,
    version: int | None = None,
    status: int = 200,
) -> HttpResponse:
    indicator = found.indicator
    context = {
        "nav": "work",
        "entry": found,
        "indicator": indicator,
        "period": found.get_period().long_label,
        "round_period": found.round.get_period().long_label,
        "published": published_figure(found),
        "current": shown_value(found, found.value, found.withheld_as),
        "may_restate": found.round.is_published and actor_of(request).can_edit(indicator),
        "form": typed or EntryInput.of(found),
        "reason": reason,
        "version": found.version if version is None else version,
        "unit_hint": unit_hint(indicator),
        **_refusal_context(refusal or Refusal()),
    }
    return render(request, "web/work_restate.html", context, status=status)


def _refusal_context(refusal: Refusal) -> dict[str, Any]:
    conflict = refusal.conflict
    return {
        "errors": _error_items(refusal.errors),
        "field_errors": {n: error_text(n, m) for n, m in refusal.errors.items()},
        "problem": refusal.problem,
        "conflict": conflict,
        "conflict_message": _conflict_message(conflict, refusal.step) if conflict else "",
        "conflict_step": refusal.step,
        "conflict_retry": refusal.retry,
    }


def _conflict_message(conflict: Conflict, step: str = "") -> str:
    at = timezone.localtime(conflict.at)
    when = {"by": conflict.by, "time": date_format(at, "H:i:s"), "date": date_format(at, "j F Y")}
    if step == "approved":
        return (
            _(
                "%(by)s saved this entry at %(time)s on %(date)s, after you opened it: nothing "
                "was approved."
            )
            % when
        )
    if step == "returned":
        return (
            _(
                "%(by)s saved this entry at %(time)s on %(date)s, after you opened it: nothing "
                "was returned."
            )
            % when
        )
    return (
        _(
            "%(by)s saved this entry at %(time)s on %(date)s, after you opened it: your "
            "changes were not saved."
        )
        % when
    )


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
        "message": _(
            "There is no entry number %(pk)s: it may have belonged to a round that has since "
            "been removed."
        )
        % {"pk": pk},
        "suggestions": [(_("Your work: every entry that is yours to do"), reverse("web:my_work"))],
        "nav": "work",
    }
    return render(request, "404.html", context, status=404)


def _typed(request: HttpRequest) -> EntryInput:
    names = ("value", "numerator", "denominator", "commentary", "actions")
    typed = EntryInput(**{name: request.POST.get(name, "") for name in names})
    # The Welsh is on the form in bilingual mode only; not posted: kept as saved.
    typed.commentary_cy = request.POST.get("commentary_cy")
    typed.actions_cy = request.POST.get("actions_cy")
    return typed


def _version(request: HttpRequest) -> int | None:
    text = request.POST.get("version", "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _null_characters(fields: dict[str, str]) -> dict[str, str]:
    """The text rule: no control character but tab and new line (a null
    character PostgreSQL cannot even store), and each field's length limit."""
    return text_errors(fields)


def _error_items(errors: dict[str, str]) -> list[ErrorItem]:
    ordered = [n for n in FIELDS if n in errors] + [n for n in errors if n not in FIELDS]
    return [ErrorItem(f"id_{n}", error_text(n, errors[n])) for n in ordered]


def _sentence(error: object, name: str = "") -> str:
    """A message as a sentence; one that begins with a person's ``name``
    keeps it as it is spelt ("cs.lead may not …")."""
    text = str(error).strip()
    if not (name and text.startswith(name)):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


_DONE = {
    "save": gettext_lazy("Saved indicator %(ref)s (%(title)s) for %(period)s: %(now)s."),
    "submit": gettext_lazy("Submitted indicator %(ref)s (%(title)s) for %(period)s: %(now)s."),
    "approve": gettext_lazy("Approved indicator %(ref)s (%(title)s) for %(period)s: %(now)s."),
    "return": gettext_lazy("Returned indicator %(ref)s (%(title)s) for %(period)s: %(now)s."),
}


def now_text(state: EntryState, label: str) -> str:
    """Where a step left an entry or update, in words: "it is now a draft"."""
    now = {
        _S.DRAFT: _("it is now a draft"),
        _S.SUBMITTED: _("it is now submitted and awaits approval"),
        _S.APPROVED: _("it is now approved"),
        _S.RETURNED: _("it is now returned to its owner"),
    }
    return now.get(state) or _("it is now %(state)s") % {"state": label.lower()}


def _done(found: Entry, step: str) -> str:
    indicator = found.indicator
    return str(_DONE[step]) % {
        "ref": indicator.ref,
        "title": in_language(indicator, "title"),
        "period": found.get_period().long_label,
        "now": now_text(found.entry_state, found.entry_state.label),
    }


def _see_other(url: str) -> HttpResponse:
    """After a post, the page to look at next (303: fetch it with GET)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# -- What the entry page shows -----------------------------------------------------
