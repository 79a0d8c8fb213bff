"""Actions and projects in the quarterly round: each open action's update
for the round's period (how complete it is, its milestones done, a progress
note), made beside the figures with the same steps, roles and trail.

An update moves as an entry does (:mod:`perfreport.core.workflow`): saved
as a draft, submitted, approved or returned with a reason, published with
the round; after that its note and percentage can only be restated, with a
reason. Publishing writes the update to the action's published fields
(``PlanAction.percent_complete``, ``progress``, ``progress_period``,
``completed_on`` and the milestones' ``completed_on``), the only way besides
the BI team's import that they change. Who may do what is
:mod:`perfreport.rounds.action_people`.

Every function checks the person's role first (``NotAllowed``), runs in one
transaction, writes the audit trail in it and bumps the data version (the
staff plan pages show drafts). A save against an update someone else has
saved since raises ``ActionConflict``; bad input raises ``Invalid`` with a
message for each field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid, Stale
from perfreport.core.periods import Period
from perfreport.core.plan import StatusOutcome, action_status
from perfreport.core.text import COMMENTARY_LIMIT, TextError, checked_text
from perfreport.core.units import plain
from perfreport.core.workflow import Action, EntryState, TransitionError, next_state
from perfreport.data.models import ActionUpdate, Round
from perfreport.data.versions import bump_data_version, one_change, saves_uncounted
from perfreport.registry.models import Milestone, Organisation, PlanAction
from perfreport.registry.periods import period_fields
from perfreport.rounds.action_people import require_approve_action, require_edit_action
from perfreport.rounds.notifications import send_soon

__all__ = [
    "ACTION_UPDATE",
    "ActionConflict",
    "ActionInput",
    "approve_action_update",
    "open_action_updates",
    "publish_action_updates",
    "restate_action_update",
    "return_action_update",
    "save_action_update",
    "update_status",
]

ACTION_UPDATE = "action update"  # what the audit trail calls one
FIELDS = ("percent_complete", "completed_on", "milestones_done", "note")
LABELS = {
    "percent": "Percentage complete",
    "percent_complete": "Percentage complete",
    "note": "Progress",
    "note_cy": "Progress (Welsh)",
    "completed_on": "Completed on",
    "milestones_done": "Milestones done",
    "reason": "Reason",
    "state": "State",
}
HUNDRED = Decimal(100)
APPROVAL_FIELDS = ["state", "approved_by", "approved_at", "return_reason", "version", "updated_at"]


@dataclass
class ActionInput:
    """An update as typed: the percentage and dates as text; ``milestones``
    the date each milestone was done, by milestone id ("" not done)."""

    percent: str = ""
    note: str = ""
    completed_on: str = ""
    milestones: dict[int, str] = field(default_factory=dict)
    note_cy: str | None = None  # the Welsh, in bilingual mode; None: kept as saved

    @classmethod
    def of(cls, update: ActionUpdate) -> ActionInput:
        """The update as a form shows it."""
        percent = "" if update.percent_complete is None else plain(update.percent_complete)
        done = update.completed_on.isoformat() if update.completed_on else ""
        milestones = {int(k): str(v) for k, v in (update.milestones_done or {}).items()}
        return cls(percent, update.note, done, milestones, update.note_cy)


@dataclass
class ParsedAction:
    percent: Decimal | None
    note: str
    completed_on: date | None
    milestones: dict[int, date]
    errors: dict[str, str] = field(default_factory=dict)
    note_cy: str | None = None  # not given: kept as saved

    @property
    def milestones_done(self) -> dict[str, str]:
        return {str(pk): when.isoformat() for pk, when in sorted(self.milestones.items())}


def read_date(text: str, today: date) -> date:
    """A date as a date field sends it (2021-01-15) or as typed (15/01/2021),
    not after ``today``; ValueError says what is wrong."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            found = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if found > today:
            raise ValueError(
                f"{found.day} {found:%B %Y} is in the future: give the date it was done"
            )
        return found
    raise ValueError(f"“{text}” is not a date: enter a date such as 15/01/2021")


def read_percent(text: str) -> Decimal | None:
    text = text.strip().removesuffix("%").strip()
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number: give a percentage from 0 to 100") from None
    if not number.is_finite() or not Decimal(0) <= number <= HUNDRED:
        raise ValueError(f"{text} is outside 0 to 100: give a percentage from 0 to 100")
    return number


def parse_action(
    update: ActionUpdate, typed: ActionInput, today: date | None = None
) -> ParsedAction:
    """Every field read, every problem collected (not just the first)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    parsed = ParsedAction(None, "", None, {}, errors)
    try:
        parsed.percent = read_percent(checked_text(typed.percent, limit=40))
    except (ValueError, TextError) as error:
        errors["percent"] = str(error)
    try:
        parsed.note = checked_text(typed.note, limit=COMMENTARY_LIMIT).strip()
    except TextError as error:
        errors["note"] = str(error)
    if typed.note_cy is not None:
        try:
            parsed.note_cy = checked_text(typed.note_cy, limit=COMMENTARY_LIMIT).strip()
        except TextError as error:
            errors["note_cy"] = str(error)
    if typed.completed_on.strip():
        try:
            parsed.completed_on = read_date(checked_text(typed.completed_on, limit=40), today)
        except (ValueError, TextError) as error:
            errors["completed_on"] = str(error)
    known = {m.pk for m in update.action.milestones.all()}
    for pk, text in typed.milestones.items():
        if pk not in known:
            errors[f"m{pk}"] = "is not a milestone of this action"
        elif text.strip():
            try:
                parsed.milestones[pk] = read_date(checked_text(text, limit=40), today)
            except (ValueError, TextError) as error:
                errors[f"m{pk}"] = str(error)
    return parsed


def _check_submission(parsed: ParsedAction) -> None:
    errors = {}
    if parsed.percent is None and parsed.completed_on is None:
        errors["percent"] = "is needed to submit: say how complete it is, from 0 to 100"
    if not parsed.note:
        errors["note"] = "is needed to submit: say what was done this period and what is next"
    if errors:
        raise Invalid(errors)


# Status


def _due_soon_days() -> int:
    return Organisation.plan_rules()[1]


def update_status(
    update: ActionUpdate, parsed: ParsedAction | None = None, due_soon_days: int | None = None
) -> StatusOutcome:
    """The action's status at the end of the update's period with the update
    as saved (or as typed, ``parsed``), by :func:`perfreport.core.plan.action_status`."""
    action = update.action
    milestones = list(action.milestones.all())
    done = (
        parsed.milestones
        if parsed is not None
        else {int(k): date.fromisoformat(str(v)) for k, v in (update.milestones_done or {}).items()}
    )
    percent = parsed.percent if parsed is not None else update.percent_complete
    completed = parsed.completed_on if parsed is not None else update.completed_on
    spec = action.to_core(milestones, percent=percent, completed_on=completed)
    specs = tuple(
        replace(s, completed_on=done[m.pk]) if m.pk in done else s
        for s, m in zip(spec.milestones, milestones, strict=True)
    )
    days = _due_soon_days() if due_soon_days is None else due_soon_days
    return action_status(replace(spec, milestones=specs), update.get_period().end, days)


# Opening


def open_action_updates(found: Round, period: Period) -> int:
    """An update, not started, for every action open at the end of
    ``period`` by its published state (not complete by then) that has
    started by then (no start, or on or before the period's end), unless it
    has one for the period already. How many were made."""
    end = period.end
    open_ = PlanAction.objects.filter(
        Q(start__isnull=True) | Q(start__lte=end),
        Q(completed_on__isnull=True) | Q(completed_on__gt=end),
        Q(percent_complete__isnull=True) | Q(percent_complete__lt=HUNDRED),
    )
    have = ActionUpdate.objects.filter(
        frequency=period.frequency.value, first_month=period.first_month
    ).values("action_id")
    made = ActionUpdate.objects.bulk_create(
        ActionUpdate(action=action, round=found, **period_fields(period))
        for action in open_.exclude(pk__in=have)
    )
    if made:
        bump_data_version()
    return len(made)


# Saving and submitting


@dataclass
class ActionConflict(Stale):
    """Someone saved the update after this person opened it: ``changes`` are
    (field, label, theirs, yours); nothing was written."""

    update: ActionUpdate
    changes: list[tuple[str, str, str, str]]
    by: str
    at: Any

    def __str__(self) -> str:
        return (
            f"{self.by} saved the update of {self.update.action.ref} at {self.at:%H:%M:%S} after "
            "you opened it: your changes were not saved"
        )


def _shown(value: object) -> str:
    if value in (None, "", {}):
        return "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(audit.plain(value))


def _conflict(update: ActionUpdate, parsed: ParsedAction | None) -> ActionConflict:
    changes = []
    welsh = ("note_cy",) if parsed is not None and parsed.note_cy is not None else ()
    for name in (*FIELDS, *welsh):
        theirs = getattr(update, name)
        yours = None if parsed is None else _parsed_value(parsed, name)
        if parsed is None and theirs in (None, "", {}):
            continue
        if parsed is None or audit.plain(theirs) != audit.plain(yours):
            changes.append(
                (name, LABELS[name], _shown(theirs), "" if parsed is None else _shown(yours))
            )
    if parsed is None:
        changes.append(("state", "State", update.get_state_display(), ""))
    by = update.updated_by.get_username() if update.updated_by else "someone"
    return ActionConflict(update, changes, by, timezone.localtime(update.updated_at))


def _parsed_value(parsed: ParsedAction, name: str) -> object:
    return {
        "percent_complete": parsed.percent,
        "completed_on": parsed.completed_on,
        "milestones_done": parsed.milestones_done,
        "note": parsed.note,
        "note_cy": parsed.note_cy,
    }[name]


def update_for_update(update_id: int) -> ActionUpdate:
    return (
        ActionUpdate.objects.select_for_update(of=("self",))
        .select_related("action", "round", "updated_by")
        .get(pk=update_id)
    )


def _user(actor: Actor) -> Any:
    return actor.user if actor.user is not None and actor.user.pk else None


def _in_open_round(update: ActionUpdate, doing: str) -> None:
    if update.round is None:
        raise TransitionError(
            f"the update of {update.action.ref} for {update.period} was imported, not collected "
            "in a round: the BI team corrects it by importing it again"
        )
    if update.round.is_published:
        raise TransitionError(f"the round for {update.round.period} has been published: {doing}")


def _record(
    actor: Actor, update: ActionUpdate, before: dict[str, Any], action: str, reason: str = ""
) -> None:
    audit.record_change(
        actor, update, ACTION_UPDATE, before, period=update.period, action=action, reason=reason
    )


@transaction.atomic
def save_action_update(
    actor: Actor,
    update_id: int,
    typed: ActionInput,
    *,
    version: int,
    submit: bool = False,
    today: date | None = None,
) -> ActionUpdate:
    """Save an update as a draft, or submit it for approval (a percentage, or
    a completion date, and a progress note needed). Refused
    (``ActionConflict``) if saved since ``version``, the version the person opened."""
    update = update_for_update(update_id)
    require_edit_action(actor, update.action)
    _in_open_round(update, "restate its progress instead, with a reason")
    parsed = parse_action(update, typed, today)
    if update.version != version:
        raise _conflict(update, parsed)
    state = next_state(update.entry_state, Action.SUBMIT if submit else Action.SAVE)
    if parsed.errors:
        raise Invalid(parsed.errors)
    if submit:
        _check_submission(parsed)
    welsh = ["note_cy"] if parsed.note_cy is not None else []  # on the form: bilingual mode
    before = audit.fields_of(update, (*FIELDS, *welsh, "state"))
    update.percent_complete, update.note = parsed.percent, parsed.note
    if welsh:
        update.note_cy = parsed.note_cy or ""
    update.completed_on, update.milestones_done = parsed.completed_on, parsed.milestones_done
    update.state, update.version, update.updated_by = state.value, update.version + 1, _user(actor)
    fields = [*FIELDS, *welsh, "state", "version", "updated_by", "updated_at"]
    if submit:
        update.submitted_by, update.submitted_at = _user(actor), timezone.now()
        fields += ["submitted_by", "submitted_at"]
    with one_change():
        update.save(update_fields=fields)
    _record(actor, update, before, "submit" if submit else "save")
    return update


# Signing off


def _check_version(update: ActionUpdate, version: int | None) -> None:
    if version is not None and update.version != version:
        raise _conflict(update, None)


@transaction.atomic
def approve_action_update(
    actor: Actor, update_id: int, *, version: int | None = None
) -> ActionUpdate:
    """Sign off a submitted update, as seen at ``version``."""
    update = update_for_update(update_id)
    require_approve_action(actor, update.action)
    _check_version(update, version)
    state = next_state(update.entry_state, Action.APPROVE)
    if (
        not settings.PERFREPORT_ALLOW_SELF_APPROVAL
        and not actor.is_system
        and actor.user is not None
        and update.submitted_by_id == actor.user.pk
    ):
        raise NotAllowed(
            f"you submitted the update of {update.action.ref} yourself: another approver must "
            "sign it off (PERFREPORT_ALLOW_SELF_APPROVAL is off)"
        )
    before = audit.fields_of(update, ("state",))
    update.state, update.return_reason = state.value, ""
    update.approved_by, update.approved_at = _user(actor), timezone.now()
    update.version += 1
    with one_change():
        update.save(update_fields=APPROVAL_FIELDS)
    _record(actor, update, before, "approve")
    return update


@transaction.atomic
def return_action_update(
    actor: Actor, update_id: int, reason: str, *, version: int | None = None
) -> ActionUpdate:
    """Send a submitted (or approved) update, as seen at ``version``, back to
    its owner with a reason; they are emailed when it commits."""
    update = update_for_update(update_id)
    require_approve_action(actor, update.action)
    _check_version(update, version)
    state = next_state(update.entry_state, Action.RETURN)
    reason = reason.strip()
    if not reason:
        raise Invalid.one("reason", "is required: tell the owner what to put right")
    try:
        checked_text(reason, limit=COMMENTARY_LIMIT)
    except TextError as error:
        raise Invalid.one("reason", str(error)) from None
    before = audit.fields_of(update, ("state", "return_reason"))
    update.state, update.return_reason = state.value, reason
    update.approved_by, update.approved_at = None, None
    update.version += 1
    with one_change():
        update.save(update_fields=APPROVAL_FIELDS)
    _record(actor, update, before, "return", reason)
    send_soon()
    return update


# Publishing


def waiting_updates(found: Round) -> list[ActionUpdate]:
    """The round's updates still being worked on (draft, submitted, returned):
    publishing leaves them out, as it leaves out figures not approved."""
    waiting = [EntryState.DRAFT.value, EntryState.SUBMITTED.value, EntryState.RETURNED.value]
    return list(found.action_updates.filter(state__in=waiting).select_related("action"))


def publish_action_updates(found: Round, now: datetime) -> list[ActionUpdate]:
    """Publish the round's approved updates, inside the round's publication:
    state published, and each written to its action's published fields.
    Called by :func:`perfreport.rounds.services.publish_round`, which has
    checked the person's role and audits the round."""
    approved = list(
        found.action_updates.filter(state=EntryState.APPROVED.value).select_related("action")
    )
    with saves_uncounted():  # the round's publication bumps the version once
        for update in approved:
            next_state(update.entry_state, Action.PUBLISH)
            update.state, update.published_at = EntryState.PUBLISHED.value, now
            update.save(update_fields=["state", "published_at", "updated_at"])
            write_published(update)
    return approved


def write_published(update: ActionUpdate) -> None:
    """The published update on its action: unless a later period's update
    has been published already (a late round must not turn progress back)."""
    later = ActionUpdate.objects.filter(
        action_id=update.action_id,
        state=EntryState.PUBLISHED.value,
        last_month__gt=update.last_month,
    )
    if later.exists():
        return
    action = update.action
    action.percent_complete, action.progress = update.percent_complete, update.note
    action.progress_cy = update.note_cy
    action.progress_period, action.completed_on = update.period, update.completed_on
    action.save(
        update_fields=[
            "percent_complete",
            "progress",
            "progress_cy",
            "progress_period",
            "completed_on",
        ]
    )
    for pk, when in (update.milestones_done or {}).items():
        Milestone.objects.filter(action_id=action.pk, pk=int(pk)).update(
            completed_on=date.fromisoformat(str(when))
        )


# After publication


@transaction.atomic
def restate_action_update(
    actor: Actor,
    update_id: int,
    typed: ActionInput,
    *,
    reason: str,
    version: int | None = None,
    today: date | None = None,
) -> ActionUpdate:
    """Change a published update's note, percentage or completion date, with
    a reason kept in the trail; the action's published fields follow when it
    is the action's latest published update."""
    update = update_for_update(update_id)
    require_edit_action(actor, update.action)
    if update.entry_state is not EntryState.PUBLISHED:
        raise TransitionError(
            f"the update of {update.action.ref} for {update.period} is not published yet: "
            "edit it instead"
        )
    typed = replace(typed, milestones={})  # milestones done stay as published
    parsed = parse_action(update, typed, today)
    if version is not None and update.version != version:
        raise _conflict(update, parsed)
    errors = dict(parsed.errors)
    if not reason.strip():
        errors["reason"] = "is required: say why the published progress was wrong"
    if errors:
        raise Invalid(errors)
    welsh = ("note_cy",) if parsed.note_cy is not None else ()  # bilingual mode's form
    before = audit.fields_of(update, ("percent_complete", "completed_on", "note", *welsh))
    update.percent_complete, update.note = parsed.percent, parsed.note
    update.completed_on = parsed.completed_on
    if welsh:
        update.note_cy = parsed.note_cy or ""
    if not audit.changed(before, audit.fields_of(update, before.keys()))[1]:
        raise Invalid.one("note", "is as published: a restatement changes the progress")
    update.restated_at, update.version = timezone.now(), update.version + 1
    update.updated_by = _user(actor)
    with one_change():
        update.save(update_fields=[*before, "restated_at", "version", "updated_by", "updated_at"])
        write_published(update)
    _record(actor, update, before, "restate", reason.strip())
    return update


def versions_of(found: Round) -> dict[int, int]:
    """Every update's version, by id: what a publish form carries."""
    return dict(found.action_updates.values_list("pk", "version"))


def changed_since(found: Round, seen: Mapping[int, int]) -> list[ActionUpdate]:
    """The round's updates whose version is not the one ``seen``."""
    rows = found.action_updates.select_related("action", "updated_by")
    return [u for u in rows if seen.get(u.pk) != u.version]


def labels(updates: Sequence[ActionUpdate]) -> str:
    return ", ".join(f"{u.action.ref} ({u.get_state_display().lower()})" for u in updates)
