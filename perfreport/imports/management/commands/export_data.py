"""perfreport export PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perfreport.imports.export import export_path

# What a sheet's rows are, where its name does not say.
WORDS = {"plan": "plan items"}


class Command(BaseCommand):
    help = (
        "Export the register, targets, values, commentary and the council plan in the import "
        "format: a folder "
        "of CSV files, or one workbook if PATH ends in .xlsx. Importing the export changes nothing."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="folder to write CSV files into, or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            counts = export_path(path)
        except OSError as error:
            raise CommandError(f"{path}: cannot write there ({error.strerror or error})") from None
        written = ", ".join(f"{n} {WORDS.get(name, name)}" for name, n in counts.items() if n)
        self.stdout.write(f"Wrote {written} to {path}")
