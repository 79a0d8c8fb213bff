"""Row by row checks of each import file, adding records to the plan."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from perfreport.core.rating import RatingBasis
from perfreport.core.units import plain
from perfreport.imports import columns as c
from perfreport.imports.tables import Table
from perfreport.imports.validate import Checker, KnownIndicator, number_for, percent_warning
from perfreport.registry.models import GroupKind


def check_organisations(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    homes: list[int] = []
    new_home = None
    la_numbers: dict[str, tuple[int, str]] = {}  # code: (row, LA number) as the file gives
    la_seen: dict[str, int] = {}
    for row, cells in table.rows:
        code = cells.get("code", "")
        if not code:
            checker.error(table, "is required", row, "code")
            continue
        if not checker.first(table, seen, code, row, "code", code, "the organisation"):
            continue
        checker.text(table, row, cells, "code")
        name = checker.cell(table, row, cells, "name", str, required=True)
        checker.text(table, row, cells, "name")
        home = checker.cell(table, row, cells, "home", c.read_yes_no)
        if home:
            homes.append(row)
            new_home = code
        record: dict[str, Any] = {"row": row, "code": code, "name": name}
        if "kind" in table.header:
            record["kind"] = checker.text(table, row, cells, "kind")
        if "la_number" in table.header:
            record["la_number"] = _la_number(table, checker, row, cells, la_seen)
            la_numbers[code] = (row, record["la_number"])
        if "home" in table.header:
            record["is_home"] = bool(home)
        checker.plan.organisations.append(record)
        checker.organisations.add(code)
    _claim_la_numbers(table, checker, la_numbers)
    if len(homes) > 1:
        rows_text = ", ".join(str(r) for r in homes)
        checker.error(table, f"marks rows {rows_text} as home: exactly one organisation is home")
    if new_home is not None and len(homes) == 1:
        checker.home_from_file = new_home
    demoted = checker.home in seen and not homes and "home" in table.header
    if demoted and checker.home is not None:
        checker.error(
            table,
            f"marks the home organisation {checker.home} as not home but names no other: "
            "exactly one organisation is home",
            seen[checker.home],
            "home",
        )


def _la_number(
    table: Table, checker: Checker, row: int, cells: dict[str, str], seen: dict[str, int]
) -> str:
    la_number = checker.cell(table, row, cells, "la_number", c.read_la_number) or ""
    if la_number:
        checker.first(table, seen, la_number, row, "la_number", la_number, "the LA number")
    return la_number


def _claim_la_numbers(table: Table, checker: Checker, given: dict[str, tuple[int, str]]) -> None:
    """An LA number names one organisation: refuse one that a stored
    organisation, left out of the file, already has."""
    owners = {la: code for code, la in checker.la_numbers.items() if code not in given}
    for code, (row, la_number) in given.items():
        other = owners.get(la_number)
        if la_number and other is not None:
            checker.error(
                table,
                f"is the LA number of organisation {other}, already stored: "
                "each organisation has its own",
                row,
                "la_number",
                la_number,
            )
        checker.la_numbers[code] = la_number


def check_groups(table: Table, checker: Checker) -> None:
    """Comparator groups, one row per member in the group's order. A group
    named in the file gets exactly the members listed."""
    by_la_number = _codes_by_la_number(checker)
    home = checker.home_from_file or checker.home
    groups: dict[str, dict[str, Any]] = {}
    kinds: dict[str, tuple[str, int]] = {}  # group: (kind, the first row to give it)
    members: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        name = checker.text(table, row, cells, "group")
        if not name:
            checker.error(table, "is required", row, "group")
            continue
        group = groups.setdefault(name, {"row": row, "name": name, "members": []})
        _group_kind(table, checker, row, cells, name, kinds)
        text = cells.get("organisation", "")
        code = _member(table, checker, row, text, by_la_number)
        if code is None:
            continue
        first = members.setdefault((name, code), row)
        shown = code if text == code else f"{code} (given as {text})"
        if first != row:
            checker.error(
                table,
                f"group {name!r} lists organisation {shown} twice (rows {first} and {row})",
                row,
                "organisation",
            )
            continue
        if code == home:
            checker.warn(
                table,
                f"puts the home organisation {shown} in group {name!r}; a comparator group "
                "usually leaves it out (it is kept)",
                row,
                "organisation",
            )
        group["members"].append(code)
    for name, group in groups.items():
        if "kind" in table.header:
            group["kind"] = kinds.get(name, (GroupKind.CUSTOM.value, 0))[0]
        checker.plan.groups.append(group)
        checker.groups.add(name)


def _codes_by_la_number(checker: Checker) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for code, la_number in checker.la_numbers.items():
        if la_number and code in checker.organisations:
            codes.setdefault(la_number, []).append(code)
    return codes


def _member(
    table: Table, checker: Checker, row: int, text: str, by_la_number: dict[str, list[str]]
) -> str | None:
    """The code of the organisation ``text`` names, by its code or its LA number."""
    if not text:
        checker.error(table, "is required", row, "organisation")
        return None
    if text in checker.organisations:
        return text
    codes = by_la_number.get(text, [])
    if len(codes) == 1:
        return codes[0]
    if codes:
        checker.error(
            table,
            f"is the LA number of more than one organisation ({', '.join(sorted(codes))}): "
            "give the code",
            row,
            "organisation",
            text,
        )
    else:
        checker.error(
            table,
            "is not a known organisation code or LA number (see organisations.csv)",
            row,
            "organisation",
            text,
        )
    return None


def _group_kind(
    table: Table,
    checker: Checker,
    row: int,
    cells: dict[str, str],
    name: str,
    kinds: dict[str, tuple[str, int]],
) -> None:
    """A group has one kind: rows that give it must agree; an empty cell takes
    the kind another row gives."""
    kind = checker.cell(table, row, cells, "kind", c.read_group_kind)
    if kind is None:
        return
    first, first_row = kinds.setdefault(name, (kind, row))
    if kind != first:
        checker.error(
            table,
            f"differs from the kind {first} that row {first_row} gives group {name!r}: "
            "a group has one kind",
            row,
            "kind",
            cells["kind"],
        )


INDICATOR_READERS: dict[str, Callable[[str], Any]] = {
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
    "red_threshold": Decimal(10),
    "blue_threshold": Decimal(5),
    "lag": 0,
    "links": [],
}
TEXT_FIELDS = (
    "title", "directorate", "service", "owner", "national_code", "source", "description",
)  # fmt: skip


def check_indicators(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not ref:
            checker.error(table, "is required", row, "ref")
            continue
        if not checker.first(table, seen, ref, row, "ref", ref, "the indicator"):
            continue
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
    record: dict[str, Any] = {"row": row, "ref": checker.text(table, row, cells, "ref")}
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
            record[name] = Decimal(5) if not text else value
        elif name in TEXT_FIELDS:
            record[name] = checker.text(table, row, cells, name)
        elif name == "comparator_group":
            record[name] = _comparator_group(table, checker, row, cells)
            ok = ok and record[name] is not None
    if not cells.get("title"):
        checker.error(table, "is required", row, "title")
        ok = False
    if any(record.get(name) is None for name in c.INDICATORS.required):
        return None
    return record if ok else None


def _comparator_group(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> str | None:
    """The group's name ("" for the home organisation's statistical
    neighbours), or None when no such group is stored or in groups.csv."""
    name = checker.text(table, row, cells, "comparator_group")
    if name and name not in checker.groups:
        checker.error(
            table,
            "is not a comparator group in the register or in groups.csv",
            row,
            "comparator_group",
            name,
        )
        return None
    return name


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
        if not checker.first(table, seen, key, row, "period", period.label, f"the {kind} target"):
            continue
        _warn_contextual_target(table, checker, row, ref)
        record = {"row": row, "ref": ref, "kind": kind, "period": period, "value": value}
        if "note" in table.header:
            record["note"] = cells["note"]
        checker.plan.targets.append(record)


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
        if organisation == (checker.home_from_file or checker.home):
            organisation = ""  # the home organisation, written out
        record = _value_record(table, checker, row, cells, known.unit)
        if period is None or record is None:
            continue
        key = (ref, period.label, organisation)
        what = f"indicator {ref} for {period.label}"
        if not checker.first(table, seen, key, row, "period", period.label, what):
            continue
        record.update(ref=ref, period=period, organisation=organisation)
        if organisation:
            _warn_peer_extras(table, checker, row, record)
        elif record.get("target") is not None:
            _warn_contextual_target(table, checker, row, ref)
        checker.plan.values.append(record)


def _warn_peer_extras(table: Table, checker: Checker, row: int, record: dict[str, Any]) -> None:
    """Targets, ratings and commentary belong to the home organisation's own rows."""
    for name in ("target", "stated_rag", "commentary", "actions"):
        if record.pop(name, None):
            checker.warn(
                table,
                f"is ignored on a row for another organisation ({record['organisation']})",
                row,
                name,
            )


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
    if "draft" in table.header:
        draft = checker.cell(table, row, cells, "draft", c.read_yes_no)
        bad = bad or (draft is None and bool(cells["draft"]))
        record["is_draft"] = bool(draft)
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
        if not checker.first(table, seen, key, row, "period", period.label, "the commentary"):
            continue
        record: dict[str, Any] = {"row": row, "ref": ref, "period": period}
        for name in ("commentary", "actions"):
            if name in table.header:
                record[name] = cells[name]
        checker.plan.commentary.append(record)


def check_agreement(tables: dict[str, Table], checker: Checker) -> None:
    """A target or commentary given twice, in targets.csv or commentary.csv and
    on a row of values.csv, must say the same thing in both places."""
    plan = checker.plan
    targets = {(t["ref"], t["period"]): t for t in plan.targets if t["kind"] == "period"}
    notes = {(n["ref"], n["period"]): n for n in plan.commentary}
    values = tables.get("values")
    if values is None:
        return
    for record in plan.values:
        key = (record["ref"], record["period"])
        target = targets.get(key)
        given = record.get("target")
        if target is not None and given is not None and target["value"] != given:
            checker.error(
                values,
                f"differs from the target {plain(target['value'])} that targets.csv "
                f"gives on row {target['row']}",
                record["row"],
                "target",
                plain(record["target"]),
            )
        note = notes.get(key)
        for name in ("commentary", "actions"):
            if note is not None and record.get(name) and note.get(name) not in (None, record[name]):
                checker.error(
                    values,
                    f"differs from the {name} that commentary.csv gives on row {note['row']}",
                    record["row"],
                    name,
                )
