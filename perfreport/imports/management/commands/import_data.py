"""perfreport import PATH [--user USERNAME] [--force]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.accounts.management.commands._people import actor_for
from perfreport.data.management.commands._common import raw, stderr_is_terminal
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path


class Command(BaseCommand):
    help = gettext_noop(
        "Import indicators, targets, values and commentary from a folder of CSV files "
        "(organisations.csv, schemes.csv, groups.csv, indicators.csv, targets.csv, values.csv, "
        "commentary.csv, the council plan's plan.csv, actions.csv and milestones.csv, and "
        "benchmarks.csv or benchmarks.parquet, streamed) or one .xlsx "
        "workbook with those sheets; or a folder of the DfE's LAIT files (bulk data, data "
        "dictionary, statistical neighbours). All or nothing: any error leaves the database as "
        "it was. Importing the same files again changes nothing. Exit status 1 when the import "
        "is refused. Without --user the command line acts as a BI administrator (whoever can "
        "run it can reach the database anyway); with --user the import obeys that person's "
        "role: anyone but a BI administrator may import only the values and commentary of "
        "their own indicators. Values and commentary for a period an open reporting round "
        "collects go into the round's entries as drafts, published when the round is; "
        "--force (a BI administrator only) writes them straight to the published values, "
        "recorded in the audit trail. Format: docs/import-format.md."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=_("folder of CSV files, or an .xlsx workbook"))
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=_(
                "the person the import is for: their role decides what it may change, and "
                "the audit trail names them"
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "write values and commentary for periods an open round collects straight to "
                "the published values, past the round's sign-off (a BI administrator only; "
                "recorded in the audit trail)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("%(path)s: no such file or folder") % {"path": path})
        actor = actor_for(options["user"])
        with _progress(raw(self.stderr)) as progress:
            try:
                summary, warnings = import_path(path, progress, actor=actor, force=options["force"])
            except ImportFailed as failure:
                for problem in failure.problems:
                    self.stderr.write(str(problem), style_func=self.style.WARNING)
                raise CommandError(f"{path}: {failure}") from None
        for problem in warnings:
            self.stderr.write(str(problem), style_func=self.style.WARNING)
        for line in summary.lines():
            self.stdout.write(line)
        if summary.changed == 0:
            self.stdout.write(_("Nothing changed: the database already holds these data."))


class _progress:
    """A progress bar on stderr while values are written, when stderr is a terminal."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not stderr_is_terminal():
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(file=self.stream), transient=True)
        self.bar.start()
        task = self.bar.add_task(_("Reading"), total=None)

        def update(done: int, total: int | None, what: str) -> None:
            self.bar.update(task, completed=done, total=total, description=what)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
