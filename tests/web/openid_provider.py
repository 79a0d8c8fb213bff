"""A real OpenID provider for the single sign-on tests: tools/oidc/provider.mjs
(the npm package oidc-provider, installed by `make install`), one a test
session (so one an xdist worker) on a port of its own, started once the live
server's address is known (its callback must be registered), stopped at the
end. Its accounts are a JSON file it reads at every sign-in: a test changes
someone's groups by writing it again."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from browser import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "tools" / "oidc" / "provider.mjs"
PACKAGE = ROOT / "tools" / "oidc" / "node_modules" / "oidc-provider"
CLIENT, SLOW_CLIENT, SECRET = "perfreport", "perfreport-slow", "test-client-secret"
PROVIDER_NAME = "the test provider"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class OpenIdProvider:
    issuer: str
    config: Path
    site: str
    accounts: dict[str, Any] = field(default_factory=dict)

    def account(self, username: str, *, groups: list[str] | None = None, **claims: Any) -> None:
        """Add or change an account (a claim given as None is left out)."""
        found = {"email": f"{username}@example.org", "name": username.title(), **claims}
        if groups is not None:
            found["groups"] = groups
        found = {k: v for k, v in found.items() if v is not None}
        self.accounts[username] = {"password": PASSWORD, "claims": found}
        self._write()

    def _write(self) -> None:
        clients = [
            {
                "client_id": client,
                "client_secret": SECRET,
                "redirect_uris": [f"{self.site}/oidc/callback/"],
                "post_logout_redirect_uris": [f"{self.site}/"],
                **extra,
            }
            for client, extra in (
                (CLIENT, {}),
                # Its ID tokens last 1 second and arrive 2 seconds late.
                (SLOW_CLIENT, {"id_token_ttl": 1, "token_delay_ms": 2000}),
            )
        ]
        self.config.write_text(json.dumps({"clients": clients, "accounts": self.accounts}))

    def settings(self, settings: Any, *, client: str = CLIENT) -> None:
        """Point perfreport at this provider (pytest-django's ``settings``)."""
        from perfreport.sso.provider import forget_endpoints

        settings.PERFREPORT_OIDC_ISSUER = self.issuer
        settings.PERFREPORT_OIDC_CLIENT_ID = client
        settings.PERFREPORT_OIDC_CLIENT_SECRET = SECRET
        settings.PERFREPORT_OIDC_PROVIDER_NAME = PROVIDER_NAME
        forget_endpoints()


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the OpenID provider stopped: {process.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the OpenID provider did not answer at {url}")


@pytest.fixture(scope="session")
def openid_provider(
    live_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpenIdProvider]:
    node = shutil.which("node")
    assert node, "no node on PATH: the single sign-on tests need Node.js (README)"
    assert PACKAGE.exists(), f"{PACKAGE} is missing: `make install` installs it"
    port = _free_port()
    found = OpenIdProvider(
        issuer=f"http://127.0.0.1:{port}",
        config=tmp_path_factory.mktemp("oidc") / "provider.json",
        site=live_server.url,
    )
    found._write()
    command = [node, str(PROVIDER), "--port", str(port), "--config", str(found.config)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(f"{found.issuer}/.well-known/openid-configuration", process)
        yield found
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def provider(openid_provider: OpenIdProvider, settings: Any) -> Iterator[OpenIdProvider]:
    """The provider, perfreport set to sign in with it, and no account yet."""
    openid_provider.accounts.clear()
    openid_provider._write()
    openid_provider.settings(settings)
    yield openid_provider


def sso_sign_in(
    page: Any, base_url: str, username: str, password: str = PASSWORD, *, then: str = ""
) -> None:
    """Sign in with the provider, as a person does: the button on the
    sign-in page (asked for by the page ``then``, if given), then the
    provider's own form."""
    page.goto(f"{base_url}{then}" if then else f"{base_url}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
