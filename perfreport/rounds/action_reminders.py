"""Which action updates the reminders and notifications are about, and to
whom: the same kinds and occasions as for entries
(:mod:`perfreport.rounds.reminders`), so that one email lists a person's
figures and actions together.

- due and overdue: an update not started, in draft or returned, in an open
  round whose deadline is near or past, to its owners; the occasion is the
  deadline;
- approval: a submitted update, to its approvers (less the person who
  submitted it when self-approval is off); the occasion is when it was
  submitted;
- returned: a returned update, to its owners; the occasion is its version.

Owners and approvers are :func:`perfreport.rounds.action_people.people_of_updates`'s,
the rule the pages and services use, without administrators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q

from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate, Round, RoundState, open_entries
from perfreport.rounds.action_people import people_of_updates
from perfreport.rounds.models import ReminderKind
from perfreport.rounds.reminders import ActionItem, AnyItem

__all__ = ["wanted_action_notifications", "wanted_action_reminders"]

Wanted = list[tuple[Any, ReminderKind, AnyItem]]


def wanted_action_reminders(rounds: Sequence[Round], today: date) -> Wanted:
    """Owners of the open updates in ``rounds`` (those whose deadline is
    near or past), due or overdue as of ``today``; approvers of every
    submitted update in an open round."""
    wanted: Wanted = []
    updates = _updates(Q(round__in=rounds) & open_entries())
    people = people_of_updates(updates)
    for update in updates:
        deadline = ActionItem(update, "").round.deadline
        kind = ReminderKind.DUE if deadline >= today else ReminderKind.OVERDUE
        item = ActionItem(update, deadline.isoformat())
        wanted += [(user, kind, item) for user in people[update.pk].owners]
    submitted = _updates(Q(round__state=RoundState.OPEN, state=EntryState.SUBMITTED.value))
    people = people_of_updates(submitted)
    for update in submitted:
        item = ActionItem(update, update.submitted_at.isoformat() if update.submitted_at else "")
        wanted += [(user, ReminderKind.APPROVAL, item) for user in people[update.pk].approvers]
    return wanted


def wanted_action_notifications() -> Wanted:
    """Owners of the updates returned to them in open rounds."""
    returned = _updates(Q(round__state=RoundState.OPEN, state=EntryState.RETURNED.value))
    people = people_of_updates(returned)
    return [
        (user, ReminderKind.RETURNED, ActionItem(update, f"v{update.version}"))
        for update in returned
        for user in people[update.pk].owners
    ]


def _updates(where: Q) -> list[ActionUpdate]:
    return list(
        ActionUpdate.objects.filter(where)
        .select_related("round", "action", "action__owner_user", "submitted_by")
        .prefetch_related("action__indicators__service")
    )
