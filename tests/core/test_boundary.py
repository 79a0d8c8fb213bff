"""The core stays framework-free: no Django and no I/O under perfreport/core.

The check reads the source with ``ast`` rather than importing it, so a
forbidden import is caught even in a branch that never runs.
"""

import ast
from pathlib import Path

import pytest

import perfreport.core

CORE = Path(perfreport.core.__file__).parent
TESTS = Path(__file__).parent

FORBIDDEN_MODULES = frozenset(
    {"django", "os", "io", "pathlib", "sqlite3", "requests", "urllib", "socket", "subprocess"}
)
FORBIDDEN_CALLS = frozenset({"open"})


def violations(source: str, *, forbidden: frozenset[str] = FORBIDDEN_MODULES) -> list[str]:
    """What in ``source`` imports a forbidden module or calls ``open``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            if isinstance(func, ast.Attribute):
                name = func.attr
            if name in FORBIDDEN_CALLS:
                found.append(f"line {node.lineno}: calls {name}()")
            continue
        else:
            continue
        for module in names:
            if module.split(".")[0] in forbidden:
                found.append(f"line {node.lineno}: imports {module}")
    return found


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_core_package_has_the_modules_this_check_covers() -> None:
    names = {path.name for path in core_files()}
    expected = {
        "periods.py",
        "units.py",
        "rating.py",
        "change.py",
        "targets.py",
        "indicator.py",
        "evaluation.py",
        "quality.py",
    }
    assert expected <= names


@pytest.mark.parametrize("path", core_files(), ids=lambda path: path.name)
def test_a_core_module_imports_no_framework_and_does_no_io(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda path: path.name)
def test_the_core_tests_do_not_touch_django(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8"), forbidden=frozenset({"django"})) == []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import django", id="import_django"),
        pytest.param("from django.db import models", id="from_django_submodule"),
        pytest.param("import os.path", id="import_os_path"),
        pytest.param("from pathlib import Path", id="from_pathlib"),
        pytest.param("import io", id="import_io"),
        pytest.param("import sqlite3", id="import_sqlite3"),
        pytest.param("import requests", id="import_requests"),
        pytest.param("from urllib.request import urlopen", id="from_urllib_request"),
        pytest.param("import socket", id="import_socket"),
        pytest.param("import subprocess as sp", id="import_subprocess_aliased"),
        pytest.param("import json, os", id="os_second_in_a_list"),
        pytest.param("def f():\n    import django\n", id="import_inside_a_function"),
        pytest.param("with open('x') as f:\n    pass\n", id="open_call"),
        pytest.param("import builtins\nbuiltins.open('x')\n", id="open_through_an_attribute"),
        pytest.param("if False:\n    from os import environ\n", id="import_in_dead_branch"),
    ],
)
def test_the_check_catches_forbidden_code(source: str) -> None:
    assert violations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from decimal import Decimal", id="decimal"),
        pytest.param("from . import periods", id="relative_import"),
        pytest.param("import osmium", id="name_starting_with_os"),
        pytest.param("import iobuf", id="name_starting_with_io"),
        pytest.param("x = reopen(1)", id="call_named_like_open"),
    ],
)
def test_the_check_allows_harmless_code(source: str) -> None:
    assert violations(source) == []
