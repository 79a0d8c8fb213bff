"""perfreport benchmark MEASURE --organisation CODE"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.core.units import plain
from perfreport.data.benchmarks import BenchmarkError, MeasureBenchmark, benchmark_measure
from perfreport.registry.models import Measure


class Command(BaseCommand):
    help = gettext_noop(
        "Benchmark one national measure (a LAIT measure's Short Desc, or any national code "
        "loaded) for one organisation against its statistical neighbours (or --group) and "
        "England: each neighbour's value, the group's mean and median, the organisation's "
        "rank and quartile (1 is the best, by the measure's polarity), and the national "
        "figure. --list lists the measures loaded."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("measure", nargs="?", help=_("the measure's code, e.g. KS2_RWM_exp"))
        parser.add_argument(
            "--organisation",
            help=_("organisation code or DfE LA number, e.g. 873 for Cambridgeshire"),
        )
        parser.add_argument("--period", help=_("published period, e.g. 2023/24 (default: latest)"))
        parser.add_argument("--group", help=_("comparator group name (default: its neighbours)"))
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--list", action="store_true", help=_("list the measures loaded"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for code, title, polarity in Measure.objects.values_list("code", "title", "polarity"):
                self.stdout.write(f"{code}\t{polarity or _('no direction')}\t{title}")
            return
        if not options["measure"] or not options["organisation"]:
            raise CommandError(_("give a measure and --organisation (or --list)"))
        try:
            result = benchmark_measure(
                options["measure"], options["organisation"], options["period"], options["group"]
            )
        except BenchmarkError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(_record(result), indent=2, ensure_ascii=False))
        else:
            for line in _lines(result):
                self.stdout.write(line)


def _show(value: Decimal | None, decimals: int) -> str:
    return _("no value") if value is None else plain(round(value, decimals))


def _lines(r: MeasureBenchmark) -> list[str]:
    decimals = r.measure.decimals if r.measure.decimals is not None else 2
    direction = {"higher": _("higher is better"), "lower": _("lower is better")}.get(
        r.measure.polarity, _("no direction of improvement")
    )
    lines = [
        f"{r.measure.code}: {r.measure.title}",
        _("%(unit)s; %(direction)s; period %(period)s")
        % {"unit": r.measure.unit_label or _("value"), "direction": direction, "period": r.period},
        f"{r.organisation.name}: {_show(r.value, decimals)}",
    ]
    c = r.comparison
    if c is not None:
        lines.append(f"{r.group_name}:")
        lines += [f"  {o.name}: {_show(v, decimals)}" for o, v in r.members]
        lines.append(
            "  "
            + _("mean %(mean)s, median %(median)s (%(words)s)")
            % {
                "mean": _show(c.mean, decimals),
                "median": _show(c.median, decimals),
                "words": c.average_words,
            }
        )
        if c.rank is not None:
            quartile = (
                _("quartile %(quartile)s") % {"quartile": c.quartile}
                if c.quartile
                else (c.quartile_note or "")
            )
            said = _("rank %(rank)s of %(size)s; %(quartile)s")
            lines.append("  " + said % {"rank": c.rank, "size": c.group_size, "quartile": quartile})
        elif c.quartile_note:
            lines.append(f"  {c.quartile_note}")
    if r.national is not None:
        lines.append(
            f"{r.national_name}: {_show(r.national.value, decimals)} ({r.national.basis.label})"
        )
    return lines


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _record(r: MeasureBenchmark) -> dict[str, Any]:
    c = r.comparison
    return {
        "measure": r.measure.code,
        "title": r.measure.title,
        "polarity": r.measure.polarity or None,
        "period": r.period,
        "organisation": r.organisation.code,
        "organisation_name": r.organisation.name,
        "value": _number(r.value),
        "comparator_group": r.group_name,
        "members": [{"code": o.code, "name": o.name, "value": _number(v)} for o, v in r.members],
        "neighbours_mean": _number(c.mean) if c else None,
        "neighbours_median": _number(c.median) if c else None,
        "includes_home": c.includes_home if c else None,
        "rank": c.rank if c else None,
        "quartile": c.quartile if c else None,
        "quartile_note": c.quartile_note if c else None,
        "group_size": c.group_size if c else None,
        "national_value": _number(r.national.value) if r.national else None,
        "national_basis": r.national.basis.value if r.national else None,
        "periods": r.periods,
    }
