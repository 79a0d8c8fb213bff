"""The people and the published round of the distribution tests, on the
seed's data."""

from __future__ import annotations

from typing import Any

import pytest
from distribution_helpers import SITE, People, make_people, publish_round_with_a_draft
from worker_helpers import worker_database  # noqa: F401  (the worker tests' database)


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.PERFREPORT_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "perfreport@example.org"


@pytest.fixture
def people(imported_example: None) -> People:
    """The people, and the home organisation's report title and contact."""
    from perfreport.registry.models import Organisation

    Organisation.objects.filter(is_home=True).update(
        report_title="Corporate Performance Report",
        report_team="Business Intelligence",
        report_contact="performance@council.example.org",
    )
    return make_people()


@pytest.fixture
def published_round(people: People) -> Any:
    return publish_round_with_a_draft(people)
