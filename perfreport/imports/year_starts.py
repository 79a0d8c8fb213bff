"""An indicator's kind of year may not change under periods already stored.

A calendar-year indicator's years start in January, an academic one's in
September: its stored quarters and years are months that fit its kind of year
and are labelled in it. Changing ``year_start`` under them would leave years
that no longer fit, or labels that no longer say which months they are, so an
import that changes it is refused while the indicator has stored quarters or
years (its values, targets, commentary or round entries). Months fit every
kind of year, so a monthly indicator with only monthly periods may change.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from perfreport.core.periods import year_name
from perfreport.data.models import Commentary, Entry, Observation
from perfreport.imports.plan import ABSENT, Plan
from perfreport.imports.tables import Table
from perfreport.imports.validate import Checker
from perfreport.registry.models import Indicator, Target


def refuse_year_start_changes(
    tables: dict[str, Table], plan: Plan, checker: Checker, stored: dict[str, int | None]
) -> None:
    """An error for each indicators.csv row that changes the kind of year of
    an indicator with stored quarters or years. ``stored`` is each stored
    indicator's ``year_start`` before the import."""
    table = tables.get("indicators")
    fy = checker.fy_start_month
    changed = {
        record.ref: record
        for record in plan.indicators
        if record.ref in stored
        and record.year_start is not ABSENT
        and (record.year_start or fy) != (stored[record.ref] or fy)
    }
    if table is None or not changed:
        return
    held = _refs_with_quarters_or_years(list(changed))
    for ref in sorted(held, key=lambda r: changed[r].row):
        was = stored[ref] or fy
        checker.error(
            table,
            _(
                "would change indicator %(ref)s's years from the %(was)s to the %(now)s, but "
                "it has quarters or years stored in the old one: delete them first, or leave "
                "year_start as it was"
            )
            % {
                "ref": ref,
                "was": year_name(was),
                "now": year_name(changed[ref].year_start or fy),
            },
            changed[ref].row,
            "year_start",
        )


def _refs_with_quarters_or_years(refs: list[str]) -> set[str]:
    ids = dict(Indicator.objects.filter(ref__in=refs).values_list("pk", "ref"))
    wanted = Q(indicator_id__in=list(ids)) & ~Q(frequency="monthly")
    found: set[int] = set()
    for model in (Observation, Target, Commentary, Entry):
        found |= set(model.objects.filter(wanted).values_list("indicator_id", flat=True))
    return {ids[pk] for pk in found}
