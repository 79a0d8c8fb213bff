"""Writes through the API: a value or the commentary for one indicator and
period. Numbers are read as the import reads them, by the indicator's unit;
saving through the ORM raises the data version (perfreport.data.versions),
so every cached evaluation is worked out again."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from perfreport.core.periods import Frequency, Period
from perfreport.core.units import Unit
from perfreport.data.models import Commentary, Observation
from perfreport.data.selectors import home_organisation
from perfreport.imports.columns import CellError, read_number
from perfreport.registry.models import Indicator
from perfreport.registry.periods import period_fields

EXAMPLES = {
    Frequency.MONTHLY: "2020-09",
    Frequency.QUARTERLY: "2020/21 Q2",
    Frequency.ANNUAL: "2020/21",
}


class FieldError(ValueError):
    """One field of a write that cannot be accepted; the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NoHomeOrganisation(Exception):
    """Values belong to the home organisation, and none is set."""


def read_value(raw: float | int | str | None, unit: str | None, field: str) -> Decimal | None:
    """A number from JSON (97.83) or as a person types it ("97.83%")."""
    if raw is None or raw == "":
        return None
    text = raw if isinstance(raw, str) else repr(raw)
    try:
        number = read_number(text, unit)
    except CellError as error:
        raise FieldError(field, f"{text!r} {error}") from None
    if field == "value" and unit is not None and Unit(unit).caps_at_100 and not 0 <= number <= 100:
        raise FieldError(field, f"{text!r} is a percentage outside 0 to 100")
    return number


def check_frequency(indicator: Indicator, period: Period) -> None:
    if period.frequency.value != indicator.frequency:
        example = EXAMPLES[Frequency(indicator.frequency)]
        raise FieldError(
            "period",
            f"{period.label} is {period.frequency}, but indicator {indicator.ref} is "
            f"{indicator.frequency}: write its periods like {example}",
        )


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
