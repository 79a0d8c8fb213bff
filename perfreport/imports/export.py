"""Write the register and its values back out in the import format.

Exporting then importing changes nothing, and exporting what was imported
from files in this layout gives the same bytes back: columns in
the order of ``FILES[name].columns``, numbers in their shortest exact form, rows in
register order then period order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from perfreport.core.periods import write_year_start
from perfreport.core.text import csv_record
from perfreport.core.units import plain
from perfreport.data.models import Commentary, Observation
from perfreport.imports.columns import FILES, write_links
from perfreport.imports.council_plan_export import outcomes_by_indicator, plan_sheets
from perfreport.imports.spreadsheet import append_row
from perfreport.registry.models import GroupMember, Indicator, Organisation, SchemeBand, Target

Row = dict[str, str]


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def export_rows() -> dict[str, list[Row]]:
    """Every sheet as rows of text, in export order."""
    indicators = list(
        Indicator.objects.select_related(
            "directorate", "service", "comparator_group"
        ).prefetch_related("links")
    )
    order = {i.pk: n for n, i in enumerate(indicators)}
    home = Organisation.objects.filter(is_home=True).first()
    targets = sorted(
        Target.objects.select_related("indicator"),
        key=lambda t: (order[t.indicator_id], t.last_month, t.kind != "milestone", t.first_month),
    )
    observations = sorted(
        Observation.objects.select_related("indicator", "organisation"),
        key=lambda o: (
            order[o.indicator_id],
            o.organisation_id != (home.pk if home else None),
            o.organisation.code,
            o.last_month,
        ),
    )
    commentary = {
        (c.indicator_id, c.frequency, c.first_month): c
        for c in Commentary.objects.select_related("indicator")
    }
    period_targets = {
        (t.indicator_id, t.frequency, t.first_month): t for t in targets if t.kind == "period"
    }
    values = [_value_row(o, home, period_targets, commentary) for o in observations]
    outcomes = outcomes_by_indicator()
    in_values = {t.pk for t in targets if t.kind == "period"} - {
        t.pk for t in period_targets.values()
    }
    return {
        "organisations": [
            _organisation_row(o) for o in Organisation.objects.order_by("-is_home", "code")
        ],
        "schemes": _scheme_rows(),
        "groups": _group_rows(),
        "indicators": [_indicator_row(i, outcomes.get(i.pk, "")) for i in indicators],
        "targets": [_target_row(t) for t in targets if t.pk not in in_values],
        "values": values,
        "commentary": [
            _commentary_row(c)
            for c in sorted(
                commentary.values(), key=lambda c: (order[c.indicator_id], c.last_month)
            )
        ],
        **plan_sheets(),
    }


def _organisation_row(org: Organisation) -> Row:
    return {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "la_number": org.la_number,
        "home": "yes" if org.is_home else "no",
        "report_title": org.report_title,
        "report_team": org.report_team,
        "report_contact": org.report_contact,
        "scheme": org.scheme,
        "baseline_label": org.baseline_label,
        "contextual_label": org.contextual_label,
        "plan_rule": org.plan_rule,
        "plan_green_share": plain(org.plan_green_share),
        "plan_amber_share": plain(org.plan_amber_share),
        "action_due_soon_days": str(org.action_due_soon_days),
    }


def _scheme_rows() -> list[Row]:
    """One row per band: schemes in name order, bands best first."""
    bands = SchemeBand.objects.select_related("scheme").order_by("scheme__name", "position")
    return [
        {
            "scheme": b.scheme.name,
            "rating": b.rating,
            "gap_from": _number(b.gap_from),
            "inclusive": "yes" if b.inclusive else "no",
            "measure": b.scheme.measure,
            "label": b.label,
            "symbol": b.symbol,
            "colour": b.colour,
            "description": b.description,
        }
        for b in bands
    ]


def _group_rows() -> list[Row]:
    """One row per member: groups in name order, members in their order."""
    members = GroupMember.objects.select_related("group", "organisation").order_by(
        "group__name", "position", "organisation__code"
    )
    return [
        {
            "group": m.group.name,
            "organisation": m.organisation.code,
            "kind": m.group.kind,
            "includes_home": _yes_no(m.group.includes_home),
        }
        for m in members
    ]


def _thresholds(i: Indicator) -> Row:
    """Own thresholds as given; all three empty when the indicator follows its scheme."""
    if not i.tolerance_method:
        return {"tolerance_method": "", "red_threshold": "", "blue_threshold": ""}
    return {
        "tolerance_method": i.tolerance_method,
        "red_threshold": _number(i.red_threshold),
        "blue_threshold": "none" if i.blue_threshold is None else plain(i.blue_threshold),
    }


def _yes_no(value: bool | None) -> str:
    """A group's includes_home: empty when it follows the group's kind."""
    return "" if value is None else ("yes" if value else "no")


def _indicator_row(i: Indicator, outcomes: str) -> Row:
    return {
        "ref": i.ref,
        "title": i.title,
        "title_cy": i.title_cy,
        "unit": i.unit,
        "unit_label": i.unit_label,
        "decimals": str(i.decimals),
        "polarity": i.polarity,
        "frequency": i.frequency,
        "aggregation": i.aggregation,
        "rating_basis": i.rating_basis,
        "scheme": i.scheme,
        "target_rule": i.target_rule,
        **_thresholds(i),
        "lag": str(i.lag),
        "year_start": write_year_start(i.year_start),
        "release_lag_months": str(i.release_lag_months),
        "directorate": i.directorate.name if i.directorate else "",
        "service": i.service.name if i.service else "",
        "owner": i.owner,
        "type": i.kind,
        "outcomes": outcomes,
        "neighbours_mean": _number(i.neighbours_mean),
        "england_mean": _number(i.england_mean),
        "national_code": i.national_code,
        "comparator_group": i.comparator_group.name if i.comparator_group else "",
        "links": write_links([(link.title, link.url) for link in i.links.all()]),
        "source": i.source,
        "description": i.description,
        "description_cy": i.description_cy,
    }


def _target_row(t: Target) -> Row:
    return {
        "ref": t.indicator.ref,
        "kind": t.kind,
        "period": t.period,
        "target": plain(t.value),
        "note": t.note,
    }


def _value_row(o: Observation, home: Organisation | None, targets: dict, commentary: dict) -> Row:  # type: ignore[type-arg]
    is_home = home is not None and o.organisation_id == home.pk
    key = (o.indicator_id, o.frequency, o.first_month)
    target = targets.pop(key, None) if is_home else None
    note = commentary.pop(key, None) if is_home else None
    return {
        "ref": o.indicator.ref,
        "period": o.period,
        "organisation": "" if is_home else o.organisation.code,
        "value": o.withheld_as if o.value is None else plain(o.value),  # as printed: "c"
        "numerator": _number(o.numerator),
        "denominator": _number(o.denominator),
        "target": plain(target.value) if target else "",
        "stated_rag": o.stated_rag,
        # Written "yes" as a values.csv with a stated_rag column implies it, so
        # the column is left out unless a figure was entered in perfreport.
        "rating_printed": ("yes" if o.rating_printed or o.stated_rag else "no") if is_home else "",
        "commentary": note.text if note else "",
        "commentary_cy": note.text_cy if note else "",
        "actions": note.actions if note else "",
        "actions_cy": note.actions_cy if note else "",
        "draft": "yes" if o.is_draft else "no",
    }


def _commentary_row(c: Commentary) -> Row:
    return {
        "ref": c.indicator.ref,
        "period": c.period,
        "commentary": c.text,
        "commentary_cy": c.text_cy,
        "actions": c.actions,
        "actions_cy": c.actions_cy,
    }


ALWAYS = ("organisations", "indicators", "values")


# Columns left out when every row has their default, so that files without
# them come back exactly as they were imported.
# The Welsh beside the English (issue 17) too: a file without it comes back without it.
UNLESS_USED: dict[str, dict[str, str | tuple[str, ...]]] = {
    "values": {"draft": "no", "rating_printed": ("yes", ""), "commentary_cy": "", "actions_cy": ""},
    "commentary": {"commentary_cy": "", "actions_cy": ""},
    "plan": {"title_cy": "", "description_cy": ""},
    "actions": {"title_cy": "", "description_cy": "", "progress_cy": ""},
    "indicators": {
        "title_cy": "",
        "description_cy": "",
        "year_start": "",
        "release_lag_months": "0",
        "unit_label": "",
        "scheme": "",
        "target_rule": "",
        "type": "performance",
        "outcomes": "",
    },
    "organisations": {
        "report_title": "",
        "report_team": "",
        "report_contact": "",
        "scheme": "",
        "baseline_label": "",
        "contextual_label": "",
        "plan_rule": "worst",
        "plan_green_share": "75",
        "plan_amber_share": "50",
        "action_due_soon_days": "30",
    },
    "groups": {"includes_home": ""},
}


def columns_for(name: str, rows: list[Row]) -> tuple[str, ...]:
    """The columns to write: all of them, except ``draft`` when no value is a
    draft, an indicator's ``year_start``, ``release_lag_months`` and
    ``unit_label`` and ``scheme`` when no indicator has its own, an
    indicator's ``type`` and ``outcomes`` when every indicator is a
    performance indicator in no plan item, the report cover's, the Key's and
    the plan roll-up's columns of organisations when no organisation has
    them, and a group's ``includes_home`` when every group follows its kind."""
    unused = {
        column
        for column, default in UNLESS_USED.get(name, {}).items()
        if all(
            row[column] in (default if isinstance(default, tuple) else (default,)) for row in rows
        )
    }
    return tuple(c for c in FILES[name].columns if c not in unused)


def export_path(path: Path) -> dict[str, int]:
    """Write a folder of CSV files, or a workbook if ``path`` ends in .xlsx."""
    sheets = export_rows()
    if path.suffix.lower() == ".xlsx":
        _write_workbook(path, sheets)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, rows in sheets.items():
            target = path / f"{name}.csv"
            if rows or name in ALWAYS:
                _write_csv(target, columns_for(name, rows), rows)
            elif target.exists():
                target.unlink()  # an empty sheet: a stale file would be imported again
    return {name: len(rows) for name, rows in sheets.items()}


def _write_csv(path: Path, columns: Iterable[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(csv_record(row) for row in rows)


def _write_workbook(path: Path, sheets: dict[str, list[Row]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = columns_for(name, rows)
        append_row(sheet, list(columns))
        for row in rows:
            # Text cells: Excel must not turn 2020-09 into a date or 0.10 into 0.1.
            append_row(sheet, [row[column] for column in columns])
    workbook.save(path)
