"""The admin site obeys the roles and records its changes: only a BI
administrator may use it; a change there to an indicator, a target, a value
or commentary is in the audit trail with its fields before and after; the
trail, the entries and the reminders cannot be changed there."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Commentary, Entry, Observation, Round
from perfreport.registry.models import Indicator, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def bi_admin(client, personas):
    """The BI administrator persona, signed in to the admin (a staff account)."""
    personas.admin.is_staff = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def form_data(response) -> dict:
    """What the browser would send back for the change page unchanged: the
    main form and every inline, as shown."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def change_page(client, obj):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


def test_a_target_changed_in_the_admin_is_recorded_before_and_after(bi_admin):
    indicator = Indicator.objects.get(ref="191")
    target = Target.objects.get(indicator=indicator, period="2020/21")
    url, page = change_page(bi_admin, indicator)
    data = form_data(page)
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == target.pk)[:-3]
    data[f"{prefix}-value"] = "90"

    response = bi_admin.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    target.refresh_from_db()
    assert target.value == 90
    event = AuditEvent.objects.get(object_type="target")
    assert (event.action, event.actor, event.object_id) == ("update", "bi.admin", str(target.pk))
    assert (event.before, event.after) == ({"value": "85"}, {"value": "90"})
    assert (event.indicator, event.period) == (indicator, "2020/21")
    assert not AuditEvent.objects.filter(object_type="indicator").exists()  # unchanged


def test_a_change_to_an_indicators_definition_is_recorded(bi_admin):
    indicator = Indicator.objects.get(ref="191")
    url, page = change_page(bi_admin, indicator)
    data = form_data(page) | {"title": "Calls answered"}

    assert bi_admin.post(url, data).status_code == 302

    event = AuditEvent.objects.get(object_type="indicator")
    assert (event.before, event.after) == (
        {"title": "Calls answered by Customer Services"},
        {"title": "Calls answered"},
    )
    assert event.indicator == indicator


def test_a_value_changed_in_the_admin_is_a_restatement_and_is_recorded(bi_admin):
    observation = Observation.objects.get(indicator__ref="191", period="2020-09")
    url, page = change_page(bi_admin, observation)

    response = bi_admin.post(url, form_data(page) | {"value": "86"})

    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.restated_at is not None and observation.first_value == 87
    event = AuditEvent.objects.get(object_type="observation")
    assert (event.action, event.before, event.after) == ("update", {"value": "87"}, {"value": "86"})
    assert event.period == "2020-09"


def test_deleting_commentary_in_the_admin_is_recorded(bi_admin):
    notes = Commentary.objects.get(indicator__ref="191", period="2020-09")
    url = reverse("admin:data_commentary_delete", args=[notes.pk])

    assert bi_admin.post(url, {"post": "yes"}).status_code == 302

    event = AuditEvent.objects.get(object_type="commentary")
    assert (event.action, event.object_id, event.after) == ("delete", str(notes.pk), None)
    assert event.before["text"].startswith("This target has been met")
    assert not Commentary.objects.filter(pk=notes.pk).exists()


def test_adding_a_value_in_the_admin_is_recorded(bi_admin):
    indicator = Indicator.objects.get(ref="191")
    home = Observation.objects.filter(indicator=indicator).first().organisation
    data = {
        "indicator": indicator.pk,
        "organisation": home.pk,
        "frequency": "monthly",
        "first_month": 24250,
        "last_month": 24250,
        "period": "2020-11",
        "value": "88",
    }

    response = bi_admin.post(reverse("admin:data_observation_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(object_type="observation")
    assert event.action == "create" and event.after["value"] == "88"
    assert event.before is None


def test_the_audit_trail_cannot_be_changed_or_deleted_in_the_admin(bi_admin, open_round):
    event = AuditEvent.objects.filter(object_type="round").get()

    listing = bi_admin.get(reverse("admin:audit_auditevent_changelist"))
    shown = bi_admin.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    add = bi_admin.get(reverse("admin:audit_auditevent_add"))
    delete = bi_admin.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})  # fmt: skip
    change = bi_admin.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor": "someone else"}
    )

    assert listing.status_code == 200 and shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert (add.status_code, delete.status_code, change.status_code) == (403, 403, 403)
    event.refresh_from_db()
    assert event.actor == "bi.admin"


def test_the_audit_trail_is_filtered_by_action_and_found_by_actor(bi_admin, open_round):
    url = reverse("admin:audit_auditevent_changelist")

    by_action = bi_admin.get(url, {"action": "open"})
    by_actor = bi_admin.get(url, {"q": "bi.admin"})

    assert by_action.context["cl"].result_count == 1
    assert by_actor.context["cl"].result_count == 1


def test_entries_are_read_only_in_the_admin(bi_admin, open_round):
    entry = Entry.objects.filter(round=open_round).first()

    response = bi_admin.post(
        reverse("admin:data_entry_change", args=[entry.pk]), {"value": "1", "state": "approved"}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.state == "not_started"


def test_a_rounds_state_is_read_only_and_a_changed_deadline_recorded(bi_admin, open_round):
    url, page = change_page(bi_admin, open_round)
    data = form_data(page)
    assert set(data) == {"deadline"}  # the rest is read-only

    response = bi_admin.post(url, {"deadline": "2021-01-22", "state": "published"})

    assert response.status_code == 302
    found = Round.objects.get()
    assert (found.deadline, found.state) == (date(2021, 1, 22), "open")
    event = AuditEvent.objects.get(object_type="round", action="update")
    assert (event.before, event.after) == ({"deadline": "2021-01-15"}, {"deadline": "2021-01-22"})


def test_grants_are_listed_with_their_scope(bi_admin):
    response = bi_admin.get(reverse("admin:accounts_rolegrant_changelist"), {"role": "owner"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "cs.lead" in page and "Customer Services" in page
    assert "councillor" not in page


def test_a_staff_account_without_the_administrator_role_may_not_use_the_admin(client, personas):
    personas.lead.is_staff = True
    personas.lead.save()
    client.force_login(personas.lead)
    indicator = Indicator.objects.get(ref="191")

    index = client.get(reverse("admin:index"))
    change = client.get(reverse("admin:registry_indicator_change", args=[indicator.pk]))
    grants = client.get(reverse("admin:accounts_rolegrant_changelist"))

    # Staff status opens nothing: the admin site asks for the role (issue 14).
    assert (index.status_code, change.status_code, grants.status_code) == (302, 302, 302)
    assert index["Location"].startswith(reverse("admin:login"))
