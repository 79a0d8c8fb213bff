"""My work after a round is published: the owner sees the figures they
submitted as published, not "You have not submitted anything"."""

from __future__ import annotations

import pytest
from round_helpers import entry_of

from perfreport.rounds.services import EntryInput, approve_entry, publish_round, save_entry

pytestmark = pytest.mark.django_db


def test_after_publishing_my_work_lists_the_owners_figures_as_published(
    client, personas, open_round, actors
):
    entry = entry_of(open_round, "191")
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="72.5", actions="Recruiting four advisers"),
        version=entry.version,
        submit=True,
    )
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    client.force_login(personas.lead)

    page = client.get("/work/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "You have not submitted anything" not in html
    published = html[html.index('id="published-heading"') :]
    assert "Your figures for Quarter 3 2020/21 were published" in published
    assert f'href="/work/entries/{entry.pk}/"' in published
    assert "tag--published" in published
    assert [item.entry.pk for item in page.context["published"]] == [entry.pk]
    entry.refresh_from_db()
    assert entry.state == "published"


def test_someone_with_nothing_published_sees_no_published_list(client, personas, open_round):
    client.force_login(personas.it_lead)

    html = client.get("/work/").content.decode()

    assert 'id="published-heading"' not in html
    assert "Nothing of yours is waiting for approval in the open rounds." in html
