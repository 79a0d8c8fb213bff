"""Who may update an action or project in the round, and who signs its
update off, decided in one place for the pages and the services.

* Owners: the action's ``owner_user``, and the owners (by an owner's grant
  of the indicator, its service or its directorate) of any indicator it
  serves. A BI administrator may update every action.
* Approvers: approvers of the action's directorate; an approver with no
  directorate signs off every action, and an action with no directorate is
  signed off by any approver. A BI administrator may sign off every action.

The lists of people (the round page, the publish confirmation) leave
administrators out, as :mod:`perfreport.rounds.owners` does for entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from perfreport.accounts.models import Role
from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.data.models import ActionUpdate
from perfreport.registry.models import Indicator, PlanAction
from perfreport.rounds.owners import EntryPeople, _sorted
from perfreport.rounds.reminders import _active_grants, _Owners

__all__ = [
    "approvable_actions",
    "can_approve_action",
    "can_edit_action",
    "own_actions",
    "people_of_updates",
    "require_approve_action",
    "require_edit_action",
]


def _name(action: PlanAction) -> str:
    return f"{action.get_kind_display().lower()} {action.ref}"


def can_edit_action(actor: Actor, action: PlanAction) -> bool:
    """The action's owner, an owner of an indicator it serves, or an administrator."""
    if actor.is_admin:
        return True
    if actor.user is not None and action.owner_user_id == actor.user.pk:
        return True
    return any(actor.can_edit(indicator) for indicator in action.indicators.all())


def can_approve_action(actor: Actor, action: PlanAction) -> bool:
    """An approver of the action's directorate (or of every directorate; any
    approver when the action has none), or an administrator."""
    if actor.is_admin:
        return True
    return any(
        grant.role == Role.APPROVER
        and (
            grant.directorate_id is None
            or action.directorate_id is None
            or grant.directorate_id == action.directorate_id
        )
        for grant in actor.grants
    )


def require_edit_action(actor: Actor, action: PlanAction) -> None:
    if not can_edit_action(actor, action):
        raise NotAllowed(
            f"{actor.name} may not update {_name(action)}: only its owner, the owners of the "
            "indicators it serves or a BI administrator may"
        )


def require_approve_action(actor: Actor, action: PlanAction) -> None:
    if not can_approve_action(actor, action):
        raise NotAllowed(
            f"{actor.name} may not sign off {_name(action)}: only an approver for its "
            "directorate or a BI administrator may"
        )


def own_actions(actor: Actor) -> Q:
    """The actions that are this person's own work (on ``PlanAction``): those
    they own and those serving indicators they own. An administrator's are
    only those they own by name or by an owner's grant, as My work lists an
    administrator's own figures."""
    owner = Actor(grants=[g for g in actor.grants if g.role == Role.OWNER])
    scope = Q(indicators__in=Indicator.objects.filter(owner.editable()))
    if actor.user is not None and actor.user.pk:
        scope |= Q(owner_user_id=actor.user.pk)
    return Q(pk__in=PlanAction.objects.filter(scope).values("pk"))


def approvable_actions(actor: Actor) -> Q:
    """The actions whose updates this person signs off (on ``PlanAction``)."""
    if actor.is_admin:
        return Q()
    directorates = []
    for grant in actor.grants:
        if grant.role != Role.APPROVER:
            continue
        if grant.directorate_id is None:
            return Q()
        directorates.append(grant.directorate_id)
    if not directorates:
        return Q(pk__in=[])
    return Q(directorate__isnull=True) | Q(directorate_id__in=directorates)


@dataclass(frozen=True)
class _Served:
    """An indicator as the owners' lookup reads an entry's."""

    indicator: Indicator


class _Approvers:
    def __init__(self) -> None:
        self.everywhere: set[Any] = set()
        self.by_directorate: dict[int, set[Any]] = {}
        for grant in _active_grants(Role.APPROVER):
            if grant.directorate_id is None:
                self.everywhere.add(grant.user)
            else:
                self.by_directorate.setdefault(grant.directorate_id, set()).add(grant.user)

    def of(self, update: ActionUpdate) -> set[Any]:
        directorate = update.action.directorate_id
        if directorate is None:
            found = set(self.everywhere).union(*self.by_directorate.values())
        else:
            found = self.everywhere | self.by_directorate.get(directorate, set())
        if not settings.PERFREPORT_ALLOW_SELF_APPROVAL:
            found = {user for user in found if user.pk != update.submitted_by_id}
        return found


def people_of_updates(updates: Sequence[ActionUpdate]) -> dict[int, EntryPeople]:
    """Each update's owners and approvers, by update id (the grants read
    twice, whatever the number). Updates need their action selected, and
    its indicators and owner prefetched."""
    owners, approvers = _Owners(), _Approvers()
    found = {}
    for update in updates:
        action = update.action
        people: set[Any] = set()
        if action.owner_user is not None and action.owner_user.is_active:
            people.add(action.owner_user)
        for indicator in action.indicators.all():
            people |= owners.of(_Served(indicator))  # type: ignore[arg-type]
        found[update.pk] = EntryPeople(_sorted(people), _sorted(approvers.of(update)))
    return found
