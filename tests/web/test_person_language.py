"""Each person's language: saved when they read the pages in another
language while signed in, set on purpose on "Your language" or by an
administrator on their page (audited), and the language of every email to
them: an invitation to a Welsh speaker arrives in Welsh, through a real SMTP
server, its links to the Welsh pages (/cy/...). The People pages work in
Welsh."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import pytest
from browser import PASSWORD
from django.contrib.auth.models import User
from django.test import Client
from smtp_helpers import Collector

from perfreport.accounts.languages import language_of
from perfreport.accounts.models import LanguagePreference
from perfreport.accounts.permissions import grant
from perfreport.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SITE = "https://perfreport.example.org"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE


@pytest.fixture
def boss(imported_example: None) -> User:
    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD, first_name="Bo")
    grant(user, "admin")
    return user


@pytest.fixture
def admin(client: Client, boss: User) -> Client:
    client.force_login(boss)
    return client


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def test_reading_a_page_in_welsh_while_signed_in_saves_the_language(admin, boss):
    assert language_of(boss) == "en-gb"
    assert admin.get("/people/").status_code == 200
    assert not LanguagePreference.objects.filter(user=boss).exists()  # nothing to save

    assert admin.get("/cy/people/").status_code == 200
    assert language_of(boss) == "cy"
    assert admin.get("/people/").status_code == 200
    assert language_of(boss) == "en-gb"


def test_signing_in_on_the_welsh_pages_saves_welsh(client, boss):
    answer = client.post("/cy/accounts/login/", {"username": "bi.admin", "password": PASSWORD})

    assert answer.status_code == 302
    assert language_of(boss) == "cy"


def test_a_visitor_who_is_not_signed_in_saves_nothing(client, boss):
    assert client.get("/cy/accounts/login/").status_code == 200
    assert not LanguagePreference.objects.exists()


def test_the_people_pages_are_in_welsh_under_cy(admin, boss):
    page = admin.get("/cy/people/").content.decode()
    assert '<html lang="cy">' in page
    assert "Pawb sydd â chyfrif" in page and "Gwahodd rhywun" in page
    assert "Everyone with an account" not in page and "Invite someone" not in page
    assert "Gweinyddwr gwybodaeth busnes" in page  # the role's name
    person = admin.get(f"/cy/people/{boss.pk}/").content.decode()
    assert "Rhoi rôl" in person and "Iaith eu negeseuon e-bost" in person
    assert "Give a role" not in person


def test_your_language_page_sets_it_and_audits_the_change(admin, boss):
    page = admin.get("/accounts/language/")
    assert page.status_code == 200 and "Language of your emails" in page.content.decode()

    answer = admin.post("/accounts/language/", {"language": "cy"})

    assert answer.status_code == 303 and answer["Location"] == "/cy/accounts/language/"
    assert language_of(boss) == "cy"
    shown = admin.get(answer["Location"]).content.decode()
    assert "Bydd eich negeseuon e-bost yn Gymraeg." in shown
    [event] = AuditEvent.objects.filter(object_type="person", object_id=str(boss.pk))
    assert (event.before, event.after) == ({"language": "en-gb"}, {"language": "cy"})
    assert admin.post("/accounts/language/", {"language": "xx"}).status_code == 400
    assert language_of(boss) == "cy"


def test_an_administrator_sets_a_persons_language_on_their_page(admin, boss, imported_example):
    other = User.objects.create_user("ann", "ann@example.org", PASSWORD, first_name="Ann")

    answer = admin.post(f"/people/{other.pk}/language", {"language": "cy"})

    assert answer.status_code == 303
    assert language_of(other) == "cy"
    [event] = AuditEvent.objects.filter(object_type="person", object_id=str(other.pk))
    assert event.actor and event.after == {"language": "cy"}
    page = admin.get(answer["Location"]).content.decode()
    assert "Ann&#x27;s emails will be in Cymraeg." in page


def test_someone_else_cannot_set_a_persons_language(client, boss, imported_example):
    viewer = User.objects.create_user("val", "val@example.org", PASSWORD)
    grant(viewer, "viewer")
    client.force_login(viewer)
    assert client.post(f"/people/{boss.pk}/language", {"language": "cy"}).status_code == 403
    assert language_of(boss) == "en-gb"


def test_an_invitation_to_a_welsh_speaker_arrives_in_welsh_with_welsh_links(admin, smtp: Collector):
    """GIVEN an administrator inviting someone whose language is Cymraeg
    WHEN the invitation is sent through the SMTP server
    THEN its subject and words are Welsh, its links open the Welsh pages,
    and an invitation in English to someone else stays as it was."""
    answer = admin.post(
        "/people/",
        {"name": "Ann Lee", "email": "ann@example.org", "language": "cy", "role": "", "scope": ""},
    )
    assert answer.status_code == 303
    admin.post(
        "/people/",
        {"name": "Bob Roe", "email": "bob@example.org", "language": "en-gb", "role": ""},
    )

    welsh, english = smtp.parsed()
    assert welsh["To"] == "ann@example.org"
    assert welsh["Subject"].startswith("Rydych wedi cael gwahoddiad i system adrodd ar berfformiad")
    text, html = parts(welsh)
    assert text.startswith("Helo Ann Lee,")
    assert "I ddechrau, dewiswch gyfrinair yma:" in text
    assert re.search(rf"{SITE}/cy/accounts/welcome/[^/\s]+/[^/\s]+/", text)
    assert f"{SITE}/cy/accounts/login/" in text
    assert "diwrnod" in text  # how long the link lasts, in Welsh
    assert '<html lang="cy">' in html and "Dewiswch eich cyfrinair" in html
    assert "Hello" not in text and "choose a password" not in text
    assert english["Subject"].startswith("You have been invited to")
    assert parts(english)[0].startswith("Hello Bob Roe,")
    assert f"{SITE}/accounts/welcome/" in parts(english)[0]


def test_a_password_reset_email_is_in_the_persons_language(client, boss, smtp: Collector):
    LanguagePreference.objects.create(user=boss, language="cy")

    client.post("/accounts/password_reset/", {"email": boss.email})

    [message] = smtp.parsed()
    assert message["Subject"].startswith("Ailosod eich cyfrinair")
    text, _html = parts(message)
    assert f"{SITE}/cy/accounts/reset/" in text


def test_a_client_that_keeps_no_cookie_reading_english_writes_nothing(client, boss):
    """A script or a load test reading the English pages while signed in,
    with no language cookie kept, writes no language at each page (before:
    one UPDATE a page, which on SQLite takes the write lock)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(boss)
    client.get("/people/")
    for _ in range(2):
        client.cookies.pop("perfreport_language", None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/people/").status_code == 200
        writes = [q["sql"] for q in queries if "languagepreference" in q["sql"].lower()]
        assert writes == []
