"""Notifications by email, sent by `perfreport remind` through a real SMTP
server on 127.0.0.1: the owner when a figure is returned (with the reason),
the approver when figures are sent for approval (one email for all of them),
the owners when their figures are published; from the organisation's
address, with sign-in help and the contact, in plain words, text and HTML."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from round_helpers import entry_of
from smtp_helpers import smtp_server

from perfreport.data.models import Round
from perfreport.registry.models import Organisation
from perfreport.rounds.models import ReminderSent
from perfreport.rounds.services import EntryInput, approve_entry, save_entry

pytestmark = pytest.mark.django_db

SITE = "https://perfreport.example.org"
BEFORE_WINDOW = "2021-01-04"  # no deadline reminders yet: only notifications


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


@pytest.fixture
def organisation(imported_example: None) -> Organisation:
    home = Organisation.objects.get(is_home=True)
    home.email_from = "performance@council.example.org"
    home.report_contact = "performance@council.example.org, 01234 567890"
    home.report_team = "Business Intelligence"
    home.save()
    return home


def remind(settings: Any, *args: str) -> tuple[str, dict[str, Any]]:
    """Run `perfreport remind` against a real SMTP server; (its output, the
    messages the server received by recipient)."""
    server, collector = smtp_server(settings)
    out, err = StringIO(), StringIO()
    try:
        call_command("remind", "--today", BEFORE_WINDOW, *args, stdout=out, stderr=err)
    finally:
        server.stop()
    received: dict[str, Any] = {}
    for envelope in collector.messages:
        for to in envelope.rcpt_tos:
            assert to not in received, f"{to} was sent two emails"
            received[to] = message_from_bytes(envelope.original_content)
    return out.getvalue(), received


def parts(message: Any) -> tuple[str, str]:
    """The plain text and the HTML of a message."""
    found = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    return found["text/plain"], found["text/html"]


def submit(actor: Any, entry: Any, value: str = "90") -> Any:
    entry.refresh_from_db()
    return save_entry(
        actor,
        entry.pk,
        EntryInput(value=value, actions="Recruiting four advisers"),
        version=entry.version,
        submit=True,
    )


def assert_plain_words_and_help(text: str, html: str, organisation: Organisation) -> None:
    for body in (text, html):
        assert "Quarter 3 2020/21" in body
        words = re.sub(r"https?://[^\s\"<]+", "", body).lower()  # addresses say /entries/
        assert "entries" not in words and "entry" not in words
        assert f"{SITE}/accounts/login/" in body
        assert organisation.report_contact in body
        assert "Business Intelligence" in body


def test_the_owner_is_emailed_with_the_reason_when_a_figure_is_returned_on_its_page(
    client, open_round, personas, actors, organisation, settings
):
    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry)
    remind(settings)  # the approver is told of the submission
    entry.refresh_from_db()
    client.force_login(personas.approver)

    page = client.post(
        f"/work/entries/{entry.pk}/return",
        {"reason": "December's calls are missing the out-of-hours line", "version": entry.version},
    )
    assert page.status_code in (302, 303)
    out, received = remind(settings)

    assert list(received) == ["cs.lead@example.org"]
    message = received["cs.lead@example.org"]
    assert message["Subject"] == "Your figures for Quarter 3 2020/21: 1 returned to you"
    assert message["From"] == "performance@council.example.org"
    text, html = parts(message)
    assert "Returned because: December's calls are missing the out-of-hours line" in text
    assert "December&#x27;s calls are missing the out-of-hours line" in html
    assert (
        f"{SITE}/work/entries/{entry.pk}/" in text
        and f'href="{SITE}/work/entries/{entry.pk}/"' in html
    )
    assert "Figure for: December 2020" in text
    assert "sign in with your username, cs.lead" in text
    assert_plain_words_and_help(text, html, organisation)
    assert "Told cs.lead@example.org: 1 figure returned to you" in out
    assert ReminderSent.objects.filter(user=personas.lead, kind="returned").count() == 1

    _, again = remind(settings)
    assert again == {}


def test_the_approver_gets_one_email_for_every_figure_sent_for_approval(
    open_round, personas, actors, organisation, settings
):
    for ref in ("190", "191", "192"):
        submit(actors["lead"], entry_of(open_round, ref))

    _, received = remind(settings)

    assert list(received) == ["cs.director@example.org"]
    message = received["cs.director@example.org"]
    assert message["Subject"] == "Figures for Quarter 3 2020/21: 3 waiting for your approval"
    text, html = parts(message)
    for ref in ("190", "191", "192"):
        entry = entry_of(open_round, ref)
        assert f"{ref} {entry.indicator.title}" in text
        assert f'href="{SITE}/work/entries/{entry.pk}/"' in html
    assert "Sent for approval by: cs.lead" in text
    assert_plain_words_and_help(text, html, organisation)
    assert ReminderSent.objects.filter(user=personas.approver, kind="approval").count() == 3


def test_owners_are_emailed_when_their_figures_are_published_on_the_page(
    client, open_round, personas, actors, organisation, settings
):
    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry, "72.5")
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    ReminderSent.objects.all().delete()
    client.force_login(personas.admin)
    versions = " ".join(f"{pk}:{v}" for pk, v in open_round.entries.values_list("pk", "version"))
    page = client.post(
        f"/rounds/{open_round.pk}/publish", {"seen": versions, "reason": "The rest come late"}
    )
    assert page.status_code == 302

    out, received = remind(settings)

    assert list(received) == ["cs.lead@example.org"]  # 194's owner had nothing published
    message = received["cs.lead@example.org"]
    assert message["Subject"] == "Your figures for Quarter 3 2020/21 are published"
    text, html = parts(message)
    assert "Published: 72.5%" in text and "Published: 72.5%" in html
    assert_plain_words_and_help(text, html, organisation)
    assert "Told cs.lead@example.org: 1 figure published" in out


def test_a_round_published_long_ago_is_not_announced(
    open_round, personas, actors, organisation, settings
):
    from perfreport.rounds.services import publish_round

    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry, "72.5")
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    Round.objects.filter(pk=open_round.pk).update(published_at=timezone.now() - timedelta(days=8))
    ReminderSent.objects.all().delete()

    _, received = remind(settings)

    assert received == {}
    assert not ReminderSent.objects.exists()


def test_without_an_organisation_address_emails_come_from_the_default(
    open_round, personas, actors, organisation, settings
):
    organisation.email_from = ""
    organisation.report_contact = ""
    organisation.save()
    submit(actors["lead"], entry_of(open_round, "191"))

    _, received = remind(settings)

    message = received["cs.director@example.org"]
    assert message["From"] == "perfreport@example.org"
    text, _ = parts(message)
    assert "Ask the team who run the reporting rounds" in text


def test_the_deadline_reminder_is_in_plain_words_with_help(
    open_round, personas, organisation, settings
):
    server, collector = smtp_server(settings)
    try:
        call_command("remind", "--today", "2021-01-13", stdout=StringIO(), stderr=StringIO())
    finally:
        server.stop()

    (lead,) = [
        message_from_bytes(e.original_content)
        for e in collector.messages
        if e.rcpt_tos == ["cs.lead@example.org"]
    ]
    # 190, 191 and 192 are monthly: October, November and December of each
    assert lead["Subject"] == "Your figures for Quarter 3 2020/21: 9 due by 15 January 2021"
    assert lead["From"] == "performance@council.example.org"
    text, html = parts(lead)
    assert "Your figures for Quarter 3 2020/21 are due by 15 January 2021." in text
    assert "<html" in html
    assert_plain_words_and_help(text, html, organisation)


def test_the_owner_hears_of_a_return_at_once_and_remind_does_not_tell_them_again(
    client, open_round, personas, actors, organisation, settings, smtp,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """GIVEN a submitted figure WHEN its approver returns it on its page THEN
    the owner's email goes out as the return commits, through the same
    claim as remind's, so the next run of remind sends nothing more."""
    commits = django_capture_on_commit_callbacks
    _, page = returned_on_its_page(client, open_round, personas, actors, commits)

    assert page.status_code in (302, 303)
    [message] = smtp.parsed()
    assert message["To"] == "cs.lead@example.org"
    assert message["Subject"] == "Your figures for Quarter 3 2020/21: 1 returned to you"
    assert ReminderSent.objects.filter(user=personas.lead, kind="returned").count() == 1
    _, received = remind(settings)
    assert "cs.lead@example.org" not in received


def test_a_return_stands_when_the_mail_server_is_down(
    client, open_round, personas, actors, organisation, settings, django_capture_on_commit_callbacks
):
    from smtp_helpers import free_port

    commits = django_capture_on_commit_callbacks
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listening
    entry, page = returned_on_its_page(client, open_round, personas, actors, commits)

    assert page.status_code in (302, 303)
    entry.refresh_from_db()
    assert entry.state == "returned"
    assert not ReminderSent.objects.filter(kind="returned").exists()  # remind will send it


def returned_on_its_page(client, open_round, personas, actors, commits):
    """191 submitted by its lead, then returned by its approver on its page,
    with what the return commits run: (the entry, the page's answer)."""
    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry)
    entry.refresh_from_db()
    client.force_login(personas.approver)
    with commits(execute=True):
        page = client.post(
            f"/work/entries/{entry.pk}/return",
            {"reason": "The out-of-hours line is missing", "version": entry.version},
        )
    return entry, page
