"""Where a feed's rows come from, read into the import's own table of text
(:class:`perfreport.imports.tables.Table`, as ``values.csv``), so that the
import's checks read them and name the row and column of every problem.

A database is reached through SQLAlchemy, read-only where the driver lets a
session be (SQLite opened with ``mode=ro``; PostgreSQL with
``default_transaction_read_only``; MySQL ``SET SESSION TRANSACTION READ ONLY``;
Oracle ``SET TRANSACTION READ ONLY``), with a time limit on the query, and
through no connection pool: each run connects, reads and lets go. The URL's
password is never put in a message: every error is scrubbed of it.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.core.units import plain
from perfreport.imports.problems import Problem
from perfreport.imports.tables import (
    NO_SHEET,
    UNKNOWN_FILE,
    UNKNOWN_SHEET,
    Limits,
    Table,
    read_source,
)

MAX_ROWS = 200_000  # rows a query may return: a feed's figures, not a data warehouse
ALIASES = {"reference": "ref"}  # what a query may call a column, for the import's name
FILE_SUFFIXES = (".csv", ".xlsx")

if TYPE_CHECKING:  # SQLAlchemy is imported when a feed reads a database, not when perfreport starts
    import sqlalchemy as sa
    from sqlalchemy.engine import URL


class SourceFailed(Exception):
    """The source could not be read; the message says why, with no password."""


# The database


def hide_password(url: str) -> str:
    """``url`` with its password as ***; a URL that is not one is shown as typed
    only up to its first @ (where a password would end)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not url:
        return ""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


def without_password(text: str, url: str) -> str:
    """``text`` with the password of ``url`` (if it has one) as ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password if url else None
    except (ArgumentError, ValueError):
        return text
    return text.replace(str(password), "***") if password else text


def check_url(url: str) -> str:
    """The problem with ``url`` as a database URL, or "" when SQLAlchemy can use it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        parsed.get_dialect().import_dbapi()  # the driver itself: a dialect loads without it
    except NoSuchModuleError:
        scheme = url.split(":", 1)[0]
        return _(
            "names a database kind (%(kind)s) this installation has no driver for: install its "
            "driver (see the feeds documentation) or check the spelling"
        ) % {"kind": scheme}
    except ImportError as error:
        scheme = url.split(":", 1)[0]
        driver = error.name or str(error)
        return _(
            "names a database kind (%(kind)s) this installation has no driver for: its driver "
            "%(driver)s is not installed (see the feeds documentation)"
        ) % {"kind": scheme, "driver": driver}
    except (ArgumentError, ValueError):
        return _("is not a database URL: write it like postgresql://reader@db.example.org/cases")
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        return _("names no SQLite file: write it like sqlite:////srv/exports/cases.sqlite3")
    return ""


def check_query(query: str) -> str:
    """The problem with ``query``, or "": one SELECT (or WITH … SELECT)."""
    body = re.sub(r"--[^\n]*|/\*.*?\*/", " ", query, flags=re.S).strip().rstrip(";").strip()
    if not body:
        return _("is empty: write a SELECT that returns the columns ref, period and value")
    first = body.split(None, 1)[0].lower()
    if first not in ("select", "with"):
        said = _("starts with %(word)s: a feed only reads, so write one SELECT")
        return said % {"word": first.upper()}
    return ""


def read_query(url: str, query: str, timeout: int) -> Table:
    """The query's rows as a values table; ``SourceFailed`` if it cannot be run."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    if problem := check_url(url):
        said = _("the database URL %(url)s %(problem)s")
        raise SourceFailed(said % {"url": hide_password(url), "problem": problem})
    if problem := check_query(query):
        raise SourceFailed(_("the query %(problem)s") % {"problem": problem})
    parsed = make_url(url)
    try:
        engine = _engine(parsed, timeout)
    except Exception as error:  # a driver missing or refusing the URL's options
        said = without_password(f"{type(error).__name__}: {error}", url)
        failed = _("could not use the database %(url)s: %(error)s")
        raise SourceFailed(failed % {"url": hide_password(url), "error": said}) from None
    try:
        with engine.connect() as connection:
            _read_only(connection, parsed)
            result = connection.exec_driver_sql(query.strip().rstrip(";"))
            return _table(result)
    except SQLAlchemyError as error:
        raise SourceFailed(_said(error, parsed, timeout)) from None
    except SourceFailed:
        raise
    except Exception as error:  # a driver's own error, not wrapped by SQLAlchemy: still plain
        said = without_password(f"{type(error).__name__}: {error}", url).splitlines()[0]
        failed = _("could not read the database %(url)s: %(error)s")
        raise SourceFailed(failed % {"url": hide_password(url), "error": said}) from None
    finally:
        engine.dispose()


class MissingColumns(SourceFailed):
    """The query ran, but it does not return the columns a feed needs."""


REQUIRED = ("ref", "period", "value")


def test_connection(url: str, query: str, timeout: int) -> str:
    """What a run would read, in a sentence; ``SourceFailed`` if it cannot,
    ``MissingColumns`` if it connected but a run would fail for want of a column."""
    table = read_query(url, query, timeout)
    count = len(table.rows)
    columns = ", ".join(h for h in table.header if h) or _("none")
    said = ngettext(
        "Connected: the query returned %(count)s row with the columns %(columns)s.",
        "Connected: the query returned %(count)s rows with the columns %(columns)s.",
        count,
    ) % {"count": f"{count:,}", "columns": columns}
    missing = [name for name in REQUIRED if name not in table.header]
    if missing:
        lacks = (
            _("%(first)s and %(last)s") % {"first": ", ".join(missing[:-1]), "last": missing[-1]}
            if len(missing) > 1
            else missing[0]
        )
        but = ngettext(
            "%(said)s But it has no column %(lacks)s: a feed needs the columns ref, period and "
            "value (numerator, denominator and organisation may be added), so a run would fail. "
            "Name the query's columns with AS, such as SELECT code AS ref, month AS period, "
            "figure AS value",
            "%(said)s But it has no columns %(lacks)s: a feed needs the columns ref, period and "
            "value (numerator, denominator and organisation may be added), so a run would fail. "
            "Name the query's columns with AS, such as SELECT code AS ref, month AS period, "
            "figure AS value",
            len(missing),
        )
        raise MissingColumns(but % {"said": said, "lacks": lacks})
    return said


def _engine(url: URL, timeout: int) -> sa.Engine:
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    backend = url.get_backend_name()
    if backend == "sqlite":
        return sa.create_engine(
            "sqlite://", creator=_sqlite_reader(url.database or "", timeout), poolclass=NullPool
        )
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        ms = timeout * 1000
        connect_args = {
            "connect_timeout": timeout,
            "options": f"-c default_transaction_read_only=on -c statement_timeout={ms}",
        }
    engine = sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)
    if backend == "mysql":
        sa.event.listen(engine, "connect", _mysql_session(timeout))
    return engine


def _sqlite_reader(path: str, timeout: int) -> Any:
    """A connection to the file opened read-only (it must exist), interrupted
    once the query has run ``timeout`` seconds."""

    def connect() -> sqlite3.Connection:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        deadline = time.monotonic() + timeout
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        return connection

    return connect


def _mysql_session(timeout: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        try:  # MySQL's limit, in milliseconds
            cursor.execute(f"SET SESSION MAX_EXECUTION_TIME={timeout * 1000}")
        except Exception:  # MariaDB's, in seconds
            cursor.execute(f"SET SESSION max_statement_time={timeout}")
        cursor.close()

    return on_connect


def _read_only(connection: sa.Connection, url: URL) -> None:
    """The session made read-only where the database takes it as a statement."""
    if url.get_backend_name() == "oracle":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _table(result: sa.CursorResult[Any]) -> Table:
    names = [str(name).strip().lower() for name in result.keys()]  # noqa: SIM118 (a result, not a dict)
    header = [ALIASES.get(name, name) for name in names]
    table = Table("values", "the query's results", header)
    rows = table.rows
    assert isinstance(rows, list)
    for number, row in enumerate(result, start=1):
        if number > MAX_ROWS:
            raise SourceFailed(
                _(
                    "the query returned more than %(most)s rows, more than a feed reads: "
                    "select only the periods the open round collects and a few before them"
                )
                % {"most": f"{MAX_ROWS:,}"}
            )
        rows.append((number, dict(zip(header, (cell_text(c) for c in row), strict=True))))
    return table


def cell_text(cell: object) -> str:
    """A database value as the import reads a cell: numbers exactly, a date as its month."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return plain(Decimal(repr(cell)))
    if isinstance(cell, Decimal):
        return plain(cell)
    if isinstance(cell, datetime | date):
        return f"{cell.year:04d}-{cell.month:02d}"
    return str(cell).strip()


def _said(error: Exception, url: URL, timeout: int) -> str:
    """The database's own words, without the SQL echoed, SQLAlchemy's links
    or the password."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip().splitlines()
    said = text[0] if text else type(error).__name__
    if "statement timeout" in said or said == "interrupted" or "max_execution_time" in said:
        return ngettext(
            "the query ran for longer than its timeout of %(count)s second and was stopped",
            "the query ran for longer than its timeout of %(count)s seconds and was stopped",
            timeout,
        ) % {"count": timeout}
    if url.password:
        said = said.replace(str(url.password), "***")
    where = url.render_as_string(hide_password=True)
    failed = (
        _("could not connect to or read the database %(url)s: %(error)s")
        if original is not None
        else _("could not use the database %(url)s: %(error)s")
    )
    return failed % {"url": where, "error": said}


# The folder


def dropped_files(folder: Path) -> list[Path]:
    """The files waiting in ``folder``, oldest name first: .csv and .xlsx
    files, not hidden ones (a program writing a file should write it under a
    hidden or other name, then rename it)."""
    if not folder.is_dir():
        said = _("the folder %(folder)s does not exist or is not a folder")
        raise SourceFailed(said % {"folder": folder})
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in FILE_SUFFIXES and not p.name.startswith(".")
    )


@contextmanager
def read_file(path: Path, limits: Limits) -> Iterator[tuple[Table | None, list[Problem]]]:
    """A dropped file's values table (a CSV file in the form of values.csv,
    or a workbook's sheet ``values``) and the problems reading it. The rows
    of a CSV file are read from the file as they are gone through, so the
    file must stay where it is until the block ends."""
    if path.suffix.lower() == ".xlsx":
        tables, problems = _read(path, limits)
        # A feed reads only the values sheet: the import's need of an indicators sheet does not apply.
        ignored = (NO_SHEET + "indicators", UNKNOWN_SHEET, UNKNOWN_FILE)
        problems = [p for p in problems if p.code not in ignored]
        yield tables.get("values"), problems
        return
    with tempfile.TemporaryDirectory(prefix="perfreport-feed-") as work:
        (Path(work) / "values.csv").symlink_to(path.resolve())
        tables, problems = _read(Path(work), limits)
        table = tables.get("values")
        if table is not None:
            table.label = path.name
        problems = [_relabelled(p, path.name) for p in problems]
        yield table, problems


def _read(path: Path, limits: Limits) -> tuple[dict[str, Table], list[Problem]]:
    try:
        return read_source(path, limits)
    except FileNotFoundError as error:
        return {}, [Problem(path.name, str(error).removeprefix(f"{path}: "))]


def _relabelled(problem: Problem, name: str) -> Problem:
    if problem.file != "values.csv":
        return problem
    return Problem(
        name,
        problem.message,
        problem.row,
        problem.column,
        problem.value,
        problem.level,
        problem.summary,
    )
