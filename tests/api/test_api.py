"""The HTTP API at /api/: reading (public, or with a token for drafts), writing
with a token, errors, pagination and ETags. The seed's report is the data:
17 indicators of Cambridgeshire, reported for 2020/21 Q2."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from perfreport.api.models import ApiToken, hash_secret
from perfreport.data.models import Commentary, Observation
from perfreport.data.versions import current_data_version

pytestmark = pytest.mark.usefixtures("imported_example")

Q2 = "2020/21 Q2"


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def draft_for_q3(client, auth, value=98.5):
    """GIVEN a draft value of indicator 180 for 2020/21 Q3, written with a token."""
    response = put(
        client,
        "/api/indicators/180/observations/2020/21 Q3",
        {"value": value, "is_draft": True},
        **auth,
    )
    assert response.status_code == 201, response.content
    return response


# The schema and the documentation pages


def test_it_serves_its_openapi_schema_with_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()

    assert set(schema["paths"]) == {
        "/api/indicators",
        "/api/indicators/{ref}",
        "/api/indicators/{ref}/observations",
        "/api/indicators/{ref}/observations/{period}",
        "/api/indicators/{ref}/commentary/{period}",
        "/api/evaluations",
        "/api/evaluations/{ref}",
        "/api/reports",
        "/api/plan",
    }
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_it_serves_browsable_documentation(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


# Indicators


def test_it_lists_the_indicators_a_page_at_a_time(client):
    first = client.get("/api/indicators?limit=5").json()
    second = client.get("/api/indicators?limit=5&page=2").json()

    assert first["count"] == 17
    assert [i["ref"] for i in first["items"]] == ["180", "181", "182", "183", "184"]
    assert [i["ref"] for i in second["items"]] == ["185", "186", "187", "188", "189"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/indicators?limit=5&page=2"
    assert second["previous"] == "http://testserver/api/indicators?limit=5&page=1"


def test_the_last_page_has_no_next_page_and_a_page_beyond_it_is_empty(client):
    last = client.get("/api/indicators?limit=5&page=4").json()
    beyond = client.get("/api/indicators?limit=5&page=5").json()

    assert [i["ref"] for i in last["items"]] == ["195", "196"]
    assert last["next"] is None
    assert beyond["items"] == []


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        pytest.param("service=Digital Infrastructure", ["180", "181"], id="service"),
        pytest.param("service=digital infrastructure", ["180", "181"], id="service_any_case"),
        pytest.param("frequency=annual", ["188"], id="frequency"),
        pytest.param("frequency=quarterly&service=Research", [], id="both"),
        pytest.param("directorate=Children's Services", [], id="unknown_directorate"),
    ],
)
def test_it_filters_the_indicators(client, query, refs):
    found = client.get(f"/api/indicators?{query}").json()

    assert [i["ref"] for i in found["items"]] == refs
    assert found["count"] == len(refs)


def test_a_directorate_filter_keeps_its_indicators(client):
    found = client.get("/api/indicators?directorate=Corporate Services&limit=500").json()

    assert found["count"] == 17


@pytest.mark.parametrize(
    ("query", "field"),
    [
        pytest.param("frequency=weekly", "frequency", id="unknown_frequency"),
        pytest.param("limit=0", "limit", id="limit_zero"),
        pytest.param("limit=501", "limit", id="limit_too_large"),
        pytest.param("page=0", "page", id="page_zero"),
        pytest.param("page=two", "page", id="page_not_a_number"),
    ],
)
def test_it_refuses_bad_filters_naming_the_field(client, query, field):
    response = client.get(f"/api/indicators?{query}")

    assert response.status_code == 422
    assert [problem["loc"][-1] for problem in response.json()["detail"]] == [field]


def test_it_shows_one_indicator(client):
    found = client.get("/api/indicators/180").json()

    assert found["title"] == "Premises with access to superfast broadband"
    assert found["unit"] == "percent"
    assert found["decimals"] == 2
    assert found["polarity"] == "higher"
    assert found["frequency"] == "quarterly"
    assert found["directorate"] == "Corporate Services"
    assert found["service"] == "Digital Infrastructure"
    assert found["red_threshold"] == 10


def test_an_unknown_indicator_is_not_found_and_the_answer_says_where_to_look(client):
    response = client.get("/api/indicators/999")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "no indicator has the reference '999': GET /api/indicators lists the 17 there are"
    }


# Observations


def test_it_lists_an_indicators_values_oldest_first(client):
    found = client.get("/api/indicators/180/observations").json()

    assert found["count"] == 3
    assert [(o["period"], o["value"]) for o in found["items"]] == [
        ("2019/20 Q4", 97.66),
        ("2020/21 Q1", 97.78),
        (Q2, 97.83),
    ]
    assert found["items"][0]["organisation"] == "E10000003"
    assert found["items"][0]["is_draft"] is False


@pytest.mark.parametrize(
    ("query", "periods"),
    [
        pytest.param("from=2020/21 Q1", ["2020/21 Q1", Q2], id="from"),
        pytest.param("to=2020/21 Q1", ["2019/20 Q4", "2020/21 Q1"], id="to"),
        pytest.param("from=2020/21&to=2020/21", ["2020/21 Q1", Q2], id="a_year"),
        pytest.param("from=2020-05&to=2020-06", ["2020/21 Q1"], id="months"),
    ],
)
def test_it_filters_values_by_period(client, query, periods):
    found = client.get(f"/api/indicators/180/observations?{query}").json()

    assert [o["period"] for o in found["items"]] == periods


def test_a_bad_period_in_a_filter_is_refused_naming_the_field(client):
    response = client.get("/api/indicators/180/observations?from=Q2")

    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", "from"]
    assert "is not a period" in problem["msg"]


def test_a_draft_value_is_hidden_without_a_token_and_shown_with_one(client, auth):
    draft_for_q3(client, auth)

    public = client.get("/api/indicators/180/observations").json()
    staff = client.get("/api/indicators/180/observations", **auth).json()

    assert [o["period"] for o in public["items"]][-1] == Q2
    assert staff["items"][-1] == staff["items"][-1] | {"period": "2020/21 Q3", "is_draft": True}
    assert staff["count"] == public["count"] + 1


def test_values_of_the_indicator_for_an_unknown_indicator_are_not_found(client):
    assert client.get("/api/indicators/999/observations").status_code == 404


# Evaluations


def test_it_evaluates_every_indicator_for_a_period(client):
    from perfreport.data.present import public_record
    from perfreport.data.selectors import evaluate_period
    from perfreport.registry.periods import read_period

    found = client.get(f"/api/evaluations?period={Q2}").json()

    expected = evaluate_period(read_period(Q2), published_only=True)
    expected.analyse_all()
    assert found["period"] == Q2
    assert found["organisation"] == "E10000003"
    assert found["published_only"] is True
    assert found["count"] == 17
    # Without a token: the public's record, with no drafted commentary.
    assert found["items"] == [json.loads(json.dumps(public_record(row))) for row in expected.rows]
    assert all("draft_commentary" not in item for item in found["items"])


def test_the_evaluation_defaults_to_the_quarter_with_the_latest_value(client):
    assert client.get("/api/evaluations").json()["period"] == Q2


def test_the_evaluation_is_kept_until_the_data_change(client, django_assert_max_num_queries):
    client.get(f"/api/evaluations?period={Q2}")

    with django_assert_max_num_queries(3):  # the data version (twice) and the home organisation
        again = client.get(f"/api/evaluations?period={Q2}")

    assert again.status_code == 200


def test_it_evaluates_one_indicator(client):
    found = client.get(f"/api/evaluations/180?period={Q2}").json()

    assert found["ref"] == "180"
    assert found["value"] == 97.83
    assert found["display_value"] == "97.83%"
    assert found["rag"] == "amber"
    assert found["change"] == "improving"


def test_a_bad_period_is_refused_naming_the_field(client):
    response = client.get("/api/evaluations?period=Q7 2020")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "period"]


def test_a_period_before_every_value_is_not_found_and_the_answer_says_where_to_look(client):
    response = client.get("/api/evaluations?period=2010/11 Q1")

    assert response.status_code == 404
    assert "GET /api/reports lists the periods" in response.json()["detail"]


def test_with_a_token_the_answer_for_an_empty_period_names_the_periods_with_values(client, auth):
    response = client.get("/api/evaluations?period=2010/11 Q1", **auth)

    assert response.status_code == 404
    assert "values exist for 2020-09, 2020/21 Q2" in response.json()["detail"]


def test_an_unknown_indicator_has_no_evaluation(client):
    assert client.get(f"/api/evaluations/999?period={Q2}").status_code == 404


def test_the_public_evaluation_leaves_out_drafts_and_a_token_shows_them(client, auth):
    draft_for_q3(client, auth)

    public = client.get("/api/evaluations/180?period=2020/21 Q3").json()
    staff = client.get("/api/evaluations/180?period=2020/21 Q3", **auth).json()

    assert (public["period"], public["value"]) == (Q2, 97.83)
    assert (staff["period"], staff["value"]) == ("2020/21 Q3", 98.5)
    listing = client.get("/api/evaluations?period=2020/21 Q3", **auth).json()
    assert listing["published_only"] is False
    assert listing["items"][0]["value"] == 98.5


# Reports


def test_it_lists_the_reports_of_the_periods_with_published_values(client, auth):
    draft_for_q3(client, auth)  # a draft does not make a report

    found = client.get("/api/reports").json()

    assert [r["period"] for r in found["items"]] == [Q2, "2020/21 Q1", "2019/20 Q4", "2018/19 Q4"]
    downloads = found["items"][0]["downloads"]
    assert [d["format"] for d in downloads] == ["pdf", "html", "docx", "xlsx"]
    assert downloads[0]["url"] == (
        "http://testserver/public/reports/download?period=2020%2F21+Q2&format=pdf"
    )


# Writing values


def test_writing_needs_a_token(client):
    response = put(client, f"/api/indicators/180/observations/{Q2}", {"value": 98})

    assert response.status_code == 401
    assert "needs an API token" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Observation.objects.get(indicator__ref="180", period=Q2).value == Decimal("97.83")


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer not-a-token", id="wrong_token"),
        pytest.param("Basic YW5hbHlzdDpwYXNzd29yZA==", id="not_a_bearer_token"),
        pytest.param("Bearer", id="empty"),
    ],
)
def test_a_wrong_token_is_refused_for_reading_and_writing(client, header):
    write = put(
        client, f"/api/indicators/180/observations/{Q2}", {"value": 98}, HTTP_AUTHORIZATION=header
    )
    read = client.get("/api/indicators", HTTP_AUTHORIZATION=header)

    assert (write.status_code, read.status_code) == (401, 401)
    assert read.json() == {"detail": "the API token is not valid or has been revoked"}


def test_a_revoked_token_is_refused(client, auth, secret):
    ApiToken.objects.get(key_hash=hash_secret(secret)).revoke()

    assert client.get("/api/indicators", **auth).status_code == 401
    assert put(client, f"/api/indicators/180/commentary/{Q2}", {}, **auth).status_code == 401


def test_the_token_of_a_user_who_left_is_refused(client, auth, analyst):
    analyst.is_active = False
    analyst.save()

    assert client.get("/api/indicators", **auth).status_code == 401


def test_the_token_of_a_user_without_a_role_is_refused(client, analyst):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("no.role", "no.role@example.org", "not used")
    header = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.issue(nobody, 'tests')[1]}"}

    read = client.get("/api/indicators", **header)
    write = put(client, f"/api/indicators/180/observations/{Q2}", {"value": 98}, **header)

    assert (read.status_code, write.status_code) == (403, 403)
    assert read.json() == {
        "detail": "this token's user (no.role) has no role in perfreport: ask the BI team for one"
    }
    assert Observation.objects.get(indicator__ref="180", period=Q2).value == Decimal("97.83")


def test_a_write_is_recorded_in_the_audit_trail_by_the_tokens_user(client, auth):
    from perfreport.audit.models import AuditEvent

    put(client, f"/api/indicators/180/observations/{Q2}", {"value": 97.9}, **auth)

    event = AuditEvent.objects.get(object_type="observation")
    assert (event.actor, event.action, event.period) == ("analyst", "update", Q2)
    assert (Decimal(event.before["value"]), Decimal(event.after["value"])) == (
        Decimal("97.83"),
        Decimal("97.9"),
    )


def test_it_creates_a_value_and_the_evaluation_shows_it(client, auth):
    """GIVEN the seed's data WHEN a Q3 value is put THEN it is stored as the
    home organisation's, first value kept, and the Q3 evaluation rates it."""
    before = current_data_version()

    response = put(
        client,
        "/api/indicators/180/observations/2020/21 Q3",
        {"value": "98.20%", "numerator": 982, "denominator": 1000},
        **auth,
    )

    assert response.status_code == 201
    assert response.json() | {"updated_at": None} == {
        "ref": "180",
        "period": "2020/21 Q3",
        "organisation": "E10000003",
        "value": 98.2,
        "withheld": None,
        "display_value": "98.20%",
        "numerator": 982,
        "denominator": 1000,
        "is_draft": False,
        "restated_at": None,
        "updated_at": None,
    }
    stored = Observation.objects.get(indicator__ref="180", period="2020/21 Q3")
    assert (stored.value, stored.first_value, stored.restated_at) == (
        Decimal("98.2"),
        Decimal("98.2"),
        None,
    )
    assert stored.organisation.is_home
    assert current_data_version() != before
    evaluation = client.get("/api/evaluations/180?period=2020/21 Q3").json()
    assert (evaluation["period"], evaluation["value"]) == ("2020/21 Q3", 98.2)


def test_it_replaces_a_value_as_a_restatement(client, auth):
    response = put(client, f"/api/indicators/180/observations/{Q2}", {"value": 97.9}, **auth)

    assert response.status_code == 200
    assert response.json()["restated_at"] is not None
    stored = Observation.objects.get(indicator__ref="180", period=Q2)
    assert (stored.value, stored.first_value) == (Decimal("97.9"), Decimal("97.83"))
    assert stored.restated_at is not None
    assert client.get(f"/api/evaluations/180?period={Q2}").json()["value"] == 97.9


def test_putting_the_same_value_again_changes_nothing(client, auth):
    before = current_data_version()

    response = put(client, f"/api/indicators/180/observations/{Q2}", {"value": 97.83}, **auth)

    assert response.status_code == 200
    assert Observation.objects.get(indicator__ref="180", period=Q2).restated_at is None
    assert current_data_version() == before


def test_publishing_a_draft_is_not_a_restatement(client, auth):
    draft_for_q3(client, auth)

    response = put(client, "/api/indicators/180/observations/2020/21 Q3", {"value": 98.5}, **auth)

    assert response.json()["is_draft"] is False
    assert response.json()["restated_at"] is None
    assert client.get("/api/evaluations/180?period=2020/21 Q3").json()["value"] == 98.5


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        pytest.param({"value": "n/a"}, "value", "is not a number", id="words"),
        pytest.param({"value": 101.5}, "value", "a percentage outside 0 to 100", id="over_100pc"),
        pytest.param({"value": "1e3"}, "value", "is not a number", id="exponent"),
        pytest.param({"value": True}, "value", "", id="true"),
        pytest.param({}, "value", "", id="missing"),
        pytest.param({"value": 98, "numerator": "x"}, "numerator", "not a number", id="numerator"),
        pytest.param({"value": 98, "denominator": 0}, "denominator", "is 0", id="denominator_0"),
        pytest.param({"value": 98, "is_draft": "maybe"}, "is_draft", "", id="is_draft"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_field(client, auth, body, field, message):
    response = put(client, "/api/indicators/180/observations/2020/21 Q3", body, **auth)

    assert response.status_code == 422
    problems = response.json()["detail"]
    assert {tuple(p["loc"][:2]) for p in problems} == {("body", field)}
    assert message in " ".join(p["msg"] for p in problems)
    assert not Observation.objects.filter(indicator__ref="180", period="2020/21 Q3").exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        pytest.param("2020-10", "is monthly, but indicator 180 is quarterly", id="wrong_frequency"),
        pytest.param("2020/21 Q5", "", id="no_such_quarter"),
        pytest.param("autumn", "is not a period", id="words"),
    ],
)
def test_it_refuses_a_bad_period_naming_the_field(client, auth, period, message):
    response = put(client, f"/api/indicators/180/observations/{period}", {"value": 98}, **auth)

    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["path", "period"]
    assert message in problem["msg"]


def test_a_value_for_an_unknown_indicator_is_not_found(client, auth):
    response = put(client, f"/api/indicators/999/observations/{Q2}", {"value": 1}, **auth)

    assert response.status_code == 404


def test_a_number_is_read_by_the_indicators_unit(client, auth):
    response = put(client, "/api/indicators/189/observations/2020-10", {"value": "1,234"}, **auth)

    assert response.status_code == 201
    assert Observation.objects.get(indicator__ref="189", period="2020-10").value == 1234


# Writing commentary


def test_it_creates_and_replaces_commentary(client, auth):
    url = "/api/indicators/180/commentary/2020/21 Q3"
    created = put(client, url, {"commentary": "Up again.", "actions": "None needed."}, **auth)
    replaced = put(client, url, {"commentary": "Up again, as planned."}, **auth)

    assert (created.status_code, replaced.status_code) == (201, 200)
    stored = Commentary.objects.get(indicator__ref="180", period="2020/21 Q3")
    assert (stored.text, stored.actions) == ("Up again, as planned.", "")
    shown = client.get(url).json()
    assert (shown["commentary"], shown["actions"]) == ("Up again, as planned.", "")


def test_new_commentary_is_in_the_evaluation(client, auth):
    from perfreport.data.evaluations import period_evaluation
    from perfreport.registry.periods import read_period

    client.get(f"/api/evaluations?period={Q2}")  # cached before the change
    put(client, f"/api/indicators/180/commentary/{Q2}", {"commentary": "Revised."}, **auth)

    rows = period_evaluation(read_period(Q2), published_only=True).rows
    assert next(r for r in rows if r.indicator.ref == "180").evaluation.commentary == "Revised."


def test_commentary_that_does_not_exist_is_not_found(client):
    response = client.get("/api/indicators/180/commentary/2030/31 Q1")

    assert response.status_code == 404
    assert response.json() == {"detail": "indicator 180 has no commentary for 2030/31 Q1"}


# ETags


def test_a_copy_that_is_still_current_is_not_sent_again(client):
    first = client.get("/api/indicators/180")

    again = client.get("/api/indicators/180", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "Authorization" in first["Vary"]


def test_a_change_to_the_data_makes_a_new_etag(client, auth):
    first = client.get(f"/api/evaluations?period={Q2}")
    put(client, f"/api/indicators/180/observations/{Q2}", {"value": 97.9}, **auth)

    again = client.get(f"/api/evaluations?period={Q2}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_the_public_and_staff_copies_have_different_etags(client, auth):
    public = client.get("/api/indicators/180/observations")
    staff = client.get(
        "/api/indicators/180/observations", HTTP_IF_NONE_MATCH=public["ETag"], **auth
    )

    assert staff.status_code == 200
    assert staff["ETag"] != public["ETag"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/indicators",
        "/api/indicators/180",
        "/api/indicators/180/observations",
        f"/api/indicators/180/commentary/{Q2}",
        f"/api/evaluations?period={Q2}",
        "/api/evaluations/180",
        "/api/reports",
    ],
)
def test_every_read_answers_304_to_its_own_etag(client, url):
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304


def test_an_error_has_no_etag(client):
    assert "ETag" not in client.get("/api/indicators/999")


def test_a_revoked_token_is_refused_even_with_a_current_etag(client, auth, secret):
    etag = client.get("/api/indicators", **auth)["ETag"]
    ApiToken.objects.filter(key_hash=hash_secret(secret)).update(revoked_at="2020-01-01T00:00Z")

    assert client.get("/api/indicators", HTTP_IF_NONE_MATCH=etag, **auth).status_code == 401


# Tokens


def test_a_token_is_kept_only_as_a_hash(client, secret):
    token = ApiToken.objects.get()

    assert token.key_hash == hash_secret(secret) != secret
    assert token.prefix == secret[:8]
    assert secret not in {token.key_hash, token.name}


def test_using_a_token_records_when(client, auth):
    client.get("/api/reports", **auth)

    assert ApiToken.objects.get().last_used_at is not None


def test_create_token_prints_a_token_that_works(client, analyst, capsys):
    call_command("create_token", "analyst", "--name", "Power BI")

    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="Power BI")
    assert token.user == analyst
    assert token.key_hash == hash_secret(secret)
    response = client.get("/api/indicators", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_create_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user is called 'nobody'"):
        call_command("create_token", "nobody", "--name", "Power BI")


def test_the_admin_shows_a_new_token_once_and_keeps_its_hash(client, analyst):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("bi-admin", "bi@example.org", "not used")
    client.force_login(admin)

    response = client.post(
        "/admin/api/apitoken/add/", {"user": analyst.pk, "name": "Power BI", "_save": "Save"}
    )

    assert response.status_code == 200
    token = ApiToken.objects.get(name="Power BI")
    page = response.content.decode()
    secret = page.split('id="api-token" type="text" value="', 1)[1].split('"', 1)[0]
    assert token.key_hash == hash_secret(secret)
    assert "no-store" in response["Cache-Control"]
    assert secret not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()


def test_the_admin_revokes_tokens(client, analyst, secret):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("bi-admin", "bi@example.org", "not used"))
    token = ApiToken.objects.get()

    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get("/api/indicators", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
