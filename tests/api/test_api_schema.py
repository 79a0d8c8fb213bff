"""The API keeps to its own OpenAPI schema: schemathesis generates requests
from /api/openapi.json (valid and invalid) and sends them to the application
in-process, with and without a token. No answer may be a server error, use a
status code the schema does not list, or differ from the schema's shape."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from perfreport.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
# Not "positive_data_acceptance": a period is any text to the schema, and
# only the code knows that "2020/22" is not one (it answers 422, documented).


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request calling the application directly
    would close the test's database connection at its end (PostgreSQL; an
    in-memory SQLite database ignores the close)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(imported_example, connection_kept):
    from django.contrib.auth.models import User
    from django.core.cache import cache

    from perfreport.accounts.permissions import grant
    from perfreport.api.models import ApiToken
    from perfreport.data.evaluations import forget_evaluations

    cache.clear()  # the data version starts again in each test's database
    forget_evaluations()
    user = User.objects.create_user("schemathesis", "st@example.org", "not used")
    grant(user, "admin")  # a token acts for its holder, who needs a role to read and write
    return ApiToken.objects.issue(user, "schemathesis")[1]


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_keeps_to_the_schema(case, token):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_the_evaluation_record_in_the_schema_has_every_field_of_the_record():
    from perfreport.api.schemas import EvaluationRecord
    from perfreport.data.present import FIELDS

    assert list(EvaluationRecord.model_fields) == list(FIELDS)
