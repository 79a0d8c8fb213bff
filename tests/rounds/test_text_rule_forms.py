"""The text rule on the entry and restate forms: a control character typed
into commentary, actions or a reason is refused, the field named, nothing
saved, what was typed kept; commentary has a length limit."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from round_helpers import entry_of

from perfreport.rounds.services import EntryInput, approve_entry, publish_round, save_entry

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def form_post(client: Client, page: str, data: dict[str, str]):
    """Post the page's form as a browser would: CSRF token and hidden fields."""
    html = client.get(page).content.decode()
    form = re.search(rf'<form[^>]*action="{re.escape(page)}".*?</form>', html, re.S)
    assert form is not None, f"no form posting to {page}"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    return client.post(page, {**hidden, **data})


def test_a_control_character_in_commentary_is_refused_with_the_field_named(personas, open_round):
    entry = entry_of(open_round, "191")
    page = f"/work/entries/{entry.pk}/"

    response = form_post(
        browser(personas.lead),
        page,
        {"action": "save", "value": "80", "commentary": "Pasted\x0bfrom Word"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Commentary holds a control character (U+000B) at character 7" in html
    entry.refresh_from_db()
    assert entry.version == 1 and entry.value is None and entry.commentary == ""


def test_actions_longer_than_20000_characters_are_refused(personas, open_round):
    entry = entry_of(open_round, "191")
    page = f"/work/entries/{entry.pk}/"

    response = form_post(
        browser(personas.lead), page, {"action": "save", "value": "80", "actions": "x" * 20_001}
    )

    assert response.status_code == 200
    assert "is 20001 characters long; at most 20000 are kept" in response.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1 and entry.actions == ""


def test_commentary_typed_with_windows_line_ends_is_saved_with_new_lines(personas, open_round):
    entry = entry_of(open_round, "191")
    page = f"/work/entries/{entry.pk}/"

    response = form_post(
        browser(personas.lead),
        page,
        {"action": "save", "value": "80", "commentary": "One.\r\nTwo."},
    )

    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.commentary == "One.\nTwo."


def test_a_control_character_in_a_restatement_reason_is_refused(personas, open_round, actors):
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="72.5", actions="Recruiting"),
               version=entry.version, submit=True)  # fmt: skip
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    page = f"/work/entries/{entry.pk}/restate"

    response = form_post(
        browser(personas.lead), page, {"value": "74", "reason": "Late\x01calls counted"}
    )

    assert response.status_code == 200
    assert "Reason holds a control character (U+0001)" in response.content.decode()
    entry.refresh_from_db()
    assert entry.value == Decimal("72.5") and entry.restated_at is None
