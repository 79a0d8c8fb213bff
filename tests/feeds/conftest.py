"""What the feeds' tests share: the seed's data with a BI administrator and a
service lead, the round for 2020/21 Q3 open, and real source databases (a
SQLite file, a PostgreSQL database of the tests' own)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from feed_helpers import DEADLINE, PASSWORD, ROUND_PERIOD, TODAY, pg_source_url
from worker_helpers import worker_database  # noqa: F401  (a fixture: tests/worker_helpers.py)


@pytest.fixture
def people(imported_example: None) -> dict[str, Any]:
    """bi.admin (BI administrator, with an email address), cs.lead (owner of
    Customer Services: 190, 191, 192) and a viewer."""
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Service

    admin = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    lead = User.objects.create_user("cs.lead", "cs.lead@example.org", PASSWORD)
    viewer = User.objects.create_user("councillor", "councillor@example.org", PASSWORD)
    grant(admin, "admin")
    grant(lead, "owner", service=Service.objects.get(name="Customer Services"))
    grant(viewer, "viewer")
    return {"admin": admin, "lead": lead, "viewer": viewer}


@pytest.fixture
def admin_client(client: Any, people: dict[str, Any]) -> Any:
    client.force_login(people["admin"])
    return client


@pytest.fixture
def open_round(people: dict[str, Any]) -> Any:
    """The round for 2020/21 Q3 (quarterly 180, monthly 182's October to December, ...)."""
    from perfreport.accounts.permissions import Actor
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round

    return open_round(Actor.of(people["admin"]), read_period(ROUND_PERIOD), DEADLINE, today=TODAY)


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[Path]:
    """A SQLite file of a source system, with an empty table ``kpi``."""
    path = tmp_path / "cases.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE kpi (indicator TEXT, month TEXT, figure NUMERIC, top INTEGER, "
            "bottom INTEGER)"
        )
    yield path


@pytest.fixture
def pg_source() -> Iterator[tuple[str, Any]]:
    """A PostgreSQL database of a source system (``pr_feed_source``, made if
    missing) with a table of this test's own: its URL and a connection to fill it."""
    import uuid

    import psycopg

    url, admin_url = pg_source_url()
    with psycopg.connect(admin_url, autocommit=True) as server:
        found = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'pr_feed_source'"
        ).fetchone()
        if found is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another worker's
                server.execute("CREATE DATABASE pr_feed_source")
    table = f"kpi_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE {table} (indicator text, month text, figure numeric, top int, bottom int)"
        )
        try:
            yield url, (connection, table)
        finally:
            connection.execute(f"DROP TABLE {table}")
