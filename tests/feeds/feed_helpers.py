"""What the feeds' tests share besides fixtures."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery staple 42"
ROUND_PERIOD = "2020/21 Q3"
DEADLINE = date(2021, 1, 15)
TODAY = date(2021, 1, 4)
QUERY = "SELECT indicator AS ref, month AS period, figure AS value FROM kpi"


def pg_source_url() -> tuple[str, str]:
    """The source database's URL and the server's (to create it), from
    POSTGRES_URL as the suite's PostgreSQL run uses (postgres@127.0.0.1 by default)."""
    server = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    base = server.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1)
    return f"{base}/pr_feed_source", f"{base}/postgres"


def fill_sqlite(path: Path, rows: list[tuple[Any, ...]]) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM kpi")
        connection.executemany(
            "INSERT INTO kpi VALUES (?, ?, ?, ?, ?)", [(*r, None, None)[:5] for r in rows]
        )


def make_feed(
    path_or_url: Any,
    refs: list[str],
    *,
    name: str = "Case system",
    query: str = QUERY,
    timeout: int = 30,
) -> Any:
    """A database feed of ``refs`` from a SQLite file (a Path) or a URL."""
    from perfreport.feeds.models import Feed

    url = f"sqlite:///{path_or_url}" if isinstance(path_or_url, Path) else path_or_url
    feed = Feed.objects.create(
        name=name, kind="database", database_url=url, query=query, timeout_seconds=timeout
    )
    feed.indicators.set(_indicators(refs))
    return feed


def make_folder_feed(folder: Path, refs: list[str], *, name: str = "Drop folder") -> Any:
    from perfreport.feeds.models import Feed

    feed = Feed.objects.create(name=name, kind="folder", folder=str(folder))
    feed.indicators.set(_indicators(refs))
    return feed


def _indicators(refs: list[str]) -> list[Any]:
    from perfreport.registry.models import Indicator

    return list(Indicator.objects.filter(ref__in=refs))


def entry(round_: Any, ref: str, period: str) -> Any:
    return round_.entries.select_related("indicator").get(indicator__ref=ref, period=period)


def feed_form(indicators: tuple[str, ...] = ("180", "182"), **fields: Any) -> dict[str, Any]:
    """What the feed form posts for a database feed, with ``fields`` changed."""
    data = {
        "name": "Case system",
        "kind": "database",
        "database_url": "sqlite:////nowhere/cases.sqlite3",
        "password": "",
        "query": QUERY,
        "folder": "",
        "timeout_seconds": "60",
        "indicators": list(indicators),
        "action": "save",
    }
    return {**data, **fields}
