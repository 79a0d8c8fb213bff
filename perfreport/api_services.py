"""Writes through the API: a value or the commentary for one indicator and
period. Numbers are read as the import reads them, by the indicator's unit;
saving through the ORM raises the data version (perfreport.data.versions),
so every cached evaluation is worked out again."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from perfreport.core.periods import Period
from perfreport.data.models import Commentary, Observation
from perfreport.data.selectors import home_organisation
from perfreport.data.values import FieldError, check_frequency, read_value
from perfreport.registry.models import Indicator
from perfreport.registry.periods import period_fields


class NoHomeOrganisation(Exception):
    """Values belong to the home organisation, and none is set."""


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    period: Period,
    value: float | int | str,
    numerator: float | int | str | None = None,
    denominator: float | int | str | None = None,
    is_draft: bool = False,
) -> tuple[Observation, bool]:
    """Create or replace the home organisation's value for ``period``; True
    when created. A changed value is a restatement: the first value is kept
    and the change dated."""
    check_frequency(indicator, period)
    fields = {
        "value": read_value(value, indicator.unit, "value"),
        "numerator": read_value(numerator, None, "numerator"),
        "denominator": read_value(denominator, None, "denominator"),
        "is_draft": is_draft,
    }
    if fields["denominator"] == 0:
        raise FieldError("denominator", "is 0: a fraction needs a denominator other than 0")
    home = home_organisation()
    if home is None:
        raise NoHomeOrganisation
    stored = (
        Observation.objects.select_for_update()
        .filter(indicator=indicator, organisation=home, **_key(period))
        .first()
    )
    if stored is None:
        created = Observation.objects.create(
            indicator=indicator,
            organisation=home,
            first_value=fields["value"],
            **period_fields(period),
            **fields,
        )
        return created, True
    _update(stored, fields)
    return stored, False


def _key(period: Period) -> dict[str, object]:
    return {"frequency": period.frequency.value, "first_month": period.first_month}


def _update(stored: Observation, fields: Mapping[str, object]) -> None:
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    if not changed:
        return  # nothing to save: the data version stays, and so do the caches
    old_value, was_draft = stored.value, stored.is_draft
    for name in fields:
        setattr(stored, name, fields[name])
    if "value" in changed:
        changed += stored.value_changed(old_value, was_draft)
    stored.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def commentary_record(
    *, indicator: Indicator, period: Period, text: str, actions: str
) -> tuple[Commentary, bool]:
    """Create or replace the commentary and actions for ``period``; True when created."""
    stored = (
        Commentary.objects.select_for_update().filter(indicator=indicator, **_key(period)).first()
    )
    if stored is None:
        created = Commentary.objects.create(
            indicator=indicator, text=text, actions=actions, **period_fields(period)
        )
        return created, True
    if (stored.text, stored.actions) != (text, actions):
        stored.text, stored.actions = text, actions
        stored.save(update_fields=["text", "actions", "updated_at"])
    return stored, False
