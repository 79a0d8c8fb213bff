"""The HTTP API obeys the same roles as the pages: a token acts for its
holder. Reading with a token needs a role, and shows drafts only to those who
write or sign off (a viewer's token reads what the public read); writing needs
the right to edit the indicator; a period a round collects is written through
the round, so its entry, version, state and audit trail follow."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Commentary, Observation
from perfreport.rounds import services
from perfreport.rounds.services import EntryInput

pytestmark = pytest.mark.django_db

PEOPLE = ("admin", "lead", "it_lead", "approver", "viewer", "outsider")
DECEMBER = "/api/indicators/191/observations/2020-12"  # 191's entry in the Q3 round
NOTES = "/api/indicators/191/commentary/2020-12"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the data version starts again in each test's database


@pytest.fixture
def tokens(personas):
    """An API token header for every persona."""
    from perfreport.api.models import ApiToken

    return {
        name: {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.issue(user, 'tests')[1]}"}
        for name, user in personas.all().items()
    }


def entry_of(round_, ref):
    """As in this folder's conftest, which another folder's conftest can hide
    when the whole suite is collected."""
    found = round_.entries.select_related("indicator", "round").filter(indicator__ref=ref)
    return found.latest("first_month")


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


# Reading


@pytest.mark.parametrize(
    ("name", "published_only"),
    [
        ("admin", False),
        ("lead", False),
        ("it_lead", False),
        ("approver", False),
        ("viewer", True),  # reads, but neither writes nor signs off
    ],
)
def test_only_those_who_write_or_sign_off_read_drafts_with_a_token(
    client, tokens, name, published_only
):
    found = client.get("/api/evaluations?period=2020/21 Q2", **tokens[name])

    assert found.status_code == 200
    assert found.json()["published_only"] is published_only


@pytest.mark.parametrize(
    "url",
    [
        "/api/indicators",
        "/api/indicators/191",
        "/api/indicators/191/observations",
        "/api/indicators/191/commentary/2020-09",
        "/api/evaluations?period=2020/21 Q2",
        "/api/reports",
    ],
)
def test_the_token_of_someone_without_a_role_is_refused_every_read(client, tokens, url):
    public = client.get(url)

    refused = client.get(url, HTTP_IF_NONE_MATCH=public["ETag"], **tokens["outsider"])

    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "this token's user (outsider) has no role in perfreport: ask the BI team for one"
    }
    assert "ETag" not in refused


def test_without_a_token_or_with_a_viewers_only_published_values_are_read(
    client, tokens, open_round
):
    put(client, DECEMBER, {"value": 90}, **tokens["lead"])  # a draft in the round

    public = client.get("/api/indicators/191/observations?from=2020-12").json()
    viewer = client.get("/api/indicators/191/observations?from=2020-12", **tokens["viewer"])
    staff = client.get("/api/indicators/191/observations?from=2020-12", **tokens["approver"])

    assert public["count"] == 0
    assert viewer.json() == public
    assert [o["value"] for o in staff.json()["items"]] == [90]


# Writing: who may


@pytest.mark.parametrize(
    ("name", "ref", "period", "status"),
    [
        pytest.param("admin", "180", "2020/21 Q3", 201, id="admin_any"),
        pytest.param("lead", "191", "2020-12", 201, id="lead_own_service"),
        pytest.param("lead", "180", "2020/21 Q3", 403, id="lead_other_service"),
        pytest.param("it_lead", "194", "2020-12", 201, id="owner_own_indicator"),
        pytest.param("it_lead", "191", "2020-12", 403, id="owner_other_indicator"),
        pytest.param("approver", "191", "2020-12", 403, id="approver"),
        pytest.param("viewer", "191", "2020-12", 403, id="viewer"),
        pytest.param("outsider", "191", "2020-12", 403, id="outsider"),
        pytest.param(None, "191", "2020-12", 401, id="no_token"),
    ],
)
def test_who_may_write_a_value(client, tokens, open_round, name, ref, period, status):
    headers = tokens[name] if name else {}

    response = put(client, f"/api/indicators/{ref}/observations/{period}", {"value": 90}, **headers)

    assert response.status_code == status, response.content
    entry = entry_of(open_round, ref)
    if status == 201:
        assert entry.value == 90
    else:
        assert entry.value is None and entry.version == 1
        assert not AuditEvent.objects.filter(object_type="entry").exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 201), ("lead", 201), ("it_lead", 403), ("approver", 403), ("viewer", 403)],
)
def test_who_may_write_commentary(client, tokens, open_round, name, status):
    response = put(client, NOTES, {"commentary": "Calls up."}, **tokens[name])

    assert response.status_code == status, response.content
    assert (entry_of(open_round, "191").commentary == "Calls up.") is (status == 201)


def test_a_refusal_names_the_person_and_the_indicator(client, tokens, open_round):
    response = put(client, "/api/indicators/180/observations/2020/21 Q3", {"value": 90}, **tokens["lead"])  # fmt: skip

    assert response.json() == {
        "detail": "cs.lead may not enter values or commentary for indicator 180: only its "
        "owner, its service lead or a BI administrator may"
    }
    assert not Observation.objects.filter(indicator__ref="180", period="2020/21 Q3").exists()


def test_the_lead_may_write_a_period_no_round_collects_and_it_is_audited(client, tokens):
    response = put(client, "/api/indicators/191/observations/2020-10", {"value": 88}, **tokens["lead"])  # fmt: skip

    assert response.status_code == 201
    assert "ETag" not in response  # no entry, no version
    stored = Observation.objects.get(indicator__ref="191", period="2020-10")
    event = AuditEvent.objects.get(object_type="observation", object_id=str(stored.pk))
    assert (event.action, event.actor, event.user) == ("create", "cs.lead", stored_user("cs.lead"))
    assert event.after["value"] == "88" and event.period == "2020-10"


def stored_user(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def test_a_changed_value_outside_a_round_records_before_and_after(client, tokens):
    url = "/api/indicators/191/observations/2020-09"

    response = put(client, url, {"value": 86.5, "reason": "Late calls counted"}, **tokens["lead"])

    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="observation")
    assert (event.before, event.after) == ({"value": "87"}, {"value": "86.5"})
    assert event.reason == "Late calls counted"
    assert event.indicator.ref == "191"


def test_changed_commentary_outside_a_round_is_audited(client, tokens):
    response = put(
        client,
        "/api/indicators/191/commentary/2020-09",
        {"commentary": "Shorter."},
        **tokens["lead"],
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="commentary")
    assert event.after == {"text": "Shorter."}
    assert event.before["text"].startswith("This target has been met")


# Writing through the round


def test_a_value_in_an_open_round_is_saved_to_its_entry(client, tokens, open_round):
    entry = entry_of(open_round, "191")
    services.save_entry(
        services.Actor.of(stored_user("cs.lead")),
        entry.pk,
        EntryInput(commentary="Busy December"),
        version=entry.version,
    )

    response = put(client, DECEMBER, {"value": "70%", "is_draft": False}, **tokens["lead"])

    assert response.status_code == 201
    assert response.json()["is_draft"] is True  # a draft until the round is published
    entry.refresh_from_db()
    assert (entry.value, entry.state, entry.version) == (Decimal(70), "draft", 3)
    assert entry.commentary == "Busy December"  # kept: the PUT is of the value only
    assert response["ETag"] == '"3"'
    event = AuditEvent.objects.filter(object_type="entry").first()
    assert (event.action, event.actor, event.after) == ("save", "cs.lead", {"value": "70"})


def test_commentary_in_an_open_round_keeps_the_entrys_value(client, tokens, open_round):
    put(client, DECEMBER, {"value": 70}, **tokens["lead"])

    response = put(
        client, NOTES, {"commentary": "Sickness", "actions": "Agency staff"}, **tokens["lead"]
    )

    assert response.status_code == 201
    assert response["ETag"] == '"3"'
    entry = entry_of(open_round, "191")
    assert (entry.value, entry.commentary, entry.actions) == (70, "Sickness", "Agency staff")
    notes = Commentary.objects.get(indicator__ref="191", period="2020-12")
    assert (notes.text, notes.actions) == ("Sickness", "Agency staff")


def test_a_bad_value_for_an_entry_is_refused_naming_the_field(client, tokens, open_round):
    response = put(client, DECEMBER, {"value": 140}, **tokens["lead"])

    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "value"]
    assert problem["msg"] == "140 is outside 0 to 100, the range of a percentage"
    assert entry_of(open_round, "191").version == 1


def test_a_current_if_match_is_saved(client, tokens, open_round):
    response = put(client, DECEMBER, {"value": 90}, HTTP_IF_MATCH='"1"', **tokens["lead"])

    assert response.status_code == 201
    assert entry_of(open_round, "191").version == 2


def test_a_stale_if_match_is_refused_with_what_changed(client, tokens, open_round):
    put(client, DECEMBER, {"value": 90}, **tokens["admin"])  # version 1 -> 2

    response = put(client, DECEMBER, {"value": 91}, HTTP_IF_MATCH='"1"', **tokens["lead"])

    assert response.status_code == 412
    answer = response.json()
    assert answer["version"] == 2
    [change] = answer["changes"]
    assert (change["field"], change["label"]) == ("value", "Value")
    assert (change["saved"], change["yours"]) == ("90.0%", "91.0%")
    assert "bi.admin saved" in answer["detail"] and 'If-Match: "2"' in answer["detail"]
    assert response["ETag"] == '"2"'
    assert entry_of(open_round, "191").value == 90


def test_a_submitted_entry_is_refused_with_409(client, tokens, open_round, actors):
    entry = entry_of(open_round, "191")
    services.save_entry(actors["lead"], entry.pk, EntryInput(value="88"), version=1, submit=True)

    response = put(client, DECEMBER, {"value": 89}, **tokens["lead"])

    assert response.status_code == 409
    assert response.json()["detail"].startswith("cannot save an entry that is submitted")
    assert entry_of(open_round, "191").value == 88


def _published(actors, open_round):
    entry = entry_of(open_round, "191")
    services.save_entry(actors["lead"], entry.pk, EntryInput(value="88"), version=1, submit=True)
    services.approve_entry(actors["approver"], entry.pk)
    services.publish_round(actors["admin"], open_round.pk)
    return entry


def test_a_published_value_needs_a_reason_to_change(client, tokens, open_round, actors):
    _published(actors, open_round)

    refused = put(client, DECEMBER, {"value": 89}, **tokens["lead"])
    again = put(client, DECEMBER, {"value": 88}, **tokens["lead"])

    assert refused.status_code == 409
    assert "published with the round for 2020/21 Q3" in refused.json()["detail"]
    assert '"reason"' in refused.json()["detail"]
    assert again.status_code == 200  # the same value again changes nothing
    assert entry_of(open_round, "191").restated_at is None


def test_a_published_value_is_restated_with_a_reason(client, tokens, open_round, actors):
    _published(actors, open_round)

    response = put(
        client, DECEMBER, {"value": 89, "reason": "Late calls counted"}, **tokens["lead"]
    )

    assert response.status_code == 200, response.content
    entry = entry_of(open_round, "191")
    assert entry.value == 89 and entry.restated_at is not None
    event = AuditEvent.objects.filter(object_type="entry", action="restate").get()
    assert (event.reason, event.before, event.after) == (
        "Late calls counted",
        {"value": "88"},
        {"value": "89"},
    )
    open_round.refresh_from_db()
    frozen = next(e for e in open_round.snapshot["entries"] if e["ref"] == "191")
    assert frozen["value"] == "88"  # the published figure stays in the snapshot


def test_commentary_of_a_published_round_is_refused(client, tokens, open_round, actors):
    _published(actors, open_round)

    response = put(client, NOTES, {"commentary": "Afterthought"}, **tokens["lead"])

    assert response.status_code == 409
    assert "can no longer be changed" in response.json()["detail"]


def test_a_restatement_on_a_stale_version_is_refused(client, tokens, open_round, actors):
    _published(actors, open_round)

    response = put(
        client,
        DECEMBER,
        {"value": 89, "reason": "Late calls counted"},
        HTTP_IF_MATCH='"1"',
        **tokens["lead"],
    )

    assert response.status_code == 412
    assert response.json()["changes"] == [
        {"field": "value", "label": "Value", "saved": "88.0%", "yours": "89.0%"}
    ]
    assert entry_of(open_round, "191").restated_at is None


def test_while_a_round_is_open_an_owner_may_not_write_another_period(client, tokens, open_round):
    """The round collects 2020-10 to 2020-12 for 191: 2021-01 is outside it, for its lead."""
    response = put(client, "/api/indicators/191/observations/2021-01", {"value": 88}, **tokens["lead"])  # fmt: skip

    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["path", "period"]
    assert response.json()["detail"][0]["msg"] == (
        "2021-01 is outside the open round for 2020/21 Q3, which collects 2020-10, 2020-11, "
        "2020-12 for indicator 191: write that period, or ask a BI administrator to enter another"
    )
    assert not Observation.objects.filter(indicator__ref="191", period="2021-01").exists()
    # A BI administrator may fill in history.
    admin = put(client, "/api/indicators/191/observations/2021-01", {"value": 88}, **tokens["admin"])  # fmt: skip
    assert admin.status_code == 201, admin.content
