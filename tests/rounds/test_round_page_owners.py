"""The round page names each entry's owner and approver, tags the entries
nobody owns and warns of them when the round is opened, on its page and in
`perfreport remind`."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from round_helpers import ROUND_PERIOD, entry_of

from perfreport.accounts.models import RoleGrant
from perfreport.data.models import Round

pytestmark = pytest.mark.django_db

OWNED = {"190", "191", "192", "194"}  # the lead's service and the IT owner's indicator


def refs_without_owner(found: Any) -> list[str]:
    return sorted(
        e.indicator.ref
        for e in found.entries.select_related("indicator")
        if e.indicator.ref not in OWNED
    )


def row_of(html: str, entry: Any) -> str:
    start = html.index(f'<tr id="entry-{entry.pk}">')
    return html[start : html.index("</tr>", start)]


def test_each_entry_shows_its_owner_and_approver_and_the_rest_are_tagged_no_owner(
    client, personas, open_round
):
    client.force_login(personas.admin)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    assert '<th scope="col">Owner</th>' in html and '<th scope="col">Approver</th>' in html
    row_191 = row_of(html, entry_of(open_round, "191"))
    assert "cs.lead" in row_191 and "cs.director" in row_191 and "No owner" not in row_191
    assert "it.owner" in row_of(html, entry_of(open_round, "194"))
    nobody = refs_without_owner(open_round)
    assert nobody, "the seed has indicators nobody owns"
    for ref in nobody:
        assert "No owner" in row_of(html, entry_of(open_round, ref))


def test_the_round_page_warns_of_every_entry_without_an_owner_at_its_top(
    client, personas, open_round
):
    client.force_login(personas.lead)
    nobody = refs_without_owner(open_round)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    banner = html[html.index('class="warning"') : html.index('class="summary-list round-facts"')]
    assert f"{len(nobody)} entries have no owner" in banner
    for ref in nobody:
        entry = entry_of(open_round, ref)
        assert f'href="#entry-{entry.pk}">{ref} {entry.indicator.title}</a>' in banner
    assert "190 " not in banner


def test_the_warning_goes_once_every_entry_has_an_owner(client, personas, open_round):
    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Indicator

    for ref in refs_without_owner(open_round):
        grant(personas.it_lead, "owner", indicator=Indicator.objects.get(ref=ref))
    client.force_login(personas.admin)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    assert "have no owner" not in html and "No owner" not in html
    assert RoleGrant.objects.filter(user=personas.it_lead).count() > 1


def test_opening_a_round_warns_how_many_entries_have_no_owner(client, personas):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(personas.admin)
    deadline = (timezone.localdate() + timedelta(days=14)).isoformat()

    page = client.post("/rounds/", {"period": ROUND_PERIOD, "deadline": deadline}, follow=True)

    assert page.status_code == 200
    opened = Round.objects.get()
    nobody = refs_without_owner(opened)
    html = page.content.decode()
    assert f"{len(nobody)} entries have no owner: nobody will be reminded of them." in html
    assert f"{len(nobody)} entries have no owner</h2>" in html


def test_remind_says_how_many_entries_have_no_owner_and_names_them(
    open_round, personas, mailoutbox, settings
):
    settings.PERFREPORT_SITE_URL = "https://perfreport.example.org"
    out, err = StringIO(), StringIO()

    call_command("remind", "--today", "2021-01-13", stdout=out, stderr=err)

    nobody = refs_without_owner(open_round)
    text = err.getvalue()
    assert f"in the round for {ROUND_PERIOD}, {len(nobody)} entries have no owner" in text
    for ref in nobody:
        assert f"{ref} {entry_of(open_round, ref).indicator.title} (" in text
    assert "190 " not in text
    assert len(mailoutbox) == 2  # the owners are still reminded
