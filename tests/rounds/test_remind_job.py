"""The reminders as a job ("Send reminders" on the Schedules page): the same
run as `perfreport remind`, recorded as a run with its outcome, through a
real SMTP server; a failed email fails the run, naming it, and the next run
sends it."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from smtp_helpers import smtp_server

from perfreport.jobs import runs
from perfreport.jobs.models import Outcome, Trigger
from perfreport.rounds.models import ReminderSent
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db

IN_WINDOW = "2021-01-13 09:00:00+00:00"  # the deadline, 15 January, is 2 days away


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = "https://perfreport.example.org/"
    settings.PERFREPORT_REMIND_DAYS = 3
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


@time_machine.travel(IN_WINDOW, tick=False)
def test_the_job_sends_the_reminders_once_and_says_so(open_round, personas, settings):
    server, collector = smtp_server(settings)
    try:
        first = runs.run_now("reminders", trigger=Trigger.SCHEDULE)
        second = runs.run_now("reminders", trigger=Trigger.SCHEDULE)
    finally:
        server.stop()

    assert first.outcome == Outcome.OK, first.error
    assert first.summary.startswith("Sent 2 reminders.")
    to = sorted(rcpt for envelope in collector.messages for rcpt in envelope.rcpt_tos)
    assert to == ["cs.lead@example.org", "it.owner@example.org"]
    assert second.outcome == Outcome.OK
    assert second.summary.startswith("Nothing to remind")


@time_machine.travel(IN_WINDOW, tick=False)
def test_an_email_that_cannot_be_sent_fails_the_run_naming_it(
    open_round, personas, actors, settings
):
    from round_helpers import entry_of

    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="90"), version=entry.version, submit=True)
    server, _ = smtp_server(settings)
    server.stop()  # the mail server is down

    run = runs.run_now("reminders", trigger=Trigger.SCHEDULE)

    assert run.outcome == Outcome.FAILED
    assert "Could not remind cs.director@example.org" in run.error
    assert "tried again on the next run" in run.error
    assert "Traceback" not in run.error
    assert not ReminderSent.objects.filter(user=personas.approver).exists()
