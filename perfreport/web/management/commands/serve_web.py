"""perfreport serve"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the web application on one machine for development and local use (Django's "
        "development server, without auto-reload); not for production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        if ":" in options["host"]:
            address = f"[{options['host']}]:{options['port']}"
        self.stdout.write(f"perfreport is at http://{address}/ (Ctrl-C stops it)")
        call_command("runserver", address, use_reloader=False, skip_checks=False)
