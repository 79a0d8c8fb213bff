"""Five wrong passwords lock out one address for one username, never the
username everywhere: behind the trusted proxy the client's address comes from
its header, and without that setting a forwarded header is not believed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from browser import PASSWORD
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
ATTACKER, ADMIN_DESK = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def admin_user(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("bi-admin", "bi@example.org", PASSWORD)


@pytest.fixture
def behind_proxy(settings):
    settings.PERFREPORT_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.PERFREPORT_TRUSTED_PROXY_COUNT = 1


def sign_in(password: str, **meta: str):
    """One sign-in through the form, with its CSRF token, as a fresh browser."""
    client = Client(enforce_csrf_checks=True, **meta)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    form = {"username": "bi-admin", "password": password, "csrfmiddlewaretoken": token}
    return client.post("/accounts/login/", form)


def via_proxy(client_address: str, forged: str = "") -> dict[str, str]:
    """What nginx's $proxy_add_x_forwarded_for passes on: anything the client
    sent, then the address it came from."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def test_five_failures_behind_the_proxy_lock_that_address_only(behind_proxy, admin_user):
    """GIVEN the site behind a trusted proxy
    WHEN someone tries five wrong passwords for the administrator from one address
    THEN that address is locked out, and the administrator, at another desk,
    signs in after waiting the few seconds of the username's slowdown."""
    for _ in range(5):
        sign_in("wrong", **via_proxy(ATTACKER))

    assert sign_in(PASSWORD, **via_proxy(ATTACKER)).status_code == 429
    slowed = sign_in(PASSWORD, **via_proxy(ADMIN_DESK))
    assert slowed.status_code == 429
    assert "Try again in 1 second." in slowed.content.decode()
    assert slowed["Retry-After"] == "1"

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert sign_in(PASSWORD, **via_proxy(ADMIN_DESK)).status_code == 302
        locked = sign_in(PASSWORD, **via_proxy(ATTACKER))
    assert locked.status_code == 429
    assert "paused for 15 minutes" in locked.content.decode()


def test_the_address_a_client_writes_in_the_header_is_not_the_one_counted(behind_proxy, admin_user):
    """A client that forges X-Forwarded-For still has its real address appended
    by the proxy, and that is the one locked out."""
    for n in range(5):
        sign_in("wrong", **via_proxy(ATTACKER, forged=f"192.0.2.{n}"))

    assert sign_in(PASSWORD, **via_proxy(ATTACKER, forged="192.0.2.99")).status_code == 429


def test_without_the_setting_a_forwarded_header_is_ignored(admin_user):
    """GIVEN no trusted proxy
    WHEN five wrong passwords come from one connection, each claiming another address
    THEN the connection's own address is locked out all the same."""
    for n in range(5):
        sign_in("wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    forged = sign_in(PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.status_code == 429
    assert "paused for 15 minutes" in forged.content.decode()


def test_the_slowdown_grows_with_failures_from_many_addresses_and_stays_small(admin_user):
    """Failures spread over many addresses lock none of them, and the wait for
    the username doubles, to at most half a minute."""
    for n in range(12):
        with time_machine.travel(timezone.now() + timedelta(minutes=n)):
            sign_in("wrong", REMOTE_ADDR=f"192.0.2.{n}")

    with time_machine.travel(timezone.now() + timedelta(minutes=11, seconds=1)):
        slowed = sign_in(PASSWORD, REMOTE_ADDR=ADMIN_DESK)
    assert slowed.status_code == 429
    assert slowed["Retry-After"] == "29"
    with time_machine.travel(timezone.now() + timedelta(minutes=11, seconds=31)):
        assert sign_in(PASSWORD, REMOTE_ADDR=ADMIN_DESK).status_code == 302
