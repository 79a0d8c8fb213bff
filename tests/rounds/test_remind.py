"""`perfreport remind`: owners are told what is due or overdue, approvers what
is waiting, each reminder once, by the email backend the settings choose
(locmem here, and a real SMTP server on localhost in one test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from round_helpers import ROUND_PERIOD, entry_of

from perfreport.rounds.models import ReminderSent
from perfreport.rounds.services import EntryInput, approve_entry, return_entry, save_entry

pytestmark = pytest.mark.django_db

SITE = "https://perfreport.example.org"
IN_WINDOW = "2021-01-13"  # the deadline, 15 January, is 2 days away
BEFORE_WINDOW = "2021-01-04"  # the day the round opened: 11 days to go
AFTER_DEADLINE = "2021-01-16"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE + "/"  # a trailing slash is not doubled
    settings.PERFREPORT_REMIND_DAYS = 3
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


def remind(*args: str) -> tuple[int, str, str]:
    """Run the command as cron would; (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("remind", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


def link(entry: Any) -> str:
    return f"{SITE}/work/entries/{entry.pk}/"


def mail_to(outbox: list[Any], address: str) -> list[Any]:
    return [m for m in outbox if m.to == [address]]


def submit(actor: Any, entry: Any, value: str = "90") -> Any:
    entry.refresh_from_db()
    return save_entry(actor, entry.pk, EntryInput(value=value), version=entry.version, submit=True)


def test_owners_get_one_email_listing_their_entries_due_by_the_deadline(
    open_round, personas, mailoutbox
):
    status, out, err = remind("--today", IN_WINDOW)

    assert status == 0, err
    assert sorted(m.to[0] for m in mailoutbox) == ["cs.lead@example.org", "it.owner@example.org"]
    (lead,) = mail_to(mailoutbox, "cs.lead@example.org")
    assert lead.subject == "Performance round 2020/21 Q3: 3 entries due by 15 January 2021"
    assert lead.from_email == "perfreport@example.org"
    ours = [entry_of(open_round, ref) for ref in ("190", "191", "192")]
    for entry in ours:
        assert link(entry) in lead.body
        assert f"{entry.indicator.ref} {entry.indicator.title}" in lead.body
    assert "December 2020" in lead.body  # 191 is monthly: its entry is for 2020-12
    assert "Deadline: 15 January 2021" in lead.body
    others = open_round.entries.exclude(pk__in=[e.pk for e in ours])
    assert not [e for e in others if link(e) in lead.body]
    (it,) = mail_to(mailoutbox, "it.owner@example.org")
    assert it.subject.endswith(": 1 entry due by 15 January 2021")
    assert link(entry_of(open_round, "194")) in it.body
    assert "Reminded cs.lead@example.org: 3 entries due by 15 January 2021" in out
    assert out.strip().endswith("Sent 2 reminders.")
    recorded = ReminderSent.objects.filter(user=personas.lead, kind="due")
    assert sorted(recorded.values_list("entry__indicator__ref", flat=True)) == [
        "190",
        "191",
        "192",
    ]
    assert set(recorded.values_list("occasion", flat=True)) == {"2021-01-15"}


def test_a_second_run_sends_nothing(open_round, personas, mailoutbox):
    remind("--today", IN_WINDOW)
    first = len(mailoutbox)

    status, out, _ = remind("--today", IN_WINDOW)

    assert first == 2
    assert status == 0
    assert len(mailoutbox) == first
    assert "Nothing to remind" in out
    assert ReminderSent.objects.count() == 4


def test_nobody_is_reminded_before_the_window_opens(open_round, personas, mailoutbox):
    status, out, _ = remind("--today", BEFORE_WINDOW, "--days", "10")

    assert status == 0
    assert mailoutbox == []
    assert "Nothing to remind" in out
    assert not ReminderSent.objects.exists()


def test_days_defaults_to_the_setting(open_round, personas, mailoutbox, settings):
    settings.PERFREPORT_REMIND_DAYS = 11

    remind("--today", BEFORE_WINDOW)

    assert len(mailoutbox) == 2


def test_the_recipients_are_the_people_who_may_edit_the_entries_but_not_administrators(
    open_round, personas
):
    """GIVEN an owner for the whole directorate as well as the personas
    WHEN the reminders are worked out
    THEN each open entry goes to exactly the people Actor.can_edit allows, less administrators."""
    from django.contrib.auth.models import User

    from perfreport.registry.models import Directorate
    from perfreport.rounds.permissions import Actor, grant
    from perfreport.rounds.reminders import find_reminders

    corporate = Directorate.objects.get(name="Corporate Services")
    grant(
        User.objects.create_user("corp.owner", "corp.owner@example.org"),
        "owner",
        directorate=corporate,
    )
    people = [*User.objects.all()]
    open_entries = [
        e for e in open_round.entries.select_related("indicator") if e.entry_state.is_open
    ]

    found = {(r.user.pk, i.entry.pk) for r in find_reminders(date(2021, 1, 13), 3) for i in r.items}

    expected = {
        (person.pk, entry.pk)
        for person in people
        for entry in open_entries
        if not Actor.of(person).is_admin and Actor.of(person).can_edit(entry.indicator)
    }
    assert found == expected
    assert {pk for pk, _ in found} == {
        personas.lead.pk,
        personas.it_lead.pk,
        User.objects.get(username="corp.owner").pk,
    }


def test_overdue_entries_are_reminded_after_the_deadline(open_round, personas, mailoutbox):
    remind("--today", IN_WINDOW)
    mailoutbox.clear()

    status, out, _ = remind("--today", AFTER_DEADLINE)

    assert status == 0
    (lead,) = mail_to(mailoutbox, "cs.lead@example.org")
    assert lead.subject == (
        "Performance round 2020/21 Q3: 3 entries overdue (due by 15 January 2021)"
    )
    assert "overdue" in lead.body
    assert "Reminded cs.lead@example.org: 3 entries overdue" in out
    assert ReminderSent.objects.filter(kind="overdue", user=personas.lead).count() == 3
    mailoutbox.clear()
    assert remind("--today", "2021-01-20")[0] == 0
    assert mailoutbox == []


def test_the_approver_is_told_once_of_each_submission(open_round, personas, actors, mailoutbox):
    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry)

    status, out, _ = remind("--today", BEFORE_WINDOW)

    assert status == 0
    assert [m.to for m in mailoutbox] == [["cs.director@example.org"]]
    (approval,) = mailoutbox
    assert approval.subject == "Performance round 2020/21 Q3: 1 entry awaiting your approval"
    assert link(entry) in approval.body
    assert "Submitted by: cs.lead" in approval.body
    assert "Reminded cs.director@example.org: 1 entry awaiting your approval" in out

    mailoutbox.clear()
    remind("--today", BEFORE_WINDOW)
    assert mailoutbox == []

    return_entry(actors["approver"], entry.pk, "Check the December figure")
    remind("--today", BEFORE_WINDOW)
    assert mailoutbox == []  # returned: the owner's to work on, and not yet in the window
    submit(actors["lead"], entry, "91")
    remind("--today", BEFORE_WINDOW)
    (again,) = mailoutbox
    assert again.to == ["cs.director@example.org"]
    assert link(entry) in again.body
    assert ReminderSent.objects.filter(user=personas.approver, kind="approval").count() == 2


def test_a_submitted_entry_leaves_the_owners_reminder(open_round, personas, actors, mailoutbox):
    submit(actors["lead"], entry_of(open_round, "191"))

    remind("--today", IN_WINDOW)

    (lead,) = mail_to(mailoutbox, "cs.lead@example.org")
    assert lead.subject.endswith(": 2 entries due by 15 January 2021")
    assert link(entry_of(open_round, "191")) not in lead.body


def test_an_approver_is_not_asked_to_approve_their_own_submission(
    open_round, personas, actors, mailoutbox
):
    from perfreport.registry.models import Directorate
    from perfreport.rounds.permissions import Actor, grant

    grant(personas.lead, "approver", directorate=Directorate.objects.get(name="Corporate Services"))
    submit(Actor.of(personas.lead), entry_of(open_round, "191"))

    remind("--today", BEFORE_WINDOW)

    assert [m.to for m in mailoutbox] == [["cs.director@example.org"]]


def test_nobody_is_emailed_about_approved_or_published_entries(
    open_round, personas, actors, mailoutbox
):
    from perfreport.rounds.services import publish_round

    entry = entry_of(open_round, "191")
    submit(actors["lead"], entry)
    approve_entry(actors["approver"], entry.pk)

    remind("--today", IN_WINDOW)

    assert not [m for m in mailoutbox if link(entry) in m.body]
    assert mail_to(mailoutbox, "cs.director@example.org") == []
    mailoutbox.clear()
    ReminderSent.objects.all().delete()
    open_round.entries.exclude(state="approved").update(state="not_started")
    publish_round(actors["admin"], open_round.pk)

    status, out, _ = remind("--today", AFTER_DEADLINE)

    assert status == 0
    assert mailoutbox == []
    assert "Nothing to remind" in out


def test_dry_run_says_who_would_be_emailed_and_records_nothing(open_round, personas, mailoutbox):
    status, out, _ = remind("--today", IN_WINDOW, "--dry-run")

    assert status == 0
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()
    assert (
        "Would remind cs.lead@example.org: Performance round 2020/21 Q3: 3 entries due by "
        "15 January 2021" in out
    )
    assert link(entry_of(open_round, "194")) in out
    assert "2 reminders would be sent; nothing was sent or recorded" in out
    remind("--today", IN_WINDOW)
    assert len(mailoutbox) == 2  # the real run still sends them


def test_people_without_an_email_address_are_named_and_skipped(open_round, personas, mailoutbox):
    personas.lead.email = ""
    personas.lead.save()

    status, _, err = remind("--today", IN_WINDOW)

    assert status == 0
    assert [m.to for m in mailoutbox] == [["it.owner@example.org"]]
    assert "cs.lead has no email address" in err
    assert not ReminderSent.objects.filter(user=personas.lead).exists()


def test_inactive_people_are_not_reminded(open_round, personas, mailoutbox):
    personas.it_lead.is_active = False
    personas.it_lead.save()

    remind("--today", IN_WINDOW)

    assert [m.to for m in mailoutbox] == [["cs.lead@example.org"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--today", "2021-13-01"], "'2021-13-01' is not a date", id="bad_today"),
        pytest.param(["--days", "-1"], "'-1' is not a number of days", id="negative_days"),
    ],
)
def test_a_bad_option_is_a_usage_error_that_says_why(args, message, capsys):
    from perfreport.cli import main

    assert main(["remind", *args]) == 2
    assert message in capsys.readouterr().err


def test_the_command_line_entry_point_documents_the_options(capsys):
    from perfreport.cli import main

    assert main(["remind", "--help"]) == 0
    shown = capsys.readouterr().out
    for option in ("--days", "--dry-run", "--today"):
        assert option in shown


def test_the_console_backend_prints_the_email(open_round, personas, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    status, _, _ = remind("--today", IN_WINDOW)

    printed = capsys.readouterr().out
    assert status == 0
    assert "Subject: Performance round 2020/21 Q3: 3 entries due by 15 January 2021" in printed
    assert "To: cs.lead@example.org" in printed


@pytest.mark.parametrize(
    ("host", "backend"),
    [
        pytest.param("", "django.core.mail.backends.console.EmailBackend", id="no_host_console"),
        pytest.param("mail.example.org", "django.core.mail.backends.smtp.EmailBackend", id="smtp"),
    ],
)
def test_email_goes_to_the_console_unless_email_host_is_set(host, backend):
    env = {**os.environ, "EMAIL_HOST": host, "DJANGO_SETTINGS_MODULE": "perfreport.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == backend


# A real SMTP server on localhost


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_server(settings: Any) -> tuple[Any, Collector]:
    from aiosmtpd.controller import Controller

    collector = Collector()
    port = free_port()
    server = Controller(collector, hostname="127.0.0.1", port=port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    return server, collector


def test_reminders_go_through_a_real_smtp_server_and_a_failed_send_is_retried(
    open_round, personas, actors, settings
):
    from email import message_from_bytes

    server, collector = smtp_server(settings)
    try:
        status, out, err = remind("--today", IN_WINDOW)
    finally:
        server.stop()

    assert status == 0, err
    to = sorted(rcpt for envelope in collector.messages for rcpt in envelope.rcpt_tos)
    assert to == ["cs.lead@example.org", "it.owner@example.org"]
    sent = {
        envelope.rcpt_tos[0]: message_from_bytes(envelope.original_content)
        for envelope in collector.messages
    }
    lead = sent["cs.lead@example.org"]
    assert lead["Subject"] == "Performance round 2020/21 Q3: 3 entries due by 15 January 2021"
    assert lead["To"] == "cs.lead@example.org"
    body = lead.get_payload(decode=True).decode()
    assert link(entry_of(open_round, "192")) in body

    # The server is down when the approver has work waiting.
    submit(actors["lead"], entry_of(open_round, "191"))
    status, out, err = remind("--today", IN_WINDOW)

    assert status == 1
    assert "Could not remind cs.director@example.org of 1 entry awaiting your approval" in err
    assert "tried again on the next run" in err
    assert "Sent 0 reminders; 1 reminder could not be sent." in out
    assert not ReminderSent.objects.filter(user=personas.approver).exists()

    server, collector = smtp_server(settings)
    try:
        status, out, err = remind("--today", IN_WINDOW)
    finally:
        server.stop()

    assert status == 0, err
    assert [envelope.rcpt_tos for envelope in collector.messages] == [["cs.director@example.org"]]
    assert ReminderSent.objects.filter(user=personas.approver, kind="approval").count() == 1
    assert ROUND_PERIOD in message_from_bytes(collector.messages[0].original_content)["Subject"]


def test_a_moved_deadline_makes_the_entries_due_again(open_round, personas, mailoutbox):
    remind("--today", IN_WINDOW)
    open_round.deadline = date(2021, 1, 22)
    open_round.save()
    mailoutbox.clear()

    remind("--today", "2021-01-20")

    (lead,) = mail_to(mailoutbox, "cs.lead@example.org")
    assert lead.subject.endswith(": 3 entries due by 22 January 2021")
