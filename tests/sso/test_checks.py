"""The system checks of sign-in settings that would lock people out."""

from __future__ import annotations

import pytest

from perfreport.sso.checks import check_password_sign_in


def ids(settings_changes: dict, settings) -> list[str]:
    for name, value in settings_changes.items():
        setattr(settings, name, value)
    return [warning.id for warning in check_password_sign_in(None)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="passwords_on"),
        pytest.param(
            {"PERFREPORT_PASSWORD_SIGNIN": False},
            ["perfreport.W010", "perfreport.W011"],
            id="off_with_nothing",
        ),
        pytest.param(
            {
                "PERFREPORT_PASSWORD_SIGNIN": False,
                "PERFREPORT_OIDC_ISSUER": "https://op",
                "PERFREPORT_OIDC_CLIENT_ID": "x",
            },
            ["perfreport.W011"],
            id="off_without_break_glass",
        ),
        pytest.param(
            {
                "PERFREPORT_PASSWORD_SIGNIN": False,
                "PERFREPORT_OIDC_ISSUER": "https://op",
                "PERFREPORT_OIDC_CLIENT_ID": "x",
                "PERFREPORT_BREAK_GLASS_USERS": ["emergency"],
            },
            [],
            id="off_as_advised",
        ),
    ],
)
def test_switching_passwords_off_warns_of_what_would_lock_people_out(settings, changes, expected):
    assert ids(changes, settings) == expected


def test_the_checks_run_with_check_deploy(settings):
    from django.core.checks import run_checks

    settings.PERFREPORT_PASSWORD_SIGNIN = False
    found = {m.id for m in run_checks(include_deployment_checks=True)}

    assert {"perfreport.W010", "perfreport.W011"} <= found
