"""The round from the command line: open, list, publish, grant roles (in this
process, as tests/cli/test_cli.py runs the command)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from cli_helpers import run


@pytest.fixture
def database(example_for_module, db) -> None:
    """The example imported (once for the module: see tests/conftest.py); each
    test's changes are rolled back after it."""


def future() -> str:
    return (date.today() + timedelta(days=14)).isoformat()


def test_open_list_and_publish_a_round(database):
    opened = run("round", "open", "--period", "2020/21 Q3", "--deadline", future())
    assert opened.returncode == 0, opened.stderr
    # 16 indicators; the 14 monthly ones also for October and November
    assert "Opened the round for 2020/21 Q3: 44 entries" in opened.stdout

    listed = run("round", "list")
    assert "2020/21 Q3  Open" in listed.stdout and "44 not started" in listed.stdout

    published = run("round", "publish", "--period", "2020/21 Q3")
    assert published.returncode == 0, published.stderr
    assert "Published the round for 2020/21 Q3: 0 values" in published.stdout
    assert "Published" in run("round", "list").stdout


def test_a_past_deadline_is_refused_with_the_reason(database):
    result = run("round", "open", "--period", "2020/21 Q3", "--deadline", "2021-01-15")

    assert result.returncode == 1
    assert "deadline: 15 January 2021 is in the past" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_date_is_a_usage_error(database):
    result = run("round", "open", "--period", "2020/21 Q3", "--deadline", "15/01/2021")

    assert result.returncode == 2
    assert "'15/01/2021' is not a date: write it as YYYY-MM-DD" in result.stderr


def test_a_person_without_the_role_is_refused(database):
    created = run(
        "manage", "shell", "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('lead')",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    granted = run("grant", "lead", "owner", "--service", "Customer Services")
    assert granted.returncode == 0, granted.stderr
    assert "Granted: lead: Indicator owner or service lead for Customer Services" in granted.stdout

    result = run(
        "round", "--user", "lead", "open", "--period", "2020/21 Q3", "--deadline", future()
    )  # fmt: skip

    assert result.returncode == 1
    assert "only a BI administrator may open a round" in result.stderr


def test_grant_refuses_a_scope_the_role_does_not_take(database):
    run(
        "manage", "shell", "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('viewer')",
    )  # fmt: skip
    result = run("grant", "viewer", "viewer", "--service", "Customer Services")

    assert result.returncode == 1
    assert "Viewer has no scope" in result.stderr


def test_grant_names_an_unknown_service(database):
    run(
        "manage", "shell", "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('x')",
    )  # fmt: skip
    result = run("grant", "x", "owner", "--service", "Nowhere")

    assert result.returncode == 1
    assert "there is no service 'Nowhere'" in result.stderr
