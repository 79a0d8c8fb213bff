"""The language of a report's email: a person's own; an outside address (a
committee clerk) gets Welsh then English when the organisation publishes in
both, English otherwise. Through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from distribution_helpers import DIRECTORATE, SITE, html_of, received, text_of

from perfreport.accounts.models import LanguagePreference
from perfreport.accounts.permissions import Actor
from perfreport.distribution.sending import send_subscriptions
from perfreport.distribution.services import SubscriptionInput, subscription_create
from perfreport.registry.models import Directorate, Organisation

pytestmark = pytest.mark.django_db


def subscribe(people: Any, **fields: Any) -> Any:
    values = {"report": "directorate", "delivery": "link", "on_publish": True, **fields}
    values.setdefault("directorate", Directorate.objects.get(name=DIRECTORATE))
    return subscription_create(Actor.of(people.admin), SubscriptionInput(**values))


def send(people: Any, published_round: Any, smtp: Any) -> dict[str, Any]:
    from perfreport.distribution.models import Subscription

    subscribe(
        people,
        recipient_kind="address",
        name="Clerk to the Scrutiny Committee",
        email="clerk@committee.example.org",
    )
    subscribe(people, recipient_kind="person", user=people.viewer)
    send_subscriptions(
        Subscription.objects.all(),
        published_round.get_period(),
        occasion="test",
        actor=Actor.of(people.admin),
    )
    return {to: messages[0] for to, messages in received(smtp).items()}


def test_in_bilingual_mode_an_outside_address_gets_welsh_then_english(
    people, published_round, smtp
):
    """GIVEN the organisation publishes in Welsh and English, a committee
    clerk's address and a councillor whose language is Cymraeg subscribed
    WHEN the report is sent
    THEN the clerk's email says everything in Welsh first, then in English,
    each with links to the pages in its language; the councillor's is in
    Welsh only."""
    Organisation.objects.filter(is_home=True).update(bilingual=True)
    LanguagePreference.objects.create(user=people.viewer, language="cy")

    mail = send(people, published_round, smtp)

    clerk = mail["clerk@committee.example.org"]
    text = text_of(clerk).replace("\r\n", "\n")
    assert text.startswith("Helo Clerk to the Scrutiny Committee,")
    welsh_at, english_at = text.index("Helo "), text.index("Hello ")
    assert welsh_at < english_at
    assert f"{SITE}/cy/public/reports/download?" in text[:english_at]
    assert f"{SITE}/public/reports/download?" in text[english_at:]
    assert " / " in clerk["Subject"]
    html = html_of(clerk)
    assert html.index('<div lang="cy">') < html.index('<div lang="en-GB">')

    viewer = text_of(mail["councillor@example.org"])
    assert viewer.startswith("Helo Val Viewer,") and "Hello" not in viewer
    assert f"{SITE}/cy/public/reports/download?" in viewer


def test_without_bilingual_mode_an_outside_address_gets_english_only(people, published_round, smtp):
    mail = send(people, published_round, smtp)

    clerk = text_of(mail["clerk@committee.example.org"])
    assert clerk.startswith("Hello Clerk to the Scrutiny Committee,")
    assert "Helo" not in clerk and "/cy/" not in clerk
    assert " / " not in mail["clerk@committee.example.org"]["Subject"]
