"""perfreport serve"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# How long the server waits, when it stops, for the worker to finish the run
# under way before putting it back in the queue.
WORKER_GRACE_SECONDS = 60


class Command(BaseCommand):
    help = gettext_noop(
        "Serve the web application on one machine for development and local use (Django's "
        "development server, without auto-reload); not for production. With --with-worker, "
        "also runs the background worker (perfreport worker), stopped with the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)")
        )
        parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help=_(
                "also run 'perfreport worker' (schedules and background work) beside the "
                "server; it stops when the server stops"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        if ":" in options["host"]:
            address = f"[{options['host']}]:{options['port']}"
        worker = self._start_worker() if options["with_worker"] else None
        # SIGTERM (a service manager, `kill`) stops the server as Ctrl-C does,
        # so that the worker is stopped too.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            said = _("perfreport is at %(address)s (Ctrl-C stops it)")
            self.stdout.write(said % {"address": f"http://{address}/"})
            call_command("runserver", address, use_reloader=False, skip_checks=False)
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """The worker in its own process group, so that Ctrl-C reaches the
        server only, and the server stops the worker once; told to stop by
        itself should the server vanish without stopping it."""
        command = [sys.executable, "-m", "perfreport.cli", "worker", "--exit-with-parent"]
        return subprocess.Popen(command, start_new_session=True)

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is not None:
            return
        self.stdout.write(_("Stopping the worker (it finishes the run under way first)..."))
        self.stdout.flush()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(WORKER_GRACE_SECONDS)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            worker.send_signal(signal.SIGTERM)  # again: the run goes back in the queue
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
