"""Whatever goes wrong, the API answers JSON that says what: a period out of
range or a number too large (422), an address it does not have (404), a
method an address does not take (405), an address too long (414), and a
server error (500, with the request id that finds it in the log)."""

from __future__ import annotations

import json

import pytest

from perfreport.data.models import Observation

pytestmark = pytest.mark.usefixtures("imported_example")


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("path", ["/api/evaluations", "/api/evaluations/180"])
@pytest.mark.parametrize("period", ["9999/00 Q4", "9999-12", "10000-01"])
def test_a_period_in_year_10000_is_refused_in_json(client, path, period):
    response = client.get(path, {"period": period})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", "period"]
    assert "9999" in problem["msg"] or "10000" in problem["msg"]


def test_a_period_in_year_10000_in_an_observations_filter_is_refused(client):
    response = client.get("/api/indicators/180/observations", {"from": "9999/00 Q4"})

    assert response.status_code == 422
    assert "a period's year must be 1900 to 2999" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("1" * 23, id="text_of_23_digits"),
        pytest.param(int("9" * 30), id="json_integer_of_30_digits"),
        pytest.param("1" * 23 + ".5%", id="percentage_of_23_digits"),
    ],
)
def test_a_number_of_23_digits_is_refused_naming_the_field(client, auth, value):
    response = put(client, "/api/indicators/180/observations/2020/21 Q3", {"value": value}, **auth)

    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "value"]
    assert "is too large: at most 14 digits before the decimal point" in problem["msg"]
    assert not Observation.objects.filter(indicator__ref="180", period="2020/21 Q3").exists()


def test_a_period_in_year_10000_in_a_write_is_refused(client, auth):
    response = put(client, "/api/indicators/180/observations/9999/00 Q4", {"value": 9}, **auth)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "period"]


def test_an_address_the_api_does_not_have_is_answered_in_json(client):
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no such address" in response.json()["detail"]


def test_a_method_an_address_does_not_take_is_answered_in_json(client):
    response = client.delete("/api/evaluations")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response["Allow"] == "GET"


def test_an_address_too_long_is_answered_in_json(client):
    response = client.get("/api/evaluations", {"period": "Q" * 5000})

    assert response.status_code == 414
    assert "at most 4000 characters" in response.json()["detail"]


def test_a_server_error_is_answered_in_json_with_its_request_id(client, monkeypatch, caplog):
    """GIVEN an evaluation that fails unexpectedly, with DEBUG off."""

    def fail(*args, **kwargs):
        raise RuntimeError("the evaluation broke")

    monkeypatch.setattr("perfreport.api.routes.evaluation_answer", fail)
    client.raise_request_exception = False

    response = client.get("/api/evaluations", {"period": "2020/21 Q2"})

    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "Server error"
    assert body["request_id"] == response["X-Request-ID"]
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == body["request_id"]
    assert "RuntimeError: the evaluation broke" in caplog.text
