"""A round's action and project updates on its page and on the publish
confirmation: each with its owners, approvers and state, and those that
publishing leaves out (not approved) or that have no update at all."""

from __future__ import annotations

from dataclasses import dataclass

from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate, Round
from perfreport.rounds.action_people import people_of_updates
from perfreport.rounds.owners import EntryPeople

WAITING = (EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED)


@dataclass(frozen=True)
class UpdateRow:
    update: ActionUpdate
    state: EntryState
    people: EntryPeople

    @property
    def percent(self) -> str:
        value = self.update.percent_complete
        return "" if value is None else f"{value.normalize():f}%"


def update_rows(found: Round) -> list[UpdateRow]:
    """The round's updates in the plan's order, with their people (the
    grants read twice, whatever the number)."""
    updates = list(
        found.action_updates.select_related("action", "action__owner_user", "updated_by")
        .prefetch_related("action__indicators__service")
        .order_by("action__position", "action__ref")
    )
    people = people_of_updates(updates)
    return [UpdateRow(u, u.entry_state, people[u.pk]) for u in updates]


def waiting_rows(rows: list[UpdateRow]) -> list[UpdateRow]:
    """Updates still being worked on: publishing leaves them out."""
    return [row for row in rows if row.state in WAITING]


def seen_updates(found: Round) -> str:
    """The updates' versions as a publish form carries them ("12:3 13:1")."""
    return " ".join(f"{pk}:{v}" for pk, v in found.action_updates.values_list("pk", "version"))
