"""Action and project updates on My work and in the approver's list: the
person's updates due, returned and submitted, and those awaiting their
approval, beside their figures; several approved at once with them.

Each update is approved through
:func:`perfreport.rounds.action_updates.approve_action_update`, one at a
time, each audited; one refused is named and the rest are approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.core.plan import StatusOutcome
from perfreport.core.workflow import EntryState, TransitionError
from perfreport.data.models import ActionUpdate, RoundState
from perfreport.registry.models import Organisation, PlanAction
from perfreport.rounds.action_people import approvable_actions, own_actions
from perfreport.rounds.action_updates import (
    ActionConflict,
    approve_action_update,
    update_status,
)

_S = EntryState
OPEN_STATES = [s.value for s in EntryState if s.is_open]


@dataclass(frozen=True)
class ActionItem:
    """One update in a list on My work."""

    update: ActionUpdate
    href: str
    period: str
    round: str
    deadline: date
    overdue: bool
    note: str = ""
    status: StatusOutcome | None = None
    own: bool = False  # submitted by this approver: not theirs to approve

    @property
    def percent(self) -> str:
        value = self.update.percent_complete
        return "" if value is None else f"{value.normalize():f}%"


def in_open_rounds() -> QuerySet[ActionUpdate]:
    return (
        ActionUpdate.objects.filter(round__state=RoundState.OPEN)
        .select_related("round", "action", "submitted_by")
        .order_by("round__deadline", "action__position", "action__ref")
    )


def due_updates(actor: Actor) -> QuerySet[ActionUpdate]:
    """This person's updates still to do in the open rounds (the grid's)."""
    mine = PlanAction.objects.filter(own_actions(actor))
    return in_open_rounds().filter(action__in=mine, state__in=OPEN_STATES)


def _items(
    updates: QuerySet[ActionUpdate], today: date, approver: Actor | None = None
) -> list[ActionItem]:
    days = Organisation.plan_rules()[1] if approver is not None else None
    return [
        ActionItem(
            update=u,
            href=reverse("web:action_update", args=[u.pk]),
            period=u.get_period().long_label,
            round=u.round.get_period().long_label if u.round else "",
            deadline=u.round.deadline if u.round else today,
            overdue=u.entry_state.is_open and u.round is not None and today > u.round.deadline,
            note=_note(u),
            status=update_status(u, due_soon_days=days) if approver is not None else None,
            own=approver is not None and _own(approver, u),
        )
        for u in updates
    ]


def _own(actor: Actor, update: ActionUpdate) -> bool:
    return (
        not settings.PERFREPORT_ALLOW_SELF_APPROVAL
        and actor.user is not None
        and update.submitted_by_id == actor.user.pk
    )


def _note(update: ActionUpdate) -> str:
    if update.entry_state is _S.RETURNED:
        return update.return_reason
    if update.entry_state is not _S.SUBMITTED or update.submitted_by is None:
        return ""
    from perfreport.web.entry_page import when_text

    when = timezone.localtime(update.submitted_at) if update.submitted_at else None
    name = update.submitted_by.get_username()
    if when:
        return _("Submitted by %(name)s on %(when)s") % {"name": name, "when": when_text(when)}
    return _("Submitted by %(name)s") % {"name": name}


def my_action_work(actor: Actor, today: date) -> dict[str, Any]:
    """My work's lists of updates, by the names its template uses."""
    mine = in_open_rounds().filter(action__in=PlanAction.objects.filter(own_actions(actor)))
    waiting = in_open_rounds().filter(
        state=_S.SUBMITTED.value, action__in=PlanAction.objects.filter(approvable_actions(actor))
    )
    return {
        "action_due": _items(mine.filter(state__in=[_S.NOT_STARTED.value, _S.DRAFT.value]), today),
        "action_returned": _items(mine.filter(state=_S.RETURNED.value), today),
        "action_submitted": _items(
            mine.filter(state__in=[_S.SUBMITTED.value, _S.APPROVED.value]), today
        ),
        "action_approvals": _items(waiting.prefetch_related("action__milestones"), today, actor)
        if actor.is_approver
        else [],
    }


def approve_selected_updates(
    actor: Actor, chosen: dict[int, int | None]
) -> tuple[list[ActionUpdate], list[tuple[str, str]]]:
    """Approve each chosen update (id: the version shown): (approved, [(which, why not)])."""
    approved, refused = [], []
    found = ActionUpdate.objects.select_related("action").in_bulk(list(chosen))
    for pk, version in chosen.items():
        update = found.get(pk)
        name = update_name(update) if update else _("Action update %(pk)s") % {"pk": pk}
        if update is None:
            refused.append((name, _("there is no such update")))
            continue
        if version is None:
            refused.append((name, _("the form did not say which version you were shown")))
            continue
        try:
            approved.append(approve_action_update(actor, pk, version=version))
        except ActionConflict as conflict:
            refused.append(
                (
                    name,
                    _("%(by)s changed it after the list was shown: look at it again")
                    % {"by": conflict.by},
                )
            )
        except (TransitionError, NotAllowed) as error:
            refused.append((name, str(error)))
    return approved, refused


def update_name(update: ActionUpdate) -> str:
    action = update.action
    return _("%(kind)s %(ref)s for %(period)s") % {
        "kind": action.get_kind_display(),
        "ref": action.ref,
        "period": update.get_period().long_label,
    }
