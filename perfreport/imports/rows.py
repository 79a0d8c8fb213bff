"""Row by row checks of each import file, adding records to the plan."""

from __future__ import annotations

from typing import Any

from perfreport.core.rating import RatingBasis
from perfreport.imports import columns as c
from perfreport.imports.tables import Table
from perfreport.imports.validate import Checker, KnownIndicator, number_for, percent_warning


def check_organisations(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    homes: list[int] = []
    for row, cells in table.rows:
        code = cells.get("code", "")
        if not code:
            checker.error(table, "is required", row, "code")
            continue
        if code in seen:
            checker.error(table, f"repeats the organisation on row {seen[code]}", row, "code", code)
            continue
        seen[code] = row
        name = checker.cell(table, row, cells, "name", str, required=True)
        home = checker.cell(table, row, cells, "home", c.read_yes_no)
        if home:
            homes.append(row)
        record: dict[str, Any] = {"row": row, "code": code, "name": name}
        if "kind" in table.header:
            record["kind"] = cells["kind"]
        if "home" in table.header:
            record["is_home"] = bool(home)
        checker.plan.organisations.append(record)
        checker.organisations.add(code)
    if len(homes) > 1:
        rows_text = ", ".join(str(r) for r in homes)
        checker.error(table, f"marks rows {rows_text} as home: exactly one organisation is home")


INDICATOR_READERS = {
    "unit": c.read_unit,
    "polarity": c.read_polarity,
    "frequency": c.read_frequency,
    "rating_basis": c.read_rating_basis,
    "decimals": c.read_whole(0, 6),
    "aggregation": c.read_aggregation,
    "tolerance_method": c.read_tolerance,
    "red_threshold": c.read_threshold,
    "lag": c.read_whole(0, 24),
    "neighbours_mean": c.read_number,
    "england_mean": c.read_number,
    "links": c.read_links,
}
INDICATOR_DEFAULTS: dict[str, Any] = {
    "decimals": 1,
    "aggregation": "snapshot",
    "tolerance_method": "relative",
    "red_threshold": c.Decimal(10),
    "blue_threshold": c.Decimal(5),
    "lag": 0,
    "links": [],
}
TEXT_FIELDS = ("title", "directorate", "service", "owner", "source", "description")


def check_indicators(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not ref:
            checker.error(table, "is required", row, "ref")
            continue
        if ref in seen:
            checker.error(table, f"repeats the indicator on row {seen[ref]}", row, "ref", ref)
            continue
        seen[ref] = row
        record = _indicator_record(table, checker, row, cells)
        if record is None:
            continue
        checker.plan.indicators.append(record)
        checker.indicators[ref] = KnownIndicator(
            record["frequency"], record["unit"], record["rating_basis"]
        )


def _indicator_record(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> dict[str, Any] | None:
    record: dict[str, Any] = {"row": row, "ref": cells["ref"], "position": row}
    ok = True
    for name in table.header:
        if name in INDICATOR_READERS:
            required = name in c.INDICATORS.required
            value = checker.cell(
                table, row, cells, name, INDICATOR_READERS[name], required=required
            )
            if value is None and cells.get(name):
                ok = False
            record[name] = INDICATOR_DEFAULTS.get(name) if value is None else value
        elif name == "blue_threshold":
            text = cells[name]
            value = checker.cell(table, row, cells, name, c.read_blue_threshold)
            record[name] = c.Decimal(5) if not text else value
        elif name in TEXT_FIELDS:
            record[name] = cells[name]
    if not cells.get("title"):
        checker.error(table, "is required", row, "title")
        ok = False
    if any(record.get(name) is None for name in c.INDICATORS.required):
        return None
    return record if ok else None


def check_targets(table: Table, checker: Checker) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not checker.known_ref(table, row, ref):
            continue
        period = checker.period(table, row, cells.get("period", ""))
        kind = checker.cell(table, row, cells, "kind", c.read_kind) or "period"
        unit = checker.indicators[ref].unit
        value = checker.cell(table, row, cells, "target", number_for(unit), required=True)
        if period is None or value is None:
            continue
        key = (ref, kind, period.label)
        if key in seen:
            checker.error(
                table, f"repeats the {kind} target on row {seen[key]}", row, "period", period.label
            )
            continue
        seen[key] = row
        _warn_contextual_target(table, checker, row, ref)
        checker.plan.targets.append(
            {
                "row": row,
                "ref": ref,
                "kind": kind,
                "period": period,
                "value": value,
                "note": cells.get("note", ""),
            }
        )


def _warn_contextual_target(table: Table, checker: Checker, row: int, ref: str) -> None:
    basis = checker.indicators[ref].rating_basis
    if basis != RatingBasis.TARGETED:
        checker.warn(
            table,
            f"indicator {ref} is {basis}, so this target is stored but not used to rate it",
            row,
            "target",
        )


def check_values(table: Table, checker: Checker) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not checker.known_ref(table, row, ref):
            continue
        known = checker.indicators[ref]
        period = checker.period(table, row, cells.get("period", ""))
        if period is not None and not checker.frequency_matches(table, row, ref, period):
            period = None
        organisation = cells.get("organisation", "")
        if organisation and organisation not in checker.organisations:
            checker.error(
                table,
                "is not a known organisation code (see organisations.csv)",
                row,
                "organisation",
                organisation,
            )
        record = _value_record(table, checker, row, cells, known.unit)
        if period is None or record is None:
            continue
        key = (ref, period.label, organisation)
        if key in seen:
            checker.error(
                table,
                f"repeats indicator {ref} for {period.label} from row {seen[key]}",
                row,
                "period",
                period.label,
            )
            continue
        seen[key] = row
        record.update(ref=ref, period=period, organisation=organisation)
        if record.get("target") is not None:
            _warn_contextual_target(table, checker, row, ref)
        checker.plan.values.append(record)


def _value_record(
    table: Table, checker: Checker, row: int, cells: dict[str, str], unit: str
) -> dict[str, Any] | None:
    number = number_for(unit)
    value = checker.cell(table, row, cells, "value", number, required=True)
    record: dict[str, Any] = {"row": row, "value": value}
    bad = value is None
    for name in ("numerator", "denominator", "target"):
        if name in table.header:
            record[name] = checker.cell(table, row, cells, name, number)
            bad = bad or (record[name] is None and bool(cells[name]))
    if "stated_rag" in table.header:
        rating = checker.cell(table, row, cells, "stated_rag", c.read_rating)
        bad = bad or (rating is None and bool(cells["stated_rag"]))
        record["stated_rag"] = rating or ""
    for name in ("commentary", "actions"):
        if name in table.header:
            record[name] = cells[name]
    percent_warning(checker, table, row, unit, "value", value)
    numerator, denominator = record.get("numerator"), record.get("denominator")
    if numerator is not None and denominator is not None and numerator > denominator:
        checker.warn(table, "numerator is larger than the denominator", row, "numerator")
    return None if bad else record


def check_commentary(table: Table, checker: Checker) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not checker.known_ref(table, row, ref):
            continue
        period = checker.period(table, row, cells.get("period", ""))
        if period is None:
            continue
        key = (ref, period.label)
        if key in seen:
            checker.error(
                table, f"repeats the commentary on row {seen[key]}", row, "period", period.label
            )
            continue
        seen[key] = row
        record: dict[str, Any] = {"row": row, "ref": ref, "period": period}
        for name in ("commentary", "actions"):
            if name in table.header:
                record[name] = cells[name]
        checker.plan.commentary.append(record)
