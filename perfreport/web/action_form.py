"""An action or project update as its forms show and post it (the action's
page and the grid): what was typed, each milestone's field, messages that
name their field, and the status the update as typed gives the action."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfreport.core.plan import StatusOutcome, long_date
from perfreport.data.models import ActionUpdate
from perfreport.registry.bilingual import text as in_language
from perfreport.registry.models import Milestone
from perfreport.rounds.action_updates import LABELS, ActionInput, parse_action, update_status

# The update's fields as its forms name them, in the page's language.
FIELD_LABELS = {
    "percent": gettext_lazy("Percentage complete"),
    "percent_complete": gettext_lazy("Percentage complete"),
    "note": gettext_lazy("Progress"),
    "note_cy": gettext_lazy("Progress (Welsh)"),
    "completed_on": gettext_lazy("Completed on"),
    "milestones_done": gettext_lazy("Milestones done"),
    "reason": gettext_lazy("Reason"),
    "state": gettext_lazy("State"),
}


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone as the form shows it: done by the published state, or a
    date to type ("" not done)."""

    milestone: Milestone
    typed: str
    error: str

    @property
    def name(self) -> str:
        return f"m{self.milestone.pk}"

    @property
    def label(self) -> str:
        return _("%(title)s: done on (due %(due)s)") % {
            "title": in_language(self.milestone, "title"),
            "due": long_date(self.milestone.due),
        }

    @property
    def published_done(self) -> str:
        done = self.milestone.completed_on
        return long_date(done) if done else ""


def typed_update(data: QueryDict, prefix: str = "") -> ActionInput:
    """An update as a form posts it; ``prefix`` the grid row's ("a12-")."""
    milestones = {}
    for key in data:
        name = key.removeprefix(prefix) if prefix else key
        if key.startswith(prefix) and name[:1] == "m" and name[1:].isdigit() and len(name) < 12:
            milestones[int(name[1:])] = data.get(key, "")
    return ActionInput(
        data.get(f"{prefix}percent", ""),
        data.get(f"{prefix}note", ""),
        data.get(f"{prefix}completed_on", ""),
        milestones,
        data.get(f"{prefix}note_cy"),  # on the form in bilingual mode only
    )


def milestone_rows(
    update: ActionUpdate, typed: ActionInput, errors: dict[str, str]
) -> list[MilestoneRow]:
    return [
        MilestoneRow(m, typed.milestones.get(m.pk, ""), errors.get(f"m{m.pk}", ""))
        for m in sorted(update.action.milestones.all(), key=lambda m: (m.due, m.position))
    ]


def field_text(name: str, message: str, update: ActionUpdate | None = None) -> str:
    """A service's message as a sentence that names its field."""
    label = str(FIELD_LABELS[name]) if name in FIELD_LABELS else LABELS.get(name)
    if label is None and name.startswith("m") and name[1:].isdigit() and update is not None:
        found = update.action.milestones.filter(pk=int(name[1:])).first()
        label = (
            _("Milestone “%(title)s” done on") % {"title": in_language(found, "title")}
            if found
            else _("Milestone")
        )
    label = label or name.replace("_", " ").capitalize()
    if message.startswith(("is ", "are ")):
        return f"{label} {message}"
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


def status_of(
    update: ActionUpdate, typed: ActionInput | None, due_soon_days: int | None = None
) -> StatusOutcome | None:
    """The status the update gives its action, as typed if readable; None when not."""
    if typed is None:
        return update_status(update, due_soon_days=due_soon_days)
    parsed = parse_action(update, typed)
    return None if parsed.errors else update_status(update, parsed, due_soon_days)
