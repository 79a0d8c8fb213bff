"""Upgrading an installation: a database made by perfreport before issue 11
migrates forward with the current code, and nothing in it is lost.

GIVEN a database that an earlier perfreport filled through its commands and
      services (fixtures/README.md says which commit and how), dumped as SQL
      for the engine this run uses: the example imported, five people with
      their roles, the round for 2020/21 Q3 worked through (saved, submitted,
      returned, approved, reminders sent) and published, one published value
      restated, the round for 2020/21 Q4 open with a draft entry, one save of
      which was reverted, and two API tokens, one revoked;
WHEN  the dump is loaded into a new scratch database (a temporary SQLite file,
      or a PostgreSQL database of its own, dropped afterwards) and the current
      code's ``migrate`` runs against it;
THEN  the current models read back, row for row, what the fixture's JSON
      recorded when it was built: the counts; the people, their roles, the
      audit trail, the reminders and the tokens; the published round's
      snapshot; the restated value with its first figure and date; the open
      round's draft; and the live token still authenticates, the revoked one
      does not.

Models are looked up by app label through ``MODELS`` below, not imported: a
change that moves a model to another app updates the mapping, and the test
then proves the move kept its rows.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

# The names the fixture's JSON uses, and where the current code keeps each model.
MODELS = {
    "users": ("auth", "User"),
    "indicators": ("registry", "Indicator"),
    "targets": ("registry", "Target"),
    "observations": ("data", "Observation"),
    "commentary": ("data", "Commentary"),
    "rounds": ("data", "Round"),
    "entries": ("data", "Entry"),
    "audit_events": ("audit", "AuditEvent"),
    "role_grants": ("accounts", "RoleGrant"),
    "reminders": ("rounds", "ReminderSent"),
    "api_tokens": ("api", "ApiToken"),
}

# Where each model the fixture's code kept in another app is now: its content
# type (and so the admin's history and the permissions that point at it) moves
# with it, keeping its id.
MOVED = {
    ("rounds", "rolegrant"): "accounts",
    ("rounds", "auditevent"): "audit",
    ("rounds", "round"): "data",
    ("rounds", "entry"): "data",
    ("web", "apitoken"): "api",
}

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE = "before-issue-11"
ENGINES = {"sqlite": "sqlite", "postgresql": "postgres"}


def model(name: str) -> Any:
    from django.apps import apps

    return apps.get_model(*MODELS[name])


def plain(value: Any) -> Any:
    """A value as the fixture's JSON records it."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


# The scratch database


class ScratchOnly:
    """A database router that sends every query to the scratch database, so
    that nothing the current code does without naming a database (a token
    marking itself used) can reach another one."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return self.alias


@dataclass
class Upgraded:
    alias: str
    expected: dict[str, Any]

    def objects(self, name: str) -> Any:
        return model(name).objects.using(self.alias)


def _scratch_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"perfreport_upgrade_{worker}_{uuid.uuid4().hex[:12]}"


def _server(settings: dict[str, Any], dbname: str) -> str:
    from psycopg.conninfo import make_conninfo

    given = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    return make_conninfo(dbname=dbname, **{k: str(v) for k, v in given.items() if v})


def load_postgres(conninfo: str, dump: Path) -> None:
    """Run a plain ``pg_dump`` script as psql would, without psql: its SQL,
    its ``COPY … FROM stdin`` data, and not its psql commands (``\\restrict``)."""
    import psycopg

    def run(chunk: list[str]) -> None:
        if any(line.strip() and not line.lstrip().startswith("--") for line in chunk):
            connection.execute("".join(chunk))
        chunk.clear()

    with psycopg.connect(conninfo) as connection, connection.transaction():
        pending: list[str] = []
        lines = iter(dump.read_text(encoding="utf-8").splitlines(keepends=True))
        for line in lines:
            if line.startswith("\\"):
                continue
            if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
                run(pending)
                with connection.cursor().copy(line) as data:
                    for row in lines:
                        if row.rstrip("\n") == "\\.":
                            break
                        data.write(row)
                continue
            pending.append(line)
        run(pending)


@pytest.fixture(scope="module")
def upgraded(
    django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Upgraded]:
    """The fixture's dump loaded into a new database of this run's engine and
    migrated by the current code, under its own connection alias."""
    from django.core.management import call_command
    from django.db import connections
    from django.test import override_settings

    vendor = connections["default"].vendor
    engine = ENGINES.get(vendor)
    if engine is None:
        pytest.skip(f"no upgrade fixture for {vendor}")
    dump = FIXTURES / f"{FIXTURE}.{engine}.sql"
    expected = json.loads((FIXTURES / f"{FIXTURE}.{engine}.json").read_text(encoding="utf-8"))
    settings = copy.deepcopy(connections.settings["default"])
    name = _scratch_name()
    alias = name.removeprefix("perfreport_")

    with django_db_blocker.unblock():
        if engine == "sqlite":
            settings["NAME"] = str(tmp_path_factory.mktemp("upgrade") / f"{name}.sqlite3")
            loader = sqlite3.connect(settings["NAME"])
            try:
                loader.executescript(dump.read_text(encoding="utf-8"))
            finally:
                loader.close()
        else:
            import psycopg
            from psycopg import sql

            settings["NAME"] = name
            server = _server(settings, "postgres")
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            load_postgres(_server(settings, name), dump)
        settings["TEST"] = {"NAME": None, "MIRROR": None}
        connections.settings[alias] = settings
        try:
            with override_settings(DATABASE_ROUTERS=[ScratchOnly(alias)]):
                call_command("migrate", database=alias, interactive=False, verbosity=0)
            yield Upgraded(alias, expected)
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
            if engine == "postgres":
                with psycopg.connect(server, autocommit=True) as admin:
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )


@pytest.fixture
def scratch(upgraded: Upgraded, django_db_blocker: Any) -> Iterator[Upgraded]:
    """The upgraded database, for one test: every query goes to it, and what
    the test writes (a token marking itself used) is rolled back."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(DATABASE_ROUTERS=[ScratchOnly(upgraded.alias)]),
        transaction.atomic(using=upgraded.alias),
    ):
        yield upgraded
        transaction.set_rollback(True, using=upgraded.alias)


# The checks


def test_the_fixture_was_built_for_this_engine(scratch):
    from django.db import connections

    assert scratch.expected["built_with"]["engine"] == ENGINES[connections[scratch.alias].vendor]


def test_every_migration_is_applied(scratch):
    """THEN migrate has left nothing to do."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[scratch.alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []


def test_nothing_counted_is_lost(scratch):
    counts = {name: scratch.objects(name).count() for name in scratch.expected["counts"]}
    assert counts == scratch.expected["counts"]


def test_people_and_their_roles_are_kept(scratch):
    users = [
        [u.username, u.email, u.is_superuser, u.is_active, u.password.split("$", 1)[0]]
        for u in scratch.objects("users").order_by("username")
    ]
    assert users == scratch.expected["users"]
    for user in scratch.objects("users"):
        assert user.check_password(scratch.expected["password"]), user.username
    grants = [
        [
            g.user.username,
            g.role,
            g.directorate.name if g.directorate else None,
            g.service.name if g.service else None,
            g.indicator.ref if g.indicator else None,
        ]
        for g in scratch.objects("role_grants")
        .select_related("user", "directorate", "service", "indicator")
        .order_by("pk")
    ]
    assert grants == scratch.expected["role_grants"]


def test_the_audit_trail_is_kept_event_for_event(scratch):
    events = scratch.objects("audit_events").select_related("user", "indicator").order_by("pk")
    trail = [
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
        for e in events
    ]
    assert trail == scratch.expected["audit_events"]
    revert = scratch.objects("audit_events").get(action="revert")
    assert revert.reverts.action == "save"
    assert list(revert.reverts.reverted_by.all()) == [revert]


def test_reminders_sent_are_kept(scratch):
    reminders = [
        [r.user.username, r.entry.round.period, r.entry.indicator.ref, r.kind, r.occasion]
        for r in scratch.objects("reminders")
        .select_related("user", "entry__round", "entry__indicator")
        .order_by("pk")
    ]
    assert reminders == scratch.expected["reminders"]


def test_the_published_round_still_reads_its_snapshot(scratch):
    from perfreport.data.snapshots import RoundSnapshot, frozen_for
    from perfreport.registry.periods import read_period

    expected = scratch.expected["published_round"]
    published = (
        scratch.objects("rounds").select_related("published_by").get(period=expected["period"])
    )
    assert published.state == expected["state"] == "published"
    assert published.published_by.get_username() == expected["published_by"]
    assert plain(published.published_at) == expected["published_at"]
    assert published.snapshot == expected["snapshot"]
    # Read into its dataclasses and written back, it is the JSON it was.
    assert RoundSnapshot.from_json(published.snapshot).to_json() == expected["snapshot"]
    states = sorted(
        [ref, state] for ref, state in published.entries.values_list("indicator__ref", "state")
    )
    assert states == expected["entries_by_state"]

    # As the report and the public pages read it.
    frozen = frozen_for(read_period(expected["period"]))
    assert sorted(e.ref for e in frozen.values()) == sorted(
        e["ref"] for e in expected["snapshot"]["entries"]
    )
    restated = scratch.expected["restated"]
    calls = next(e for e in frozen.values() if e.ref == restated["ref"])
    assert calls.value == Decimal(restated["first_value"])  # as published, not as restated


def test_the_restated_value_keeps_its_first_figure_and_date(scratch):
    expected = scratch.expected["restated"]
    stored = scratch.objects("observations").get(
        indicator__ref=expected["ref"], period=expected["period"]
    )
    assert plain(stored.value) == expected["value"]
    assert plain(stored.first_value) == expected["first_value"]
    assert plain(stored.restated_at) == expected["restated_at"]
    assert stored.is_draft is expected["is_draft"] is False
    entry = scratch.objects("entries").get(
        round__period=scratch.expected["published_round"]["period"],
        indicator__ref=expected["ref"],
    )
    assert plain(entry.value) == expected["entry_value"]
    assert plain(entry.restated_at) == expected["entry_restated_at"]


def test_the_open_rounds_draft_is_still_a_draft(scratch):
    expected = scratch.expected["draft"]
    entry = (
        scratch.objects("entries")
        .select_related("round", "updated_by")
        .get(round__period=expected["round"], indicator__ref=expected["ref"])
    )
    assert entry.round.state == expected["round_state"] == "open"
    assert entry.state == expected["state"] == "draft"
    assert entry.period == expected["period"]
    assert plain(entry.value) == expected["value"]
    assert (entry.commentary, entry.actions) == (expected["commentary"], expected["actions"])
    assert entry.version == expected["version"]
    assert entry.updated_by.get_username() == expected["updated_by"]
    value = scratch.objects("observations").get(
        indicator__ref=expected["ref"], period=expected["period"]
    )
    assert value.is_draft and plain(value.value) == expected["value"]


def test_api_tokens_are_kept_and_the_live_one_still_authenticates(scratch):
    tokens = [
        [
            t.user.username,
            t.name,
            t.prefix,
            t.key_hash,
            plain(t.created_at),
            plain(t.last_used_at),
            plain(t.revoked_at),
        ]
        for t in scratch.objects("api_tokens").select_related("user").order_by("pk")
    ]
    assert tokens == scratch.expected["api_tokens"]

    # As the API checks a request's bearer token: by the hash of the secret.
    Token = model("api_tokens")
    live, revoked = scratch.expected["tokens"]["live"], scratch.expected["tokens"]["revoked"]
    found = Token.objects.find(live["secret"])
    assert found is not None
    assert (found.user.get_username(), found.name) == (live["user"], live["name"])
    assert Token.objects.find(revoked["secret"]) is None
    assert Token.objects.find("not-a-token") is None


def test_moved_models_keep_their_content_types_and_permissions(scratch):
    """A moved model's content type is the fixture's row under its new app
    label, not a new one: what pointed at it (the admin's history, the
    permissions given to people) still does."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.using(scratch.alias)
    for (old_label, name), new_label in MOVED.items():
        assert not types.filter(app_label=old_label, model=name).exists(), (old_label, name)
        moved = types.get(app_label=new_label, model=name)
        codenames = set(
            Permission.objects.using(scratch.alias)
            .filter(content_type=moved)
            .values_list("codename", flat=True)
        )
        assert codenames == {f"{action}_{name}" for action in ("add", "change", "delete", "view")}
        # No second set of permissions made for the new label.
        assert Permission.objects.using(scratch.alias).filter(codename=f"add_{name}").count() == 1
    assert types.filter(app_label="rounds", model="remindersent").exists()


def fixture_content_types(engine: str) -> dict[tuple[str, str], int]:
    """The content types of the fixture's database, (app label, model) to id,
    read from its dump (an INSERT a row for SQLite, COPY lines for PostgreSQL)."""
    text = (FIXTURES / f"{FIXTURE}.{engine}.sql").read_text(encoding="utf-8")
    if engine == "sqlite":
        rows = re.findall(r"INSERT INTO django_content_type VALUES\((\d+),'(\w+)','(\w+)'\);", text)
    else:
        copy = "COPY public.django_content_type (id, app_label, model) FROM stdin;\n"
        block = text.split(copy, 1)[1].split("\n\\.\n", 1)[0]
        rows = [tuple(line.split("\t")) for line in block.splitlines()]
    return {(label, model): int(pk) for pk, label, model in rows}


def test_the_admin_history_of_a_moved_model_still_finds_it(scratch):
    """The admin's history names an object by its content type's id: the id
    the fixture gave each moved model now names it under its new app, so an
    entry written before the move finds the object after it."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    before = fixture_content_types(ENGINES[connections[scratch.alias].vendor])
    types = ContentType.objects.using(scratch.alias)
    for (old_label, name), new_label in MOVED.items():
        assert types.get(pk=before[old_label, name]).app_label == new_label, name

    grant = scratch.objects("role_grants").order_by("pk").first()
    admin = get_user_model().objects.using(scratch.alias).filter(is_superuser=True).first()
    entry = LogEntry.objects.using(scratch.alias).create(
        user_id=admin.pk,
        content_type_id=before["rounds", "rolegrant"],
        object_id=str(grant.pk),
        object_repr=str(grant)[:200],
        action_flag=CHANGE,
        change_message="[]",
    )
    assert entry.get_edited_object() == grant
    assert entry.get_admin_url() == f"/admin/accounts/rolegrant/{grant.pk}/change/"
