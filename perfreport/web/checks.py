"""System checks for settings that are fine on a laptop and unsafe in production.

They run with ``perfreport manage check --deploy``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from perfreport.settings import DEFAULT_SECRET_KEY


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.SECRET_KEY == DEFAULT_SECRET_KEY:
        return [
            Warning(
                "SECRET_KEY is the built-in default, which is public.",
                hint="Set SECRET_KEY in the environment to a long random string.",
                id="perfreport.W001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_database(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [
            Warning(
                "The database is SQLite.",
                hint="SQLite suits one machine and a small team; production uses PostgreSQL "
                "(DATABASE_URL=postgres://…).",
                id="perfreport.W002",
            )
        ]
    return []
