"""Signing in is throttled, and the production settings pass Django's
deployment checks with no warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser import PASSWORD

pytestmark = pytest.mark.django_db
EXE = Path(sys.executable).parent / "perfreport"


def attempt(client, password: str):
    return client.post("/accounts/login/", {"username": "analyst", "password": password})


def test_five_wrong_passwords_lock_the_username_out_for_a_while(client, staff_user):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with the error

    locked = attempt(client, "wrong")

    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert attempt(client, PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_count(client, staff_user):
    for _ in range(4):
        attempt(client, "wrong")

    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


def test_the_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "a-long-random-secret-for-this-test-" + "x7Qp2" * 8,
        "DEBUG": "0",
        "HTTPS": "1",
        "PERFREPORT_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
        "ALLOWED_HOSTS": "performance.example.gov.uk",
        "CSRF_TRUSTED_ORIGINS": "https://performance.example.gov.uk",
        "DATABASE_URL": os.environ.get(
            "POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/perfreport"
        ),
    }
    result = subprocess.run(
        [str(EXE), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_send_the_security_headers(client, imported_example):
    response = client.get("/public/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
