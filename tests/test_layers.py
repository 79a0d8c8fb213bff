"""The apps import one way only (docs/architecture.md, "The layers"), and
``lint-imports`` (run by ``make lint``) holds them to it: it passes on this
tree, and fails on a copy of it with one forbidden import added, naming the
contract the import breaks and the import itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "Layers: each app imports only from the apps below it"
WEB_API = "The web pages and the API are independent of each other"
CORE = "perfreport.core does not import Django"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the tree at ``root``: its pyproject.toml's contracts,
    over the ``perfreport`` package found there first."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (LAYERS, WEB_API, CORE):
        assert f"{contract} KEPT" in result.stdout
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "rule", "chain"),
    [
        pytest.param(
            "perfreport/data/present.py",
            "from perfreport.web import views",
            LAYERS,
            "perfreport.data is not allowed to import perfreport.web",
            "perfreport.data.present -> perfreport.web.views",
            id="data imports web",
        ),
        pytest.param(
            "perfreport/registry/models.py",
            "from perfreport.audit.models import AuditEvent",
            LAYERS,
            "perfreport.registry is not allowed to import perfreport.audit",
            "perfreport.registry.models -> perfreport.audit.models",
            id="registry imports audit",
        ),
        pytest.param(
            "perfreport/api/selectors.py",
            "from perfreport.web.views import default_period",
            WEB_API,
            "perfreport.api is not allowed to import perfreport.web",
            "perfreport.api.selectors -> perfreport.web.views",
            id="api imports web",
        ),
        pytest.param(
            "perfreport/core/units.py",
            "from django.db import models",
            CORE,
            "perfreport.core is not allowed to import django",
            "perfreport.core.units -> django",
            id="core imports Django",
        ),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path, module, line, contract, rule, chain):
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT / "perfreport",
        copy / "perfreport",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "fonts", "typst"),
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    assert lint_imports(copy).returncode == 0  # the copy as it is keeps them all
    path = copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")

    result = lint_imports(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert f"{rule}:" in broken
    assert f"{chain} (l." in broken
