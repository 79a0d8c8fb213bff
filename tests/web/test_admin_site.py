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
    "registry_planitem", "registry_planaction",
]  # fmt: skip


# Every perfreport model in the admin, by the app that now holds it (the
# layers: docs/architecture.md), and so by its admin address.
REGISTERED = {
    "accounts.rolegrant", "api.apitoken", "audit.auditevent", "data.commentary", "data.entry",
    "data.observation", "data.round", "registry.comparatorgroup", "registry.directorate",
    "registry.indicator", "registry.measure", "registry.organisation", "registry.ratingscheme",
    "registry.service", "rounds.remindersent", "registry.planitem", "registry.planaction",
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


def _scheme_post(name: str, bands: list[tuple[str, str, str]]) -> dict[str, str]:
    """The add form of a rating scheme, as a BI analyst fills it in."""
    data = {
        "name": name,
        "measure": "relative",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for i, (rating, gap_from, inclusive) in enumerate(bands):
        data |= {
            f"bands-{i}-position": str(i),
            f"bands-{i}-rating": rating,
            f"bands-{i}-gap_from": gap_from,
            f"bands-{i}-label": "",
            f"bands-{i}-symbol": "",
            f"bands-{i}-colour": "",
        }
        if inclusive:
            data[f"bands-{i}-inclusive"] = "on"
    return data


def test_a_bi_analyst_defines_a_scheme_in_the_admin_and_an_indicator_uses_it(
    admin_client_with_data,
):
    from perfreport.core.rating import Rating
    from perfreport.data.versions import current_data_version
    from perfreport.registry.models import RatingScheme, SchemeBook

    url = reverse("admin:registry_ratingscheme_add")
    bands = [("green", "-2", True), ("amber", "-4", True), ("red", "", True)]
    before = current_data_version()
    response = admin_client_with_data.post(url, _scheme_post("Within2", bands))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert current_data_version() != before  # kept pages and the schemes read are stale
    scheme = RatingScheme.objects.get(name="within2").to_core()
    assert scheme.ratings == (Rating.GREEN, Rating.AMBER, Rating.RED)
    book = SchemeBook.load()
    indicator = Indicator.objects.get(ref="191")
    indicator.scheme, indicator.tolerance_method = "within2", ""  # no thresholds of its own
    assert book.for_indicator(indicator).name == "within2"


@pytest.mark.parametrize(
    ("name", "bands", "message"),
    [
        pytest.param(
            "ours",
            [("green", "0", True), ("amber", "5", True), ("red", "", True)],
            "bands go best first",
            id="out_of_order",
        ),
        pytest.param(
            "Tolerance",
            [("green", "0", True), ("red", "", True)],
            "is a built-in scheme",
            id="built_in_name",
        ),
    ],
)
def test_a_scheme_that_cannot_rate_is_refused_in_the_admin_keeping_what_was_typed(
    admin_client_with_data, name, bands, message
):
    from perfreport.registry.models import RatingScheme

    response = admin_client_with_data.post(
        reverse("admin:registry_ratingscheme_add"), _scheme_post(name, bands)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{name}"' in page
    assert not RatingScheme.objects.exists()


def test_an_indicator_naming_an_unknown_scheme_is_refused_in_the_admin(admin_client_with_data):
    indicator = Indicator.objects.get(ref="191")
    url = reverse("admin:registry_indicator_change", args=[indicator.pk])
    form = admin_client_with_data.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    for prefix in ("targets", "links"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data["scheme"] = "nowhere"

    response = admin_client_with_data.post(url, data)

    assert response.status_code == 200
    assert "&#x27;nowhere&#x27; is not a rating scheme" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.scheme == ""
