"""What a run does when things go wrong or are large: a mail server that is
not there fails the run naming each address, records each sending failed,
and the next run sends them; a file over the limit goes as a link saying
why; every report, in every format, holds published figures only; "Send
now" sends again what the period already sent."""

from __future__ import annotations

import io
from typing import Any

import pytest
from distribution_helpers import (
    DIRECTORATE,
    DRAFT_VALUE,
    PERIOD_WORDS,
    PUBLISHED_VALUE,
    attachments,
    pdf_text,
    received,
    text_of,
)
from smtp_helpers import free_port

from perfreport.accounts.permissions import Actor
from perfreport.audit.models import AuditEvent
from perfreport.distribution.documents import Choice, make_document
from perfreport.distribution.models import Sending, Subscription
from perfreport.distribution.services import SubscriptionInput, subscription_create
from perfreport.jobs.models import Outcome
from perfreport.jobs.runs import run_now
from perfreport.registry.models import Directorate
from perfreport.registry.periods import read_period

pytestmark = pytest.mark.django_db


def subscribe(people: Any, **fields: Any) -> Subscription:
    values = {"report": "full", "delivery": "pdf", "on_publish": True, **fields}
    return subscription_create(Actor.of(people.admin), SubscriptionInput(**values))


# Outside a test's transaction, as the worker runs it: each sending's record
# is committed on its own, and stays when the run fails.
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_fails_the_run_naming_each_address_and_the_next_run_sends(
    people, published_round, settings, smtp, client
):
    """GIVEN two subscribers to the link of the full report, and the mail
    server's port closed
    WHEN the job runs, then runs again with the server back
    THEN the first run fails, naming both addresses and why, with both
    sendings recorded failed (and audited); the second sends both, once."""
    subscribe(people, recipient_kind="person", user=people.viewer, delivery="link")
    subscribe(people, recipient_kind="address", email="clerk@example.org", delivery="link")
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    failed = run_now("distribution", {"target": "all"}, trigger="schedule")

    assert failed.outcome == Outcome.FAILED
    assert failed.error.startswith(f"Sent 0 emails for {PERIOD_WORDS}; 2 failed: ")
    refused = (
        f"The mail server at 127.0.0.1:{settings.EMAIL_PORT} refused the connection: "
        "check EMAIL_HOST and EMAIL_PORT, and that the server is running"
    )
    assert f"clerk@example.org ({refused})" in failed.error
    assert f"councillor@example.org ({refused})" in failed.error
    assert set(Sending.objects.values_list("state", flat=True)) == {"failed"}
    assert AuditEvent.objects.filter(object_type="sending", action="send failed").count() == 2
    assert smtp.messages == []
    # The history of sendings and the run's page say it in those words, not
    # as the error's type and number.
    client.force_login(people.admin)
    for page in ("/distribution/sendings/", f"/runs/{failed.pk}/"):
        text = client.get(page).content.decode()
        assert "refused the connection: check EMAIL_HOST and EMAIL_PORT" in text, page
        assert "Errno" not in text and "ConnectionRefusedError" not in text, page

    settings.EMAIL_PORT = working_port
    retried = run_now("distribution", {"target": "all"}, trigger="schedule")

    assert retried.outcome == Outcome.OK, retried.error
    assert retried.summary == f"Sent 2 emails for {PERIOD_WORDS}"
    assert sorted(received(smtp)) == ["clerk@example.org", "councillor@example.org"]
    assert set(Sending.objects.values_list("state", flat=True)) == {"sent"}


def test_a_file_over_the_limit_is_sent_as_a_link_saying_why(
    people, published_round, settings, smtp
):
    settings.PERFREPORT_DISTRIBUTION_ATTACH_MB = 0  # every file is too large
    subscribe(people, recipient_kind="person", user=people.viewer, report="exceptions")

    run = run_now("distribution", {"target": "all"}, trigger="schedule")

    assert run.outcome == Outcome.OK, run.error
    [message] = received(smtp)["councillor@example.org"]
    assert attachments(message) == []
    text = text_of(message)
    assert "The file is too large to attach (" in text and "the limit is 0 bytes" in text
    assert "format=pdf&pack=exceptions" in text
    assert Sending.objects.get().linked is True


def test_send_now_sends_again_what_the_period_already_sent(people, published_round, smtp):
    subscription = subscribe(people, recipient_kind="person", user=people.viewer, delivery="link")
    run_now("distribution", {"target": "all"}, trigger="schedule")
    params = {"target": str(subscription.pk), "again": True}

    again = run_now("distribution", params, trigger="on demand", requested_by=people.admin)

    assert again.outcome == Outcome.OK and again.summary.startswith("Sent 1 email for")
    assert len(received(smtp)["councillor@example.org"]) == 2
    assert sorted(Sending.objects.values_list("occasion", flat=True)) == [
        "period 2020/21 Q3",
        f"run {again.pk}",
    ]
    events = AuditEvent.objects.filter(object_type="sending", action="send")
    assert {e.after["occasion"]: e.actor for e in events} == {
        "period 2020/21 Q3": "command line",
        f"run {again.pk}": "bi.admin",
    }


@pytest.mark.parametrize("report", ["full", "directorate", "plan", "exceptions"])
def test_every_report_and_format_holds_published_figures_only(people, published_round, report):
    """GIVEN 192's figure for December 2020 saved but never submitted (a
    draft), which the staff's report shows
    WHEN each report a subscription can ask for is made, as PDF and Word
    THEN the draft is in none of them, and the published 93.5 is in those
    that list 190."""
    from docx import Document

    from perfreport.reports.context import ReportSettings
    from perfreport.reports.service import report_context

    period = read_period("2020/21 Q3")
    staff = report_context(period, ReportSettings(), published_only=False)
    assert any(DRAFT_VALUE in str(row) for row in staff.sections), "the draft was not planted"
    choice = Choice(report, DIRECTORATE if report == "directorate" else "", period)

    pdf = make_document(choice, "pdf")
    text, _ = pdf_text(pdf.content)
    word = Document(io.BytesIO(make_document(choice, "docx").content))
    words = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert DRAFT_VALUE not in text and DRAFT_VALUE not in words
    if report in ("full", "directorate"):
        assert PUBLISHED_VALUE in text and PUBLISHED_VALUE in words
    assert "2020/21" in text
    if report == "plan":
        assert "Plan" in text


def test_a_role_goes_to_its_holders_in_the_directorate_only(people, published_round, smtp):
    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Directorate as D

    other = D.objects.create(name="Place and Economy")
    elsewhere = type(people.admin).objects.create_user("other.director", "od@example.org", "x")
    grant(elsewhere, "approver", directorate=other)
    subscribe(
        people,
        recipient_kind="role",
        role="approver",
        role_directorate=Directorate.objects.get(name=DIRECTORATE),
        delivery="link",
    )
    run_now("distribution", {"target": "all"}, trigger="schedule")
    assert sorted(received(smtp)) == ["cs.director@example.org"]


def test_a_claim_left_by_a_run_that_stopped_is_not_sent_again(people, published_round, smtp):
    """GIVEN a sending claimed by a run that was killed before the mail
    server answered (so nobody knows whether it went)
    WHEN the job runs again for the same period
    THEN that email is not sent again (rather not than twice); the history
    still shows it as being sent."""
    from django.utils import timezone

    subscription = subscribe(people, recipient_kind="person", user=people.viewer, delivery="link")
    Sending.objects.create(
        subscription=subscription, occasion="period 2020/21 Q3", email="councillor@example.org",
        what="Full report", state="claimed", claimed_at=timezone.now(),
    )  # fmt: skip

    run = run_now("distribution", {"target": "all"}, trigger="schedule")

    assert run.summary == f"Sent 0 emails for {PERIOD_WORDS}; 1 already sent or being sent"
    assert smtp.messages == []
    assert Sending.objects.get().get_state_display() == "Being sent"
