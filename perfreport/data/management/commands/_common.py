"""Pieces shared by the perfreport commands."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TextIO, cast

from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _

from perfreport.core.periods import Period, PeriodError
from perfreport.registry.periods import read_period


def period_argument(text: str) -> Period:
    """An argparse type: a bad period is a usage error (exit 2) that says why."""
    try:
        return read_period(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def date_argument(text: str) -> date:
    """An argparse type: a date that cannot be read is a usage error (exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(text)s is not a date: write it as YYYY-MM-DD, e.g. 2021-01-15")
            % {"text": repr(text)}
        ) from None


def add_period_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--period",
        required=required,
        type=period_argument,
        help=_("reporting period: 2020/21 Q2, 2020-09 or 2020/21"),
    )


def require_values(evaluation_has_values: bool, period: Period) -> None:
    if not evaluation_has_values:
        from perfreport.data.selectors import no_values_message

        raise CommandError(no_values_message(period))


def raw(stream: OutputWrapper) -> TextIO:
    """The file under a command's stdout or stderr, for writers that want one."""
    return cast(TextIO, stream._out)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
