"""perfreport export PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.imports.export import export_path

# What a sheet's rows are, in the reader's language (the counts are by sheet name).
WORDS = {
    "organisations": gettext_noop("organisations"),
    "schemes": gettext_noop("schemes"),
    "groups": gettext_noop("groups"),
    "indicators": gettext_noop("indicators"),
    "targets": gettext_noop("targets"),
    "values": gettext_noop("values"),
    "commentary": gettext_noop("commentary"),
    "plan": gettext_noop("plan items"),
    "actions": gettext_noop("actions"),
    "milestones": gettext_noop("milestones"),
}


class Command(BaseCommand):
    help = gettext_noop(
        "Export the register, targets, values, commentary and the council plan in the import "
        "format: a folder "
        "of CSV files, or one workbook if PATH ends in .xlsx. Importing the export changes nothing."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help=_("folder to write CSV files into, or FILE.xlsx")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            counts = export_path(path)
        except OSError as error:
            said = _("%(path)s: cannot write there (%(error)s)")
            raise CommandError(said % {"path": path, "error": error.strerror or error}) from None
        written = ", ".join(
            _("%(count)s %(what)s") % {"count": n, "what": _(WORDS.get(name, name))}
            for name, n in counts.items()
            if n
        )
        self.stdout.write(_("Wrote %(written)s to %(path)s") % {"written": written, "path": path})
