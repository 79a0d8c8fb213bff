"""Signing in with the keyboard alone, in a real browser, and the sign-in
page's accessibility."""

from __future__ import annotations

import pytest
from browser import PASSWORD, axe_violations, browser_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_sign_in_page_has_no_axe_violations(live_server, width):
    with browser_page(width) as page:
        page.goto(f"{live_server.url}/accounts/login/")

        assert axe_violations(page) == []


def test_a_person_signs_in_and_out_with_the_keyboard_only(live_server, staff_user):
    with browser_page() as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        page.get_by_label("Username").focus()
        page.keyboard.type("analyst")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/scorecard/")

        assert page.get_by_role("button", name="Sign out").is_visible()
        page.get_by_role("button", name="Sign out").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/public/")
        assert page.get_by_role("link", name="Sign in").is_visible()


def test_a_wrong_password_says_so_and_keeps_the_username(live_server, staff_user):
    with browser_page() as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("analyst")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()

        assert page.get_by_role("alert").inner_text().startswith("There is a problem")
        assert page.get_by_label("Username").input_value() == "analyst"
        assert axe_violations(page) == []
