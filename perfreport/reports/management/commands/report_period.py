"""perfreport report --period P --format pdf|html|docx|xlsx -o FILE"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perfreport.data.management.commands._common import add_period_argument
from perfreport.reports.config import ConfigError, load_settings
from perfreport.reports.context import ReportSettings
from perfreport.reports.language import LANGUAGES
from perfreport.reports.pack import PACKS
from perfreport.reports.service import FORMATS, Progress, ReportError, render, report_contexts


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as 2020-12-16"
        ) from None


class Command(BaseCommand):
    help = (
        "Write the performance report for a period: cover, summary, the Key, the plan "
        "(when there is one) and one section per indicator with its trend chart, as PDF "
        "(tagged, A4), HTML (one "
        "self-contained file), Word (.docx) or Excel (.xlsx, the data behind the report). "
        "The cover's title, team and contact come from the home organisation's settings "
        "(organisations.csv, the admin); --config overrides them and sets the logo and the "
        "order of sections. --pack exceptions writes the exception pack instead: what needs "
        "attention and what went well, each with why it is there, its commentary and actions, "
        "then the plan's status and every other indicator in an appendix (PDF unless the "
        "output's ending or --format says otherwise). --language cy writes it in Welsh, "
        "--language both in Welsh and English (the Welsh first)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_argument(parser)
        parser.add_argument("--format", choices=FORMATS,
                            help="pdf, html, docx or xlsx (default: from the output file's ending)")  # fmt: skip
        parser.add_argument("-o", "--output", required=True, type=Path,
                            help="file to write; - writes to standard output")  # fmt: skip
        parser.add_argument("--pack", choices=PACKS,
                            help="exceptions: the exception pack instead of the full report")  # fmt: skip
        parser.add_argument("--language", choices=LANGUAGES, default="en",
                            help="en (English, the default), cy (Welsh) or both: the Welsh "
                            "report followed by the English, in one document")  # fmt: skip
        parser.add_argument("--directorate", help="only this directorate's indicators")
        parser.add_argument("--service", help="only this service's indicators")
        parser.add_argument(
            "--title",
            help="the report's title (default: the home organisation's report title, else "
            "Performance report)",
        )
        parser.add_argument("--config", type=Path, help="a TOML file of report settings")
        parser.add_argument("--produced-on", type=_date,
                            help="the 'Produced on' date, as 2020-12-16 (default: today)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        fmt = options["format"] or output.suffix.lower().lstrip(".")
        if options["pack"] and fmt not in FORMATS:
            fmt = "pdf"
        if fmt not in FORMATS:
            raise CommandError(
                f"cannot tell the format from {output}: give --format {'|'.join(FORMATS)}"
            )
        settings = self._settings(options)
        if options["pack"]:
            self._write(output, self._pack(options, settings, fmt))
            return
        try:
            contexts = report_contexts(
                options["period"], settings, language=options["language"],
                directorate=options["directorate"], service=options["service"],
            )  # fmt: skip
            with _progress_bar() as progress:
                document = render(contexts, fmt, progress=progress)
        except ReportError as error:
            raise CommandError(str(error)) from None
        self._write(output, document)

    def _pack(self, options: dict[str, Any], settings: ReportSettings, fmt: str) -> bytes:
        from perfreport.reports.pack import pack_contexts
        from perfreport.reports.pack_formats import render_pack

        try:
            contexts = pack_contexts(
                options["period"], settings, language=options["language"],
                directorate=options["directorate"], service=options["service"],
            )  # fmt: skip
            return render_pack(contexts, fmt)
        except ReportError as error:
            raise CommandError(str(error)) from None

    def _settings(self, options: dict[str, Any]) -> ReportSettings:
        settings = ReportSettings()
        if options["config"]:
            try:
                settings = load_settings(options["config"])
            except ConfigError as error:
                raise CommandError(str(error)) from None
        if options["title"]:
            settings = replace(settings, title=options["title"])
        if options["produced_on"]:
            settings = replace(settings, produced_on=options["produced_on"])
        return settings

    def _write(self, output: Path, document: bytes) -> None:
        if str(output) == "-":
            sys.stdout.buffer.write(document)
            sys.stdout.flush()
            return
        temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(document)
            temporary.replace(output)  # a reader never sees half a report
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise CommandError(
                f"{output}: cannot write there ({error.strerror or error})"
            ) from None
        self.stdout.write(f"Wrote {output} ({len(document):,} bytes)")


class _progress_bar:
    """A bar on stderr while charts are drawn, when stderr is a terminal."""

    def __enter__(self) -> Progress | None:
        self.bar: Any = None
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress as Bar

        self.bar = Bar(console=Console(file=sys.stderr), transient=True)
        self.bar.start()
        task = self.bar.add_task("Drawing charts", total=None)
        return Progress(
            start=lambda total: self.bar.update(task, total=total),
            advance=lambda n: self.bar.advance(task, n),
        )

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
