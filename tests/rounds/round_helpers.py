"""What the round's tests share besides fixtures (a module of its own name:
several folders have a conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

PASSWORD = "correct horse battery staple 42"
ROUND_PERIOD = "2020/21 Q3"
DEADLINE = date(2021, 1, 15)
TODAY = date(2021, 1, 4)  # the round is opened on this day in the tests

# The personas (tests/rounds/conftest.py) by what they may see.
STAFF = ("admin", "lead", "it_lead", "approver", "viewer")
NOT_ADMINS = ("lead", "it_lead", "approver", "viewer", "outsider")


def entry_of(round_: Any, ref: str) -> Any:
    """The indicator's entry for the period the round is due (a monthly
    indicator's latest month; the round may also ask for earlier months)."""
    found = round_.entries.select_related("indicator", "round").filter(indicator__ref=ref)
    return found.latest("first_month")
