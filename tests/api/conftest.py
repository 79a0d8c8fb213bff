from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Forget kept answers: the data version starts again in each test's database."""
    from django.core.cache import cache

    from perfreport.data.evaluations import forget_evaluations

    cache.clear()
    forget_evaluations()


@pytest.fixture
def analyst(db):
    """A BI administrator, whose tokens the tests use: a token acts for its
    holder, with their roles."""
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    person = User.objects.create_user("analyst", "analyst@example.org", "not used")
    grant(person, "admin")
    return person


@pytest.fixture
def secret(analyst) -> str:
    """A live API token of the analyst's."""
    from perfreport.api.models import ApiToken

    return ApiToken.objects.issue(analyst, "tests")[1]


@pytest.fixture
def auth(secret) -> dict[str, str]:
    """The request header that sends the token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
