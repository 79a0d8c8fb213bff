"""`perfreport remind` and the notifications cover actions and projects in
the round as they cover figures, through a real SMTP server on 127.0.0.1:
an update due is reminded to its owners, a submitted one to its approvers,
a returned one told to its owners at once; each once, in the same email as
the person's figures, linking to /work/actions/<pk>/."""

from __future__ import annotations

from email import message_from_bytes, policy
from io import StringIO
from typing import Any

import pytest
from action_helpers import make_actions, update_of
from django.core.management import call_command
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY, entry_of
from smtp_helpers import smtp_server

from perfreport.registry.periods import read_period
from perfreport.rounds import services
from perfreport.rounds.action_updates import ActionInput, save_action_update
from perfreport.rounds.models import ReminderSent
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db

SITE = "https://perfreport.example.org"
IN_WINDOW = "2021-01-13"  # the deadline, 15 January, is 2 days away
BEFORE_WINDOW = "2021-01-04"  # no deadline reminders yet: only approvals and returns


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE
    settings.PERFREPORT_REMIND_DAYS = 3
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


@pytest.fixture
def project_lead(personas: Any) -> Any:
    """Someone who owns a project by name and no indicator."""
    from django.contrib.auth.models import User

    return User.objects.create_user("projects.lead", "projects.lead@example.org", "x")


@pytest.fixture
def opened(actors: dict[str, Any], project_lead: Any) -> Any:
    """The 2020/21 Q3 round with updates for A1 (serving 191, owned by
    cs.lead's service, signed off by cs.director) and P1 (owned by
    projects.lead)."""
    make_actions(project_lead)
    return services.open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)


def remind(settings: Any, today: str) -> tuple[str, dict[str, Any]]:
    """Run `perfreport remind` against a real SMTP server; (its output, the
    one message each recipient received)."""
    server, collector = smtp_server(settings)
    out = StringIO()
    try:
        call_command("remind", "--today", today, stdout=out, stderr=StringIO())
    finally:
        server.stop()
    return out.getvalue(), received_by(collector)


def received_by(collector: Any) -> dict[str, Any]:
    received: dict[str, Any] = {}
    for envelope in collector.messages:
        for to in envelope.rcpt_tos:
            assert to not in received, f"{to} was sent two emails"
            received[to] = message_from_bytes(envelope.original_content, policy=policy.default)
    return received


def parts(message: Any) -> tuple[str, str]:
    found = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    return found["text/plain"], found["text/html"]


def link(update: Any) -> str:
    return f"{SITE}/work/actions/{update.pk}/"


def submit_update(actor: Any, update: Any) -> Any:
    update.refresh_from_db()
    typed = ActionInput("40", "Adverts are out; interviews in January.")
    return save_action_update(actor, update.pk, typed, version=update.version, submit=True)


def test_an_owner_with_only_an_action_due_is_reminded_of_it(opened, project_lead, settings):
    """GIVEN projects.lead, who owns project P1 and no figure
    WHEN remind runs two days before the deadline
    THEN they get one email naming P1 with a link to its update."""
    p1 = update_of(opened, "P1")

    out, received = remind(settings, IN_WINDOW)

    message = received["projects.lead@example.org"]
    assert message["Subject"] == "Your actions for Quarter 3 2020/21: 1 due by 15 January 2021"
    text, html = parts(message)
    assert "Your actions for Quarter 3 2020/21 are due by 15 January 2021." in text
    assert "P1 Replace the office network" in text and "P1 Replace the office network" in html
    assert "Project progress for: Quarter 3 2020/21" in text
    assert "Now: Not started" in text and "Due by: 15 January 2021" in text
    assert f"Open it: {link(p1)}" in text and f'href="{link(p1)}"' in html
    assert "figure" not in text.lower()
    assert "Reminded projects.lead@example.org: 1 action due by 15 January 2021" in out
    claimed = ReminderSent.objects.get(user=project_lead)
    assert (claimed.kind, claimed.action_update_id, claimed.entry_id) == ("due", p1.pk, None)
    assert claimed.occasion == "2021-01-15"


def test_an_owner_of_figures_and_actions_gets_one_email_listing_both(opened, settings):
    """GIVEN cs.lead, owner of Customer Services' figures and so of A1, which serves 191
    WHEN remind runs in the window
    THEN one email lists the nine figures and A1."""
    a1 = update_of(opened, "A1")

    _, received = remind(settings, IN_WINDOW)

    message = received["cs.lead@example.org"]
    assert message["Subject"] == (
        "Your figures and actions for Quarter 3 2020/21: 10 due by 15 January 2021"
    )
    text, html = parts(message)
    assert "9 figures and 1 action still need to be filled in and sent for approval" in text
    assert f"{entry_of(opened, '191').indicator.ref} " in text
    assert "A1 Recruit more call handlers" in text and f'href="{link(a1)}"' in html
    assert "Questions about these figures and actions?" in text


def test_sending_twice_sends_once(opened, project_lead, settings):
    remind(settings, IN_WINDOW)

    out, received = remind(settings, IN_WINDOW)

    assert received == {}
    assert "Nothing to remind" in out
    assert ReminderSent.objects.filter(user=project_lead).count() == 1
    assert ReminderSent.objects.filter(action_update__isnull=False).count() == 2  # P1, A1


def test_an_overdue_update_is_reminded_again_as_overdue(opened, project_lead, settings):
    remind(settings, IN_WINDOW)

    _, received = remind(settings, "2021-01-16")

    message = received["projects.lead@example.org"]
    assert message["Subject"] == (
        "Your actions for Quarter 3 2020/21: 1 overdue (due by 15 January 2021)"
    )


def test_the_approver_gets_one_email_with_a_figure_and_an_update_awaiting_approval(
    opened, actors, personas, settings
):
    """GIVEN cs.lead submits figure 191 and A1's update
    WHEN remind runs before the deadline window
    THEN cs.director gets one email listing both, and is not told again."""
    entry = entry_of(opened, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="90"), version=entry.version, submit=True)
    a1 = submit_update(actors["lead"], update_of(opened, "A1"))

    out, received = remind(settings, BEFORE_WINDOW)

    assert list(received) == ["cs.director@example.org"]
    message = received["cs.director@example.org"]
    assert message["Subject"] == (
        "Figures and actions for Quarter 3 2020/21: 2 waiting for your approval"
    )
    text, html = parts(message)
    assert "1 figure and 1 action for Quarter 3 2020/21 are waiting for you to approve them" in text
    assert f"{SITE}/work/entries/{entry.pk}/" in text
    assert "A1 Recruit more call handlers" in text and f'href="{link(a1)}"' in html
    assert text.count("Sent for approval by: cs.lead") == 2
    assert "Sent for approval by: cs.lead" in html
    rows = ReminderSent.objects.filter(user=personas.approver, kind="approval")
    assert sorted(map(bool, rows.values_list("action_update", flat=True))) == [False, True]
    assert "Reminded cs.director@example.org: 1 figure and 1 action waiting" in out
    _, again = remind(settings, BEFORE_WINDOW)
    assert again == {}


def test_returning_an_update_on_its_page_emails_its_owner_at_once(
    client, opened, actors, personas, settings, smtp, django_capture_on_commit_callbacks
):
    """GIVEN A1's update submitted by cs.lead
    WHEN cs.director returns it on its page
    THEN cs.lead's email goes as the return commits, with the reason, and
    remind does not send it again."""
    a1 = submit_update(actors["lead"], update_of(opened, "A1"))
    client.force_login(personas.approver)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/work/actions/{a1.pk}/return",
            {"reason": "Say how many handlers have started", "version": a1.version},
        )

    assert page.status_code in (302, 303)
    [message] = smtp.parsed()
    assert message["To"] == "cs.lead@example.org"
    assert message["Subject"] == "Your actions for Quarter 3 2020/21: 1 returned to you"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Your 1 action for Quarter 3 2020/21 has been returned to you" in text
    assert "Returned because: Say how many handlers have started" in text
    assert link(a1) in text
    claimed = ReminderSent.objects.get(user=personas.lead, kind="returned")
    assert (claimed.action_update_id, claimed.occasion) == (a1.pk, f"v{a1.version + 1}")
    _, received = remind(settings, BEFORE_WINDOW)
    assert "cs.lead@example.org" not in received


def test_the_database_allows_one_claim_of_an_update_and_each_about_one_thing(opened, project_lead):
    """The claim overlapping runs rely on: a second record of the same
    reminder about an update is refused, as is one about nothing or both."""
    from django.db import IntegrityError, transaction

    p1 = update_of(opened, "P1")
    claim = {"user": project_lead, "kind": "due", "occasion": "2021-01-15"}
    ReminderSent.objects.create(action_update=p1, **claim)
    for extra in (
        {"action_update": p1},
        {},
        {"action_update": p1, "entry": entry_of(opened, "191")},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReminderSent.objects.create(**claim, **extra)
    ReminderSent.objects.create(action_update=p1, **{**claim, "occasion": "2021-01-22"})
    assert ReminderSent.objects.filter(action_update=p1).count() == 2


def test_a_dry_run_lists_the_updates_and_records_nothing(opened, project_lead, mailoutbox):
    out = StringIO()
    call_command("remind", "--today", IN_WINDOW, "--dry-run", stdout=out, stderr=StringIO())

    p1 = update_of(opened, "P1")
    assert (
        "Would remind projects.lead@example.org: Your actions for Quarter 3 2020/21: 1 due by "
        "15 January 2021" in out.getvalue()
    )
    assert f"  P1 Replace the office network (2020/21 Q3, not started) {link(p1)}" in out.getvalue()
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()
