"""The People page: BI administrators invite people by email, give and take
away roles with their scope, and deactivate accounts; every change is in the
audit trail, and ``perfreport grant`` writes through the same service."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from browser import PASSWORD
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from perfreport.accounts.models import RoleGrant
from perfreport.accounts.permissions import grant
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Directorate, Indicator, Organisation, Service

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/accounts/welcome/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def boss(imported_example: None) -> User:
    """A BI administrator by role only: not a superuser, not 'staff'."""
    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD, first_name="Bo")
    grant(user, "admin")
    return user


@pytest.fixture
def admin(client: Any, boss: User) -> Any:
    client.force_login(boss)
    return client


@pytest.fixture
def viewer(imported_example: None) -> User:
    user = User.objects.create_user("councillor", "councillor@example.org", PASSWORD)
    grant(user, "viewer")
    return user


def home(**fields: Any) -> Organisation:
    found = Organisation.objects.get(is_home=True)
    for name, value in fields.items():
        setattr(found, name, value)
    found.save()
    return found


def invite(client: Any, **fields: str) -> Any:
    data = {"name": "Ann Lee", "email": "Ann.Lee@Example.org", "role": "", "scope": ""}
    return client.post(reverse("web:people"), {**data, **fields})


def people_events() -> Any:
    """The trail's events about people and roles (the import has its own)."""
    return AuditEvent.objects.filter(object_type__in=("person", "grant")).order_by("pk")


def signs_in(client: Any, username: str) -> bool:
    """Whether the sign-in form lets ``username`` in with the password."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 302


def scope_value(obj: Any) -> str:
    return f"{type(obj).__name__.lower()}:{obj.pk}"


# Who may use it


def test_only_administrators_may_open_the_people_page(client, boss, viewer):
    assert client.get("/people/").status_code == 302  # to sign in
    client.force_login(viewer)
    assert client.get("/people/").status_code == 403
    assert 'href="/people/"' not in client.get("/scorecard/").content.decode()

    client.force_login(boss)
    response = client.get("/people/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "councillor@example.org" in page and "Viewer" in page
    assert 'href="/people/"' in client.get("/scorecard/").content.decode()


def test_a_forged_post_by_someone_who_is_not_an_administrator_changes_nothing(client, viewer, boss):
    client.force_login(viewer)

    assert invite(client).status_code == 403
    assert client.post(f"/people/{boss.pk}/active", {"active": "no"}).status_code == 403
    assert client.post(f"/people/{viewer.pk}/", {"role": "admin"}).status_code == 403
    assert not User.objects.filter(email="ann.lee@example.org").exists()
    assert User.objects.get(pk=boss.pk).is_active
    assert list(viewer.role_grants.values_list("role", flat=True)) == ["viewer"]


# Inviting


def test_an_invitation_makes_an_account_with_no_password_and_emails_a_link_that_expires(
    admin, boss
):
    home(email_from="performance@council.example", report_contact="bi-team@council.example")
    directorate = Directorate.objects.first()

    response = invite(admin, role="approver", scope=scope_value(directorate))

    ann = User.objects.get(email="ann.lee@example.org")
    assert response.status_code == 303 and response["Location"] == f"/people/{ann.pk}/"
    assert ann.username == "ann.lee@example.org" and ann.get_full_name() == "Ann Lee"
    assert not ann.has_usable_password() and ann.is_active
    assert [(g.role, g.directorate) for g in ann.role_grants.all()] == [("approver", directorate)]
    events = people_events()
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "person"),
        ("create", "grant"),
    ]

    [sent] = mail.outbox
    assert sent.to == ["ann.lee@example.org"]
    assert sent.from_email == "performance@council.example"
    assert sent.subject.startswith("You have been invited to")
    assert LINK.search(sent.body)
    assert "expires in 3 days, on " in sent.body
    assert "Username: ann.lee@example.org" in sent.body
    assert "bi-team@council.example" in sent.body
    assert "Bo has made you an account" in sent.body
    html, kind = sent.alternatives[0]
    assert kind == "text/html" and LINK.search(html) and "expires in 3 days" in html

    page = admin.get(response["Location"]).content.decode()
    assert "Invitation sent to ann.lee@example.org." in page
    assert "Invited" in page and "Send the invitation again" in page


def test_the_invitation_comes_from_the_default_address_when_the_organisation_names_none(
    admin, settings
):
    home(email_from="")
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.net"

    invite(admin)

    assert mail.outbox[0].from_email == "perfreport@example.net"


def test_the_link_sets_the_password_once_and_then_the_person_can_sign_in(admin, client):
    invite(admin)
    link = LINK.search(mail.outbox[0].body).group().removeprefix("http://testserver")
    admin.logout()

    form_page = client.get(link, follow=True)
    assert "Choose your password" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    done = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert User.objects.get(username="ann.lee@example.org").check_password(PASSWORD)
    assert signs_in(client, "ann.lee@example.org")
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "This link does not work" in again


def test_an_invitation_link_stops_working_when_it_expires(admin, client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    invite(admin)
    assert "expires in 1 hour" in mail.outbox[0].body
    link = LINK.search(mail.outbox[0].body).group().removeprefix("http://testserver")

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        page = client.get(link, follow=True).content.decode()

    assert "This link does not work" in page
    assert not User.objects.get(username="ann.lee@example.org").has_usable_password()


@pytest.mark.parametrize(
    ("fields", "message", "kept"),
    [
        pytest.param({"name": ""}, "Enter the person&#x27;s name", "Ann.Lee@Example.org", id="no_name"),
        pytest.param({"email": "ann at example"}, "Enter an email address in the correct format", "ann at example", id="bad_email"),
        pytest.param({"name": "Ann\x0bLee"}, "The name holds a control character", "Ann.Lee@Example.org", id="control_character"),
        pytest.param({"role": "owner"}, "An owner&#x27;s grant names one indicator, service or directorate", "Ann Lee", id="owner_without_scope"),
        pytest.param({"role": "viewer", "scope": "DIRECTORATE"}, "Viewer has no scope: leave the scope empty", "Ann Lee", id="viewer_with_a_scope"),
        pytest.param({"email": "a" * 140 + "@example.org"}, "The email address must be 150 characters or fewer", "Ann Lee", id="email_too_long"),
        pytest.param({"scope": "DIRECTORATE"}, "Choose a role for the scope, or set the scope to none", "Ann Lee", id="scope_without_a_role"),
        pytest.param({"role": "owner", "scope": "indicator:999999"}, "Choose a directorate, service or indicator from the list", "Ann Lee", id="unknown_scope"),
    ],
)  # fmt: skip
def test_an_invitation_that_cannot_be_sent_says_why_and_keeps_what_was_typed(
    admin, fields, message, kept
):
    if fields.get("scope") == "DIRECTORATE":
        fields = {**fields, "scope": scope_value(Directorate.objects.first())}

    response = invite(admin, **fields)

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page, page
    assert f'value="{kept}"' in page
    assert page.count("<title>Error: People") == 1
    assert not User.objects.filter(email="ann.lee@example.org").exists()
    assert mail.outbox == [] and not people_events().exists()


def test_an_address_that_already_has_an_account_is_refused(admin, viewer):
    response = invite(admin, email="Councillor@example.org")

    assert response.status_code == 400
    assert "There is already an account for councillor@example.org" in response.content.decode()
    assert User.objects.filter(email__iexact="councillor@example.org").count() == 1


def test_a_failed_send_says_so_and_the_invitation_can_be_sent_again(admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2

    response = invite(admin)
    ann = User.objects.get(email="ann.lee@example.org")
    page = admin.get(response["Location"]).content.decode()
    assert "could not be sent" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = admin.post(f"/people/{ann.pk}/invite")

    assert again.status_code == 303
    assert [m.to for m in mail.outbox] == [["ann.lee@example.org"]]


# Roles


def test_giving_a_role_with_a_scope_is_recorded_in_the_audit_trail(admin, viewer):
    service = Service.objects.get(name="Customer Services")

    response = admin.post(f"/people/{viewer.pk}/", {"role": "owner", "scope": scope_value(service)})

    assert response.status_code == 303
    assert RoleGrant.objects.filter(user=viewer, role="owner", service=service).exists()
    event = AuditEvent.objects.get(object_type="grant", action="create")
    assert event.actor == "bi.admin" and event.after["service"] == service.pk
    page = admin.get(response["Location"]).content.decode()
    assert "now has the role Indicator owner or service lead for Customer Services" in page


def test_a_scope_the_role_does_not_take_shows_the_rule_and_keeps_the_choice(admin, viewer):
    indicator = Indicator.objects.get(ref="191")

    response = admin.post(
        f"/people/{viewer.pk}/", {"role": "approver", "scope": scope_value(indicator)}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "An approver signs off a directorate: name one, or none for every directorate" in page
    assert f'<option value="{scope_value(indicator)}" selected>' in page
    assert '<option value="approver" selected>' in page
    assert list(viewer.role_grants.values_list("role", flat=True)) == ["viewer"]


def test_no_role_is_chosen_for_you(admin, viewer):
    page = admin.get(f"/people/{viewer.pk}/").content.decode()
    assert (
        '<select class="select" id="id_role" name="role">\n    <option value="">Choose a role</option>'
        in page
    )

    response = admin.post(f"/people/{viewer.pk}/", {"role": "", "scope": ""})

    assert response.status_code == 400
    assert '<a href="#id_role">Choose a role</a>' in response.content.decode()
    assert list(viewer.role_grants.values_list("role", flat=True)) == ["viewer"]


def test_removing_a_role_takes_it_away_and_is_recorded(admin, viewer):
    role = viewer.role_grants.get()

    response = admin.post(f"/people/{viewer.pk}/roles/{role.pk}/remove")

    assert response.status_code == 303
    assert not viewer.role_grants.exists()
    event = AuditEvent.objects.get(object_type="grant", action="delete")
    assert event.before["role"] == "viewer" and event.object_id == str(role.pk)


def test_an_administrator_cannot_remove_their_own_admin_role_or_deactivate_themselves(admin, boss):
    role = boss.role_grants.get()

    admin.post(f"/people/{boss.pk}/roles/{role.pk}/remove")
    page = admin.post(f"/people/{boss.pk}/active", {"active": "no"}, follow=True)

    assert "You cannot deactivate yourself" in page.content.decode()
    assert boss.role_grants.filter(role="admin").exists()
    assert User.objects.get(pk=boss.pk).is_active
    assert not people_events().exists()


def test_the_grant_command_writes_through_the_same_audited_service(viewer):
    call_command("grant_role", "councillor", "owner", "--service", "Customer Services")
    call_command("grant_role", "councillor", "viewer", "--revoke")

    assert list(viewer.role_grants.values_list("role", flat=True)) == ["owner"]
    events = people_events()
    assert [(e.actor, e.action, e.object_type) for e in events] == [
        ("command line", "create", "grant"),
        ("command line", "delete", "grant"),
    ]


# Deactivating


def test_a_deactivated_person_cannot_sign_in_or_use_their_api_token_until_reactivated(
    admin, viewer, client
):
    from perfreport.api.models import ApiToken

    secret = ApiToken.objects.issue(viewer, "tests")[1]
    token = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    other = type(client)()
    assert other.get("/api/indicators", **token).status_code == 200
    signed_in = type(client)()
    signed_in.force_login(viewer)
    assert signed_in.get("/scorecard/").status_code == 200

    response = admin.post(f"/people/{viewer.pk}/active", {"active": "no"})

    assert response.status_code == 303
    assert not User.objects.get(pk=viewer.pk).is_active
    assert not signs_in(other, "councillor")
    assert signed_in.get("/scorecard/").status_code == 302  # their session ends too
    assert other.get("/api/indicators", **token).status_code == 401
    event = AuditEvent.objects.get(object_type="person")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})

    admin.post(f"/people/{viewer.pk}/active", {"active": "yes"})

    assert signs_in(other, "councillor")
    assert other.get("/api/indicators", **token).status_code == 200


# The admin site


def test_the_administrator_role_opens_the_admin_site_and_taking_it_away_closes_it(
    client, viewer, boss
):
    assert not boss.is_staff and not boss.is_superuser
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/registry/indicator/").status_code == 200
    assert 'href="/admin/"' in client.get("/scorecard/").content.decode()

    client.force_login(viewer)
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in
    assert 'href="/admin/"' not in client.get("/scorecard/").content.decode()

    viewer.role_grants.all().delete()
    grant(viewer, "admin")
    assert client.get("/admin/").status_code == 200
    RoleGrant.objects.filter(user=viewer, role="admin").delete()
    assert client.get("/admin/").status_code == 302


def test_with_single_sign_on_only_the_invitation_offers_no_password(admin, settings):
    """Password sign-in off (single sign-on): a password chosen from the email
    could never be used, so the invitation says to sign in with the
    organisation's account; a break-glass account is still offered one."""
    settings.PERFREPORT_PASSWORD_SIGNIN = False
    # The administrator inviting (signed in with a password) is one of them.
    settings.PERFREPORT_BREAK_GLASS_USERS = ["keyholder@example.org", "bi.admin"]
    settings.PERFREPORT_OIDC_PROVIDER_NAME = "Council account"

    invite(admin, role="viewer")
    invite(admin, name="Key Holder", email="keyholder@example.org", role="admin")

    by_sso, by_password = mail.outbox
    assert by_sso.to == ["ann.lee@example.org"]
    assert not LINK.search(by_sso.body) and "password" not in by_sso.subject
    assert 'Sign in at http://testserver/accounts/login/ with "Sign in with Council account"' in (
        by_sso.body
    )
    assert "choose a password" not in by_sso.body.lower()
    html, _ = by_sso.alternatives[0]
    assert not LINK.search(html) and "Sign in with Council account" in html
    assert by_password.to == ["keyholder@example.org"] and LINK.search(by_password.body)
