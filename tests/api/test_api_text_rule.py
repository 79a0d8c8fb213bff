"""The text rule at the API: commentary, actions and a reason with a control
character, or commentary past 20,000 characters, are a 422 naming the field."""

from __future__ import annotations

import json

import pytest

from perfreport.data.models import Commentary

pytestmark = pytest.mark.usefixtures("imported_example")

URL = "/api/indicators/180/commentary/2020/21 Q3"


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        pytest.param({"commentary": "Up\x0bagain."}, "commentary", "U+000B", id="vertical_tab"),
        pytest.param({"actions": "None\x1b"}, "actions", "U+001B", id="escape_in_actions"),
        pytest.param({"commentary": "x" * 20_001}, "commentary", "at most 20000", id="too_long"),
    ],
)
def test_refused_text_is_a_422_naming_the_field(client, auth, body, field, message):
    response = put(client, URL, body, **auth)

    assert response.status_code == 422
    problems = response.json()["detail"]
    assert [p["loc"][-1] for p in problems] == [field]
    assert message in problems[0]["msg"]
    assert not Commentary.objects.filter(indicator__ref="180", period="2020/21 Q3").exists()


def test_a_reason_with_a_control_character_is_refused(client, auth):
    response = put(
        client, "/api/indicators/180/observations/2020/21 Q3",
        {"value": 98, "reason": "typo\x07"}, **auth,
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "reason"


def test_commentary_with_crlf_is_stored_with_new_lines(client, auth):
    response = put(client, URL, {"commentary": "One.\r\nTwo.\tThree."}, **auth)

    assert response.status_code == 201
    stored = Commentary.objects.get(indicator__ref="180", period="2020/21 Q3")
    assert stored.text == "One.\nTwo.\tThree."
