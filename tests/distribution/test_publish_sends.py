"""Publishing a round sends its report to every subscriber, through a real
SMTP server on 127.0.0.1: a person's PDF (the tagged report of the round's
period), a role's holders' Word exception pack, a committee clerk's link;
published figures only, and each email once, however often the job runs."""

from __future__ import annotations

from typing import Any

import pytest
from distribution_helpers import (
    DIRECTORATE,
    DRAFT_VALUE,
    PERIOD_WORDS,
    PUBLISHED_VALUE,
    SITE,
    attachments,
    html_of,
    pdf_text,
    publish_round_with_a_draft,
    received,
    text_of,
)

from perfreport.accounts.permissions import Actor
from perfreport.audit.models import AuditEvent
from perfreport.distribution.models import Sending, Subscription
from perfreport.distribution.services import SubscriptionInput, subscription_create
from perfreport.jobs.models import Outcome, Run
from perfreport.jobs.runs import execute
from perfreport.registry.models import Directorate

pytestmark = pytest.mark.django_db


def subscribe(people: Any, **fields: Any) -> Subscription:
    values = {"report": "full", "delivery": "pdf", "on_publish": True, **fields}
    return subscription_create(Actor.of(people.admin), SubscriptionInput(**values))


@pytest.fixture
def subscriptions(people: Any) -> dict[str, Subscription]:
    corporate = Directorate.objects.get(name=DIRECTORATE)
    return {
        "viewer": subscribe(people, recipient_kind="person", user=people.viewer),
        "approvers": subscribe(
            people,
            recipient_kind="role",
            role="approver",
            role_directorate=corporate,
            report="exceptions",
            delivery="docx",
        ),
        "clerk": subscribe(
            people,
            recipient_kind="address",
            name="Clerk to the Scrutiny Committee",
            email="Clerk@Committee.example.org",
            report="directorate",
            directorate=corporate,
            delivery="link",
        ),
        "later": subscribe(people, recipient_kind="person", user=people.lead, on_publish=False),
    }


def publish_and_run(people: Any, capture: Any) -> Run:
    """Publish the round, then run what its publication queued, as the
    worker does."""
    with capture(execute=True):
        publish_round_with_a_draft(people)
    [run] = Run.objects.filter(job="distribution")
    assert run.trigger == "event" and run.outcome == Outcome.QUEUED
    execute(run.pk)
    run.refresh_from_db()
    return run


def test_publishing_a_round_sends_each_subscriber_one_email_of_published_figures(
    people, subscriptions, smtp, django_capture_on_commit_callbacks
):
    """GIVEN a councillor subscribed to the full report as a PDF, the
    approvers of Corporate Services to the exception pack in Word, a
    committee clerk to Corporate Services' report as a link, and an owner
    sent only by the schedule
    WHEN the round for 2020/21 Q3 is published, with 192's figure still a
    draft, and the run it queued is worked
    THEN the councillor, the approver and the clerk each get one email
    naming the organisation, the report and Quarter 3 2020/21; the PDF is
    tagged and shows the published 93.5 and not the draft; the owner gets
    nothing; each sending is recorded and audited."""
    run = publish_and_run(people, django_capture_on_commit_callbacks)

    assert run.outcome == Outcome.OK, run.error
    assert run.summary == f"Sent 3 emails for {PERIOD_WORDS}"
    mail = received(smtp)
    assert sorted(mail) == [
        "clerk@committee.example.org",
        "councillor@example.org",
        "cs.director@example.org",
    ]
    assert all(len(messages) == 1 for messages in mail.values())

    [viewer] = mail["councillor@example.org"]
    assert viewer["Subject"] == (
        f"Cambridgeshire County Council: Corporate Performance Report, {PERIOD_WORDS}"
    )
    [(name, content)] = attachments(viewer)
    assert name.endswith("2020-21-q3.pdf")
    text, catalogue = pdf_text(content)
    assert bool(catalogue["/MarkInfo"]["/Marked"])  # tagged, and declared PDF/UA
    assert "/StructTreeRoot" in catalogue
    assert "pdfuaid:part" in catalogue["/Metadata"].get_object().get_data().decode()
    assert PERIOD_WORDS in text or "2020/21 Q3" in text
    assert PUBLISHED_VALUE in text
    assert DRAFT_VALUE not in text
    assert "tagged for screen readers" in text_of(viewer)

    [approver] = mail["cs.director@example.org"]
    assert approver["Subject"] == (
        "Cambridgeshire County Council: Exception pack of the Corporate Performance Report, "
        f"{PERIOD_WORDS}"
    )
    assert (
        text_of(approver)
        .replace("\r\n", "\n")
        .startswith(
            f"Hello Cal Director,\n\n{PERIOD_WORDS}: the exception pack of the Corporate "
            "Performance Report is attached as a Word document"
        )
    )
    [(name, content)] = attachments(approver)
    assert name.endswith(".docx") and content[:2] == b"PK"

    [clerk] = mail["clerk@committee.example.org"]
    assert attachments(clerk) == []
    link = (
        f"{SITE}/public/reports/download?period=2020%2F21+Q3&format=pdf"
        "&directorate=Corporate+Services"
    )
    assert link in text_of(clerk)
    assert link.replace("&", "&amp;") in html_of(clerk)
    for messages in mail.values():
        for message in messages:
            assert DRAFT_VALUE not in text_of(message) + html_of(message)

    sent = Sending.objects.order_by("email")
    assert [(s.email, s.state, s.occasion) for s in sent] == [
        ("clerk@committee.example.org", "sent", "period 2020/21 Q3"),
        ("councillor@example.org", "sent", "period 2020/21 Q3"),
        ("cs.director@example.org", "sent", "period 2020/21 Q3"),
    ]
    audited = AuditEvent.objects.filter(object_type="sending", action="send")
    assert sorted(e.after["to"] for e in audited) == [s.email for s in sent]


def test_the_email_has_an_unsubscribe_link_and_the_one_click_headers(
    people, subscriptions, smtp, django_capture_on_commit_callbacks
):
    publish_and_run(people, django_capture_on_commit_callbacks)
    [viewer] = received(smtp)["councillor@example.org"]
    [link] = [line for line in text_of(viewer).splitlines() if "/unsubscribe/" in line]
    assert link.startswith(f"{SITE}/unsubscribe/")
    assert viewer["List-Unsubscribe"].strip() == f"<{link}>"  # folded: it is long
    assert viewer["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in html_of(viewer)
    assert viewer["From"] == "perfreport@example.org"


def test_running_the_job_again_sends_nothing_twice(
    people, subscriptions, smtp, django_capture_on_commit_callbacks
):
    """GIVEN the round published and its reports sent
    WHEN its run is queued again and run, and the schedule runs (the latest
    published period is the same quarter)
    THEN nobody gets a second email; the schedule sends the owner, whose
    subscription is sent by the schedule only, their one email."""
    from perfreport.jobs.runs import run_now

    first = publish_and_run(people, django_capture_on_commit_callbacks)
    again = run_now("distribution", first.params, trigger="event")
    assert again.outcome == Outcome.OK
    assert again.summary == f"Sent 0 emails for {PERIOD_WORDS}; 3 already sent or being sent"
    scheduled = run_now("distribution", {"target": "all"}, trigger="schedule")
    assert scheduled.summary == f"Sent 1 email for {PERIOD_WORDS}; 3 already sent or being sent"
    scheduled_again = run_now("distribution", {"target": "all"}, trigger="schedule")
    assert scheduled_again.summary.startswith("Sent 0 emails")
    mail = received(smtp)
    assert {to: len(m) for to, m in mail.items()} == {
        "clerk@committee.example.org": 1,
        "councillor@example.org": 1,
        "cs.director@example.org": 1,
        "cs.lead@example.org": 1,
    }
    assert Sending.objects.count() == 4
