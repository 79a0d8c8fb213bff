"""Reminders in each person's language: an owner whose language is Cymraeg
is reminded in Welsh, through a real SMTP server, with links to the Welsh
pages; an owner in English is reminded exactly as before."""

from __future__ import annotations

from email.message import EmailMessage
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from round_helpers import entry_of
from smtp_helpers import Collector

from perfreport.accounts.models import LanguagePreference

pytestmark = pytest.mark.django_db

SITE = "https://perfreport.example.org"
IN_WINDOW = "2021-01-13"  # the deadline, 15 January 2021, is 2 days away


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE
    settings.PERFREPORT_REMIND_DAYS = 3
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


def body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


def test_a_welsh_speaking_owner_is_reminded_in_welsh_with_welsh_links(
    open_round, personas, smtp: Collector
):
    """GIVEN the Customer Services lead's language is Cymraeg
    WHEN perfreport remind runs two days before the deadline
    THEN the lead's reminder is in Welsh (the month's name too), its links
    open the Welsh pages, and the IT owner's is in English as before."""
    LanguagePreference.objects.create(user=personas.lead, language="cy")

    call_command("remind", "--today", IN_WINDOW, stdout=StringIO(), stderr=StringIO())

    sent = {message["To"]: message for message in smtp.parsed()}
    welsh = sent["cs.lead@example.org"]
    assert welsh["Subject"].startswith("Eich ffigurau ar gyfer ")
    assert welsh["Subject"].endswith(": 9 i'w cyflwyno erbyn 15 Ionawr 2021")
    text = body(welsh, "plain")
    assert text.startswith("Helo ")
    assert "I'w gyflwyno erbyn: 15 Ionawr 2021" in text
    entry = entry_of(open_round, "192")
    assert f"{SITE}/cy/work/entries/{entry.pk}/" in text
    assert f"{SITE}/cy/accounts/login/" in text
    assert "Hello" not in text and "Due by" not in text
    assert "Not started" not in text  # the entry's state, in Welsh too
    html = body(welsh, "html")
    assert '<html lang="cy">' in html and f'href="{SITE}/cy/work/"' in html

    english = sent["it.owner@example.org"]
    assert english["Subject"].endswith(": 3 due by 15 January 2021")
    assert body(english, "plain").startswith("Hello ")
    assert f"{SITE}/work/entries/" in body(english, "plain")
