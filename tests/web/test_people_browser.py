"""In a real browser: an administrator invites someone, the invitation
arrives through a real SMTP server, its link sets the password and the new
person signs in; every page on the way passes axe-core at 1280 and 390 px."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from typing import Any

import pytest
from browser import PASSWORD, axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def administrator(db: None) -> Any:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(user, "admin")
    return user


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_invited_person_sets_a_password_from_the_email_and_signs_in(
    live_server, settings, smtp, administrator, width
):
    settings.PERFREPORT_SITE_URL = live_server.url
    with browser_page(width) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/people/")
        clean(page)

        page.get_by_role("button", name="Send the invitation").click()  # nothing typed
        page.wait_for_load_state()
        assert page.get_by_role("alert").inner_text().startswith("There is a problem")
        clean(page)

        page.get_by_label("Full name").fill("Ann Lee")
        page.get_by_label("Email address").fill("ann.lee@example.org")
        page.get_by_label("First role (optional)").select_option("viewer")
        page.get_by_role("button", name="Send the invitation").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Ann Lee"
        assert "Invitation sent to ann.lee@example.org." in page.content()
        clean(page)

    [envelope] = smtp.messages
    body = message_from_bytes(envelope.original_content, policy=policy.default)
    text = body.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/accounts/welcome/\S+", text).group()

    with browser_page(width) as page:
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
        clean(page)
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("Type the new password again").fill(PASSWORD)
        page.get_by_role("button", name="Set my password").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Your password is set"
        clean(page)

        page.get_by_role("link", name="Sign in").last.click()
        page.wait_for_load_state()
        page.get_by_label("Username").fill("ann.lee@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/scorecard/")
        assert page.get_by_role("link", name="Change password").is_visible()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_password_reset_and_change_pages_have_no_axe_violations(
    live_server, administrator, width
):
    with browser_page(width) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Forgotten your password?").click()
        page.wait_for_load_state()
        clean(page)
        page.get_by_label("Email address").fill("someone@example.org")
        page.get_by_role("button", name="Send the link").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
        clean(page)

        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/accounts/password_change/")
        page.get_by_role("button", name="Change my password").click()  # nothing typed
        page.wait_for_load_state()
        assert page.get_by_role("alert").inner_text().startswith("There is a problem")
        clean(page)
