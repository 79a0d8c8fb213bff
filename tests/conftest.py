from __future__ import annotations

import sys
from collections.abc import Iterator
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


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture
def imported_example(db: None) -> None:
    """The seed's report as data, imported through the real import path."""
    from perfreport.imports.service import import_path

    import_path(EXAMPLE)


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests():
    """Pages keep evaluations in memory by data version: start each test afresh."""
    from perfreport.data.evaluations import forget_evaluations

    forget_evaluations()
    yield
    forget_evaluations()
