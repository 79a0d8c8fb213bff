"""Check every row of an import before anything is written.

The result is a :class:`~perfreport.imports.plan.Plan` of typed records, or
the list of problems that stop the import. A column missing from a file
leaves that field as it is in the database; a column present but empty
clears it (or sets its default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.core.numbers import UnitRuleError
from perfreport.core.periods import Frequency, Period, PeriodError, parse_period_in, year_name
from perfreport.core.rating import BUILT_IN_SCHEMES
from perfreport.core.text import TextError, checked_text, unguard
from perfreport.core.units import Unit, UnitFormat, parse_unit_label
from perfreport.imports import columns as c
from perfreport.imports.plan import Plan, PlanRefs
from perfreport.imports.problems import Level, Problem
from perfreport.imports.tables import CsvRows, Table

MAX_ERRORS_PER_FILE = 50  # and as many warnings: a file's problems held are bounded too


@dataclass(frozen=True)
class KnownIndicator:
    frequency: str
    unit: str
    rating_basis: str
    year_start: int | None = None  # None: the organisation's financial year
    unit_label: str = ""  # as printed: "£m", "days"

    @cached_property
    def unit_format(self) -> UnitFormat:
        """The unit with its label, which a value, a target, may carry."""
        unit = Unit(self.unit)
        try:
            return UnitFormat(unit, parse_unit_label(self.unit_label, unit))
        except ValueError:
            return UnitFormat(unit)  # indicators.csv reports the label


class Checker:
    """Reads the tables of one import into a :class:`Plan`, collecting problems."""

    def __init__(
        self,
        known_indicators: dict[str, KnownIndicator],
        known_organisations: set[str],
        fy_start_month: int,
        home: str | None = None,
        *,
        groups: set[str] | None = None,
        la_numbers: dict[str, str] | None = None,
    ) -> None:
        self.indicators = dict(known_indicators)
        self.organisations = set(known_organisations)
        # Comparator group names, and LA numbers by organisation code: those
        # stored, then those this import adds. Read from the database by
        # check_tables when the caller does not give them.
        self.groups = set(groups or ())
        self.la_numbers = dict(la_numbers or {})
        self.stored_registry_read = groups is not None and la_numbers is not None
        self.home = home
        # Rating schemes by name: the built-in ones, those stored (read by
        # check_tables) and those this import's schemes.csv defines.
        self.schemes: set[str] = set(BUILT_IN_SCHEMES)
        # Indicator refs and scheme names whose own rows were refused: rows
        # that name them are not refused again for it.
        self.refused: set[str] = set()
        self.refused_schemes: set[str] = set()
        self.home_from_file: str | None = None
        # What the council plan's files may refer to, read when first needed.
        self.plan_refs: PlanRefs | None = None
        self.fy_start_month = fy_start_month
        self.problems: list[Problem] = []
        self.plan = Plan()
        self._periods: dict[tuple[str, int], Period] = {}
        self._errors: dict[str, int] = {}  # errors by file, those not kept included
        self._warnings: dict[str, int] = {}  # the same for warnings

    # -- reporting --------------------------------------------------------
    def error(
        self,
        table: Table,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        count = self._errors.get(table.label, 0) + 1
        self._errors[table.label] = count
        if count <= MAX_ERRORS_PER_FILE:
            self.problems.append(Problem(table.label, message, row, column, value))

    def warn(
        self,
        table: Table,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        count = self._warnings.get(table.label, 0) + 1
        self._warnings[table.label] = count
        if count <= MAX_ERRORS_PER_FILE:
            self.problems.append(Problem(table.label, message, row, column, value, Level.WARNING))

    def summarise_overflow(self) -> None:
        for label, count in self._errors.items():
            if count > MAX_ERRORS_PER_FILE:
                more = count - MAX_ERRORS_PER_FILE
                said = ngettext(
                    "… and %(count)d more errors not shown",
                    "… and %(count)d more errors not shown",
                    more,
                ) % {"count": more}
                self.problems.append(Problem(label, said, summary=True))
        for label, count in self._warnings.items():
            if count > MAX_ERRORS_PER_FILE:
                more = count - MAX_ERRORS_PER_FILE
                said = ngettext(
                    "… and %(count)d more warnings not shown",
                    "… and %(count)d more warnings not shown",
                    more,
                ) % {"count": more}
                self.problems.append(
                    Problem(
                        label,
                        said,
                        level=Level.WARNING,
                        summary=True,
                    )
                )

    @property
    def error_count(self) -> int:
        """Every error found, those past the limit included."""
        hidden = sum(max(0, n - MAX_ERRORS_PER_FILE) for n in self._errors.values())
        shown = sum(1 for p in self.problems if p.level is Level.ERROR and not p.summary)
        return shown + hidden

    @property
    def failed(self) -> bool:
        return any(p.level is Level.ERROR for p in self.problems)

    # -- helpers ----------------------------------------------------------
    def check_header(self, table: Table, spec: c.FileSpec) -> bool:
        missing = [name for name in spec.required if name not in table.header]
        if missing:
            has = ", ".join(h for h in table.header if h)
            said = (
                _("missing required column(s) %(missing)s; the header has %(header)s")
                if has
                else _("missing required column(s) %(missing)s; the header has nothing")
            )
            self.error(table, said % {"missing": ", ".join(missing), "header": has}, row=1)
        duplicated = sorted({h for h in table.header if h and table.header.count(h) > 1})
        if duplicated:
            said = _("column(s) %(columns)s appear more than once")
            self.error(table, said % {"columns": ", ".join(duplicated)}, row=1)
        unknown = [h for h in table.header if h and h not in spec.columns]
        for name in unknown:
            said = _("column %(name)s is not one perfreport reads; ignored")
            self.warn(table, said % {"name": repr(name)}, row=1)
        if not table.rows and not missing:
            self.warn(table, _("has a header but no rows"))
        return not missing and not duplicated

    def period(
        self, table: Table, row: int, text: str, column: str = "period", *, ref: str = ""
    ) -> Period | None:
        """The period ``text`` names, in the kind of year of indicator ``ref``
        (the financial year when it has none of its own)."""
        start = self.year_start(ref)
        key = (text, start)
        if key in self._periods:
            return self._periods[key]
        try:
            period = parse_period_in(text, start, self.fy_start_month)
        except PeriodError as error:
            own = start != self.fy_start_month
            said = (
                _("%(error)s (indicator %(ref)s is by %(year)s)")
                % {"error": error, "ref": ref, "year": year_name(start)}
                if own
                else str(error)
            )
            self.error(table, said, row, column)  # the message quotes the text
            return None
        self._periods[key] = period
        return period

    def year_start(self, ref: str) -> int:
        """The month indicator ``ref``'s years start."""
        known = self.indicators.get(ref)
        year_start = known.year_start if known is not None else None
        return year_start or self.fy_start_month

    def cell(
        self,
        table: Table,
        row: int,
        cells: dict[str, str],
        column: str,
        read: Callable[[str], Any],
        *,
        required: bool = False,
    ) -> Any:
        text = cells.get(column, "")
        if not text:
            if required:
                self.error(table, _("is required"), row, column)
            return None
        try:
            return read(text)
        except c.CellError as error:
            self.error(table, str(error), row, column, text)
            return None

    def text(self, table: Table, row: int, cells: dict[str, str], column: str) -> str:
        """A text cell (already under the text rule: :meth:`check_texts`)."""
        return cells.get(column, "")

    def check_texts(self, table: Table) -> None:
        """The one text rule on every cell (no control character but tab and
        new line; CRLF read as a new line), and each column's length limit.
        A CSV cell that an export guarded against spreadsheet formulas with
        one leading quote is read without it (a workbook holds text as text)."""
        from_csv = table.label.lower().endswith(".csv")

        def clean(row: int, cells: dict[str, str], report: bool = False) -> dict[str, str]:
            for column, text in cells.items():
                limit = c.MAX_LENGTHS.get((table.name, column))
                try:
                    cells[column] = checked_text(unguard(text) if from_csv else text, limit=limit)
                except TextError as error:
                    if report:
                        self.error(table, str(error), row, column)
            return cells

        for row, cells in table.rows:
            clean(row, cells, report=True)
        if isinstance(table.rows, CsvRows):
            table.rows.clean = clean  # each time the rows are read again

    def first(
        self,
        table: Table,
        seen: dict[Any, int],
        key: Any,
        row: int,
        column: str,
        value: str,
        what: str,
    ) -> bool:
        """True the first time ``key`` is seen in a file; an error naming the
        earlier row every time after."""
        if key in seen:
            said = _("repeats %(what)s on row %(row)s") % {"what": what, "row": seen[key]}
            self.error(table, said, row, column, value)
            return False
        seen[key] = row
        return True

    def frequency_matches(self, table: Table, row: int, ref: str, period: Period) -> bool:
        known = self.indicators[ref]
        if period.frequency.value != known.frequency:
            said = _(
                "%(period)s is %(frequency)s, but indicator %(ref)s is %(known)s: "
                "write its periods like %(example)s"
            ) % {
                "period": period.label,
                "frequency": period.frequency,
                "ref": ref,
                "known": known.frequency,
                "example": _example(Frequency(known.frequency), self.year_start(ref)),
            }
            self.error(table, said, row, "period")
            return False
        return True

    def known_ref(self, table: Table, row: int, ref: str) -> bool:
        if not ref:
            self.error(table, _("is required"), row, "ref")
            return False
        if ref in self.refused:
            return False  # its own row's error says why; one error, not one a row
        if ref not in self.indicators:
            self.error(
                table,
                _("is not an indicator in the register or in indicators.csv"),
                row,
                "ref",
                ref,
            )
            return False
        return True


def _example(frequency: Frequency, year_start: int = 4) -> str:
    if year_start == 1:
        return {"monthly": "2020-09", "quarterly": "2020 Q2", "annual": "2020"}[frequency.value]
    return {"monthly": "2020-09", "quarterly": "2020/21 Q2", "annual": "2020/21"}[frequency.value]


def check_tables(tables: dict[str, Table], checker: Checker) -> Plan:
    """Check every table, in the order that lets later files refer to earlier ones."""
    from perfreport.imports import council_plan_rows as plan_rows
    from perfreport.imports import rows

    if not checker.stored_registry_read:
        read_stored_registry(checker)
    for name, check in (
        ("schemes", rows.check_schemes),
        ("organisations", rows.check_organisations),
        ("groups", rows.check_groups),
        ("plan", plan_rows.check_plan),
        ("indicators", rows.check_indicators),
        ("targets", rows.check_targets),
        ("values", rows.check_values),
        ("commentary", rows.check_commentary),
        ("actions", plan_rows.check_actions),
        ("milestones", plan_rows.check_milestones),
    ):
        table = tables.get(name)
        if table is not None and checker.check_header(table, c.FILES[name]):
            checker.check_texts(table)
            check(table, checker)
    rows.check_agreement(tables, checker)
    checker.summarise_overflow()
    return checker.plan


def read_stored_registry(checker: Checker) -> None:
    """The comparator groups, LA numbers and rating schemes already stored."""
    from perfreport.registry.models import ComparatorGroup, Organisation, RatingScheme

    checker.groups |= set(ComparatorGroup.objects.values_list("name", flat=True))
    checker.schemes |= set(RatingScheme.objects.values_list("name", flat=True))
    stored = Organisation.objects.exclude(la_number="").values_list("code", "la_number")
    checker.la_numbers = {**dict(stored), **checker.la_numbers}
    checker.stored_registry_read = True


def number_for(unit: str | None) -> Callable[[str], Decimal]:
    return lambda text: c.read_number(text, unit)


def figure_for(ref: str, known: KnownIndicator) -> Callable[[str], Decimal]:
    """A value or target of indicator ``ref`` as typed, in its unit and label
    ("£4.2m", "85%"); a sign its unit does not take is refused naming the
    indicator and the unit rule: "indicator 12 is measured in days: a value
    cannot carry '%'"."""
    unit = known.unit_format

    def read(text: str) -> Decimal:
        try:
            return c.read_number(text, unit)
        except UnitRuleError as error:
            said = _("indicator %(ref)s %(error)s") % {"ref": ref, "error": error}
            raise c.CellError(said) from None

    return read


def percent_warning(
    checker: Checker, table: Table, row: int, unit: str, column: str, value: Decimal | None
) -> None:
    if value is not None and unit == Unit.PERCENT and not 0 <= value <= 100:
        checker.warn(table, _("is a percentage outside 0–100"), row, column, str(value))
