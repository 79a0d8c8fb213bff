"""The admin site, where the BI team manages the register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perfreport.data.models import Observation
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

PAGES = [
    "registry_indicator", "registry_organisation", "registry_comparatorgroup", "registry_measure",
    "registry_directorate", "registry_service", "data_observation", "data_commentary",
]  # fmt: skip


# Every perfreport model in the admin, by the app that now holds it (the
# layers: docs/architecture.md), and so by its admin address.
REGISTERED = {
    "accounts.rolegrant", "api.apitoken", "audit.auditevent", "data.commentary", "data.entry",
    "data.observation", "data.round", "registry.comparatorgroup", "registry.directorate",
    "registry.indicator", "registry.measure", "registry.organisation", "registry.service",
    "rounds.remindersent",
}  # fmt: skip
APPS = {"registry", "accounts", "audit", "data", "rounds", "imports", "reports", "web", "api"}


@pytest.fixture
def admin_client_with_data(admin_client, imported_example):
    return admin_client


@pytest.mark.parametrize("name", PAGES)
def test_every_register_list_and_add_page_opens(admin_client_with_data, name):
    assert admin_client_with_data.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client_with_data.get(reverse(f"admin:{name}_add")).status_code == 200


def test_an_indicator_opens_with_its_targets_and_links(admin_client_with_data):
    indicator = Indicator.objects.get(ref="180")
    response = admin_client_with_data.get(
        reverse("admin:registry_indicator_change", args=[indicator.pk])
    )

    assert response.status_code == 200
    assert "Premises with access to superfast broadband" in response.content.decode()


def test_changing_a_value_in_the_admin_records_a_restatement(admin_client_with_data):
    observation = Observation.objects.filter(indicator__ref="191").latest("last_month")
    url = reverse("admin:data_observation_change", args=[observation.pk])
    form = admin_client_with_data.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        indicator=observation.indicator_id, organisation=observation.organisation_id, value="12"
    )
    data["is_draft"] = ""
    if not observation.is_draft:
        data.pop("is_draft")

    response = admin_client_with_data.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    observation.refresh_from_db()
    assert observation.value == 12
    assert observation.first_value != 12 and observation.restated_at is not None


def test_every_perfreport_model_is_registered_under_its_app():
    from django.contrib import admin

    registered = {m._meta.label_lower for m in admin.site._registry}

    assert {label for label in registered if label.split(".")[0] in APPS} == REGISTERED


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_every_model_list_opens_at_its_apps_address(admin_client_with_data, label):
    app, model = label.split(".")

    listing = admin_client_with_data.get(f"/admin/{app}/{model}/")
    index = admin_client_with_data.get(f"/admin/{app}/")

    assert listing.status_code == 200
    assert index.status_code == 200
