"""What the distribution tests share besides fixtures: the people, a
published round with a draft planted beside it, and reading the emails a
real SMTP server received."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

PASSWORD = "correct horse battery staple 42"
SITE = "https://perfreport.example.org"
ROUND_PERIOD = "2020/21 Q3"
PERIOD_WORDS = "Quarter 3 2020/21"
PUBLISHED_VALUE = "93.5"  # 190's figure for December 2020, approved and published
DRAFT_VALUE = "43.7"  # 192's figure for December 2020, saved but never submitted: a draft
DIRECTORATE = "Corporate Services"


@dataclass
class People:
    admin: Any
    approver: Any  # signs off Corporate Services
    lead: Any  # owner of Customer Services
    viewer: Any


def make_people() -> People:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Directorate, Service

    def person(name: str, full: str) -> Any:
        first, last = full.split()
        return User.objects.create_user(
            name, f"{name}@example.org", PASSWORD, first_name=first, last_name=last
        )

    people = People(
        admin=person("bi.admin", "Bea Admin"),
        approver=person("cs.director", "Cal Director"),
        lead=person("cs.lead", "Lee Lead"),
        viewer=person("councillor", "Val Viewer"),
    )
    grant(people.admin, "admin")
    grant(people.approver, "approver", directorate=Directorate.objects.get(name=DIRECTORATE))
    grant(people.lead, "owner", service=Service.objects.get(name="Customer Services"))
    grant(people.viewer, "viewer")
    return people


def entry_of(round_: Any, ref: str) -> Any:
    found = round_.entries.select_related("indicator", "round").filter(indicator__ref=ref)
    return found.latest("first_month")


def publish_round_with_a_draft(people: People) -> Any:
    """The round for 2020/21 Q3: 190 approved and published, 192 saved as a
    draft and left out (with a reason), then published through the round's
    service, as the round's page does."""
    from perfreport.accounts.permissions import Actor
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import (
        EntryInput,
        approve_entry,
        open_round,
        publish_round,
        save_entry,
    )

    admin, lead = Actor.of(people.admin), Actor.of(people.lead)
    found = open_round(admin, read_period(ROUND_PERIOD), date(2021, 1, 15), today=date(2021, 1, 4))
    published = entry_of(found, "190")
    save_entry(lead, published.pk, EntryInput(value=PUBLISHED_VALUE), version=published.version,
               submit=True)  # fmt: skip
    approve_entry(Actor.of(people.approver), published.pk)
    draft = entry_of(found, "192")
    save_entry(lead, draft.pk, EntryInput(value=DRAFT_VALUE), version=draft.version)
    return publish_round(admin, found.pk, reason="The rest come next month")


def received(collector: Any) -> dict[str, list[EmailMessage]]:
    """The reports' emails the server received, parsed, by recipient (the
    round's own notifications to owners, which go through it too, left out:
    they have no List-Unsubscribe header)."""
    found: dict[str, list[EmailMessage]] = {}
    for envelope in collector.messages:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        if "List-Unsubscribe" not in message:
            continue
        for to in envelope.rcpt_tos:
            found.setdefault(to, []).append(message)  # type: ignore[arg-type]
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [(str(a.get_filename()), a.get_content()) for a in message.iter_attachments()]


def pdf_text(content: bytes) -> tuple[str, Any]:
    """The PDF's text and its document catalogue (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages), reader.trailer["/Root"]
