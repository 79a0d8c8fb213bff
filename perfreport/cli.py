"""The ``perfreport`` command: a thin front over Django management commands.

``perfreport import PATH`` runs the ``import_data`` command, and so on; any
Django command is still reachable as ``perfreport manage NAME``.

The command speaks Welsh or English (docs/cli.md#language): the language of
``--language cy|en`` where a command has that option, else of the environment
(``PERFREPORT_LANGUAGE``, then the locale: ``LC_ALL``, ``LC_MESSAGES``,
``LANG``), else English. Everything it prints, its help included, comes out in
that language; data (file and column names, codes) never changes.
"""

from __future__ import annotations

import gettext as python_gettext
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from perfreport.core.i18n import N_

LOCALE = Path(__file__).resolve().parent / "locale"

COMMANDS = {
    "migrate": ("migrate", N_("create or update the database tables")),
    "import": ("import_data", N_("import indicators and values from CSV files or a workbook")),
    "export": ("export_data", N_("export the register and values as CSV files or a workbook")),
    "evaluate": ("evaluate_period", N_("rate every indicator for a period (table, json or csv)")),
    "check": ("check_data", N_("list data-quality findings for a period")),
    "benchmark": (
        "benchmark_measure",
        N_("compare an organisation with its neighbours on a measure"),
    ),
    "report": ("report_period", N_("write the report for a period as PDF, HTML, Word or Excel")),
    "serve": ("serve_web", N_("serve the web application")),
    "round": ("round", N_("open, list or publish a quarterly round")),
    "grant": ("grant_role", N_("give a person a role: admin, owner, approver or viewer")),
    "remind": ("remind", N_("email owners and approvers what is due, overdue or waiting")),
    "worker": ("run_worker", N_("run queued jobs and the schedules kept in the database")),
    "feed": ("feed", N_("list the automated feeds, or run one (--dry-run: say what would change)")),
    "manage": (None, N_("run any Django management command: perfreport manage createsuperuser")),
}

USAGE = N_("""usage: perfreport COMMAND [options]

Corporate performance reporting: an indicator register, RAG ratings exactly as
the report's Key defines them, and the checks around them.

commands:
{commands}

Run 'perfreport COMMAND --help' for a command's options. Settings come from the
environment (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
PERFREPORT_FY_START_MONTH, PERFREPORT_CACHE_DIR): see docs/settings.md.

Exit status: 0 success; 1 the command failed or (check) found problems;
2 the command line was wrong.
""")


def usage(language: str = "en-gb") -> str:
    """The command's own help, read from the catalogue without starting Django
    (so that it shows even when a setting is bad)."""
    translate = _catalogue(language).gettext
    lines = "\n".join(f"  {name:<10}{translate(text)}" for name, (_, text) in COMMANDS.items())
    return translate(USAGE).format(commands=lines)


def language_for(args: list[str], environ: Mapping[str, str]) -> str:
    """The language the command speaks: ``cy`` or ``en-gb``.

    The command's own ``--language`` first (``perfreport report --language
    cy``), then ``PERFREPORT_LANGUAGE``, then the locale as POSIX reads it (the
    first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set): Welsh when
    it starts with "cy" (``cy``, ``cy_GB.UTF-8``), else English."""
    chosen = _option(args, "--language")
    if chosen is None:
        chosen = environ.get("PERFREPORT_LANGUAGE") or next(
            (environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), ""
        )
    return "cy" if chosen.strip().lower().startswith("cy") else "en-gb"


def _option(args: list[str], name: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1 :]
    return None


def _catalogue(language: str) -> python_gettext.NullTranslations:
    if language == "cy":
        return python_gettext.translation("django", LOCALE, ["cy"], fallback=True)
    return python_gettext.NullTranslations()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    language = language_for(args, os.environ)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage(language))
        return 0
    if args[0] == "--version":
        from perfreport import __version__

        sys.stdout.write(f"perfreport {__version__}\n")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        unknown = _catalogue(language).gettext("perfreport: unknown command %(name)s")
        sys.stderr.write(f"{unknown % {'name': repr(name)}}\n\n{usage(language)}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        bad = _catalogue(language).gettext("perfreport: bad setting: %(error)s")
        sys.stderr.write(bad % {"error": error} + "\n")
        return 1
    from django.utils import translation

    with translation.override(language):
        return _command(name, rest)


def _command(name: str, rest: list[str]) -> int:
    """Runs command ``name``, in the language active, and says how it ended."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, load_command_class
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

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
        sys.stderr.write(_("perfreport: bad setting: %(error)s") % {"error": error} + "\n")
        return 1
    except DatabaseError as error:
        sys.stderr.write(f"perfreport: {_database_hint(error)}\n")
        return 1
    return 0


def _run(command: Any, name: str, rest: list[str]) -> int:
    """As Django's run_from_argv, with errors as "perfreport NAME: message"."""
    from django.core.management.base import CommandError
    from django.utils.translation import gettext

    # A command's help is marked (gettext_noop) where it is written, and
    # translated here, when the language is known: argparse wants a str.
    command.help = gettext(str(command.help)) if command.help else command.help
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
    from django.utils.translation import gettext as _

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "no such table" in text or "does not exist" in text:
        return _(
            "the database has no perfreport tables yet (%(error)s): run 'perfreport migrate' first"
        ) % {"error": text}
    return _("the database refused: %(error)s (check DATABASE_URL)") % {"error": text}


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
