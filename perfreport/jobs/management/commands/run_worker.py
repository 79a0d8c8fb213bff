"""perfreport worker [--once] [--interval SECONDS] [--nice N]"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.jobs.worker import Worker, describe_start, lower_priority


def seconds_argument(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1
    if not 0.1 <= seconds <= 3600:
        said = _("%(text)s is not a number of seconds from 0.1 to 3600")
        raise argparse.ArgumentTypeError(said % {"text": repr(text)})
    return seconds


def nice_argument(text: str) -> int:
    if not text.isdigit() or int(text) > 19:
        said = _("%(text)s is not a priority step from 0 to 19")
        raise argparse.ArgumentTypeError(said % {"text": repr(text)})
    return int(text)


class Command(BaseCommand):
    help = gettext_noop(
        "Run the background work: the jobs queued by the web pages and the commands (reports "
        "made in the background, sendings, feeds) and the schedules kept in the database "
        "(the Schedules page). One line on standard output for each run started and "
        "finished. Runs at a lower CPU priority so that the web pages stay quick. Stops "
        "cleanly on Ctrl-C or SIGTERM: the run under way finishes first (a second signal puts "
        "it back in the queue for another worker). Several workers may run at once: a run or "
        "a schedule is claimed by one of them only. With --once, runs what is due and queued "
        "and exits: status 0, or 1 when a run failed (for cron or a script)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help=_(
                "fire the due schedules, run everything queued, then exit (status 1 if a run "
                "failed)"
            ),
        )
        parser.add_argument(
            "--interval",
            type=seconds_argument,
            default=2.0,
            help=_(
                "seconds to wait between looks at the queue and the schedules when there is "
                "nothing to do (default 2)"
            ),
        )
        parser.add_argument(
            "--nice",
            type=nice_argument,
            default=19,
            help=_(
                "how much to lower the worker's CPU priority, 0 to 19 (default 19, the lowest; "
                "0 leaves it)"
            ),
        )
        # For `perfreport serve --with-worker`: stop when the server that started us stops.
        parser.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            say=self._say,
            interval=options["interval"],
            once=options["once"],
            exit_with_parent=options["exit_with_parent"],
        )
        niceness = lower_priority(options["nice"])
        worker.listen()
        self._say(describe_start(worker, niceness))
        status = worker.run()
        if status:
            sys.exit(status)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
