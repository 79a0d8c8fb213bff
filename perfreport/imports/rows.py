"""Row by row checks of each import file, adding records to the plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from perfreport.core.periods import Period
from perfreport.core.rating import (
    BUILT_IN_SCHEMES,
    Band,
    GapMeasure,
    Rating,
    RatingBasis,
    Scheme,
    SchemeError,
)
from perfreport.core.units import Unit, parse_unit_label, plain
from perfreport.imports import columns as c
from perfreport.imports.council_plan_rows import plan_settings, read_outcomes
from perfreport.imports.plan import (
    ABSENT,
    Absent,
    CommentaryRecord,
    GroupRecord,
    IndicatorRecord,
    OrganisationRecord,
    SchemeRecord,
    TargetRecord,
    ValueRecord,
    or_none,
)
from perfreport.imports.tables import Table
from perfreport.imports.validate import (
    Checker,
    KnownIndicator,
    figure_for,
    number_for,
    percent_warning,
)
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
            checker.error(table, _("is required"), row, "code")
            continue
        if not checker.first(table, seen, code, row, "code", code, _("the organisation")):
            continue
        checker.text(table, row, cells, "code")
        name = checker.cell(table, row, cells, "name", str, required=True)
        checker.text(table, row, cells, "name")
        home = checker.cell(table, row, cells, "home", c.read_yes_no)
        if home:
            homes.append(row)
            new_home = code
        kind = checker.text(table, row, cells, "kind") if "kind" in table.header else ABSENT
        la_number: str | Absent = ABSENT
        if "la_number" in table.header:
            la_number = _la_number(table, checker, row, cells, la_seen)
            la_numbers[code] = (row, la_number)
        settings: dict[str, Any] = {
            **_report_cover(table, checker, row, cells, _is_home(table, checker, code, home)),
            **_key_settings(table, checker, row, cells),
            **plan_settings(table, checker, row, cells, code),
        }
        checker.plan.organisations.append(
            OrganisationRecord(
                row=row,
                code=code,
                name=name or "",  # empty only with an error: the plan is not written
                kind=kind,
                la_number=la_number,
                is_home=bool(home) if "home" in table.header else ABSENT,
                **settings,
            )
        )
        checker.organisations.add(code)
    _claim_la_numbers(table, checker, la_numbers)
    if len(homes) > 1:
        rows_text = ", ".join(str(r) for r in homes)
        said = _("marks rows %(rows)s as home: exactly one organisation is home")
        checker.error(table, said % {"rows": rows_text})
    if new_home is not None and len(homes) == 1:
        checker.home_from_file = new_home
    demoted = checker.home in seen and not homes and "home" in table.header
    if demoted and checker.home is not None:
        checker.error(
            table,
            _(
                "marks the home organisation %(code)s as not home but names no other: "
                "exactly one organisation is home"
            )
            % {"code": checker.home},
            seen[checker.home],
            "home",
        )


REPORT_COVER = ("report_title", "report_team", "report_contact")


def _is_home(table: Table, checker: Checker, code: str, home: bool | None) -> bool:
    """Whether the row is the home organisation's: as its home cell says, or as
    stored when the file has no home column."""
    return bool(home) if "home" in table.header else code == checker.home


def _report_cover(
    table: Table, checker: Checker, row: int, cells: dict[str, str], is_home: bool
) -> dict[str, str | Absent]:
    """The report cover's settings that the file has columns for. They are the
    home organisation's: another organisation's are kept, but no report uses them."""
    given = {
        name: checker.text(table, row, cells, name) if name in table.header else ABSENT
        for name in REPORT_COVER
    }
    if any(given.values()) and not is_home:
        named = ", ".join(name for name in REPORT_COVER if given[name])
        checker.warn(
            table,
            _(
                "gives %(columns)s for an organisation that is not home; only the home "
                "organisation's are used on the reports"
            )
            % {"columns": named},
            row,
        )
    return given


KEY_SETTINGS = ("scheme", "baseline_label", "contextual_label")


def _key_settings(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> dict[str, str | Absent]:
    """The organisation's Key: its scheme by name, and its words for Baseline
    and Contextual, for the columns the file has."""
    given: dict[str, str | Absent] = {}
    for name in KEY_SETTINGS:
        if name not in table.header:
            given[name] = ABSENT
        elif name == "scheme":
            given[name] = _scheme_name(table, checker, row, cells)
        else:
            given[name] = checker.text(table, row, cells, name).strip()
    return given


def _scheme_name(table: Table, checker: Checker, row: int, cells: dict[str, str]) -> str:
    """A scheme named in a cell: built in, stored, or defined in schemes.csv."""
    name = c.read_scheme_name(checker.text(table, row, cells, "scheme"))
    if name and name not in checker.schemes and name not in checker.refused_schemes:
        known = ", ".join(sorted(checker.schemes))
        checker.error(
            table,
            _("is not a rating scheme: use one of %(known)s, or define it in schemes.csv")
            % {"known": known},
            row,
            "scheme",
            cells["scheme"],
        )
    return name


def check_schemes(table: Table, checker: Checker) -> None:
    """Each scheme's bands, best first, as the rows list them; a scheme that
    cannot rate is refused naming the row and column at fault."""
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for row, cells in table.rows:
        name = c.read_scheme_name(checker.text(table, row, cells, "scheme"))
        if not name:
            checker.error(table, _("is required"), row, "scheme")
            continue
        grouped.setdefault(name, []).append((row, cells))
    for name, rows in grouped.items():
        first = rows[0][0]
        if name in BUILT_IN_SCHEMES:
            checker.error(
                table,
                _("is a built-in scheme (%(schemes)s): give yours another name")
                % {"schemes": ", ".join(BUILT_IN_SCHEMES)},
                first,
                "scheme",
                name,
            )
            continue
        scheme = _scheme(table, checker, name, rows)
        if scheme is None:
            checker.refused_schemes.add(name)
        else:
            checker.schemes.add(name)
            checker.plan.schemes.append(
                SchemeRecord(row=first, scheme=scheme, rows=tuple(r for r, _ in rows))
            )


def _scheme(
    table: Table, checker: Checker, name: str, rows: list[tuple[int, dict[str, str]]]
) -> Scheme | None:
    bands = []
    measures: dict[str, int] = {}
    ok = True
    for row, cells in rows:
        rating = checker.cell(table, row, cells, "rating", c.read_band_rating, required=True)
        gap = checker.cell(table, row, cells, "gap_from", c.read_gap)
        inclusive = checker.cell(table, row, cells, "inclusive", c.read_yes_no, required=True)
        measure = checker.cell(table, row, cells, "measure", c.read_measure, required=True)
        colour = checker.cell(table, row, cells, "colour", c.read_colour)
        texts = {n: checker.text(table, row, cells, n).strip() for n in SCHEME_TEXTS}
        bad = (cells.get("gap_from") and gap is None) or (cells.get("colour") and colour is None)
        if rating is None or inclusive is None or measure is None or bad:
            ok = False
            continue
        if measures and measure not in measures:
            checker.error(
                table,
                _(
                    "differs from the measure that row %(row)s gives scheme %(scheme)s: "
                    "every band of a scheme measures the gap the same way"
                )
                % {"row": min(measures.values()), "scheme": repr(name)},
                row,
                "measure",
                cells["measure"],
            )
            ok = False
        measures.setdefault(measure, row)
        bands.append(Band(Rating(rating), gap, inclusive, colour=colour or "", **texts))
    if not ok:
        return None
    try:
        return Scheme(name, tuple(bands), GapMeasure(next(iter(measures))))
    except SchemeError as error:
        at = rows[error.band][0] if error.band is not None else rows[0][0]
        checker.error(table, str(error), at, error.field or "scheme")
        return None


SCHEME_TEXTS = ("label", "symbol", "description")


def _la_number(
    table: Table, checker: Checker, row: int, cells: dict[str, str], seen: dict[str, int]
) -> str:
    la_number = checker.cell(table, row, cells, "la_number", c.read_la_number) or ""
    if la_number:
        checker.first(table, seen, la_number, row, "la_number", la_number, _("the LA number"))
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
                _(
                    "is the LA number of organisation %(code)s, already stored: "
                    "each organisation has its own"
                )
                % {"code": other},
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
    groups: dict[str, tuple[int, list[str]]] = {}  # name: (its first row, its members)
    kinds: dict[str, tuple[str, int]] = {}  # group: (kind, the first row to give it)
    includes: dict[str, tuple[bool, int]] = {}  # group: (includes_home, the first row to give it)
    members: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        name = checker.text(table, row, cells, "group")
        if not name:
            checker.error(table, _("is required"), row, "group")
            continue
        _first, group_members = groups.setdefault(name, (row, []))
        _one_per_group(table, checker, row, cells, name, "kind", c.read_group_kind, kinds)
        _one_per_group(table, checker, row, cells, name, "includes_home", c.read_yes_no, includes)
        text = cells.get("organisation", "")
        code = _member(table, checker, row, text, by_la_number)
        if code is None:
            continue
        first = members.setdefault((name, code), row)
        shown = (
            code
            if text == code
            else _("%(code)s (given as %(text)s)") % {"code": code, "text": text}
        )
        if first != row:
            checker.error(
                table,
                _("group %(group)s lists organisation %(code)s twice (rows %(first)s and %(row)s)")
                % {"group": repr(name), "code": shown, "first": first, "row": row},
                row,
                "organisation",
            )
            continue
        if code == home:
            checker.warn(
                table,
                _(
                    "puts the home organisation %(code)s in group %(group)s; a comparator group "
                    "usually leaves it out (it is kept)"
                )
                % {"code": shown, "group": repr(name)},
                row,
                "organisation",
            )
        group_members.append(code)
    for name, (first_row, listed) in groups.items():
        kind = kinds.get(name, (GroupKind.CUSTOM.value, 0))[0]
        checker.plan.groups.append(
            GroupRecord(
                row=first_row,
                name=name,
                members=tuple(listed),
                kind=kind if "kind" in table.header else ABSENT,
                includes_home=(
                    includes.get(name, (None, 0))[0] if "includes_home" in table.header else ABSENT
                ),
            )
        )
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
        checker.error(table, _("is required"), row, "organisation")
        return None
    if text in checker.organisations:
        return text
    codes = by_la_number.get(text, [])
    if len(codes) == 1:
        return codes[0]
    if codes:
        checker.error(
            table,
            _("is the LA number of more than one organisation (%(codes)s): give the code")
            % {"codes": ", ".join(sorted(codes))},
            row,
            "organisation",
            text,
        )
    else:
        checker.error(
            table,
            _("is not a known organisation code or LA number (see organisations.csv)"),
            row,
            "organisation",
            text,
        )
    return None


def _one_per_group(
    table: Table,
    checker: Checker,
    row: int,
    cells: dict[str, str],
    name: str,
    column: str,
    read: Callable[[str], Any],
    given: dict[str, Any],
) -> None:
    """A group has one kind and one includes_home: rows that give it must
    agree; an empty cell takes what another row gives."""
    value = checker.cell(table, row, cells, column, read)
    if value is None:
        return
    first, first_row = given.setdefault(name, (value, row))
    if value != first:
        shown = ("yes" if first else "no") if isinstance(first, bool) else first  # as in the file
        checker.error(
            table,
            _(
                "differs from the %(column)s %(value)s that row %(row)s gives group %(group)s: "
                "a group has one %(column)s"
            )
            % {"column": column, "value": shown, "row": first_row, "group": repr(name)},
            row,
            column,
            cells[column],
        )


INDICATOR_READERS: dict[str, Callable[[str], Any]] = {
    "unit": c.read_unit,
    "polarity": c.read_polarity,
    "frequency": c.read_frequency,
    "rating_basis": c.read_rating_basis,
    "decimals": c.read_whole(0, 6),
    "aggregation": c.read_aggregation,
    "tolerance_method": c.read_tolerance,
    "target_rule": c.read_target_rule,
    "red_threshold": c.read_threshold,
    "lag": c.read_whole(0, 24),
    "release_lag_months": c.read_whole(0, 60),
    "neighbours_mean": c.read_number,
    "england_mean": c.read_number,
    "links": lambda text: tuple(c.read_links(text)),
    "type": c.read_indicator_kind,
}
INDICATOR_DEFAULTS: dict[str, Any] = {
    "decimals": 1,
    "aggregation": "snapshot",
    "target_rule": "",
    "lag": 0,
    "release_lag_months": 0,
    "links": (),
    "type": "performance",
}
TEXT_FIELDS = (
    "title", "unit_label", "directorate", "service", "owner", "national_code", "source",
    "description", "title_cy", "description_cy",
)  # fmt: skip


def check_indicators(table: Table, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not ref:
            checker.error(table, _("is required"), row, "ref")
            continue
        if not checker.first(table, seen, ref, row, "ref", ref, _("the indicator")):
            continue
        record = _indicator_record(table, checker, row, cells)
        if record is None:
            if ref not in checker.indicators:
                checker.refused.add(ref)
            continue
        checker.plan.indicators.append(record)
        checker.indicators[ref] = KnownIndicator(
            record.frequency,
            record.unit,
            record.rating_basis,
            _year_start(ref, record, checker),
            _unit_label(ref, record, checker),
        )


def _indicator_record(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> IndicatorRecord | None:
    """The row's record, or None when a cell is wrong. Its fields are read
    column by column, as the header lists them: those the file leaves out
    stay ``ABSENT``."""
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
            record[name] = checker.cell(table, row, cells, name, c.read_blue_threshold)
            text = cells[name].strip().lower()
            ok = ok and (record[name] is not None or text in ("", "none"))
        elif name == "scheme":
            record[name] = _scheme_name(table, checker, row, cells)
            ok = ok and (not record[name] or record[name] in checker.schemes)
        elif name == "year_start":
            record[name], valid = _read_year_start(table, checker, row, cells)
            ok = ok and valid
        elif name in TEXT_FIELDS:
            record[name] = checker.text(table, row, cells, name)
        elif name == "comparator_group":
            record[name] = _comparator_group(table, checker, row, cells)
            ok = ok and record[name] is not None
        elif name == "outcomes":
            record[name] = read_outcomes(table, checker, row, cells)
            ok = ok and record[name] is not None
    if not cells.get("title"):
        checker.error(table, _("is required"), row, "title")
        ok = False
    if any(record.get(name) is None for name in c.INDICATORS.required):
        return None
    _own_thresholds(table, cells, record)
    if record.get("scheme") and record.get("tolerance_method"):
        checker.warn(
            table,
            _(
                "names the scheme %(scheme)s and has thresholds of its own: "
                "the thresholds rate it (empty them to follow the scheme)"
            )
            % {"scheme": repr(record["scheme"])},
            row,
            "scheme",
        )
    ok = _check_unit_label(table, checker, row, record) and ok
    return IndicatorRecord(**record) if ok else None


THRESHOLDS = ("tolerance_method", "red_threshold", "blue_threshold")
OWN_DEFAULTS = {"tolerance_method": "relative", "red_threshold": Decimal(10)}


def _own_thresholds(table: Table, cells: dict[str, str], record: dict[str, Any]) -> None:
    """Own thresholds, filled in, make the indicator's own Key of the seed's
    shape (an empty one of them takes the seed's: relative, 10, 5); all
    empty, the indicator follows its scheme. Without the columns, as stored."""
    present = [n for n in THRESHOLDS if n in table.header]
    if not present:
        return
    if not any(cells.get(n) for n in present):
        record.update(tolerance_method="", red_threshold=None, blue_threshold=None)
        return
    for name, default in OWN_DEFAULTS.items():
        if record.get(name) is None:
            record[name] = default
    if not cells.get("blue_threshold"):  # "none" is no Blue; empty is the seed's 5
        record["blue_threshold"] = Decimal(5)


def _check_unit_label(table: Table, checker: Checker, row: int, record: dict[str, Any]) -> bool:
    """The unit label must fit the unit (``£m`` only on currency): the file's,
    kept as written (spaces trimmed); else the one stored, if the unit changes."""
    unit = Unit(record["unit"])
    given = "unit_label" in record
    known = checker.indicators.get(record["ref"])
    text = record["unit_label"] if given else (known.unit_label if known else "")
    try:
        label = parse_unit_label(text, unit)
    except ValueError as error:
        if given:
            checker.error(table, str(error), row, "unit_label", text)
        else:
            checker.error(
                table,
                _(
                    "does not fit the unit label %(label)s stored for indicator %(ref)s, "
                    "which %(error)s: give a unit_label column"
                )
                % {"label": repr(text), "ref": record["ref"], "error": error},
                row,
                "unit",
                unit.value,
            )
        return False
    if given:
        record["unit_label"] = label.text
    return True


def _unit_label(ref: str, record: IndicatorRecord, checker: Checker) -> str:
    """The indicator's unit label after this import: the file's, else as stored."""
    if record.unit_label is ABSENT:
        known = checker.indicators.get(ref)
        return known.unit_label if known is not None else ""
    return record.unit_label


def _read_year_start(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> tuple[int | None, bool]:
    """The month the indicator's years start (None: the organisation's
    financial year), and whether the cell could be read."""
    try:
        return c.read_year_start(cells["year_start"]), True
    except c.CellError as error:
        checker.error(table, str(error), row, "year_start", cells["year_start"])
        return None, False


def _year_start(ref: str, record: IndicatorRecord, checker: Checker) -> int | None:
    """The indicator's year start after this import: the file's, else as stored."""
    if record.year_start is ABSENT:
        known = checker.indicators.get(ref)
        return known.year_start if known is not None else None
    return record.year_start


def _comparator_group(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> str | None:
    """The group's name ("" for the home organisation's statistical
    neighbours), or None when no such group is stored or in groups.csv."""
    name = checker.text(table, row, cells, "comparator_group")
    if name and name not in checker.groups:
        checker.error(
            table,
            _("is not a comparator group in the register or in groups.csv"),
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
        period = checker.period(table, row, cells.get("period", ""), ref=ref)
        kind = checker.cell(table, row, cells, "kind", c.read_kind) or "period"
        figure = figure_for(ref, checker.indicators[ref])
        value = checker.cell(table, row, cells, "target", figure, required=True)
        if period is None or value is None:
            continue
        key = (ref, kind, period.label)
        what = _("the milestone target") if kind == "milestone" else _("the period target")
        if not checker.first(table, seen, key, row, "period", period.label, what):
            continue
        _warn_contextual_target(table, checker, row, ref)
        note = cells["note"] if "note" in table.header else ABSENT
        checker.plan.targets.append(
            TargetRecord(row=row, ref=ref, kind=kind, period=period, value=value, note=note)
        )


def _warn_contextual_target(table: Table, checker: Checker, row: int, ref: str) -> None:
    basis = checker.indicators[ref].rating_basis
    if basis != RatingBasis.TARGETED:
        checker.warn(
            table,
            _("indicator %(ref)s is %(basis)s, so this target is stored but not used to rate it")
            % {"ref": ref, "basis": basis},
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
        period = checker.period(table, row, cells.get("period", ""), ref=ref)
        if period is not None and not checker.frequency_matches(table, row, ref, period):
            period = None
        organisation = cells.get("organisation", "")
        if organisation and organisation not in checker.organisations:
            checker.error(
                table,
                _("is not a known organisation code (see organisations.csv)"),
                row,
                "organisation",
                organisation,
            )
        if organisation == (checker.home_from_file or checker.home):
            organisation = ""  # the home organisation, written out
        record = _value_record(table, checker, row, cells, known, ref, period, organisation)
        if record is None:
            continue
        label = record.period.label  # worked out afresh on each use: once a row
        key = (ref, label, organisation)
        if not checker.first(
            table,
            seen,
            key,
            row,
            "period",
            label,
            _("indicator %(ref)s for %(period)s") % {"ref": ref, "period": label},
        ):
            continue
        if organisation:
            record = _without_peer_extras(table, checker, record)
        elif or_none(record.target) is not None:
            _warn_contextual_target(table, checker, row, ref)
        checker.plan.values.append(record)


def _without_peer_extras(table: Table, checker: Checker, record: ValueRecord) -> ValueRecord:
    """Targets, ratings and commentary belong to the home organisation's own
    rows: left out of another organisation's, with a warning where given."""
    extras = {
        "target": record.target,
        "stated_rag": record.stated_rag,
        "commentary": record.commentary,
        "actions": record.actions,
        "commentary_cy": record.commentary_cy,
        "actions_cy": record.actions_cy,
    }
    for name, given in extras.items():
        if given:
            checker.warn(
                table,
                _("is ignored on a row for another organisation (%(code)s)")
                % {"code": record.organisation},
                record.row,
                name,
            )
    return replace(
        record,
        target=ABSENT,
        stated_rag=ABSENT,
        rating_printed=ABSENT,
        commentary=ABSENT,
        actions=ABSENT,
        commentary_cy=ABSENT,
        actions_cy=ABSENT,
    )


def _value_record(
    table: Table,
    checker: Checker,
    row: int,
    cells: dict[str, str],
    known: KnownIndicator,
    ref: str,
    period: Period | None,
    organisation: str,
) -> ValueRecord | None:
    """The row's record, or None when a cell or its period is wrong; every
    cell is checked either way, so that each problem is reported. A value
    withheld as published ("c", "fewer than 10") is kept as printed."""
    unit = known.unit
    number, figure = number_for(unit), figure_for(ref, known)
    withheld = c.read_withheld(cells.get("value", ""))
    value = None
    if withheld is None:
        value = checker.cell(table, row, cells, "value", figure, required=True)
    bad = value is None and withheld is None
    figures: dict[str, Decimal | Absent | None] = {}
    for name in ("numerator", "denominator", "target"):
        figures[name] = ABSENT
        if name in table.header:
            read = figure if name == "target" else number
            figures[name] = checker.cell(table, row, cells, name, read)
            bad = bad or (figures[name] is None and bool(cells[name]))
    stated_rag: str | Absent = ABSENT
    if "stated_rag" in table.header:
        rating = checker.cell(table, row, cells, "stated_rag", c.read_rating)
        bad = bad or (rating is None and bool(cells["stated_rag"]))
        stated_rag = rating or ""
        if rating and withheld is not None:
            checker.error(
                table,
                _(
                    "rates a value withheld as published (%(withheld)s), which is never rated: "
                    "leave stated_rag empty"
                )
                % {"withheld": repr(withheld)},
                row,
                "stated_rag",
                cells["stated_rag"],
            )
            bad = True
    is_draft: bool | Absent = ABSENT
    if "draft" in table.header:
        draft = checker.cell(table, row, cells, "draft", c.read_yes_no)
        bad = bad or (draft is None and bool(cells["draft"]))
        is_draft = bool(draft)
    percent_warning(checker, table, row, unit, "value", value)
    numerator, denominator = or_none(figures["numerator"]), or_none(figures["denominator"])
    if numerator is not None and denominator is not None and numerator > denominator:
        checker.warn(table, _("numerator is larger than the denominator"), row, "numerator")
    if bad or period is None:
        return None
    return ValueRecord(
        row=row,
        ref=ref,
        period=period,
        organisation=organisation,
        value=value,
        withheld_as=withheld or "",
        numerator=figures["numerator"],
        denominator=figures["denominator"],
        target=figures["target"],
        stated_rag=stated_rag,
        rating_printed=_rating_printed(table, checker, row, cells),
        commentary=cells["commentary"] if "commentary" in table.header else ABSENT,
        actions=cells["actions"] if "actions" in table.header else ABSENT,
        **_welsh_notes(table, cells),
        is_draft=is_draft,
    )


def _welsh_notes(table: Table, cells: dict[str, str]) -> dict[str, str | Absent]:
    """The Welsh commentary and actions beside the English, where the file has the columns."""
    return {
        name: cells[name] if name in table.header else ABSENT
        for name in ("commentary_cy", "actions_cy")
    }


def _rating_printed(
    table: Table, checker: Checker, row: int, cells: dict[str, str]
) -> bool | Absent:
    """Whether the figure came from a published report that prints ratings:
    as the rating_printed cell says (an export writes it where a figure was
    entered in perfreport), else yes for a file with a stated_rag column."""
    if cells.get("rating_printed"):
        said = checker.cell(table, row, cells, "rating_printed", c.read_yes_no)
        if said is not None:
            return bool(said)
    return True if "stated_rag" in table.header else ABSENT


def check_commentary(table: Table, checker: Checker) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        ref = cells.get("ref", "")
        if not checker.known_ref(table, row, ref):
            continue
        period = checker.period(table, row, cells.get("period", ""), ref=ref)
        if period is None:
            continue
        key = (ref, period.label)
        if not checker.first(table, seen, key, row, "period", period.label, _("the commentary")):
            continue
        checker.plan.commentary.append(
            CommentaryRecord(
                row=row,
                ref=ref,
                period=period,
                commentary=cells["commentary"] if "commentary" in table.header else ABSENT,
                actions=cells["actions"] if "actions" in table.header else ABSENT,
                **_welsh_notes(table, cells),
            )
        )


def check_agreement(tables: dict[str, Table], checker: Checker) -> None:
    """A target or commentary given twice, in targets.csv or commentary.csv and
    on a row of values.csv, must say the same thing in both places."""
    plan = checker.plan
    targets = {(t.ref, t.period): t for t in plan.targets if t.kind == "period"}
    notes = {(n.ref, n.period): n for n in plan.commentary}
    values = tables.get("values")
    if values is None:
        return
    for record in plan.values:
        key = (record.ref, record.period)
        target = targets.get(key)
        given = or_none(record.target)
        if target is not None and given is not None and target.value != given:
            checker.error(
                values,
                _("differs from the target %(target)s that targets.csv gives on row %(row)s")
                % {"target": plain(target.value), "row": target.row},
                record.row,
                "target",
                plain(given),
            )
        note = notes.get(key)
        if note is None:
            continue
        for name, text, noted in (
            ("commentary", record.commentary, note.commentary),
            ("actions", record.actions, note.actions),
            ("commentary_cy", record.commentary_cy, note.commentary_cy),
            ("actions_cy", record.actions_cy, note.actions_cy),
        ):
            if text and or_none(noted) not in (None, text):
                checker.error(
                    values,
                    (
                        _("differs from the commentary that commentary.csv gives on row %(row)s")
                        if name.startswith("commentary")
                        else _("differs from the actions that commentary.csv gives on row %(row)s")
                    )
                    % {"row": note.row},
                    record.row,
                    name,
                )
