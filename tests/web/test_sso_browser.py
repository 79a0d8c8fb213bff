"""Single sign-on end to end: Chromium, perfreport's live server and a real
OpenID provider (oidc-provider, tools/oidc) on 127.0.0.1. Signing in makes
the account, groups give roles and take them away again, and every answer
that must not be trusted is refused with a page that says why."""

from __future__ import annotations

from typing import Any

import pytest
from browser import PASSWORD, axe_violations, browser_page
from openid_provider import PROVIDER_NAME, SLOW_CLIENT, openid_provider, provider, sso_sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
__all__ = ["openid_provider", "provider"]  # fixtures used here

HOUSING_APPROVERS = "PR-Approvers-Housing"


@pytest.fixture
def housing(db: None) -> Any:
    from perfreport.registry.models import Directorate

    return Directorate.objects.create(name="Housing")


@pytest.fixture
def approvers_of_housing(housing: Any) -> Any:
    from perfreport.sso.models import GroupMapping

    return GroupMapping.objects.create(
        group=HOUSING_APPROVERS, role="approver", directorate=housing
    )


@pytest.fixture
def viewers(db: None) -> Any:
    from perfreport.sso.models import GroupMapping

    return GroupMapping.objects.create(group="PR-Viewers", role="viewer")


def refusal(page: Any) -> str:
    assert page.get_by_role("heading", level=1).inner_text() == "You could not be signed in"
    return str(page.locator("#refusal").inner_text())


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def test_a_first_sign_in_makes_the_account_from_the_providers_claims(
    live_server, provider, viewers
):
    """GIVEN someone the provider knows, in a group that gives the viewer role
    WHEN they sign in with the provider for the first time
    THEN their account is made from its claims, with the role, and recorded."""
    from perfreport.audit.models import AuditEvent

    provider.account("ann.lee", name="Ann Lee", groups=["PR-Viewers"])
    with browser_page() as page:
        page.goto(f"{live_server.url}/accounts/login/")
        assert axe_violations(page) == []  # the provider's button, then the password form
        sso_sign_in(page, live_server.url, "ann.lee", then="/work/")

        assert page.url == f"{live_server.url}/work/"  # the page asked for, after signing in
        assert page.get_by_role("button", name="Sign out").is_visible()

    user = _user("ann.lee@example.org")
    assert (user.first_name, user.email, user.has_usable_password()) == (
        "Ann Lee",
        "ann.lee@example.org",
        False,
    )
    assert [(g.role, g.via_group) for g in user.role_grants.all()] == [("viewer", "PR-Viewers")]
    made = AuditEvent.objects.get(object_type="person", action="create")
    assert made.reason == "first sign-in with single sign-on"
    assert AuditEvent.objects.filter(object_type="grant", action="create", user=user).count() == 1


def test_a_group_makes_an_approver_who_sees_the_approvals_and_losing_it_takes_the_role_away(
    live_server, provider, approvers_of_housing, housing
):
    """GIVEN the group PR-Approvers-Housing gives the approver role for
    Housing, and an invited person (matched by their email address) holds the
    viewer role by hand WHEN they sign in THEN they approve Housing's entries;
    WHEN the provider takes them out of the group and they sign in again THEN
    the approver role has gone and the viewer role given by hand stays.
    Signing out in between ends the provider's session too (its end-session
    page asks, then sends them back to perfreport)."""
    from django.contrib.auth.models import User

    from perfreport.accounts.models import RoleGrant
    from perfreport.audit.models import AuditEvent

    user = User.objects.create_user("sam.ray@example.org", "Sam.Ray@example.org")
    RoleGrant.objects.create(user=user, role="viewer")  # given by hand
    provider.account("sam.ray", groups=[HOUSING_APPROVERS, "Some-Other-Group"])
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "sam.ray")
        page.goto(f"{live_server.url}/work/")
        assert page.get_by_role("heading", name="Awaiting my approval").is_visible()

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{provider.issuer}/session/end**")  # the provider asks
        page.get_by_role("button", name="Yes, sign me out").click()
        page.wait_for_url(f"{live_server.url}/public/")  # and sends them home

        provider.account("sam.ray", groups=["Some-Other-Group"])
        sso_sign_in(page, live_server.url, "sam.ray")  # the provider asks again
        page.goto(f"{live_server.url}/work/")
        assert page.get_by_role("heading", name="My work").is_visible()
        assert not page.get_by_role("heading", name="Awaiting my approval").is_visible()

    assert [(g.role, g.via_group) for g in RoleGrant.objects.filter(user=user)] == [("viewer", "")]
    given = AuditEvent.objects.get(object_type="grant", action="create")
    assert (given.after["role"], given.after["directorate"]) == ("approver", housing.pk)
    taken = AuditEvent.objects.get(object_type="grant", action="delete")
    assert taken.before == given.after
    assert taken.reason == f"single sign-on: groups from {PROVIDER_NAME}"
    assert User.objects.count() == 1


def test_someone_the_provider_sends_without_an_email_address_is_refused(live_server, provider):
    from django.contrib.auth.models import User

    provider.account("no.email", email=None, groups=["PR-Viewers"])
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "no.email")

        assert "did not say your email" in refusal(page)
        assert axe_violations(page) == []
    assert not User.objects.exists()


def test_with_a_group_required_someone_in_no_mapped_group_is_refused_and_no_account_made(
    live_server, provider, settings, viewers
):
    from django.contrib.auth.models import User

    settings.PERFREPORT_OIDC_REQUIRE_GROUP = True
    provider.account("outsider", groups=["Unrelated"])
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "outsider")

        assert "None of your groups gives you a role" in refusal(page)
        assert page.get_by_role("link", name="Sign in", exact=True).is_visible()  # not signed in
    assert not User.objects.exists()


def _redirect_changed(route: Any, change: Any, hops: int = 1) -> None:
    """Answer the request as the server would, with the redirect it leads to
    (followed ``hops`` redirects on) changed by ``change``: what an attacker
    between the browser and the servers could do. (Playwright routes only the
    first request of a chain of redirects, so the chain is followed here,
    with the cookies the browser would send.)"""
    response = route.fetch(max_redirects=0)
    for _ in range(hops - 1):
        url = response.headers["location"]
        cookies = {c["name"]: c["value"] for c in route.request.frame.page.context.cookies(url)}
        for header in response.headers_array:
            if header["name"].lower() == "set-cookie":
                name, _, rest = header["value"].partition("=")
                cookies[name] = rest.split(";")[0]
        jar = "; ".join(f"{name}={value}" for name, value in cookies.items())
        response = route.fetch(url=url, method="GET", headers={"cookie": jar}, max_redirects=0)
    route.fulfill(status=303, headers={"Location": change(response.headers["location"])})


def test_a_callback_whose_state_was_changed_on_the_way_is_refused(live_server, provider, viewers):
    from django.contrib.auth.models import User

    provider.account("ann.lee", groups=["PR-Viewers"])
    with browser_page() as page:
        page.route(  # the provider's sign-in form, answered with the way back changed
            f"{provider.issuer}/interaction/*/login",
            lambda route: _redirect_changed(route, lambda url: url.replace("state=", "state=x"), 2),
        )
        sso_sign_in(page, live_server.url, "ann.lee")

        assert "/oidc/callback/?code=" in page.url
        assert "changed on the way" in refusal(page)
    assert not User.objects.exists()


def test_a_callback_used_already_is_refused(live_server, provider, viewers):
    """The way back from the provider, replayed: in another browser, and
    in the same one once it has been used."""
    provider.account("ann.lee", groups=["PR-Viewers"])
    with browser_page() as page:
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        sso_sign_in(page, live_server.url, "ann.lee")
        [callback] = [url for url in seen if "/oidc/callback/" in url]
        page.goto(callback)
        assert "used already" in refusal(page)
    with browser_page() as page:
        page.goto(callback)
        assert "not started in this browser" in refusal(page)


def test_an_id_token_with_another_nonce_is_refused(live_server, provider, viewers):
    """The nonce perfreport sends to the provider is changed on the way, so
    the ID token the provider signs carries a nonce this sign-in did not make."""
    from django.contrib.auth.models import User

    provider.account("ann.lee", groups=["PR-Viewers"])
    with browser_page() as page:
        page.route(
            "**/oidc/authenticate/**",
            lambda route: _redirect_changed(route, lambda url: url.replace("nonce=", "nonce=x")),
        )
        sso_sign_in(page, live_server.url, "ann.lee")

        assert "was not for this sign-in" in refusal(page)
    assert not User.objects.exists()


def test_an_id_token_that_has_expired_when_it_arrives_is_refused(
    live_server, provider, settings, viewers
):
    """The slow client's ID tokens last a second and reach perfreport two
    seconds after they are made."""
    from django.contrib.auth.models import User

    provider.settings(settings, client=SLOW_CLIENT)
    provider.account("ann.lee", groups=["PR-Viewers"])
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "ann.lee")

        assert "had expired" in refusal(page)
    assert not User.objects.exists()


@pytest.fixture
def break_glass(db: None, settings: Any) -> Any:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    settings.PERFREPORT_PASSWORD_SIGNIN = False
    settings.PERFREPORT_BREAK_GLASS_USERS = ["emergency"]
    for name in ("emergency", "ann.lee@example.org"):
        grant(User.objects.create_user(name, name, PASSWORD), "admin")


def _password_sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_text("Sign in with a password (break-glass accounts only)").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_with_passwords_off_the_provider_comes_first_and_only_break_glass_uses_a_password(
    live_server, provider, break_glass, width
):
    """GIVEN password sign-in is off but for the break-glass account
    THEN the sign-in page offers the provider first, the password form folded
    away; an ordinary person's right password is refused, the break-glass
    account's accepted, and the ordinary person signs in with the provider."""
    provider.account("ann.lee", groups=[])
    with browser_page(width) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        first = page.locator("main a.button, main button, main summary").first
        assert first.inner_text() == f"Sign in with {PROVIDER_NAME}"
        assert not page.get_by_label("Password").is_visible()
        assert axe_violations(page) == []

        _password_sign_in(page, live_server.url, "ann.lee@example.org")
        assert page.get_by_role("alert").inner_text().startswith("There is a problem")
        assert page.get_by_label("Password").is_visible()  # opened again to show it
        assert axe_violations(page) == []

        _password_sign_in(page, live_server.url, "emergency")
        assert page.url == f"{live_server.url}/scorecard/"

    with browser_page(width) as page:
        sso_sign_in(page, live_server.url, "ann.lee")
        assert page.url == f"{live_server.url}/scorecard/"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_people_pages_groups_section_in_the_browser(live_server, provider, housing, width):
    """A BI administrator (signed in with the provider, by a group) maps a
    group, is told what is wrong with a mapping, and removes one: axe-clean
    throughout."""
    from perfreport.sso.models import GroupMapping

    GroupMapping.objects.create(group="PR-BI-Team", role="admin")
    provider.account("bi.lead", groups=["PR-BI-Team"])
    with browser_page(width) as page:
        sso_sign_in(page, live_server.url, "bi.lead")
        page.goto(f"{live_server.url}/people/")
        section = page.locator(
            "section", has=page.get_by_role("heading", name="Roles from single sign-on groups")
        )
        assert "People who sign in with the test provider get the roles" in section.inner_text()
        assert axe_violations(page) == []

        page.get_by_label("Group", exact=True).fill("PR-Approvers-Housing")
        page.get_by_label("Role", exact=True).select_option("owner")
        page.get_by_role("button", name="Give the group the role").click()
        page.wait_for_load_state()
        assert (
            "An owner's grant names one indicator, service or directorate"
            in page.get_by_role("alert").inner_text()
        )
        assert page.get_by_label("Group", exact=True).input_value() == "PR-Approvers-Housing"
        assert axe_violations(page) == []

        page.get_by_label("Role", exact=True).select_option("approver")
        page.locator("#id_group_scope").select_option(label="Housing")
        page.get_by_role("button", name="Give the group the role").click()
        page.wait_for_load_state()
        assert "Members of PR-Approvers-Housing get the role Approver for Housing" in page.content()
        assert axe_violations(page) == []

        page.get_by_role(
            "button", name="Remove the group PR-Approvers-Housing's role Approver"
        ).click()
        page.wait_for_load_state()
        assert "no longer gives the role Approver for Housing" in page.content()
    assert list(GroupMapping.objects.values_list("group", flat=True)) == ["PR-BI-Team"]


def test_matched_by_object_id_someone_whose_address_changes_keeps_their_account(
    live_server, provider, settings, viewers
):
    """GIVEN people are matched by Entra ID's object id (``oid``) WHEN someone
    signs in again after their email address and name changed THEN it is the
    same account, brought up to date, and the change is recorded."""
    from django.contrib.auth.models import User

    from perfreport.audit.models import AuditEvent

    oid = "0b7c5e2a-1d4f-4c3b-9a8e-6f2d1c0b9a87"
    settings.PERFREPORT_OIDC_USER_CLAIM = "oid"
    provider.account("ann.lee", oid=oid, groups=["PR-Viewers"])
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "ann.lee")
        assert page.url == f"{live_server.url}/scorecard/"
    provider.account(
        "ann.lee", oid=oid, name="Ann Smith", email="ann.smith@example.org", groups=["PR-Viewers"]
    )
    with browser_page() as page:
        sso_sign_in(page, live_server.url, "ann.lee")
        assert page.url == f"{live_server.url}/scorecard/"

    [user] = User.objects.all()
    assert (user.username, user.first_name, user.email) == (
        oid,
        "Ann Smith",
        "ann.smith@example.org",
    )
    changed = AuditEvent.objects.get(object_type="person", action="update")
    assert changed.after == {"first_name": "Ann Smith", "email": "ann.smith@example.org"}
    assert changed.reason == "details from single sign-on"
