"""The grid's "Actions and projects": each action or project update due
from the owner, as a row of the same form as their figures (percentage
complete, progress, completion date, milestones done), saved by the same
Save (:func:`perfreport.rounds.grid_save.save_grid`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest

from perfreport.core.plan import StatusOutcome
from perfreport.data.models import ActionUpdate
from perfreport.registry.models import Organisation
from perfreport.rounds.action_updates import ActionInput
from perfreport.rounds.grid_save import ActionDraftRow, GridRefused
from perfreport.web.action_form import (
    MilestoneRow,
    field_text,
    milestone_rows,
    status_of,
    typed_update,
)
from perfreport.web.action_work import due_updates

MAX_UPDATES = 100  # rows of updates a post is read for; an owner has a few


@dataclass
class ActionGridRow:
    update: ActionUpdate
    period: str
    typed: ActionInput
    version: int
    status: StatusOutcome | None
    milestones: list[MilestoneRow]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"a{self.update.pk}"

    @property
    def details_open(self) -> bool:
        return any(n == "completed_on" or n.startswith("m") for n in self.errors)


Posted = list[tuple[ActionUpdate, ActionInput, int]]


def posted_updates(request: HttpRequest) -> Posted:
    """The update rows of a post: each with what was typed and the version shown."""
    ids = [int(x) for x in request.POST.getlist("update") if x.isascii() and x.isdigit()]
    ids = list(dict.fromkeys(i for i in ids if i < 2**31))[:MAX_UPDATES]
    found = (
        ActionUpdate.objects.select_related("action", "round")
        .prefetch_related("action__milestones")
        .in_bulk(ids)
    )
    posted = []
    for pk in (i for i in ids if i in found):
        version = request.POST.get(f"a{pk}-version", "")
        number = (
            int(version) if version.isascii() and version.isdigit() and len(version) < 10 else 0
        )
        posted.append((found[pk], typed_update(request.POST, prefix=f"a{pk}-"), number))
    return posted


def _same(typed: ActionInput) -> tuple[str, str, str, dict[int, str]]:
    def clean(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    done = {k: clean(v) for k, v in typed.milestones.items() if clean(v)}
    return clean(typed.percent), clean(typed.note), clean(typed.completed_on), done


def is_update_changed(update: ActionUpdate, typed: ActionInput) -> bool:
    welsh = typed.note_cy is not None and (typed.note_cy.replace("\r\n", "\n").strip()) != (
        update.note_cy.strip()
    )
    return welsh or _same(typed) != _same(ActionInput.of(update))


def changed_drafts(posted: Posted) -> list[ActionDraftRow]:
    return [ActionDraftRow(u.pk, t, v) for u, t, v in posted if is_update_changed(u, t)]


def action_rows(
    updates: list[ActionUpdate] | None = None,
    posted: Posted | None = None,
    refused: GridRefused | None = None,
    actor: object = None,
) -> list[ActionGridRow]:
    """The rows as saved, or as posted (with what was refused)."""
    typed = {u.pk: (t, v) for u, t, v in posted or []}
    days = Organisation.plan_rules()[1]
    if updates is None:
        updates = [u for u, _, _ in posted or []]
    rows = []
    for update in updates:
        text, version = typed.get(update.pk, (None, update.version))
        errors = refused.actions.get(update.pk, {}) if refused else {}
        if refused and update.pk in refused.versions:
            version = refused.versions[update.pk]
        shown = text or ActionInput.of(update)
        rows.append(
            ActionGridRow(
                update,
                update.get_period().long_label,
                shown,
                version,
                status_of(update, text, days),
                milestone_rows(update, shown, errors),
                {n: m if n == "update" else field_text(n, m, update) for n, m in errors.items()},
            )
        )
    return rows


def due_action_rows(actor: object) -> list[ActionGridRow]:
    due = due_updates(actor).prefetch_related("action__milestones")  # type: ignore[arg-type]
    return action_rows(list(due))
