from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """As for a script whose output goes to a file: no COLUMNS from the terminal."""
    monkeypatch.delenv("COLUMNS", raising=False)
