"""Who is answerable for each entry of a round: its owners (who may edit it
by an owner's grant of its indicator, service or directorate) and its
approvers (who sign it off), as the reminders find them. Administrators are
left out: they may do everything, so they own nothing in particular.

An entry nobody owns is the round's blind spot: nobody is reminded of it and
it stays "Not started". The round page, the confirmation of opening a round
and ``perfreport remind`` name such entries (:func:`unowned`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from perfreport.accounts.forms import Scope
from perfreport.accounts.models import Role
from perfreport.accounts.permissions import Actor
from perfreport.core.errors import Invalid
from perfreport.data.models import Entry, Round, RoundState, open_entries
from perfreport.rounds.people import role_grant
from perfreport.rounds.reminders import _Approvers, _Owners

__all__ = [
    "EntryPeople",
    "assign_owner",
    "candidates",
    "display_name",
    "people_of",
    "unowned",
    "unowned_in_open_rounds",
]


def display_name(user: Any) -> str:
    """A person as a page or email names them: full name, else username."""
    return str(user.get_full_name() or user.get_username())


@dataclass(frozen=True)
class EntryPeople:
    owners: tuple[Any, ...]  # users, by name
    approvers: tuple[Any, ...]

    @property
    def owner_names(self) -> str:
        return ", ".join(display_name(u) for u in self.owners)

    @property
    def approver_names(self) -> str:
        return ", ".join(display_name(u) for u in self.approvers)


def _sorted(users: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(users, key=lambda u: (display_name(u).lower(), u.pk)))


def people_of(entries: Sequence[Entry]) -> dict[int, EntryPeople]:
    """Each entry's owners and approvers, by entry id (the role grants read
    twice, whatever the number of entries). Entries need their indicator and
    its service selected."""
    owners, approvers = _Owners(), _Approvers()
    return {
        entry.pk: EntryPeople(_sorted(owners.of(entry)), _sorted(approvers.of(entry)))
        for entry in entries
    }


def unowned(entries: Sequence[Entry]) -> list[Entry]:
    """The entries that nobody owns, in the report's order."""
    found = people_of(entries)
    nobody = [entry for entry in entries if not found[entry.pk].owners]
    return sorted(nobody, key=lambda e: (e.indicator.position, e.indicator.ref))


def unowned_in_open_rounds() -> list[tuple[Round, list[Entry]]]:
    """Each open round with the entries still to be filled in that nobody
    owns (rounds where every such entry has an owner are left out)."""
    found = []
    for open_ in Round.objects.filter(state=RoundState.OPEN).order_by("deadline", "first_month"):
        entries = list(
            open_.entries.filter(open_entries()).select_related("indicator", "indicator__service")
        )
        if nobody := unowned(entries):
            found.append((open_, nobody))
    return found


def candidates() -> list[Any]:
    """The people an administrator may make an owner: every active account, by name."""
    users = get_user_model().objects.filter(is_active=True)
    return sorted(users, key=lambda u: (display_name(u).lower(), u.pk))


def assign_owner(actor: Actor, entry_id: int, user_id: int | None) -> tuple[Entry, Any, bool]:
    """Make the person ``user_id`` an owner of the indicator of the entry
    ``entry_id``: an indicator-scoped owner's role, given through the people
    service (``perfreport.rounds.people.role_grant``, as ``perfreport grant``
    gives it), which checks the actor is a BI administrator and records the
    grant in the audit trail. (the entry, the person, whether the role is new);
    ``Invalid`` on the "owner" field when nobody active was chosen."""
    actor.require_admin(gettext_noop("give an entry an owner"))
    entry = Entry.objects.select_related("indicator", "round").get(pk=entry_id)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Invalid.one("owner", "choose the person who will fill in this figure")
    _grant, created = role_grant(
        actor, user=user, role=Role.OWNER, scope=Scope(indicator=entry.indicator)
    )
    return entry, user, created
