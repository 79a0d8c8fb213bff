"""Unsafe production settings show up in `check --deploy` with perfreport ids."""

from __future__ import annotations

from django.core.checks import run_checks

from perfreport.settings import DEFAULT_SECRET_KEY


def ids(**kwargs) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True, **kwargs)}


def test_the_default_secret_key_is_flagged_for_deployment(settings):
    settings.SECRET_KEY = DEFAULT_SECRET_KEY

    assert "perfreport.W001" in ids()


def test_a_secret_key_of_ones_own_is_not_flagged(settings):
    settings.SECRET_KEY = "a-long-random-string-of-our-own-" * 2

    assert "perfreport.W001" not in ids()


def test_sqlite_is_flagged_for_deployment_and_postgresql_is_not(settings):
    # The suite runs on both databases, so each run checks one side.
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")

    assert ("perfreport.W002" in ids()) is on_sqlite
