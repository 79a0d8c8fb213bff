from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"


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
