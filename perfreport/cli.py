"""The ``perfreport`` command: a thin front over Django management commands.

``perfreport import PATH`` runs the ``import_data`` command, and so on; any
Django command is still reachable as ``perfreport manage NAME``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

COMMANDS = {
    "migrate": ("migrate", "create or update the database tables"),
    "import": ("import_data", "import indicators and values from CSV files or a workbook"),
    "export": ("export_data", "export the register and values as CSV files or a workbook"),
    "evaluate": ("evaluate_period", "rate every indicator for a period (table, json or csv)"),
    "check": ("check_data", "list data-quality findings for a period"),
    "benchmark": ("benchmark_measure", "compare an organisation with its neighbours on a measure"),
    "report": ("report_period", "write the report for a period as PDF, HTML, Word or Excel"),
    "serve": ("serve_web", "serve the web application"),
    "round": ("round", "open, list or publish a quarterly round"),
    "grant": ("grant_role", "give a person a role: admin, owner, approver or viewer"),
    "remind": ("remind", "email owners and approvers what is due, overdue or waiting"),
    "worker": ("run_worker", "run queued jobs and the schedules kept in the database"),
    "feed": ("feed", "list the automated feeds, or run one (--dry-run: say what would change)"),
    "manage": (None, "run any Django management command: perfreport manage createsuperuser"),
}

USAGE = """usage: perfreport COMMAND [options]

Corporate performance reporting: an indicator register, RAG ratings exactly as
the report's Key defines them, and the checks around them.

commands:
{commands}

Run 'perfreport COMMAND --help' for a command's options. Settings come from the
environment (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
PERFREPORT_FY_START_MONTH, PERFREPORT_CACHE_DIR): see docs/settings.md.

Exit status: 0 success; 1 the command failed or (check) found problems;
2 the command line was wrong.
"""


def usage() -> str:
    lines = "\n".join(f"  {name:<10}{text}" for name, (_, text) in COMMANDS.items())
    return USAGE.format(commands=lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return 0
    if args[0] == "--version":
        from perfreport import __version__

        sys.stdout.write(f"perfreport {__version__}\n")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        sys.stderr.write(f"perfreport: unknown command {name!r}\n\n{usage()}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"perfreport: bad setting: {error}\n")
        return 1
    from django.core.management import ManagementUtility, load_command_class
    from django.db import DatabaseError

    command_name = COMMANDS[name][0]
    if command_name is None:
        ManagementUtility(["perfreport manage", *rest]).execute()
        return 0
    app = "django.core" if command_name == "migrate" else _app_of(command_name)
    command = load_command_class(app, command_name)
    try:
        return _run(command, name, rest)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    except BrokenPipeError:
        # The reader went away (perfreport evaluate | head): say nothing, and exit
        # as a program stopped by SIGPIPE does (128 + 13), as `grep | head` would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except ImproperlyConfigured as error:
        sys.stderr.write(f"perfreport: bad setting: {error}\n")
        return 1
    except DatabaseError as error:
        sys.stderr.write(f"perfreport: {_database_hint(error)}\n")
        return 1
    return 0


def _run(command: Any, name: str, rest: list[str]) -> int:
    """As Django's run_from_argv, with errors as "perfreport NAME: message"."""
    from django.core.management.base import CommandError

    command._called_from_command_line = True  # usage errors exit 2 through argparse
    parser = command.create_parser("perfreport", name)
    options = vars(parser.parse_args(rest))
    args = options.pop("args", ())
    try:
        command.execute(*args, **options)
    except CommandError as error:
        sys.stderr.write(f"perfreport {name}: {error}\n")
        return error.returncode
    return 0


def _database_hint(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "no such table" in text or "does not exist" in text:
        return f"the database has no perfreport tables yet ({text}): run 'perfreport migrate' first"
    return f"the database refused: {text} (check DATABASE_URL)"


def _app_of(command_name: str) -> str:
    return {
        "serve_web": "perfreport.web",
        "report_period": "perfreport.reports",
        "round": "perfreport.rounds",
        "grant_role": "perfreport.rounds",
        "remind": "perfreport.rounds",
        "feed": "perfreport.feeds",
        "run_worker": "perfreport.jobs",
        "import_data": "perfreport.imports",
        "export_data": "perfreport.imports",
    }.get(command_name, "perfreport.data")


if __name__ == "__main__":
    raise SystemExit(main())
