"""The grid's one Save: an owner's changed figures and action updates
saved as drafts together, all or nothing.

The figures go through :func:`perfreport.rounds.workbook.save_drafts` and the
updates through :func:`perfreport.rounds.action_updates.save_action_update`,
inside one transaction: if any row is refused, every row is rolled back and
each refused row says why (``GridRefused``), the figures' and the updates'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.core.errors import Invalid
from perfreport.core.workflow import TransitionError
from perfreport.data.models import ActionUpdate, Entry
from perfreport.rounds.action_updates import ActionConflict, ActionInput, save_action_update
from perfreport.rounds.workbook import DraftRow, RowsRefused, save_drafts

__all__ = ["ActionDraftRow", "GridRefused", "save_grid"]


@dataclass(frozen=True)
class ActionDraftRow:
    """One update as typed, with the version the person started from."""

    update_id: int
    typed: ActionInput
    version: int


@dataclass
class GridRefused(Exception):
    """Nothing was saved. ``entries``: the figures' refusal (none refused:
    empty); ``actions``: messages by update id, then by field ("update" for
    the row as a whole); ``versions``: updates saved by someone else since."""

    entries: RowsRefused
    actions: dict[int, dict[str, str]] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.entries.errors) + len(self.actions)} rows refused: nothing was saved"


def save_grid(
    actor: Actor, drafts: Sequence[DraftRow], updates: Sequence[ActionDraftRow], *, opened: str
) -> tuple[list[Entry], list[ActionUpdate]]:
    """Save every figure and update as a draft, or none (``GridRefused``)."""
    refused = GridRefused(RowsRefused({}))
    with transaction.atomic():
        try:
            saved = save_drafts(actor, drafts, opened=opened) if drafts else []
        except RowsRefused as rows:
            refused.entries, saved = rows, []
        made = [u for row in updates if (u := _save(actor, row, refused, opened)) is not None]
        if refused.entries.errors or refused.actions:
            raise refused  # leaving the block rolls every save back
    return saved, made


def _save(
    actor: Actor, row: ActionDraftRow, refused: GridRefused, opened: str
) -> ActionUpdate | None:
    try:
        return save_action_update(actor, row.update_id, row.typed, version=row.version)
    except Invalid as invalid:
        refused.actions[row.update_id] = dict(invalid.errors)
    except ActionConflict as conflict:
        at = conflict.at
        refused.actions[row.update_id] = {
            "update": f"{conflict.by} saved this update at {at:%H:%M} on {at.day} {at:%B %Y}, "
            f"after you {opened}."
        }
        refused.versions[row.update_id] = conflict.update.version
    except (TransitionError, NotAllowed) as error:
        text = str(error).strip()
        refused.actions[row.update_id] = {"update": text[:1].upper() + text[1:].rstrip(".") + "."}
    except ActionUpdate.DoesNotExist:
        refused.actions[row.update_id] = {"update": f"There is no action update {row.update_id}."}
    return None
