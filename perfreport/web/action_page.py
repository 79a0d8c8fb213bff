"""An action's or project's update in the round: where its owner types how
complete it is, the milestones done and a progress note, and sees the status
the update gives it; where an approver approves or returns it; and, once
its round is published, where its progress is restated with a reason.

Every write goes through :mod:`perfreport.rounds.action_updates`, which
checks the person's role and the update's state. Whatever is refused is
shown again as it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from perfreport.accounts.permissions import NotAllowed
from perfreport.audit.models import AuditEvent
from perfreport.core.errors import Invalid
from perfreport.core.plan import long_date
from perfreport.core.units import plain
from perfreport.core.workflow import EntryState, TransitionError
from perfreport.data.models import ActionUpdate
from perfreport.registry.bilingual import text as in_language
from perfreport.rounds.action_people import (
    can_approve_action,
    can_edit_action,
    require_approve_action,
    require_edit_action,
)
from perfreport.rounds.action_updates import (
    ACTION_UPDATE,
    ActionConflict,
    ActionInput,
    approve_action_update,
    restate_action_update,
    return_action_update,
    save_action_update,
    update_status,
)
from perfreport.web.access import actor_of, staff_required
from perfreport.web.action_form import field_text, milestone_rows, status_of, typed_update
from perfreport.web.entry_page import bilingual_mode
from perfreport.web.work import ErrorItem, _see_other, _sentence, _version, now_text

_S = EntryState
ORDER = ("percent", "completed_on", "note", "note_cy", "reason")


def facts(update: ActionUpdate) -> list[tuple[str, str]]:
    action = update.action
    owner = action.owner or (
        action.owner_user.get_full_name() or action.owner_user.get_username()
        if action.owner_user
        else _("Nobody named")
    )
    served = ", ".join(f"{i.ref} {in_language(i, 'title')}" for i in action.indicators.all()) or _(
        "None"
    )
    published = _("Nothing published yet")
    if action.percent_complete is not None:
        published = _("%(percent)s%% complete (%(period)s)") % {
            "percent": plain(action.percent_complete),
            "period": action.progress_period,
        }
    not_set = _("Not set")
    return [
        (_("Kind"), action.get_kind_display()),
        (_("Owner"), owner),
        (_("Indicators it serves"), served),
        (_("Start"), long_date(action.start) if action.start else not_set),
        (_("Due"), long_date(action.due) if action.due else not_set),
        (_("Progress as last published"), published),
        (_("State"), update.get_state_display()),
    ]


def _update_or_none(pk: int) -> ActionUpdate | None:
    return (
        ActionUpdate.objects.select_related(
            "action", "action__owner_user", "round", "updated_by", "submitted_by", "approved_by"
        )
        .prefetch_related("action__indicators__service")
        .filter(pk=pk, round__isnull=False)
        .first()
    )


def _not_found(request: HttpRequest, pk: int) -> HttpResponse:
    context = {
        "message": _("There is no action update number %(pk)s in a round.") % {"pk": pk},
        "suggestions": [(_("Your work: everything that is yours to do"), reverse("web:my_work"))],
        "nav": "work",
    }
    return render(request, "404.html", context, status=404)


def _returned(update: ActionUpdate) -> AuditEvent | None:
    if update.entry_state is not _S.RETURNED:
        return None
    return (
        AuditEvent.objects.filter(
            object_type=ACTION_UPDATE, object_id=str(update.pk), action="return"
        )
        .order_by("-at", "-pk")
        .first()
    )


@dataclass
class Shown:
    """What the page shows besides the update: what was typed and refused."""

    typed: ActionInput | None = None
    errors: dict[str, str] | None = None
    problem: str = ""
    conflict: ActionConflict | None = None
    reason: str = ""
    version: int | None = None


def _page(
    request: HttpRequest, update: ActionUpdate, shown: Shown | None = None, status: int = 200
) -> HttpResponse:
    shown = shown or Shown()
    actor = actor_of(request)
    errors = shown.errors or {}
    typed = shown.typed or ActionInput.of(update)
    round_open = update.round is not None and not update.round.is_published
    may_edit = can_edit_action(actor, update.action)
    may_approve = can_approve_action(actor, update.action) and round_open
    own = actor.user is not None and update.submitted_by_id == actor.user.pk
    from django.conf import settings

    own = own and not settings.PERFREPORT_ALLOW_SELF_APPROVAL
    status_shown = status_of(update, shown.typed)
    context = {
        "nav": "work",
        "bilingual": bilingual_mode(),
        "update": update,
        "action": update.action,
        "period": update.get_period().long_label,
        "round_period": update.round.get_period().long_label if update.round else "",
        "overdue": update.entry_state.is_open
        and round_open
        and timezone.localdate() > update.round.deadline,  # type: ignore[union-attr]
        "facts": facts(update),
        "editing": may_edit and round_open and (update.entry_state.is_open or shown.typed),
        "form": typed,
        "milestones": milestone_rows(update, typed, errors),
        "version": update.version if shown.version is None else shown.version,
        "status": status_shown,
        "can_approve": may_approve and update.entry_state is _S.SUBMITTED and not own,
        "own_submission": may_approve and update.entry_state is _S.SUBMITTED and own,
        "can_return": may_approve and update.entry_state in (_S.SUBMITTED, _S.APPROVED),
        "restate_url": reverse("web:action_restate", args=[update.pk])
        if update.entry_state is _S.PUBLISHED and may_edit
        else "",
        "returned": _returned(update),
        "reason": shown.reason,
        **refusal(update, shown, errors),
    }
    return render(request, "web/work_action.html", context, status=status)


def refusal(update: ActionUpdate, shown: Shown, errors: dict[str, str]) -> dict[str, Any]:
    ordered = sorted(errors, key=lambda n: ORDER.index(n) if n in ORDER else 2)
    return {
        "errors": [ErrorItem(f"id_{n}", field_text(n, errors[n], update)) for n in ordered],
        "field_errors": {n: field_text(n, m, update) for n, m in errors.items()},
        "problem": shown.problem,
        "conflict": shown.conflict,
        "conflict_message": _conflict_message(shown.conflict) if shown.conflict else "",
    }


def _conflict_message(conflict: ActionConflict) -> str:
    at = timezone.localtime(conflict.at)
    return _(
        "%(by)s saved this update at %(time)s on %(date)s, after you opened it: nothing was "
        "changed."
    ) % {"by": conflict.by, "time": date_format(at, "H:i:s"), "date": date_format(at, "j F Y")}


_NO_VERSION = gettext_lazy(
    "The form did not say which version of the update you started from, so it cannot be "
    "checked against changes made since: nothing was saved. Try again."
)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the update, as a form for whoever may edit it. POST: save or submit it."""
    found = _update_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    if request.method != "POST":
        return _page(request, found)
    actor = actor_of(request)
    require_edit_action(actor, found.action)  # a forged post: 403
    typed, version = typed_update(request.POST), _version(request)
    step = request.POST.get("action", "")
    shown = Shown(typed=typed, version=version)
    if step == "check":
        return _page(request, found, shown)
    if step not in ("save", "submit") or version is None:
        shown.problem = str(_NO_VERSION) if version is None else _("Choose Save draft or Submit.")
        return _page(request, found, shown, status=400)
    try:
        saved = save_action_update(actor, found.pk, typed, version=version, submit=step == "submit")
    except Invalid as invalid:
        shown.errors = invalid.errors
        return _page(request, found, shown)
    except ActionConflict as conflict:
        found.refresh_from_db()
        shown.conflict, shown.version = conflict, conflict.update.version
        return _page(request, found, shown, status=409)
    except TransitionError as error:
        found.refresh_from_db()
        shown.problem = _sentence(error)
        return _page(request, found, shown)
    messages.success(request, done_text(saved, step))
    return _see_other(reverse("web:action_update", args=[saved.pk]))


_DONE = {
    "save": gettext_lazy(
        "Saved the update of %(kind)s %(ref)s (%(title)s) for %(period)s: %(now)s. %(status)s"
    ),
    "submit": gettext_lazy(
        "Submitted the update of %(kind)s %(ref)s (%(title)s) for %(period)s: %(now)s. %(status)s"
    ),
    "approve": gettext_lazy(
        "Approved the update of %(kind)s %(ref)s (%(title)s) for %(period)s: %(now)s. %(status)s"
    ),
    "return": gettext_lazy(
        "Returned the update of %(kind)s %(ref)s (%(title)s) for %(period)s: %(now)s. %(status)s"
    ),
}


def done_text(update: ActionUpdate, step: str) -> str:
    action = update.action
    return str(_DONE[step]) % {
        "kind": action.get_kind_display().lower(),
        "ref": action.ref,
        "title": in_language(action, "title"),
        "period": update.get_period().long_label,
        "now": now_text(update.entry_state, update.get_state_display()),
        "status": update_status(update).reason,
    }


@staff_required
@require_POST
def action_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _update_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    actor = actor_of(request)
    version = _version(request)
    if version is None:
        return _page(request, found, Shown(problem=str(_NO_VERSION)), status=400)
    try:
        approved = approve_action_update(actor, found.pk, version=version)
    except ActionConflict as conflict:
        found.refresh_from_db()
        return _page(request, found, Shown(conflict=conflict), status=409)
    except TransitionError as error:
        return _page(request, found, Shown(problem=_sentence(error)))
    except NotAllowed as refused:
        return _page(request, found, Shown(problem=_sentence(refused, actor.name)), status=403)
    messages.success(request, done_text(approved, "approve"))
    return _see_other(reverse("web:my_work"))


@staff_required
@require_POST
def action_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = _update_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    actor = actor_of(request)
    require_approve_action(actor, found.action)  # a forged post: 403
    reason, version = request.POST.get("reason", ""), _version(request)
    if version is None:
        return _page(request, found, Shown(problem=str(_NO_VERSION), reason=reason), status=400)
    try:
        returned = return_action_update(actor, found.pk, reason, version=version)
    except ActionConflict as conflict:
        found.refresh_from_db()
        return _page(request, found, Shown(conflict=conflict, reason=reason), status=409)
    except Invalid as invalid:
        return _page(request, found, Shown(errors=invalid.errors, reason=reason))
    except TransitionError as error:
        return _page(request, found, Shown(problem=_sentence(error), reason=reason))
    reason_said = _(" The reason: %(reason)s") % {"reason": reason.strip()}
    messages.success(request, done_text(returned, "return") + reason_said)
    return _see_other(reverse("web:my_work"))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_restate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a published update's progress, with a reason."""
    found = _update_or_none(pk)
    if found is None:
        return _not_found(request, pk)
    if request.method != "POST":
        return _restate_page(request, found, Shown())
    actor = actor_of(request)
    require_edit_action(actor, found.action)
    typed, version = typed_update(request.POST), _version(request)
    reason = request.POST.get("reason", "")
    shown = Shown(typed=typed, reason=reason, version=version)
    try:
        restated = restate_action_update(actor, found.pk, typed, reason=reason, version=version)
    except Invalid as invalid:
        shown.errors = invalid.errors
        return _restate_page(request, found, shown)
    except ActionConflict as conflict:
        found.refresh_from_db()
        shown.conflict, shown.version = conflict, conflict.update.version
        return _restate_page(request, found, shown, status=409)
    except TransitionError as error:
        shown.problem = _sentence(error)
        return _restate_page(request, found, shown)
    messages.success(
        request,
        _("Restated the progress of %(ref)s for %(period)s. The reason is kept in the audit trail.")
        % {"ref": restated.action.ref, "period": restated.get_period().long_label},
    )
    return _see_other(reverse("web:action_update", args=[pk]))


def _restate_page(
    request: HttpRequest, update: ActionUpdate, shown: Shown, status: int = 200
) -> HttpResponse:
    errors = shown.errors or {}
    context = {
        "nav": "work",
        "bilingual": bilingual_mode(),
        "update": update,
        "action": update.action,
        "period": update.get_period().long_label,
        "published": update.entry_state is _S.PUBLISHED,
        "may_restate": can_edit_action(actor_of(request), update.action),
        "form": shown.typed or ActionInput.of(update),
        "reason": shown.reason,
        "version": update.version if shown.version is None else shown.version,
        "history": AuditEvent.objects.filter(
            object_type=ACTION_UPDATE, object_id=str(update.pk), action="restate"
        ),
        **refusal(update, shown, errors),
    }
    return render(request, "web/work_action_restate.html", context, status=status)
