"""perfreport check --period P"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from perfreport.core.periods import Period
from perfreport.core.text import escaped
from perfreport.data.benchmarks import published_findings
from perfreport.data.management.commands._common import add_period_argument, raw, require_values
from perfreport.data.plan import build_plan
from perfreport.data.selectors import evaluate_period
from perfreport.data.terminal import console_for, findings_table


class Command(BaseCommand):
    help = gettext_noop(
        "List data-quality findings for a reporting period: printed ratings that differ from "
        "the Key or are missing, Red indicators without actions, missing or stale values, "
        "targeted indicators with no target, and suspect values (a zero after non-zero values, "
        "a jump beyond the process limits, a percentage outside 0-100, a numerator above its "
        "denominator, a changed target with no note, a restated value). With --plan, the council "
        "plan's findings instead: a Red indicator or one forecast to miss its target with no "
        "open action linked, an overdue action, an action with no update for the period, an "
        "outcome with no indicator. With --benchmarks, "
        "the checks of suspect values run over the published benchmark data instead, for every "
        "organisation and measure (or --measure). Exit status 0 when there are no findings, 1 "
        "when there are (like a linter), 2 for a usage error."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_argument(parser, required=False)
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument(
            "--benchmarks",
            action="store_true",
            help=_(
                "check the published benchmark data (suspect zeros, jumps, percentages) instead"
            ),
        )
        parser.add_argument("--measure", help=_("with --benchmarks: only this measure's code"))
        parser.add_argument(
            "--plan",
            action="store_true",
            help=_("list the council plan's findings for the period (staff view: drafts included)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["benchmarks"]:
            self._benchmarks(options)
            return
        period = options["period"]
        if period is None:
            raise CommandError(_("give --period (or --benchmarks)"), returncode=2)
        result = evaluate_period(period)
        require_values(result.has_values, period)
        if options["plan"]:
            self._plan(period, options)
            return
        findings = result.findings
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
            )
        elif findings:
            console = console_for(raw(self.stdout))
            console.print(
                ngettext(
                    "%(count)s finding(s) for %(period)s:",
                    "%(count)s finding(s) for %(period)s:",
                    len(findings),
                )
                % {"count": len(findings), "period": period.long_label}
            )
            console.print(findings_table(findings))
        else:
            self.stdout.write(_("No findings for %(period)s.") % {"period": period.long_label})
        if findings:
            sys.exit(1)

    def _plan(self, period: Period, options: dict[str, Any]) -> None:
        view = build_plan(period, public=False)
        if view.is_empty and not view.actions:
            raise CommandError(
                _("there is no plan: import plan.csv and actions.csv (see docs/import-format.md)")
            )
        findings = view.findings
        if options["format"] == "json":
            records = [
                {"kind": f.kind.value, "ref": f.ref, "title": f.title, "message": f.sentence}
                for f in findings
            ]
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
        elif findings:
            self.stdout.write(
                ngettext(
                    "%(count)s plan finding(s) for %(period)s:",
                    "%(count)s plan finding(s) for %(period)s:",
                    len(findings),
                )
                % {"count": len(findings), "period": period.long_label}
            )
            for f in findings:
                self.stdout.write(f"{f.label}: {escaped(f.sentence)} ({escaped(f.title)})")
        else:
            self.stdout.write(_("No plan findings for %(period)s.") % {"period": period.long_label})
        if findings:
            sys.exit(1)

    def _benchmarks(self, options: dict[str, Any]) -> None:
        findings = published_findings(options["measure"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
            )
        elif findings:
            self.stdout.write(
                ngettext(
                    "%(count)s finding(s) in the published benchmark data:",
                    "%(count)s finding(s) in the published benchmark data:",
                    len(findings),
                )
                % {"count": len(findings)}
            )
            for f in findings:
                self.stdout.write(
                    f"{f.measure}  {f.organisation_name} ({f.organisation})  {f.code}: {f.message}"
                )
        else:
            self.stdout.write(_("No findings in the published benchmark data."))
        if findings:
            sys.exit(1)
