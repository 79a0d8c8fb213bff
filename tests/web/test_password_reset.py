"""Password reset by email and password change, through Django's views with
perfreport's pages; the reset page never tells whether an address has an
account. Emails checked against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
import time_machine
from browser import PASSWORD
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from smtp_helpers import smtp_server

from perfreport.accounts.permissions import grant
from perfreport.registry.models import Organisation

pytestmark = pytest.mark.django_db

NEW = "a brand new passphrase 7"
LINK = re.compile(r"http://testserver/accounts/reset/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _no_emails_remembered() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def person(db: None) -> User:
    user = User.objects.create_user("analyst", "analyst@example.org", PASSWORD, first_name="Al")
    grant(user, "viewer")
    return user


def signs_in(client: Any, username: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def ask_for_reset(client: Any, email: str) -> Any:
    return client.post("/accounts/password_reset/", {"email": email})


def test_the_sign_in_page_links_to_the_reset_and_a_signed_in_person_to_the_change(client, person):
    assert 'href="/accounts/password_reset/">Forgotten your password?' in (
        client.get("/accounts/login/").content.decode()
    )
    client.force_login(person)
    assert 'href="/accounts/password_change/"' in client.get("/scorecard/").content.decode()


def test_a_reset_link_lets_the_person_choose_a_new_password_once(client, person):
    response = ask_for_reset(client, "Analyst@Example.org")

    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    [sent] = mail.outbox
    assert sent.to == ["analyst@example.org"]
    assert "Your username is: analyst" in sent.body
    assert "expires in 3 days" in sent.body
    link = LINK.search(sent.body).group().removeprefix("http://testserver")

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert done["Location"] == "/accounts/reset/done/"
    assert signs_in(client, "analyst", NEW) and not signs_in(type(client)(), "analyst", PASSWORD)
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_reads_the_same_and_sends_nothing(client, person):
    known = ask_for_reset(client, "analyst@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["analyst@example.org"]]
    page = client.get(unknown["Location"]).content.decode()
    assert "If the address you entered belongs to an account" in page


def test_asking_again_within_five_minutes_sends_no_second_email(client, person):
    ask_for_reset(client, "analyst@example.org")
    again = ask_for_reset(client, "analyst@example.org")

    assert again["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        ask_for_reset(client, "analyst@example.org")
    assert len(mail.outbox) == 2


def test_a_deactivated_person_gets_no_reset_email(client, person):
    person.is_active = False
    person.save()

    response = ask_for_reset(client, "analyst@example.org")

    assert response.status_code == 302 and mail.outbox == []


def test_an_invited_person_who_lost_the_invitation_can_ask_for_a_link(client, person):
    person.set_unusable_password()
    person.save()

    ask_for_reset(client, "analyst@example.org")

    assert [m.to for m in mail.outbox] == [["analyst@example.org"]]


def test_a_bad_address_is_named_and_kept(client, person):
    response = ask_for_reset(client, "analyst at example")

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'value="analyst at example"' in page
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_the_reason(client, person):
    ask_for_reset(client, "analyst@example.org")
    link = LINK.search(mail.outbox[0].body).group().removeprefix("http://testserver")
    form = client.get(link, follow=True)

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)


def test_a_signed_in_person_changes_their_password(client, person):
    client.force_login(person)

    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response["Location"] == "/accounts/password_change/done/"
    assert User.objects.get(pk=person.pk).check_password(NEW)
    assert client.get("/scorecard/").status_code == 200  # still signed in


def test_the_change_page_asks_to_sign_in_first(client):
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_reset_email_goes_through_a_real_smtp_server_in_plain_text_and_html(
    client, person, settings
):
    Organisation.objects.create(
        code="E99999999",
        name="Example District Council",
        is_home=True,
        email_from="performance@district.example",
        report_contact="bi@district.example",
    )
    server, collector = smtp_server(settings)
    try:
        ask_for_reset(client, "analyst@example.org")
    finally:
        server.stop()

    [envelope] = collector.messages
    assert envelope.rcpt_tos == ["analyst@example.org"]
    assert envelope.mail_from == "performance@district.example"
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == (
        "Reset your password for Example District Council's performance reporting"
    )
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert LINK.search(text) and LINK.search(html)
    assert "bi@district.example" in text and "bi@district.example" in html
    assert "If you did not ask for this" in text


def test_with_single_sign_on_only_no_reset_link_is_sent_but_break_glass_accounts_get_one(
    client, person, settings
):
    """A link to set a password no one may sign in with would only be a
    puzzle (and a password to phish): the page reads the same, no email goes."""
    settings.PERFREPORT_PASSWORD_SIGNIN = False
    settings.PERFREPORT_BREAK_GLASS_USERS = ["keyholder"]
    User.objects.create_user("keyholder", "keyholder@example.org", PASSWORD)

    first = ask_for_reset(client, "analyst@example.org")
    second = ask_for_reset(client, "keyholder@example.org")

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert [sent.to for sent in mail.outbox] == [["keyholder@example.org"]]


def test_a_person_with_no_password_of_perfreports_is_not_asked_for_one(client, settings):
    """Signed in by single sign-on only: no "Change password" link, and the
    page says where their password is kept instead of asking for it."""
    settings.PERFREPORT_OIDC_PROVIDER_NAME = "Council account"
    user = User.objects.create_user("sso.person", "sso.person@example.org")  # no password
    grant(user, "viewer")
    client.force_login(user)

    home = client.get("/scorecard/").content.decode()
    page = client.get("/accounts/password_change/")

    assert "Change password" not in home and "Sign out" in home
    assert page.status_code == 200
    text = page.content.decode()
    assert "You sign in with Council account: perfreport keeps no password of yours." in text
    assert "Your current password" not in text


def test_someone_signed_in_with_no_role_is_told_who_they_are_signed_in_as(client):
    User.objects.create_user("bob@example.org", "bob@example.org", PASSWORD)
    client.post("/accounts/login/", {"username": "bob@example.org", "password": PASSWORD})

    page = client.get("/scorecard/")

    assert page.status_code == 403
    assert (
        "You are signed in as bob@example.org, who has no role in perfreport yet: "
        "ask the BI team for one." in page.content.decode()
    )
