"""Writes through the API: a value or the commentary for one indicator and
period, by the token's holder, who must be allowed to edit the indicator.

A period collected by a reporting round goes through the round's services
(perfreport.rounds.services), exactly as a save on the entry's page does: the
entry, its version and the audit trail follow, and its state and sign-off are
respected. A period no round collects is written straight to the values and
commentary, with its own audit event. Numbers are read as the import reads
them, by the indicator's unit; saving through the ORM raises the data version
(perfreport.data.versions), so every cached evaluation is worked out again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.http import parse_etags

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.periods import Period
from perfreport.core.units import format_value
from perfreport.data.models import Commentary, Entry, Observation, RoundState
from perfreport.data.services import commentary_record, observation_record
from perfreport.data.values import FieldError, check_frequency
from perfreport.registry.models import Indicator
from perfreport.rounds import services

Amount = float | int | str


class RoundRefusal(Exception):
    """The period's round does not take this write (409); the message says
    why and what to do instead."""


@dataclass
class Stale(Exception):
    """The client's ``If-Match`` names a version of the entry that is not the
    current one: someone saved it since (412). ``changes`` are (field, label,
    saved, yours) where the saved entry and the client's input differ."""

    entry: Entry
    changes: list[tuple[str, str, str, str]]
    by: str

    def __str__(self) -> str:
        ref, period, version = self.entry.indicator.ref, self.entry.period, self.entry.version
        return (
            f"indicator {ref} {period} is at version {version}, not the one in If-Match: "
            f"{self.by} saved it since. Nothing was saved; check the changes and send again "
            f'with If-Match: "{version}"'
        )


@dataclass
class Written:
    """What a write left: the stored record (None when there is none, as for
    commentary left empty in a round), whether it was created, and the
    round's entry it went through."""

    stored: Any
    created: bool
    entry: Entry | None = None


def round_entry(indicator: Indicator, period: Period) -> Entry | None:
    """The entry of a reporting round that collects ``indicator`` for ``period``."""
    return (
        Entry.objects.select_related("round", "indicator", "indicator__service")
        .filter(
            indicator=indicator, frequency=period.frequency.value, first_month=period.first_month
        )
        .order_by("-round__last_month")
        .first()
    )


# Values


def _refuse_outside_open_round(actor: Actor, indicator: Indicator, period: Period) -> None:
    """While a round is open for an indicator, its owner writes the period
    the round collects, not another (a mistyped month would bypass sign-off);
    a BI administrator may still write any period, to fill in history."""
    if actor.is_admin:
        return
    collecting = list(
        Entry.objects.filter(indicator=indicator, round__state=RoundState.OPEN)
        .select_related("round")
        .order_by("first_month")
    )
    if collecting:
        periods = ", ".join(entry.period for entry in collecting)
        raise FieldError(
            "period",
            f"{period.label} is outside the open round for {collecting[0].round.period}, which "
            f"collects {periods} for indicator {indicator.ref}: write that period, or "
            "ask a BI administrator to enter another",
        )


def put_observation(
    actor: Actor,
    indicator: Indicator,
    period: Period,
    *,
    value: Amount,
    numerator: Amount | None = None,
    denominator: Amount | None = None,
    is_draft: bool = False,
    reason: str = "",
    if_match: str | None = None,
) -> Written:
    """Create or replace the home organisation's value for ``period``. Refused
    (NotAllowed) unless ``actor`` may edit the indicator."""
    actor.require_edit(indicator)
    check_frequency(indicator, period)
    if isinstance(value, str) and not value.strip():
        raise FieldError("value", "is empty: give a number such as 97.83")
    entry = round_entry(indicator, period)
    if entry is None:
        _refuse_outside_open_round(actor, indicator, period)
        stored, created = observation_record(
            actor=actor,
            indicator=indicator,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            is_draft=is_draft,
            reason=reason,
        )
        return Written(stored, created)
    existed = _home_value(entry) is not None

    def typed(fresh: Entry) -> services.EntryInput:
        """The new figures, with the entry's commentary and actions as they are."""
        return services.EntryInput(
            value=_text(value),
            numerator=_text(numerator),
            denominator=_text(denominator),
            commentary=fresh.commentary,
            actions=fresh.actions,
        )

    if entry.round.is_published:
        entry = _restate(actor, entry, typed(entry), reason, if_match)
    else:
        entry = _save(actor, entry, if_match, typed)
    return Written(_home_value(entry), not existed, entry)


def _restate(
    actor: Actor, entry: Entry, typed: services.EntryInput, reason: str, if_match: str | None
) -> Entry:
    """A value of a published round: unchanged, or a restatement with a reason."""
    parsed = services.parse_entry(entry.indicator, typed)
    if parsed.errors:
        raise services.Invalid(parsed.errors)
    unchanged = all(
        audit.plain(getattr(entry, name)) == audit.plain(getattr(parsed, name))
        for name in ("value", "numerator", "denominator")
    )
    if unchanged:
        return entry  # PUT again changes nothing
    if _version(if_match, entry) != entry.version:
        raise Stale(entry, _differences(entry, parsed), _saved_by(entry))
    if not reason.strip():
        raise RoundRefusal(
            f"indicator {entry.indicator.ref} {entry.period} was published with the round for "
            f"{entry.round.period}: a change now is a restatement, kept beside the published "
            'figure. Send the value again with a "reason" saying why the published figure '
            "was wrong"
        )
    return services.restate_entry(actor, entry.pk, typed, reason=reason)


def _home_value(entry: Entry) -> Observation | None:
    return (
        Observation.objects.select_related("indicator", "organisation")
        .filter(
            indicator=entry.indicator,
            organisation__is_home=True,
            frequency=entry.frequency,
            first_month=entry.first_month,
        )
        .first()
    )


# Commentary


def put_commentary(
    actor: Actor,
    indicator: Indicator,
    period: Period,
    *,
    commentary: str,
    actions: str,
    if_match: str | None = None,
) -> Written:
    """Create or replace the commentary and actions for ``period``. Refused
    (NotAllowed) unless ``actor`` may edit the indicator."""
    actor.require_edit(indicator)
    entry = round_entry(indicator, period)
    if entry is None:
        _refuse_outside_open_round(actor, indicator, period)
        stored, created = commentary_record(
            actor=actor, indicator=indicator, period=period, text=commentary, actions=actions
        )
        return Written(stored, created)
    existed = _notes(entry) is not None
    if entry.round.is_published:
        if (entry.commentary, entry.actions) == (commentary.strip(), actions.strip()):
            return Written(_notes(entry), False, entry)
        raise RoundRefusal(
            f"indicator {entry.indicator.ref} {entry.period} was published with the round for "
            f"{entry.round.period}: its commentary and actions are part of the published "
            "report and can no longer be changed"
        )

    def typed(fresh: Entry) -> services.EntryInput:
        return services.EntryInput(
            value=_decimal_text(fresh.value),
            numerator=_decimal_text(fresh.numerator),
            denominator=_decimal_text(fresh.denominator),
            commentary=commentary,
            actions=actions,
        )

    entry = _save(actor, entry, if_match, typed)
    notes = _notes(entry)
    return Written(notes, notes is not None and not existed, entry)


def _notes(entry: Entry) -> Commentary | None:
    return Commentary.objects.filter(
        indicator=entry.indicator, frequency=entry.frequency, first_month=entry.first_month
    ).first()


# Saving through the round


SAVE_ATTEMPTS = 3


def _save(
    actor: Actor,
    entry: Entry,
    if_match: str | None,
    typed: Callable[[Entry], services.EntryInput],
) -> Entry:
    """Save the entry as a draft with the round's service. Without If-Match
    the client asked for no check: a save that lost a race with another is
    tried again on the entry as it now is."""
    for _ in range(SAVE_ATTEMPTS):
        try:
            return services.save_entry(
                actor, entry.pk, typed(entry), version=_version(if_match, entry)
            )
        except services.Conflict as conflict:
            if if_match is not None:
                raise Stale(conflict.entry, conflict.changes, conflict.by) from None
            entry = conflict.entry
    raise Stale(entry, [], _saved_by(entry))  # saved over and over while this was tried


def _version(if_match: str | None, entry: Entry) -> int:
    """The version the client says it has: the entry's own without If-Match,
    or for ``*``; 0 (never current) for a tag that is not a version."""
    if if_match is None:
        return entry.version
    if if_match.strip() == "*":
        return entry.version
    for tag in parse_etags(if_match):
        text = tag.removeprefix("W/").strip('"')
        if text.isdigit() and int(text) == entry.version:
            return entry.version
    return 0


def _differences(entry: Entry, parsed: services.Parsed) -> list[tuple[str, str, str, str]]:
    """(field, label, saved, yours) where the entry and the client's input differ."""
    found = []
    for name in services.ENTRY_FIELDS:
        saved, yours = getattr(entry, name), getattr(parsed, name)
        if audit.plain(saved) != audit.plain(yours):
            shown = (_shown(entry.indicator, name, saved), _shown(entry.indicator, name, yours))
            found.append((name, services.LABELS[name], *shown))
    return found


def _shown(indicator: Indicator, name: str, value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if name == "value" and isinstance(value, Decimal):
        return format_value(value, indicator.unit_format, indicator.decimals)
    return str(audit.plain(value))


def _saved_by(entry: Entry) -> str:
    return entry.updated_by.get_username() if entry.updated_by else "someone"


def _text(amount: Amount | None) -> str:
    """A number from JSON as the round's forms take it: as typed."""
    if amount is None:
        return ""
    return amount if isinstance(amount, str) else repr(amount)


def _decimal_text(number: Decimal | None) -> str:
    return "" if number is None else format(number, "f")
