"""perfreport evaluate --period P"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.core.text import csv_record
from perfreport.data.management.commands._common import add_period_argument, raw, require_values
from perfreport.data.present import FIELDS, evaluation_record
from perfreport.data.selectors import evaluate_period
from perfreport.data.terminal import print_scorecard


class Command(BaseCommand):
    help = gettext_noop(
        "Evaluate every indicator for a reporting period: its latest value at or before the "
        "period, previous value, target, RAG rating per the Key, change in performance and the "
        "rating's explanation. A '!' after a rating marks one that differs from the rating as "
        "printed, or a printed rating that is missing (see 'perfreport check'). Exit status 1 "
        "when no indicator has a value."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_argument(parser)
        parser.add_argument(
            "--format",
            choices=("table", "json", "csv"),
            default="table",
            help=_("table (default, 80 columns), json (one object per indicator) or csv"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = evaluate_period(options["period"])
        require_values(result.has_values, options["period"])
        if options["format"] in ("json", "csv"):
            result.analyse_all()
        if options["format"] == "json":
            records = [evaluation_record(row) for row in result.rows]
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            writer = csv.DictWriter(raw(self.stdout), fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(csv_record(evaluation_record(row)) for row in result.rows)
        else:
            print_scorecard(raw(self.stdout), result)
