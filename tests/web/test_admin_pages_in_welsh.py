"""The administrators' pages work in Welsh at /cy/...: sign-in, people,
schedules, runs, feeds, distribution and import, each with its own words in
Welsh and none of its English left, and the same pages in English as
before."""

from __future__ import annotations

from html import unescape

import pytest
from browser import PASSWORD
from django.contrib.auth.models import User
from django.test import Client

from perfreport.accounts.permissions import grant

pytestmark = pytest.mark.django_db

# (address, Welsh that must be there, the English it replaces)
PAGES = [
    ("/people/", "Gwahodd rhywun", "Invite someone"),
    ("/accounts/password_change/", "Newid eich cyfrinair", "Change your password"),
    ("/accounts/language/", "Iaith eich negeseuon e-bost", "Language of your emails"),
    ("/schedules/", "Ychwanegu amserlen", "Add a schedule"),
    ("/schedules/add", "Pa dasg ddylai redeg ar amserlen?", "Which job should run"),
    ("/runs/", "Pob rhediad o waith cefndir", "Every run of background work"),
    ("/feeds/", "Ychwanegu ffrwd", "Add a feed"),
    ("/feeds/add", "O ble mae'r ffigurau'n dod", "Where the figures come from"),
    ("/distribution/", "Ychwanegu tanysgrifiad", "Add a subscription"),
    ("/distribution/new", "Pwy sy'n ei gael", "Who gets it"),
    ("/distribution/sendings/", "Hanes anfon", "History of sendings"),
    ("/imports/", "Llwytho i fyny a gwirio", "Upload and check"),
]


@pytest.fixture
def admin(client: Client, imported_example: None) -> Client:
    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(user, "admin")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("path", "welsh", "english"),
    [pytest.param(*page, id=page[0]) for page in PAGES if page[1]],
)
def test_an_administrators_page_is_in_welsh_under_cy(admin, path, welsh, english):
    in_welsh = admin.get("/cy" + path)
    assert in_welsh.status_code == 200
    page = unescape(in_welsh.content.decode())
    assert '<html lang="cy">' in page
    assert welsh in page
    assert english not in page

    in_english = unescape(admin.get(path).content.decode())
    assert english in in_english
    assert welsh not in in_english


def test_the_sign_in_pages_are_in_welsh(client: Client, imported_example: None):
    page = client.get("/cy/accounts/login/").content.decode()
    assert "Mewngofnodi" in page and "Wedi anghofio eich cyfrinair?" in page
    assert "Forgotten your password?" not in page
    reset = client.get("/cy/accounts/password_reset/").content.decode()
    assert "Anfon y ddolen" in reset and "Send the link" not in reset
    refused = client.post(
        "/cy/accounts/login/", {"username": "nobody", "password": "wrong password"}
    ).content.decode()
    assert "Rhowch enw defnyddiwr a chyfrinair cywir." in refused
