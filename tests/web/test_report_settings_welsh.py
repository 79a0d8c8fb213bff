"""The Report settings page in Welsh and English (issue 17): a BI
administrator turns bilingual mode on and gives the reports' cover in Welsh
beside the English; each change is in the audit trail; the page itself works
in Welsh."""

from __future__ import annotations

import pytest
from django.test import Client

from perfreport.accounts.permissions import grant
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Organisation

URL = "/settings/report/"
FORM = {
    "name": "Cyngor Sir Enghraifft",
    "report_title": "Quarterly performance",
    "report_team": "Performance and Insight",
    "report_contact": "performance@example.gov.uk",
    "plan_rule": "worst",
    "plan_green_share": "75",
    "plan_amber_share": "50",
    "action_due_soon_days": "30",
}
WELSH = {
    "bilingual": "on",
    "report_title_cy": "Perfformiad chwarterol",
    "report_team_cy": "Perfformiad a Mewnwelediad",
    "report_contact_cy": "perfformiad@example.gov.uk",
}


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    from django.contrib.auth.models import User

    user = User.objects.create_user("bi.admin", "bi.admin@example.org", "x")
    grant(user, "admin")
    client.force_login(user)
    return client


def home() -> Organisation:
    return Organisation.objects.get(is_home=True)


@pytest.mark.django_db
def test_bilingual_mode_and_the_welsh_cover_are_saved_and_audited(admin_client, imported_example):
    answer = admin_client.post(URL, {**FORM, **WELSH})

    assert answer.status_code == 302
    saved = home()
    assert saved.bilingual
    assert (saved.report_title_cy, saved.report_team_cy, saved.report_contact_cy) == (
        "Perfformiad chwarterol", "Perfformiad a Mewnwelediad", "perfformiad@example.gov.uk",
    )  # fmt: skip
    event = AuditEvent.objects.filter(object_type="organisation").latest("pk")
    assert event.after["bilingual"] is True
    assert event.after["report_title_cy"] == "Perfformiad chwarterol"
    page = admin_client.get(URL).content.decode()
    assert 'id="id_bilingual" name="bilingual" value="on" checked' in page
    assert 'value="Perfformiad chwarterol" lang="cy"' in page


@pytest.mark.django_db
def test_the_welsh_is_beside_the_english_and_bilingual_mode_is_off_until_ticked(
    admin_client, imported_example
):
    page = admin_client.get(URL).content.decode()

    assert "Publish in Welsh and English" in page
    assert 'name="bilingual" value="on" aria-describedby' in page  # not checked
    pair = page[page.index('<div class="bilingual-pair">') :]
    pair = pair[: pair.index('name="report_team"')]
    assert 'name="report_title"' in pair and 'name="report_title_cy"' in pair

    admin_client.post(URL, {**FORM, **WELSH})
    admin_client.post(URL, FORM)  # the box left unticked turns it off

    assert not home().bilingual


@pytest.mark.django_db
def test_a_welsh_title_too_long_is_refused_with_its_name(admin_client, imported_example):
    answer = admin_client.post(URL, {**FORM, "report_title_cy": "x" * 201})

    assert answer.status_code == 400
    assert "Report title in Welsh may be at most 200 characters (it has 201)" in (
        answer.content.decode()
    )
    assert home().report_title_cy == ""


@pytest.mark.django_db
def test_the_page_in_welsh_keeps_its_fields(admin_client, imported_example):
    answer = admin_client.get(f"/cy{URL}")

    assert answer.status_code == 200
    page = answer.content.decode()
    assert '<html lang="cy"' in page
    assert 'name="report_title_cy"' in page and 'name="bilingual"' in page
