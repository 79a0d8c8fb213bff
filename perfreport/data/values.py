"""A value or a commentary as a person or a program sends it: read by the
indicator's unit, and refused with a message that names the field."""

from __future__ import annotations

from decimal import Decimal

from perfreport.core.numbers import CellError, read_number
from perfreport.core.periods import Frequency, Period
from perfreport.core.units import Unit, UnitFormat
from perfreport.registry.models import Indicator

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


def read_value(
    raw: float | int | str | None, unit: str | UnitFormat | None, field: str
) -> Decimal | None:
    """A number from JSON (97.83) or as a person types it ("97.83%", "£4.2m"
    for money in millions)."""
    if raw is None or raw == "":
        return None
    text = raw if isinstance(raw, str) else repr(raw)
    try:
        number = read_number(text, unit)
    except CellError as error:
        raise FieldError(field, f"{text!r} {error}") from None
    kind = unit.unit if isinstance(unit, UnitFormat) else None if unit is None else Unit(unit)
    if field == "value" and kind is not None and kind.caps_at_100 and not 0 <= number <= 100:
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
