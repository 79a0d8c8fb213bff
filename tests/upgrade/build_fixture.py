"""Build the upgrade fixture: a database filled by perfreport as it is at one
commit, dumped as SQL, and what it holds recorded as JSON beside the dump, for
``tests/upgrade/test_upgrade.py`` to migrate with later code and compare.

Run it with the code to freeze first on the import path, from a clean checkout
of that commit (a git worktree in an empty directory $OLD), and this script
from any checkout::

    git worktree add "$OLD" COMMIT
    PYTHONPATH="$OLD" python tests/upgrade/build_fixture.py sqlite
    PYTHONPATH="$OLD" python tests/upgrade/build_fixture.py postgres \\
        --database-url postgres://postgres@127.0.0.1:5432/perfreport_upgrade_build
    git worktree remove "$OLD"

The example imported is the one in that checkout. The script refuses a
checkout with uncommitted changes to ``perfreport/`` or ``examples/``, and
records the commit in the JSON (``built_with``).

Each writes ``fixtures/NAME.ENGINE.sql`` (``sqlite3 DB .dump``, or ``pg_dump
--no-owner --no-privileges``) and ``fixtures/NAME.ENGINE.json``. The PostgreSQL
database is created for the build and dropped after it (``--keep`` keeps it);
one that exists already is refused unless ``--replace``.

The database goes through a whole life, as the ``perfreport`` commands and the
round's services leave it, on fixed dates (time-machine): the example imported;
a BI administrator (superuser), a service lead, an indicator owner, an
approver and a viewer with their roles; the round for 2020/21 Q3 opened,
entries saved, submitted, one returned and put right, reminders sent,
everything approved, the round published; a published value restated with a
reason; the round for 2020/21 Q4 opened with a draft entry in it, one save of
which is reverted; an API token issued and used, another revoked.

The script is written against the code of the fixture's commit (the model
paths in ``COUNTED`` are that code's): it is kept to show how the fixture was
made and to make it again; a fixture from a later commit may need it adapted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
NAME = "before-issue-11"
LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct horse battery staple 42"

# What is counted, by the name the JSON and the test use: (app label, model)
# as the code that builds the fixture has them.
COUNTED = {
    "users": ("auth", "User"),
    "indicators": ("registry", "Indicator"),
    "targets": ("registry", "Target"),
    "observations": ("data", "Observation"),
    "commentary": ("data", "Commentary"),
    "rounds": ("rounds", "Round"),
    "entries": ("rounds", "Entry"),
    "audit_events": ("rounds", "AuditEvent"),
    "role_grants": ("rounds", "RoleGrant"),
    "reminders": ("rounds", "ReminderSent"),
    "api_tokens": ("web", "ApiToken"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--database-url",
        help="postgres only: the scratch database to build in (created, then dropped)",
    )
    parser.add_argument("--name", default=NAME, help=f"the fixture's name (default {NAME})")
    parser.add_argument("--output", type=Path, default=HERE / "fixtures")
    parser.add_argument("--replace", action="store_true", help="drop the database if it exists")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--allow-dirty", action="store_true", help="build from a checkout with uncommitted changes"
    )
    options = parser.parse_args(argv)
    if options.engine == "postgres" and not options.database_url:
        parser.error("postgres needs --database-url postgres://USER@HOST:PORT/SCRATCH_DATABASE")

    # The settings perfreport reads that would change what is built.
    for name in (
        "PERFREPORT_ALLOW_SELF_APPROVAL",
        "PERFREPORT_FY_START_MONTH",
        "PERFREPORT_REMIND_DAYS",
        "EMAIL_HOST",
    ):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "perfreport.settings"

    import perfreport

    checkout = Path(perfreport.__file__).resolve().parent.parent
    commit = _git(checkout, "rev-parse", "HEAD")
    if _git(checkout, "status", "--porcelain", "--", "perfreport", "examples"):
        message = f"{checkout} has uncommitted changes to perfreport or examples"
        if not options.allow_dirty:
            sys.exit(f"build_fixture: {message}: build from a clean checkout (or --allow-dirty)")
        print(f"warning: {message}", file=sys.stderr)
        commit += "-dirty"
    print(f"Building {options.name} ({options.engine}) with perfreport from {checkout} at {commit}")

    options.output.mkdir(parents=True, exist_ok=True)
    dump = options.output / f"{options.name}.{options.engine}.sql"
    record = options.output / f"{options.name}.{options.engine}.json"
    with tempfile.TemporaryDirectory(prefix="perfreport-fixture-") as scratch:
        if options.engine == "sqlite":
            database_file = Path(scratch) / "fixture.sqlite3"
            os.environ["DATABASE_URL"] = f"sqlite:///{database_file}"
            expected = build(checkout, commit, options.engine)
            _dump_sqlite(database_file, dump)
        else:
            url = options.database_url
            _create_postgres(url, replace=options.replace)
            os.environ["DATABASE_URL"] = url
            try:
                expected = build(checkout, commit, options.engine)
                _dump_postgres(url, dump)
            finally:
                if not options.keep:
                    _drop_postgres(url)
    record.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    size = dump.stat().st_size
    print(f"Wrote {dump} ({size:,} bytes) and {record.name}")
    print("Counts: " + ", ".join(f"{k} {v}" for k, v in expected["counts"].items()))
    return 0


# The life of the database


@contextlib.contextmanager
def on(when: str) -> Iterator[None]:
    """Everything inside happens at ``when`` (London time), the clock running."""
    import time_machine

    moment = datetime.fromisoformat(when).replace(tzinfo=LONDON)
    with time_machine.travel(moment, tick=True):
        yield


def run(*args: str) -> str:
    """Run a ``perfreport`` console command in this process (so that the
    travelled clock applies); its standard output, which must succeed."""
    from perfreport.cli import main as cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli(list(args))
    if status != 0:
        raise SystemExit(f"perfreport {' '.join(args)} failed with status {status}")
    return out.getvalue()


def build(checkout: Path, commit: str, engine: str) -> dict[str, Any]:
    with on("2020-12-01 09:00"):
        run("migrate", "--no-input", "-v0")
        print(run("import", str(checkout / "examples" / "cambridgeshire-2020-21-q2")), end="")
        people()
    round_q3()
    round_q4()
    secrets = tokens()
    expected = describe()
    expected["built_with"] = _versions(commit, engine)
    expected["tokens"] = secrets
    expected["password"] = PASSWORD
    from django.db import connections

    connections.close_all()
    return expected


def people() -> None:
    from django.contrib.auth import get_user_model

    os.environ["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    try:
        run(
            "manage", "createsuperuser", "--no-input",
            "--username", "bi.admin", "--email", "bi.admin@example.org",
        )  # fmt: skip
    finally:
        del os.environ["DJANGO_SUPERUSER_PASSWORD"]
    User = get_user_model()
    for username, first, last in (
        ("cs.lead", "Chris", "Lead"),
        ("it.owner", "Indra", "Owner"),
        ("cs.director", "Dana", "Director"),
        ("councillor", "Kim", "Councillor"),
    ):
        User.objects.create_user(
            username, f"{username}@example.org", PASSWORD, first_name=first, last_name=last
        )
    run("grant", "bi.admin", "admin")
    run("grant", "cs.lead", "owner", "--service", "Customer Services")
    run("grant", "it.owner", "owner", "--indicator", "194")
    run("grant", "cs.director", "approver", "--directorate", "Corporate Services")
    run("grant", "councillor", "viewer")


def actor(username: str) -> Any:
    from django.contrib.auth import get_user_model

    from perfreport.rounds.permissions import Actor

    return Actor.of(get_user_model().objects.get(username=username))


def entry(period: str, ref: str) -> Any:
    from perfreport.rounds.models import Entry

    return Entry.objects.get(round__period=period, indicator__ref=ref)


def save(username: str, period: str, ref: str, *, submit: bool = False, **typed: str) -> None:
    from perfreport.rounds.services import EntryInput, save_entry

    found = entry(period, ref)
    save_entry(actor(username), found.pk, EntryInput(**typed), version=found.version, submit=submit)


def round_q3() -> None:
    from perfreport.rounds.services import approve_entry, restate_entry, return_entry

    q3 = "2020/21 Q3"
    with on("2021-01-04 09:00"):
        run("round", "--user", "bi.admin", "open", "--period", q3, "--deadline", "2021-01-15")
    with on("2021-01-05 10:00"):
        calls = {
            "value": "70",
            "commentary": "Fewer advisers over the holidays.",
        }
        save("cs.lead", q3, "191", **calls)
        save(
            "cs.lead", q3, "191", submit=True,
            actions="Four advisers recruited, starting in January.", **calls,
        )  # fmt: skip
        save("cs.lead", q3, "190", value="88.4", commentary="Steady: 88.4% resolved first time.")
        save(
            "cs.lead", q3, "190", submit=True,
            value="88.4", commentary="Steady: 88.4% resolved first time.",
        )  # fmt: skip
        save(
            "cs.lead", q3, "192", submit=True,
            value="12.5", commentary="Fewer avoidable contacts after the new web forms.",
        )  # fmt: skip
    with on("2021-01-07 14:00"):
        return_entry(
            actor("cs.director"), entry(q3, "191").pk, "December's figure looks low: check it."
        )
        approve_entry(actor("cs.director"), entry(q3, "190").pk)
        approve_entry(actor("cs.director"), entry(q3, "192").pk)
    with on("2021-01-08 11:00"):
        save(
            "cs.lead", q3, "191", submit=True,
            value="72.5", commentary="Fewer advisers over the holidays; calls recounted.",
            actions="Four advisers recruited, starting in January.",
        )  # fmt: skip
    with on("2021-01-12 16:00"):
        save("it.owner", q3, "194", value="91.2", commentary="Two long outages in December.")
    with on("2021-01-13 07:00"):
        print(run("remind", "--today", "2021-01-13").splitlines()[-1])
    with on("2021-01-14 09:30"):
        save(
            "it.owner", q3, "194", submit=True,
            value="91.2", commentary="Two long outages in December.",
            actions="Out-of-hours cover agreed with the supplier.",
        )  # fmt: skip
        approve_entry(actor("cs.director"), entry(q3, "191").pk)
        approve_entry(actor("cs.director"), entry(q3, "194").pk)
    with on("2021-01-20 12:00"):
        print(run("round", "--user", "bi.admin", "publish", "--period", q3), end="")
    with on("2021-02-10 15:00"):
        from perfreport.rounds.services import EntryInput

        restate_entry(
            actor("cs.lead"),
            entry(q3, "191").pk,
            EntryInput(
                value="74",
                commentary="Fewer advisers over the holidays; calls recounted.",
                actions="Four advisers recruited, starting in January.",
            ),
            reason="Calls logged late were counted.",
        )


def round_q4() -> None:
    from perfreport.rounds.models import AuditEvent
    from perfreport.rounds.revert import revert_event

    q4 = "2020/21 Q4"
    with on("2021-04-06 09:00"):
        run("round", "--user", "bi.admin", "open", "--period", q4, "--deadline", "2021-04-30")
    notes = {
        "commentary": "Back on target with the new advisers.",
        "actions": "Keep the rota under review.",
    }
    with on("2021-04-12 10:00"):
        save("cs.lead", q4, "191", value="86", **notes)
    with on("2021-04-13 10:00"):
        save("cs.lead", q4, "191", value="8.6", **notes)
    with on("2021-04-14 09:00"):
        typo = AuditEvent.objects.filter(action="save", period="2021-03").order_by("-pk").first()
        assert typo is not None
        revert_event(actor("bi.admin"), typo.pk, "Typo: 8.6 for 86.")


def tokens() -> dict[str, Any]:
    from perfreport.web.models import ApiToken

    with on("2021-04-15 10:00"):
        live = run("manage", "create_token", "cs.lead", "--name", "Power BI refresh").strip()
        old = run("manage", "create_token", "councillor", "--name", "Old spreadsheet").strip()
    with on("2021-04-16 08:00"):
        used = ApiToken.objects.find(live)
        assert used is not None
    with on("2021-04-20 17:00"):
        revoked = ApiToken.objects.find(old)
        assert revoked is not None
        revoked.revoke()
    return {
        "live": {"user": "cs.lead", "name": "Power BI refresh", "secret": live},
        "revoked": {"user": "councillor", "name": "Old spreadsheet", "secret": old},
    }


# What the database holds, as the test reads it back after migrating


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def describe() -> dict[str, Any]:
    from django.apps import apps

    def model(name: str) -> Any:
        return apps.get_model(*COUNTED[name])

    Round, Entry, Observation = model("rounds"), model("entries"), model("observations")

    published = Round.objects.get(period="2020/21 Q3")
    restated = Observation.objects.select_related("indicator").get(restated_at__isnull=False)
    restated_entry = Entry.objects.get(round=published, indicator=restated.indicator)
    draft = Entry.objects.select_related("indicator", "round").get(
        round__period="2020/21 Q4", state="draft"
    )
    return {
        "counts": {name: model(name).objects.count() for name in COUNTED},
        "published_round": {
            "period": published.period,
            "state": published.state,
            "published_by": published.published_by.get_username(),
            "published_at": plain(published.published_at),
            "snapshot": published.snapshot,
            "entries_by_state": sorted(
                [ref, state]
                for ref, state in published.entries.values_list("indicator__ref", "state")
            ),
        },
        "restated": {
            "ref": restated.indicator.ref,
            "period": restated.period,
            "value": plain(restated.value),
            "first_value": plain(restated.first_value),
            "restated_at": plain(restated.restated_at),
            "is_draft": restated.is_draft,
            "entry_value": plain(restated_entry.value),
            "entry_restated_at": plain(restated_entry.restated_at),
        },
        "draft": {
            "round": draft.round.period,
            "round_state": draft.round.state,
            "ref": draft.indicator.ref,
            "period": draft.period,
            "state": draft.state,
            "value": plain(draft.value),
            "commentary": draft.commentary,
            "actions": draft.actions,
            "version": draft.version,
            "updated_by": draft.updated_by.get_username(),
        },
        "users": [
            [u.username, u.email, u.is_superuser, u.is_active, u.password.split("$", 1)[0]]
            for u in model("users").objects.order_by("username")
        ],
        "role_grants": [
            [
                g.user.username,
                g.role,
                g.directorate.name if g.directorate else None,
                g.service.name if g.service else None,
                g.indicator.ref if g.indicator else None,
            ]
            for g in model("role_grants").objects.order_by("pk")
        ],
        "audit_events": [
            [
                e.pk,
                plain(e.at),
                e.user.username if e.user else None,
                e.actor,
                e.action,
                e.object_type,
                e.object_id,
                e.indicator.ref if e.indicator else None,
                e.period,
                e.before,
                e.after,
                e.reason,
                e.reverts_id,
            ]
            for e in model("audit_events").objects.order_by("pk")
        ],
        "reminders": [
            [r.user.username, r.entry.round.period, r.entry.indicator.ref, r.kind, r.occasion]
            for r in model("reminders").objects.order_by("pk")
        ],
        "api_tokens": [
            [
                t.user.username,
                t.name,
                t.prefix,
                t.key_hash,
                plain(t.created_at),
                plain(t.last_used_at),
                plain(t.revoked_at),
            ]
            for t in model("api_tokens").objects.order_by("pk")
        ],
    }


def _versions(commit: str, engine: str) -> dict[str, str]:
    import django
    from django.db import connection

    import perfreport

    with connection.cursor():
        server = ".".join(str(part) for part in _server_version(connection))
    return {
        "commit": commit,
        "perfreport": perfreport.__version__,
        "django": django.get_version(),
        "engine": engine,
        "server": server,
    }


def _server_version(connection: Any) -> tuple[int, ...]:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info
    number = connection.connection.info.server_version  # 150020 is 15.20
    return (number // 10000, number % 10000)


# Databases and dumps


def _git(where: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _dump_sqlite(database: Path, to: Path) -> None:
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        sys.exit("build_fixture: the sqlite3 command is needed (Debian: apt-get install sqlite3)")
    with to.open("w") as out:
        subprocess.run([sqlite3, str(database), ".dump"], check=True, stdout=out)


def _dump_postgres(url: str, to: Path) -> None:
    with to.open("w") as out:
        subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--dbname", url], check=True, stdout=out
        )


def _maintenance(url: str) -> tuple[str, str]:
    """The server's ``postgres`` database, and the scratch database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        sys.exit(f"build_fixture: {url} names no database")
    return urlunsplit(parts._replace(path="/postgres")), name


def _create_postgres(url: str, *, replace: bool) -> None:
    import psycopg
    from psycopg import sql

    server, name = _maintenance(url)
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not replace:
            sys.exit(f"build_fixture: database {name} exists: drop it, or pass --replace")
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = _maintenance(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


if __name__ == "__main__":
    sys.exit(main())
