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

    start = html.index('id="unowned-heading"')
    banner = html[start : html.index("</div>", start)]
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


# -- giving an entry an owner from the round page ---------------------------------


def owner_page(found: Any, ref: str) -> str:
    return f"/rounds/{found.pk}/entries/{entry_of(found, ref).pk}/owner"


def test_an_administrator_gives_an_entry_without_an_owner_an_owner(client, personas, open_round):
    from perfreport.audit.models import AuditEvent

    ref = refs_without_owner(open_round)[0]
    client.force_login(personas.admin)
    html = client.get(f"/rounds/{open_round.pk}/").content.decode()
    assert f'href="{owner_page(open_round, ref)}">Give an owner' in html

    form = client.get(owner_page(open_round, ref))
    assert form.status_code == 200
    assert f'<option value="{personas.viewer.pk}">councillor (councillor@example.org)' in (
        form.content.decode()
    )
    page = client.post(owner_page(open_round, ref), {"owner": personas.viewer.pk}, follow=True)

    assert page.status_code == 200
    html = page.content.decode()
    assert f"councillor now owns {ref} " in html
    assert "No owner" not in row_of(html, entry_of(open_round, ref))
    grant = RoleGrant.objects.get(user=personas.viewer, role="owner")
    assert grant.indicator is not None and grant.indicator.ref == ref
    assert grant.service is None and grant.directorate is None
    event = AuditEvent.objects.get(action="create", object_type="grant", object_id=str(grant.pk))
    assert event.user == personas.admin


def test_choosing_nobody_is_refused_with_an_error_summary_and_nothing_granted(
    client, personas, open_round
):
    ref = refs_without_owner(open_round)[0]
    client.force_login(personas.admin)
    before = RoleGrant.objects.count()

    page = client.post(owner_page(open_round, ref), {"owner": ""})

    assert page.status_code == 400
    html = page.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_owner">Choose the person who will fill in this figure</a>' in html
    assert RoleGrant.objects.count() == before
    inactive = personas.outsider
    inactive.is_active = False
    inactive.save()
    page = client.post(owner_page(open_round, ref), {"owner": str(inactive.pk)})
    assert page.status_code == 400
    assert f'<option value="{inactive.pk}"' not in page.content.decode()
    assert RoleGrant.objects.count() == before


@pytest.mark.parametrize("who", ["lead", "approver", "viewer"])
def test_only_an_administrator_may_give_an_owner(client, personas, open_round, who):
    ref = refs_without_owner(open_round)[0]
    client.force_login(getattr(personas, who))
    before = RoleGrant.objects.count()

    assert client.get(owner_page(open_round, ref)).status_code == 403
    assert (
        client.post(owner_page(open_round, ref), {"owner": personas.viewer.pk}).status_code == 403
    )
    assert RoleGrant.objects.count() == before
    assert "Give an owner" not in client.get(f"/rounds/{open_round.pk}/").content.decode()


def test_an_entry_of_another_round_is_not_found(client, personas, open_round):
    client.force_login(personas.admin)
    entry = entry_of(open_round, "190")

    assert client.get(f"/rounds/{open_round.pk + 1}/entries/{entry.pk}/owner").status_code == 404
