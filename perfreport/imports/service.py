"""``import_path`` and ``export_path``: what ``perfreport import`` and
``perfreport export`` (and later the web app) call.

An import is made by someone (an :class:`Actor`) and obeys their role as the
pages and the API do: only a BI administrator may change the register
(organisations, groups, indicators, targets, benchmarks); anyone else may
import the values and commentary of the indicators they may edit, for periods
no reporting round collects. Every import that changes anything is one event
in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.data.models import BenchmarkValue, Entry, Observation, RoundState
from perfreport.data.services import draft_into_entry, open_round_keys
from perfreport.data.versions import bump_data_version
from perfreport.imports.benchmarks import (
    LoadReport,
    Progress,
    count_lines,
    csv_header,
    csv_rows,
    header_problems,
    load_rows,
    parquet_rows,
)
from perfreport.imports.columns import BENCHMARKS
from perfreport.imports.lait import LaitFiles, find_lait_files, import_lait
from perfreport.imports.load import apply_plan
from perfreport.imports.plan import CommentaryRecord, Plan, ValueRecord, or_none
from perfreport.imports.problems import ImportFailed, Level, Problem
from perfreport.imports.tables import Limits, Table, read_source
from perfreport.imports.validate import Checker, KnownIndicator, check_tables
from perfreport.imports.writing import Summary
from perfreport.imports.year_starts import refuse_year_start_changes
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import fy_start_month


def _limits() -> Limits:
    return Limits(max_bytes=round(settings.PERFREPORT_IMPORT_MAX_MB * 1_000_000))


# The tables of the register, which only a BI administrator may import.
REGISTER = ("organisations", "groups", "indicators", "targets", "plan", "actions", "milestones")


def import_path(
    path: Path,
    progress: Progress | None = None,
    *,
    actor: Actor | None = None,
    force: bool = False,
) -> tuple[Summary, list[Problem]]:
    """Import a folder of CSV files or a workbook: all of it, or nothing.

    A folder may also hold ``benchmarks.csv`` or ``benchmarks.parquet``
    (streamed, for national files), or be a folder of LAIT files.
    Returns the summary and the warnings; raises :class:`ImportFailed` with
    every problem found (errors and warnings) when anything is wrong, and
    when ``actor`` (the command line, a BI administrator, when None) may not
    make a change the files hold. ``progress(done, total, what)`` is called
    as rows are read and written.

    The round rule: the home organisation's values and commentary for a
    period that an open round collects go into that round's entries as
    drafts (the summary says so), to be signed off and published there;
    ``force`` (a BI administrator only) writes them straight to the
    published values instead, which the audit trail records.
    """
    actor = actor or Actor.command_line()
    lait = find_lait_files(path)
    if lait is not None:
        if not actor.is_admin:
            raise ImportFailed([Problem(path.name, _admin_only(actor, _("the DfE's LAIT files")))])
        return _import_lait(lait, progress, actor, path), []
    try:
        tables, problems = read_source(path, _limits())
    except FileNotFoundError as error:
        raise ImportFailed([Problem(str(path), str(error).removeprefix(f"{path}: "))]) from None
    known = {
        ref: KnownIndicator(frequency, unit, basis, year_start, label)
        for ref, frequency, unit, basis, year_start, label in Indicator.objects.values_list(
            "ref", "frequency", "unit", "rating_basis", "year_start", "unit_label"
        )
    }
    organisations = dict(Organisation.objects.values_list("code", "is_home"))
    home = next((code for code, is_home in organisations.items() if is_home), None)
    checker = Checker(known, set(organisations), fy_start_month(), home)
    checker.problems.extend(problems)
    plan = check_tables(tables, checker)
    refuse_year_start_changes(tables, plan, checker, {r: k.year_start for r, k in known.items()})
    benchmarks = _benchmarks_file(path)
    if benchmarks is not None:
        checker.problems.extend(header_problems(*benchmarks, BENCHMARKS.required))
    if not actor.is_admin:
        _check_rights(actor, tables, plan, benchmarks, checker)
    held = _round_drafts(actor, tables, plan, checker, force)
    _refuse_drafts_over_published(tables, plan, checker)
    if checker.failed:
        raise ImportFailed(checker.problems, checker.error_count)
    total = len(plan.values)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total, _("Writing values"))

    try:
        with transaction.atomic():
            summary = apply_plan(plan, advance, frozenset(held))
            _write_round_drafts(actor, held, path, summary)
            if benchmarks is not None:
                _load_benchmarks(path / benchmarks[0], summary, progress)
            if summary.changed:
                bump_data_version()
                _record(actor, path, summary, forced=force)
    except DatabaseError as error:
        raise ImportFailed([*checker.problems, Problem(str(path), _refused(error))]) from None
    return summary, [p for p in checker.problems if p.level is Level.WARNING]


def _check_rights(
    actor: Actor,
    tables: dict[str, Table],
    plan: Plan,
    benchmarks: tuple[str, list[str]] | None,
    checker: Checker,
) -> None:
    """Refuse, row by row, what ``actor`` (not an administrator) may not
    import: the register, and values or commentary of indicators they may not
    edit or that a round collects (those are entered in the round, where they
    are signed off)."""
    for name in REGISTER:
        table = tables.get(name)
        if table is not None and table.rows:
            checker.error(table, _admin_only(actor, name))
    if benchmarks is not None:
        checker.problems.append(Problem(benchmarks[0], _admin_only(actor, _("benchmarks"))))
    editable = set(Indicator.objects.filter(actor.editable()).values_list("ref", flat=True))
    in_rounds = {
        (ref, frequency, first_month): label
        for ref, frequency, first_month, label in Entry.objects.filter(
            round__state=RoundState.PUBLISHED
        ).values_list("indicator__ref", "frequency", "first_month", "round__period")
    }
    for name, records in _home_tables(plan):
        table = tables.get(name)
        if table is None:
            continue  # no records either
        for record in records:
            ref, period, row = record.ref, record.period, record.row
            if ref not in editable:
                checker.error(
                    table,
                    _(
                        "%(person)s may not import values or commentary for indicator %(ref)s: "
                        "only its owner, its service lead or a BI administrator may"
                    )
                    % {"person": actor.name, "ref": ref},
                    row,
                    "ref",
                    ref,
                )
                continue
            label = in_rounds.get((ref, period.frequency.value, period.first_month))
            if label is not None and not record.organisation:  # the home organisation's
                checker.error(
                    table,
                    _(
                        "indicator %(ref)s %(period)s was published with the round for "
                        "%(round)s: a change now is a restatement, made on its entry's page "
                        "with a reason"
                    )
                    % {"ref": ref, "period": period.label, "round": label},
                    row,
                    "period",
                    period.label,
                )
            if isinstance(record, ValueRecord) and or_none(record.target) is not None:
                checker.error(table, _admin_only(actor, _("targets")), row, "target")
    # The count of errors past the limit, again, with these included.
    checker.problems[:] = [p for p in checker.problems if not p.summary]
    checker.summarise_overflow()


def _home_tables(
    plan: Plan,
) -> tuple[tuple[str, Iterable[ValueRecord | CommentaryRecord]], ...]:
    """The records of values.csv and commentary.csv, by file: what an owner
    may import, and what a round collects."""
    return (("values", plan.values), ("commentary", plan.commentary))


def _admin_only(actor: Actor, what: str) -> str:
    return _(
        "only a BI administrator may import %(what)s: %(person)s may import the values and "
        "commentary of their own indicators. Leave it out, or ask the BI team"
    ) % {"what": what, "person": actor.name}


def _refused(error: DatabaseError) -> str:
    return _("the database refused the import: %(error)s") % {"error": error}


def _record(actor: Actor, path: Path, summary: Summary, *, forced: bool = False) -> None:
    """One event in the audit trail for the whole import: what it changed."""
    counts: dict[str, object] = {
        what: {
            outcome: counted[outcome]
            for outcome in ("created", "updated", "unchanged", "removed")
            if outcome != "removed" or counted[outcome]
        }
        for what, counted in summary.counts.items()
    }
    if forced:
        counts["forced past open rounds"] = True
    reason = f"{path.name} (forced past open rounds)" if forced else path.name
    audit.record(actor, "import", audit.IMPORT, after=counts, reason=reason)


# The round rule

RoundDrafts = dict[tuple[str, str, int], tuple[Entry, dict[str, Any]]]


def _round_drafts(
    actor: Actor, tables: dict[str, Table], plan: Plan, checker: Checker, force: bool
) -> RoundDrafts:
    """The home organisation's values and commentary that open rounds
    collect, with the entries they go into; a row for an entry no longer its
    owner's to change (submitted or approved) is refused."""
    entries = {(e.indicator.ref, e.frequency, e.first_month): e for e in open_round_keys().values()}
    if force and not actor.is_admin:
        checker.problems.append(
            Problem(
                "--force",
                _("only a BI administrator may force an import past a round: %(person)s may not")
                % {"person": actor.name},
            )
        )
    if not entries or force:
        return {}
    held: RoundDrafts = {}
    for name, records in _home_tables(plan):
        table = tables.get(name)
        for record in records:
            period = record.period
            key = (record.ref, period.frequency.value, period.first_month)
            entry = entries.get(key)
            if entry is None or record.organisation or table is None:
                continue
            if not entry.entry_state.is_open:
                checker.error(table, _not_open(entry), record.row, "period", period.label)
                continue
            changes = held.setdefault(key, (entry, {}))[1]
            if isinstance(record, ValueRecord):
                changes.update(record.given("value", "withheld_as", "numerator", "denominator"))
            # The entry's fields have the columns' names, English and Welsh.
            for note, text in record.given(
                "commentary", "actions", "commentary_cy", "actions_cy"
            ).items():
                if isinstance(record, CommentaryRecord):
                    changes[note] = text
                elif text:
                    changes.setdefault(note, text)
    return held


def _not_open(entry: Entry) -> str:
    return _(
        "indicator %(ref)s %(period)s is %(state)s in the open round for %(round)s, so an "
        "import may not change it: ask its approver to return it, or (a BI administrator) "
        "import with --force"
    ) % {
        "ref": entry.indicator.ref,
        "period": entry.period,
        "state": entry.get_state_display().lower(),
        "round": entry.round.period,
    }


def _write_round_drafts(actor: Actor, held: RoundDrafts, path: Path, summary: Summary) -> None:
    rounds: dict[str, int] = {}
    for entry, changes in held.values():
        if draft_into_entry(actor, entry, changes, reason=f"imported from {path.name}"):
            rounds[entry.round.period] = rounds.get(entry.round.period, 0) + 1
    for period, count in rounds.items():
        summary.add("round entries", "updated", count)
        summary.notes.append(
            ngettext(
                "%(count)s entry of the open round for %(round)s saved as drafts: they reach "
                "the public when the round is published",
                "%(count)s entries of the open round for %(round)s saved as drafts: they reach "
                "the public when the round is published",
                count,
            )
            % {"count": count, "round": period}
        )


def _refuse_drafts_over_published(tables: dict[str, Table], plan: Plan, checker: Checker) -> None:
    """A value marked as a draft may not replace a published one: the public
    would lose the figure they were given."""
    refs = {r.ref for r in plan.values if r.is_draft and not r.organisation}
    if not refs:
        return
    published = set(
        Observation.objects.home()
        .published()
        .filter(indicator__ref__in=refs)
        .values_list("indicator__ref", "frequency", "first_month")
    )
    table = tables["values"]
    for record in plan.values:
        if not record.is_draft or record.organisation:
            continue
        period = record.period
        if (record.ref, period.frequency.value, period.first_month) in published:
            checker.error(
                table,
                _(
                    "indicator %(ref)s %(period)s has a published value, which a draft may not "
                    "replace: leave the draft column empty to restate it, or enter it in a round"
                )
                % {"ref": record.ref, "period": period.label},
                record.row,
                "draft",
                "yes",
            )


def _benchmarks_file(path: Path) -> tuple[str, list[str]] | None:
    """The name and header of the folder's benchmarks file, if it has one."""
    if not path.is_dir():
        return None
    for name in ("benchmarks.csv", "benchmarks.parquet"):
        if (path / name).exists():
            if name.endswith(".csv"):
                return name, csv_header(path / name)
            return name, parquet_rows(path / name)[0]
    return None


def _load_benchmarks(path: Path, summary: Summary, progress: Progress | None) -> None:
    if path.suffix == ".csv":
        rows, total = csv_rows(path), count_lines(path)
    else:
        _, total, rows = parquet_rows(path)
    before = BenchmarkValue.objects.count()
    report, problems = load_rows(rows, path.name, total, progress)
    if problems:
        raise ImportFailed(problems)
    _count_benchmarks(summary, report, BenchmarkValue.objects.count() - before)


def _import_lait(files: LaitFiles, progress: Progress | None, actor: Actor, path: Path) -> Summary:
    summary = Summary()
    before = BenchmarkValue.objects.count()
    try:
        with transaction.atomic():
            lines, report = import_lait(files, progress)
            bump_data_version()
            _count_benchmarks(summary, report, BenchmarkValue.objects.count() - before)
            if summary.changed:
                _record(actor, path, summary)
    except DatabaseError as error:
        raise ImportFailed([Problem(str(files.bulk), _refused(error))]) from None
    summary.notes.extend(lines)
    return summary


def _count_benchmarks(summary: Summary, report: LoadReport, created: int) -> None:
    summary.add("benchmark values", "created", created)
    summary.add("benchmark values", "updated", report.written - created)
    kept = report.rows - report.written - sum(report.skipped_periods.values())
    summary.add("benchmark values", "unchanged", kept)


def value_count() -> int:
    return Observation.objects.count()
