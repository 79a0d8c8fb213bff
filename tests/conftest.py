from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"


# The suite signs its accounts' passwords with MD5: Argon2 costs ~0.1 s a user
# and the tests create hundreds. Production's own list stays behind it so that
# a password hashed by a real process (the command-line tests) still checks;
# tests/cli/test_cli_process.py checks that production still uses Argon2.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing(django_test_environment: None) -> Iterator[None]:
    from django.conf import settings
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS + list(settings.PASSWORD_HASHERS)):
        yield


@pytest.fixture(scope="session", autouse=True)
def _uploads_in_a_temporary_folder(
    django_test_environment: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Uploaded files (logos, evidence) go to a folder of this session's, never the checkout's."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session", autouse=True)
def _one_browser_a_session() -> Iterator[None]:
    """tests/web/browser.py starts Chromium at the first page a session asks
    for and keeps it: each test gets a fresh context (no cookies, storage or
    cache of another test's). Closed here, at the end of the session."""
    yield
    browser = sys.modules.get("browser")
    if browser is not None and hasattr(browser, "close_browser"):
        browser.close_browser()


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """A transaction around a whole module, for data a module's tests share:
    build it in a module-scoped fixture on this one (inside
    ``django_db_blocker.unblock()``). Each test's own transaction (``db``)
    nests in it as a savepoint and is rolled back after the test, so every
    test starts from the shared data as built; the shared data go at the end
    of the module. Not for transactional tests (``transactional_db``,
    ``live_server``), which commit and flush."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def example_for_module(module_db: None, django_db_blocker) -> None:
    """The seed's report imported once for the module (see ``module_db``)."""
    from perfreport.imports.service import import_path

    with django_db_blocker.unblock():
        import_path(EXAMPLE)


# -- data built once a module where every test would build it the same way ----
#
# A module whose tests all start from the same data (the seed's report, the
# round's personas) builds it once, in a transaction around the module, and
# each test runs in a savepoint that is rolled back after it: every test still
# starts from exactly that data. Only where nothing can tell: every test of
# the module that uses the database asks for the data, and none of them is
# transactional (those commit, and the database is emptied after each).

SHAREABLE = ("imported_example", "personas")
TRANSACTIONAL = {
    "transactional_db",
    "live_server",
    "django_db_serialized_rollback",
    "django_db_reset_sequences",
}
SHARED = pytest.StashKey[dict[str, frozenset[str]]]()


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        if transaction or any(
            marker.kwargs.get(name) for name in ("reset_sequences", "serialized_rollback")
        ):
            return True
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        names & (TRANSACTIONAL | {"db"})
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    shared = {}
    for module, module_items in by_module.items():
        database = [item for item in module_items if _uses_database(item)]
        if not database or any(_transactional(item) for item in database):
            continue
        shared[module] = frozenset(
            name
            for name in SHAREABLE
            if all(name in getattr(item, "fixturenames", ()) for item in database)
        )
    config.stash[SHARED] = shared


def _shared_in_module(request: pytest.FixtureRequest, name: str) -> bool:
    module = request.node.nodeid.split("::")[0]
    return name in request.config.stash.get(SHARED, {}).get(module, frozenset())


@pytest.fixture(scope="session")
def shared_in_module() -> Callable[[pytest.FixtureRequest, str], bool]:
    """``shared_in_module(request, name)``: whether ``name`` is built once for
    the module of the test (or module fixture) that asks."""
    return _shared_in_module


@pytest.fixture(scope="module", autouse=True)
def _example_once_a_module(request: pytest.FixtureRequest) -> None:
    if _shared_in_module(request, "imported_example"):
        request.getfixturevalue("example_for_module")


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture
def imported_example(request: pytest.FixtureRequest, db: None) -> None:
    """The seed's report as data, imported through the real import path (once
    for the module where every test of it asks for it: see above)."""
    from perfreport.imports.service import import_path

    if not _shared_in_module(request, "imported_example"):
        import_path(EXAMPLE)


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests():
    """Pages keep evaluations in memory by data version: start each test afresh."""
    from perfreport.data.evaluations import forget_evaluations

    forget_evaluations()
    yield
    forget_evaluations()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that Django's email goes to: its
    Collector, whose ``messages`` are the envelopes received (tests/smtp_helpers.py)."""
    from smtp_helpers import smtp_server

    server, collector = smtp_server(settings)
    yield collector
    server.stop()
