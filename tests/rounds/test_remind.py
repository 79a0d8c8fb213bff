"""`perfreport remind`: owners are told what is due or overdue, approvers what
is waiting, each reminder once, by the email backend the settings choose
(locmem here, and a real SMTP server on localhost in two tests), even when
two runs overlap."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from round_helpers import entry_of
from smtp_helpers import smtp_server

import perfreport.rounds.management.commands.remind as remind_command
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
    assert lead.subject == "Your figures for Quarter 3 2020/21: 9 due by 15 January 2021"
    assert lead.from_email == "perfreport@example.org"
    ours = [entry_of(open_round, ref) for ref in ("190", "191", "192")]
    for entry in ours:
        assert link(entry) in lead.body
        assert f"{entry.indicator.ref} {entry.indicator.title}" in lead.body
    # 191 is monthly: its entries are for each month of the quarter with no value.
    assert "December 2020" in lead.body and "October 2020" in lead.body
    assert "Due by: 15 January 2021" in lead.body
    ours = list(open_round.entries.filter(indicator__ref__in=("190", "191", "192")))
    assert len(ours) == 9  # October, November and December of each
    for entry in ours:
        assert link(entry) in lead.body
    others = open_round.entries.exclude(pk__in=[e.pk for e in ours])
    assert not [e for e in others if link(e) in lead.body]
    (it,) = mail_to(mailoutbox, "it.owner@example.org")
    assert it.subject.endswith(": 3 due by 15 January 2021")
    assert link(entry_of(open_round, "194")) in it.body
    assert "Reminded cs.lead@example.org: 9 figures due by 15 January 2021" in out
    assert out.strip().endswith("Sent 2 reminders.")
    recorded = ReminderSent.objects.filter(user=personas.lead, kind="due")
    assert sorted(recorded.values_list("entry__indicator__ref", flat=True)) == [
        *["190"] * 3,
        *["191"] * 3,
        *["192"] * 3,
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
    assert ReminderSent.objects.count() == 12


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

    from perfreport.accounts.permissions import Actor, grant
    from perfreport.registry.models import Directorate
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
        "Your figures for Quarter 3 2020/21: 9 overdue (due by 15 January 2021)"
    )
    assert "overdue" in lead.body
    assert "Reminded cs.lead@example.org: 9 figures overdue" in out
    assert ReminderSent.objects.filter(kind="overdue", user=personas.lead).count() == 9
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
    assert approval.subject == "Figures for Quarter 3 2020/21: 1 waiting for your approval"
    assert link(entry) in approval.body
    assert "Sent for approval by: cs.lead" in approval.body
    assert "Reminded cs.director@example.org: 1 figure waiting for your approval" in out

    mailoutbox.clear()
    remind("--today", BEFORE_WINDOW)
    assert mailoutbox == []

    return_entry(actors["approver"], entry.pk, "Check the December figure")
    remind("--today", BEFORE_WINDOW)
    # returned: the owner is told (not the approver), though not yet in the window
    (returned,) = mailoutbox
    assert returned.to == ["cs.lead@example.org"]
    assert "Returned because: Check the December figure" in returned.body
    mailoutbox.clear()
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
    assert lead.subject.endswith(": 8 due by 15 January 2021")
    assert link(entry_of(open_round, "191")) not in lead.body


def test_an_approver_is_not_asked_to_approve_their_own_submission(
    open_round, personas, actors, mailoutbox
):
    from perfreport.accounts.permissions import Actor, grant
    from perfreport.registry.models import Directorate

    grant(personas.lead, "approver", directorate=Directorate.objects.get(name="Corporate Services"))
    submit(Actor.of(personas.lead), entry_of(open_round, "191"))

    remind("--today", BEFORE_WINDOW)

    assert [m.to for m in mailoutbox] == [["cs.director@example.org"]]


def test_nobody_is_reminded_of_approved_or_published_entries_but_owners_are_told_once_of_publication(
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
    (published,) = mailoutbox
    assert published.to == ["cs.lead@example.org"]
    assert published.subject == "Your figures for Quarter 3 2020/21 are published"
    assert "Told cs.lead@example.org: 1 figure published" in out
    mailoutbox.clear()
    status, out, _ = remind("--today", AFTER_DEADLINE)
    assert mailoutbox == []
    assert "Nothing to remind" in out


def test_dry_run_says_who_would_be_emailed_and_records_nothing(open_round, personas, mailoutbox):
    status, out, _ = remind("--today", IN_WINDOW, "--dry-run")

    assert status == 0
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()
    assert (
        "Would remind cs.lead@example.org: Your figures for Quarter 3 2020/21: 9 due by "
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
    assert "Subject: Your figures for Quarter 3 2020/21: 9 due by 15 January 2021" in printed
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
    assert lead["Subject"] == "Your figures for Quarter 3 2020/21: 9 due by 15 January 2021"
    assert lead["To"] == "cs.lead@example.org"
    text, html = (part.get_payload(decode=True).decode() for part in lead.get_payload())
    assert link(entry_of(open_round, "192")) in text
    assert f'href="{link(entry_of(open_round, "192"))}"' in html

    # The server is down when the approver has work waiting.
    submit(actors["lead"], entry_of(open_round, "191"))
    status, out, err = remind("--today", IN_WINDOW)

    assert status == 1
    assert "Could not remind cs.director@example.org of 1 figure waiting for your approval" in err
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
    assert (
        "Quarter 3 2020/21" in message_from_bytes(collector.messages[0].original_content)["Subject"]
    )


def test_a_moved_deadline_makes_the_entries_due_again(open_round, personas, mailoutbox):
    remind("--today", IN_WINDOW)
    open_round.deadline = date(2021, 1, 22)
    open_round.save()
    mailoutbox.clear()

    remind("--today", "2021-01-20")

    (lead,) = mail_to(mailoutbox, "cs.lead@example.org")
    assert lead.subject.endswith(": 9 due by 22 January 2021")


# Claimed before sent: never twice, even by runs that overlap


class RecordingBackend:
    """An email backend that notes, for each message, which entries were
    already recorded for its recipient when it was handed over, and
    refuses the addresses in ``refuse`` as an SMTP server would."""

    def __init__(self, *refuse: str) -> None:
        self.refuse = set(refuse)
        self.sent: list[Any] = []
        self.recorded_when_sent: dict[str, list[str]] = {}

    def send_messages(self, messages: list[Any]) -> int:
        import smtplib

        for message in messages:
            (to,) = message.to
            recorded = ReminderSent.objects.filter(user__email=to)
            self.recorded_when_sent[to] = sorted(
                recorded.values_list("entry__indicator__ref", flat=True)
            )
            if to in self.refuse:
                raise smtplib.SMTPRecipientsRefused({to: (550, b"5.1.1 No such user")})
            self.sent.append(message)
        return len(messages)


def use_backend(monkeypatch: pytest.MonkeyPatch, backend: RecordingBackend) -> None:
    monkeypatch.setattr(remind_command, "get_connection", lambda: backend)


def after_finding(monkeypatch: pytest.MonkeyPatch, then: Callable[[], None]) -> None:
    """Make the command call ``then()`` after it has worked out the reminders
    and before it sends (claims) any: what another run does meanwhile."""
    find = remind_command.find_reminders

    def find_then(today: date, days: int) -> list[Any]:
        found = find(today, days)
        then()
        return found

    monkeypatch.setattr(remind_command, "find_reminders", find_then)


def test_a_reminder_is_claimed_before_it_is_sent_and_the_claim_deleted_if_the_send_fails(
    open_round, personas, monkeypatch
):
    """GIVEN a mail server that refuses cs.lead's address
    WHEN the reminders are sent
    THEN each email's entries are recorded before the email is handed to the
    server; cs.lead's record is deleted again, the command ends with status 1,
    and the next run sends cs.lead's email."""
    refusing = RecordingBackend("cs.lead@example.org")
    use_backend(monkeypatch, refusing)

    status, out, err = remind("--today", IN_WINDOW)

    assert status == 1
    assert refusing.recorded_when_sent == {
        "cs.lead@example.org": [*["190"] * 3, *["191"] * 3, *["192"] * 3],
        "it.owner@example.org": ["194"] * 3,  # October, November, December
    }
    assert [m.to for m in refusing.sent] == [["it.owner@example.org"]]
    assert (
        "Could not remind cs.lead@example.org of 9 figures due by 15 January 2021: "
        "SMTPRecipientsRefused" in err
    )
    assert "Sent 1 reminder; 1 reminder could not be sent." in out
    assert not ReminderSent.objects.filter(user=personas.lead).exists()
    assert ReminderSent.objects.filter(user=personas.it_lead).count() == 3

    accepting = RecordingBackend()
    use_backend(monkeypatch, accepting)
    status, out, err = remind("--today", IN_WINDOW)

    assert status == 0, err
    assert [m.to for m in accepting.sent] == [["cs.lead@example.org"]]
    assert accepting.sent[0].subject.endswith(": 9 due by 15 January 2021")
    assert ReminderSent.objects.filter(user=personas.lead).count() == 9


def test_an_email_lists_only_the_entries_this_run_claimed(
    open_round, personas, mailoutbox, monkeypatch
):
    """GIVEN another run records 191 for cs.lead, and 194 for it.owner (each
    month of the quarter), after this run has read what is due and before it sends
    THEN cs.lead's email lists 190 and 192 only, and it.owner gets none."""

    def another_run_claims() -> None:
        for person, ref in ((personas.lead, "191"), (personas.it_lead, "194")):
            for entry in open_round.entries.filter(indicator__ref=ref):
                ReminderSent.objects.create(
                    user=person, entry=entry, kind="due", occasion="2021-01-15"
                )

    after_finding(monkeypatch, another_run_claims)

    status, out, err = remind("--today", IN_WINDOW)

    assert status == 0, err
    (lead,) = mailoutbox
    assert lead.to == ["cs.lead@example.org"]
    assert lead.subject.endswith(": 6 due by 15 January 2021")
    assert link(entry_of(open_round, "190")) in lead.body
    assert link(entry_of(open_round, "192")) in lead.body
    assert link(entry_of(open_round, "191")) not in lead.body
    assert "Reminded cs.lead@example.org: 6 figures due by 15 January 2021" in out
    assert (
        "Not reminding it.owner@example.org of 3 figures due by 15 January 2021: another run "
        "has sent it or is sending it." in out
    )
    assert out.strip().endswith("Sent 1 reminder; 1 reminder left to another run.")
    assert ReminderSent.objects.filter(user=personas.lead).count() == 9
    assert ReminderSent.objects.filter(user=personas.it_lead).count() == 3


WAIT = 20  # seconds a thread waits for the other; less than EMAIL_TIMEOUT (30)


@contextmanager
def database_named(name: str) -> Iterator[None]:
    """Point this thread's connection, and the threads' it opens, at the
    SQLite database ``name``, and back at the in-memory test database after."""
    from django.db import connection

    settings = connection.settings_dict
    memory_name = settings["NAME"]
    # The shared in-memory database lives as long as a connection to it does.
    keep_alive = sqlite3.connect(memory_name, uri=True)
    try:
        settings["NAME"] = name
        connection.close()  # closing is refused while the name is the in-memory one
        yield
    finally:
        connection.close()
        settings["NAME"] = memory_name
        connection.ensure_connection()
        keep_alive.close()


@pytest.fixture(scope="module")
def sqlite_file(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """On SQLite, a migrated database file for the tests with threads; ""
    on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return ""
    path = str(tmp_path_factory.mktemp("remind") / "test.sqlite3")
    with django_db_blocker.unblock(), database_named(path):
        call_command("migrate", verbosity=0)
    return path


@pytest.fixture
def threads_database(sqlite_file: str) -> Iterator[None]:
    """A database that threads can write to at once, for one test: on
    SQLite the file above, in WAL mode as perfreport runs, emptied after (the
    in-memory test database, shared between threads through SQLite's shared
    cache, answers a second writer "database table is locked" at once
    instead of letting it wait its turn); on PostgreSQL the test database.
    Ask for it before the fixtures that write the test's data."""
    if not sqlite_file:
        yield
        return
    with database_named(sqlite_file):
        yield
        call_command("flush", interactive=False, verbosity=0)


def remind_at_once(runs: int, *args: str) -> list[tuple[int, str, str]]:
    """``remind(*args)`` in ``runs`` threads at once, each with its own
    database connection, closed when it is done."""
    from django.db import connection

    results: list[tuple[int, str, str]] = [(-1, "", "never finished")] * runs

    def run(n: int) -> None:
        try:
            results[n] = remind(*args)
        except BaseException as error:
            results[n] = (-1, "", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert not any(thread.is_alive() for thread in threads), "a run never finished"
    return results


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_send_each_reminder_once(
    threads_database, open_round, personas, actors, settings, monkeypatch
):
    """GIVEN cs.lead and it.owner with entries due and cs.director with 191
    waiting for approval, none of it reminded yet
    WHEN two runs of perfreport remind have both read that, and only then send,
    through a real SMTP server that holds the first two emails until both have
    arrived (so both runs are sending at once)
    THEN each person gets one email, listing all their entries, and each
    reminder is recorded once: each email was sent by one run and left by the
    other."""
    from email import message_from_bytes

    submit(actors["lead"], entry_of(open_round, "191"))
    both_read = threading.Barrier(2, timeout=WAIT)
    after_finding(monkeypatch, both_read.wait)
    server, collector = smtp_server(settings, hold=threading.Barrier(2, timeout=WAIT))
    try:
        results = remind_at_once(2, "--today", IN_WINDOW)
    finally:
        server.stop()

    assert [status for status, _, _ in results] == [0, 0], results
    to = sorted(rcpt for envelope in collector.messages for rcpt in envelope.rcpt_tos)
    assert to == ["cs.director@example.org", "cs.lead@example.org", "it.owner@example.org"]
    assert not collector.hold_broken, "the two runs were never sending at once"
    subjects = {
        envelope.rcpt_tos[0]: message_from_bytes(envelope.original_content)["Subject"]
        for envelope in collector.messages
    }
    assert subjects["cs.lead@example.org"].endswith(": 8 due by 15 January 2021")
    assert subjects["cs.director@example.org"].endswith(": 1 waiting for your approval")
    outs = [out for _, out, _ in results]
    reminded = sorted(line for out in outs for line in out.splitlines() if "Reminded" in line)
    assert reminded == [
        "Reminded cs.director@example.org: 1 figure waiting for your approval",
        "Reminded cs.lead@example.org: 8 figures due by 15 January 2021",
        "Reminded it.owner@example.org: 3 figures due by 15 January 2021",
    ]
    assert all("Reminded" in out for out in outs), "one run sent everything"
    assert sum(out.count("another run has sent it or is sending it") for out in outs) == 3
    recorded = ReminderSent.objects.values_list("user__username", "entry__indicator__ref", "kind")
    assert sorted(recorded) == [
        ("cs.director", "191", "approval"),
        *[("cs.lead", "190", "due")] * 3,
        *[("cs.lead", "191", "due")] * 2,  # October and November; December is submitted
        *[("cs.lead", "192", "due")] * 3,
        *[("it.owner", "194", "due")] * 3,
    ]
