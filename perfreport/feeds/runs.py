"""Running a feed: read its source, check every row as the import checks
``values.csv``, decide each row's fate (:mod:`perfreport.feeds.plan`), find
the suspect figures, and write the new and changed figures as drafts into
the open round's entries, marked as the feed's.

**All or nothing, per source.** A database query, or one dropped file, is
written in one transaction or not at all: if the source cannot be read, or
any row is malformed (a period that is not one, a value that is not a
number, an unknown indicator: each named by row and column), nothing of it
is written and the run fails. Rows that are well formed but refused (see
the plan) are left out and reported, and the rest is written: the run is
then "done, with rows refused". A dry run makes the same decisions and
writes nothing but its own record.

Every entry written is audited as written by the feed ("feed <name>"), and
the run itself is one more event; the BI administrators are emailed when a
run fails, refuses rows or finds suspect figures.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.data.services import drafts_into_entries
from perfreport.data.versions import one_change
from perfreport.feeds.models import Feed, FeedFigure, FeedRun, RunOutcome
from perfreport.feeds.plan import WRITES, Decision, Outcome, counts, decide, held_for
from perfreport.feeds.sources import (
    SourceFailed,
    dropped_files,
    read_file,
    read_query,
    without_password,
)
from perfreport.feeds.suspect import mark_suspects
from perfreport.imports.columns import VALUES
from perfreport.imports.problems import Level, Problem
from perfreport.imports.tables import Limits, Table
from perfreport.imports.validate import Checker, KnownIndicator, check_tables
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import fy_start_month

log = logging.getLogger(__name__)

FEED_COLUMNS = ("ref", "period", "value", "numerator", "denominator", "organisation")
UNKNOWN_IN_IMPORT = "is not an indicator in the register or in indicators.csv"
SAID = 5  # failures a run's summary says; the rest are listed with its problems
ROWS_KEPT = 1000  # rows a run's record keeps, the most telling first
ORDER = {Outcome.REFUSED: 0, Outcome.CHANGED: 2, Outcome.NEW: 3, Outcome.NOT_COLLECTED: 4}
Progress = Callable[[int, str], None]


@dataclass
class FeedActor(Actor):
    """The feed, as the audit trail names who wrote: "feed <name>". It may
    write what a BI administrator may, and only through the round's rules."""

    feed_name: str = ""

    @property
    def name(self) -> str:
        return f"feed {self.feed_name}"


@dataclass
class RunResult:
    decisions: list[Decision] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # why a source wrote nothing
    written: int = 0
    taken: list[str] | None = None  # a folder's files processed (None: not a folder's run)

    def add(self, other: RunResult) -> None:
        self.decisions += other.decisions
        self.problems += other.problems
        self.failures += other.failures
        self.written += other.written

    @property
    def outcome(self) -> RunOutcome:
        if self.failures:
            return RunOutcome.FAILED
        if any(d.outcome is Outcome.REFUSED for d in self.decisions):
            return RunOutcome.PROBLEMS
        return RunOutcome.OK


def feed_run(
    feed: Feed,
    *,
    dry_run: bool = False,
    trigger: str = "on demand",
    requested_by: Any = None,
    progress: Progress | None = None,
    job_run_id: int | None = None,
) -> FeedRun:
    """Run ``feed`` (or try it: ``dry_run``) and record the run."""
    run = FeedRun.objects.create(
        feed=feed,
        dry_run=dry_run,
        trigger=trigger,
        requested_by=requested_by if requested_by is not None and requested_by.pk else None,
        started_at=timezone.now(),
        job_run_id=job_run_id,
    )
    step = progress or (lambda percent, note: None)
    actor = FeedActor(is_system=True, feed_name=feed.name)
    try:
        try:
            if feed.is_database:
                result = _run_query(feed, actor, dry_run, step)
            else:
                result = _run_folder(feed, actor, dry_run, step)
        except SourceFailed as failure:
            result = RunResult(failures=[str(failure)])
        except Exception as error:  # recorded on the run, so it never stays "running"
            result = RunResult(failures=[_stopped(feed, error)])
        _finish(run, result)
    finally:  # whatever happened, the run ends: never "running" on the feed's pages
        if not run.outcome:
            run.outcome = RunOutcome.FAILED
            run.summary = _("The run stopped before it finished: see the server's log.")
            run.finished_at = timezone.now()
            FeedRun.objects.filter(pk=run.pk).update(
                outcome=run.outcome, summary=run.summary, finished_at=run.finished_at
            )
    if not dry_run:
        from perfreport.feeds.notify import tell_bi_team

        tell_bi_team(run)
    step(100, run.summary)
    return run


def _stopped(feed: Feed, error: Exception) -> str:
    """An unexpected error as a plain failure: its kind and first line, no
    password; logged without a traceback (it could hold the password)."""
    said = without_password(f"{type(error).__name__}: {error}", feed.database_url)
    said = said.splitlines()[0] if said else type(error).__name__
    log.error("feed %s: the run stopped: %s", feed.name, said)
    return _("the run stopped on an unexpected error: %(error)s") % {"error": said}


def _finish(run: FeedRun, result: RunResult) -> None:
    found = counts(result.decisions)
    found["written"] = result.written
    if result.taken is not None:
        found["files_taken"] = len(result.taken)
    run.counts = found
    run.summary = summary_line(run.dry_run, found, result.failures, result.taken)
    kept = sorted(result.decisions, key=lambda d: ORDER.get(d.outcome, 5) - (1 if d.suspect else 0))
    run.rows = [d.as_json() for d in kept[:ROWS_KEPT]]
    # The summary says the failures (up to SAID); the problems list the rest, said once.
    run.problems = [*result.failures[SAID:], *result.problems]
    run.finished_at = timezone.now()
    run.outcome = result.outcome  # last: a run with an outcome has ended
    run.save()


def summary_line(
    dry_run: bool, found: dict[str, int], failures: list[str], taken: list[str] | None = None
) -> str:
    """One line: what the run did (or would do). The outcome ("Failed: nothing
    written") is said apart from it; a folder's run says what became of each
    file: "1 file processed (2 new, …); 2 files failed: bad.csv: …"."""
    line = _outcomes(found)
    if not failures:
        if dry_run:
            return _("Dry run, nothing written: would be %(outcomes)s.") % {"outcomes": line}
        return f"{line}."
    said = "; ".join(failures[:SAID])
    if len(failures) > SAID:
        said = _("%(failures)s; and %(count)s more, listed below") % {
            "failures": said,
            "count": len(failures) - SAID,
        }
    if taken is None:  # the source as one: nothing of it written
        return f"{said[:1].upper()}{said[1:]}."
    files = len(failures)
    failed = (
        ngettext(
            "%(count)s file would fail, nothing of it written: %(failures)s",
            "%(count)s files would fail, nothing of them written: %(failures)s",
            files,
        )
        if dry_run
        else ngettext(
            "%(count)s file failed, nothing of it written: %(failures)s",
            "%(count)s files failed, nothing of them written: %(failures)s",
            files,
        )
    ) % {"count": files, "failures": said}
    if not taken:
        return f"{failed[:1].upper()}{failed[1:]}."
    done = (
        ngettext(
            "%(count)s file would be processed (would be %(outcomes)s)",
            "%(count)s files would be processed (would be %(outcomes)s)",
            len(taken),
        )
        if dry_run
        else ngettext(
            "%(count)s file processed (%(outcomes)s)",
            "%(count)s files processed (%(outcomes)s)",
            len(taken),
        )
    ) % {"count": len(taken), "outcomes": line}
    done = f"{done[:1].upper()}{done[1:]}"
    if dry_run:
        return _("Dry run, nothing written: %(done)s; %(failed)s.") % {
            "done": done,
            "failed": failed,
        }
    return f"{done}; {failed}."


def _outcomes(found: dict[str, int]) -> str:
    """How many rows had each outcome: "2 new, 1 changed, 0 unchanged, 0 refused"."""
    parts = [
        _("%(count)s new") % {"count": f"{found.get(Outcome.NEW.value, 0):,}"},
        _("%(count)s changed") % {"count": f"{found.get(Outcome.CHANGED.value, 0):,}"},
        _("%(count)s unchanged") % {"count": f"{found.get(Outcome.UNCHANGED.value, 0):,}"},
        _("%(count)s refused") % {"count": f"{found.get(Outcome.REFUSED.value, 0):,}"},
    ]
    if found.get(Outcome.NOT_COLLECTED.value):
        count = f"{found[Outcome.NOT_COLLECTED.value]:,}"
        parts.append(_("%(count)s not collected by an open round") % {"count": count})
    line = ", ".join(parts)
    if found.get("suspect"):
        line = _("%(outcomes)s; %(count)s suspect") % {
            "outcomes": line,
            "count": f"{found['suspect']:,}",
        }
    return line


# A database


def _run_query(feed: Feed, actor: FeedActor, dry_run: bool, step: Progress) -> RunResult:
    step(5, _("Running the query"))
    table = read_query(feed.database_url, feed.query, feed.timeout_seconds)
    step(20, _("Checking %(count)s rows") % {"count": f"{len(table.rows):,}"})
    return _run_table(feed, table, [], actor, dry_run, step)


# A folder


def _run_folder(feed: Feed, actor: FeedActor, dry_run: bool, step: Progress) -> RunResult:
    """Each file waiting in the folder, oldest name first, on its own: moved
    to processed/ (or failed/, when nothing of it was written) with a report
    beside it. A dry run leaves the files where they are."""
    folder = Path(feed.folder)
    files = dropped_files(folder)
    result = RunResult(taken=[])
    limits = Limits(max_bytes=round(settings.PERFREPORT_IMPORT_MAX_MB * 1_000_000))
    for number, path in enumerate(files):
        step(5 + 90 * number // len(files), _("Reading %(file)s") % {"file": path.name})
        try:
            with read_file(path, limits) as (table, problems):
                if table is None:
                    shown = "; ".join(_unnamed(p) for p in problems if p.level is Level.ERROR)
                    one = RunResult(failures=[shown or _("holds no values")])
                else:
                    one = _run_table(feed, table, problems, actor, dry_run, step)
        except Exception as error:  # this file only: the others are still read
            one = RunResult(failures=[_stopped(feed, error)])
        if not dry_run:
            _file_away(path, one)
        if not one.failures:
            assert result.taken is not None
            result.taken.append(path.name)
        one.failures = [f"{path.name}: {f}" for f in one.failures]
        result.add(one)
    return result


def _unnamed(problem: Problem) -> str:
    """A problem without the file's name in front: the file is named once, before it."""
    return str(replace(problem, file="")).lstrip(", ").removeprefix(": ")


def _file_away(path: Path, result: RunResult) -> None:
    """Move a processed file to processed/ or failed/, with its report."""
    where = path.parent / ("failed" if result.failures else "processed")
    where.mkdir(exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = where / f"{stamp}-{path.name}"
    shutil.move(path, target)
    found = counts(result.decisions)
    said = summary_line(False, {**found, "written": result.written}, result.failures)
    lines = [
        (
            _("%(file)s: Failed: nothing written. %(summary)s")
            if result.failures
            else "%(file)s: %(summary)s"
        )
        % {"file": path.name, "summary": said},
        *result.problems,
        *(_row_line(d) for d in result.decisions if d.outcome is Outcome.REFUSED or d.suspect),
    ]
    target.with_name(target.name + ".report.txt").write_text("\n".join(lines) + "\n")


def _row_line(decision: Decision) -> str:
    said = decision.message or "; ".join(decision.suspect)
    if decision.outcome is not Outcome.REFUSED:
        said = _("suspect: %(findings)s") % {"findings": said}
    return _("%(where)s: indicator %(ref)s %(period)s: %(said)s") % {
        "where": decision.where,
        "ref": decision.ref,
        "period": decision.period,
        "said": said,
    }


# The rows of one source


def _run_table(
    feed: Feed,
    table: Table,
    problems: list[Problem],
    actor: FeedActor,
    dry_run: bool,
    step: Progress,
) -> RunResult:
    checker = _checker()
    checker.problems.extend(problems)
    plan = check_tables({"values": table}, checker) if _feed_columns(table, checker) else None
    shown = [str(_in_feed_words(p)) for p in checker.problems]
    if checker.failed or plan is None:
        errors = checker.error_count
        return RunResult(
            problems=shown,
            failures=[
                ngettext("%(count)s error in the rows", "%(count)s errors in the rows", errors)
                % {"count": errors}
            ],
        )
    records = list(plan.values)  # bounded: a query's rows by MAX_ROWS, a file's by its size
    if dry_run:
        held = held_for(feed, records)
        decisions = decide(feed, records, table.label, held)
        mark_suspects(decisions, held.indicators)
        return RunResult(decisions, shown)
    with transaction.atomic():
        held = held_for(feed, records, lock=True)
        decisions = decide(feed, records, table.label, held)
        mark_suspects(decisions, held.indicators)
        written = _write(feed, decisions, actor, step)
        if written:  # the run as one event too, in the same transaction as its writes
            found = {**counts(decisions), "written": written}
            reason = f"{table.label}: figures written as drafts into the open round"
            audit.record(actor, "run", "feed", feed.pk, after=found, reason=reason)
    return RunResult(decisions, shown, written=written)


def _checker() -> Checker:
    known = {
        ref: KnownIndicator(frequency, unit, basis, year_start, label)
        for ref, frequency, unit, basis, year_start, label in Indicator.objects.values_list(
            "ref", "frequency", "unit", "rating_basis", "year_start", "unit_label"
        )
    }
    organisations = dict(Organisation.objects.values_list("code", "is_home"))
    home = next((code for code, is_home in organisations.items() if is_home), None)
    return Checker(known, set(organisations), fy_start_month(), home)


def _in_feed_words(problem: Problem) -> Problem:
    """The import's words for an unknown indicator name its indicators.csv,
    which a feed has not got."""
    if problem.message == _(UNKNOWN_IN_IMPORT):
        return replace(problem, message=_("is not an indicator in the register"))
    return problem


def _feed_columns(table: Table, checker: Checker) -> bool:
    """Keep the columns a feed reads; the others (target, commentary, …) are
    the BI team's and the owner's, not a source system's: ignored, with a
    warning. A new header list: a CSV file's rows keep the file's own.
    False (an error, naming the header as it is) when a required column is missing."""
    missing = [name for name in VALUES.required if name not in table.header]
    if missing:
        has = ", ".join(h for h in table.header if h) or _("no columns")
        checker.error(
            table,
            _(
                "missing required column(s) %(missing)s: a feed needs ref, period and "
                "value, and the header has %(header)s"
            )
            % {"missing": ", ".join(missing), "header": has},
            row=1,
        )
        return False
    for name in table.header:
        if name and name not in FEED_COLUMNS:
            known = name in VALUES.columns
            said = (
                _("column %(name)s is not one a feed reads (a feed fills figures only); ignored")
                if known
                else _(
                    "column %(name)s is not one a feed reads (it is not a column of values.csv); "
                    "ignored"
                )
            )
            checker.warn(table, said % {"name": repr(name)}, row=1)
    table.header = [name for name in table.header if name in FEED_COLUMNS]
    return True


def _write(feed: Feed, decisions: list[Decision], actor: FeedActor, step: Progress) -> int:
    """The new and changed figures into their entries, as drafts, through
    the write path's batched step (each entry audited as the feed's), and
    each marked as this feed's; the data version goes up once."""
    writes = [d for d in decisions if d.outcome in WRITES]
    if not writes:
        return 0
    step(40, _("Writing %(count)s figures") % {"count": f"{len(writes):,}"})
    changes = [(d.entry, d.changes) for d in writes if d.entry is not None]
    with one_change():
        saved = drafts_into_entries(actor, changes, reason=f"automated from feed {feed.name}")
    now = timezone.now()
    FeedFigure.objects.filter(entry__in=saved).delete()
    FeedFigure.objects.bulk_create(
        [
            FeedFigure(
                entry=entry,
                feed=feed,
                value=entry.value,
                withheld_as=entry.withheld_as,
                written_at=now,
            )
            for entry in saved
        ],
        batch_size=500,
    )
    return len(saved)
