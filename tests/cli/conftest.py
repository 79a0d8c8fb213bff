from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """As for a script whose output goes to a file: no COLUMNS from the terminal."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """The command speaks the shell's language (docs/cli.md#language): these
    tests read its English, whatever the language of the shell running them."""
    monkeypatch.setenv("PERFREPORT_LANGUAGE", "en")
