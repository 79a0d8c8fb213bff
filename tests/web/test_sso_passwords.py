"""Password sign-in switched off for all but the break-glass accounts: the
sign-in page, the admin's sign-in and a session begun with a password before
it was switched off; and what the single sign-on pages answer when the
provider is not set up or cannot be reached. (The flows with a real provider
are in test_sso_browser.py.)"""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from browser import PASSWORD
from django.contrib.auth.models import User
from django.urls import reverse

from perfreport.accounts.permissions import grant
from perfreport.sso.provider import forget_endpoints, read_discovery
from perfreport.sso.refusals import SignInRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, User]:
    found = {}
    for name in ("ordinary", "breakglass"):
        user = User.objects.create_superuser(name, f"{name}@example.org", PASSWORD)
        grant(user, "admin")
        found[name] = user
    return found


@pytest.fixture
def passwords_off(settings: Any) -> None:
    settings.PERFREPORT_PASSWORD_SIGNIN = False
    settings.PERFREPORT_BREAK_GLASS_USERS = ["BreakGlass"]  # names compare without case


def sign_in(client: Any, path: str, username: str) -> Any:
    return client.post(path, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"], ids=["site", "admin"])
def test_with_passwords_off_only_a_break_glass_account_signs_in_with_one(
    client, people, passwords_off, path
):
    refused = sign_in(client, path, "ordinary")

    assert refused.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert sign_in(client, path, "breakglass").status_code == 302
    assert int(client.session["_auth_user_id"]) == people["breakglass"].pk


def test_with_passwords_on_everyone_signs_in_with_one(client, people):
    assert sign_in(client, "/accounts/login/", "ordinary").status_code == 302


def test_switching_passwords_off_ends_a_session_begun_with_one(client, people, settings):
    sign_in(client, "/accounts/login/", "ordinary")
    assert client.get("/scorecard/").status_code == 200

    settings.PERFREPORT_PASSWORD_SIGNIN = False

    assert client.get("/scorecard/")["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_offers_the_provider_first_and_folds_passwords_away(
    client, settings, passwords_off
):
    settings.PERFREPORT_OIDC_ISSUER = "https://login.example.org/tenant/v2.0"
    settings.PERFREPORT_OIDC_CLIENT_ID = "perfreport"
    settings.PERFREPORT_OIDC_PROVIDER_NAME = "Example Council account"

    page = html.unescape(client.get("/accounts/login/?next=/work/").content.decode())

    button = page.index(
        'href="/oidc/authenticate/?next=/work/">Sign in with Example Council account'
    )
    assert button < page.index("<details")
    assert "Sign in with a password (break-glass accounts only)" in page
    assert "Forgotten your password?" not in page


def test_without_single_sign_on_the_sign_in_page_is_the_password_form(client):
    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in page and "<details" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_provider_that_cannot_be_reached_is_a_page_saying_so(client, settings):
    settings.PERFREPORT_OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    settings.PERFREPORT_OIDC_CLIENT_ID = "perfreport"
    forget_endpoints()

    response = client.get("/oidc/authenticate/")

    assert response.status_code == 503
    assert "could not be reached" in response.content.decode()


def test_a_callback_with_no_sign_in_started_is_refused_with_a_page(client, settings):
    settings.PERFREPORT_OIDC_ISSUER = "https://login.example.org"
    settings.PERFREPORT_OIDC_CLIENT_ID = "perfreport"

    for query in ("code=abc&state=made-up", "state=only", "error=access_denied&state=x"):
        response = client.get(f"{reverse('web:oidc_callback')}?{query}")
        assert response.status_code == 403, query
        assert "You could not be signed in" in response.content.decode()


@pytest.mark.parametrize(
    ("document", "words"),
    [
        pytest.param([], "not a JSON object", id="not_an_object"),
        pytest.param(
            {"issuer": "https://other"}, "names the issuer 'https://other'", id="other_issuer"
        ),
        pytest.param(
            {"issuer": "https://op"},
            "has no authorization_endpoint, token_endpoint, jwks_uri",
            id="no_endpoints",
        ),
    ],
)
def test_a_discovery_document_that_cannot_be_used_says_why(document, words):
    with pytest.raises(SignInRefused) as refused:
        read_discovery("https://op", document)

    assert refused.value.status == 503
    assert words in refused.value.detail


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        pytest.param({"PERFREPORT_OIDC_ISSUER": "https://op"}, "go together", id="issuer_alone"),
        pytest.param({"PERFREPORT_OIDC_CLIENT_ID": "x"}, "go together", id="client_alone"),
        pytest.param(
            {"PERFREPORT_OIDC_ISSUER": "op.example", "PERFREPORT_OIDC_CLIENT_ID": "x"},
            "is not an address",
            id="not_an_address",
        ),
    ],
)
def test_single_sign_on_settings_that_do_not_go_together_stop_the_start(environ, words):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PERFREPORT_OIDC_")}
    run = subprocess.run(
        [sys.executable, "-c", "import perfreport.settings"],
        env={**clean, **environ},
        capture_output=True,
        text=True,
    )

    assert run.returncode == 1
    assert words in run.stderr


def test_an_error_from_the_provider_is_a_page_and_signs_nobody_out(client, settings):
    settings.PERFREPORT_OIDC_ISSUER = "https://login.example.org"
    settings.PERFREPORT_OIDC_CLIENT_ID = "perfreport"
    viewer = User.objects.create_user("viewer")
    grant(viewer, "viewer")
    client.force_login(viewer)
    session = client.session
    session["oidc_states"] = {"s1": {"nonce": "n", "code_verifier": "v", "added_on": 0}}
    session.save()

    response = client.get("/oidc/callback/?error=access_denied&error_description=no&state=s1")

    assert response.status_code == 403
    assert "did not sign you in" in response.content.decode()
    assert client.session["oidc_states"] == {}  # that state cannot be used again
    assert client.get("/scorecard/").status_code == 200  # still signed in
