"""Who reads what in the OData feed: the public feed shows published figures
to everyone; the staff feed needs an API token (as a Bearer token, as the
password of Basic authentication, or as ?token=, the three ways Excel and
Power BI can send it) or a signed-in session, and follows the API's rules
for a token's role (docs/api.md, "Who sees what").

GIVEN the seed's report and a draft value of indicator 180 for 2020/21 Q3
(12.3456, a figure printed nowhere else), WHEN each kind of reader asks for
the values, THEN each sees what its role allows."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from perfreport.accounts.permissions import grant
from perfreport.api.models import ApiToken
from perfreport.data.models import Observation
from perfreport.registry.models import Indicator, Organisation, Service

pytestmark = pytest.mark.usefixtures("imported_example")

DRAFT = Decimal("12.3456")
QUERY = {"$filter": "IndicatorRef eq '180'", "$select": "Period,Value,IsDraft"}


@pytest.fixture
def draft(db):
    return Observation.objects.create(
        indicator=Indicator.objects.get(ref="180"),
        organisation=Organisation.objects.get(is_home=True),
        **_period("2020/21 Q3"),
        value=DRAFT,
        is_draft=True,
    )


def _period(label: str) -> dict[str, object]:
    from perfreport.registry.periods import read_period

    period = read_period(label)
    return {
        "frequency": period.frequency.value,
        "first_month": period.first_month,
        "last_month": period.last_month,
        "period": period.label,
    }


def person(name: str, role: str | None = None, **scope) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "not used")
    if role:
        grant(user, role, **scope)
    return user


def token_of(user: User) -> str:
    return ApiToken.objects.issue(user, "feed")[1]


def values(client, url="/odata/", **headers):
    response = client.get(f"{url}Values", QUERY, **headers)
    assert response.status_code == 200, response.content[:300]
    return json.loads(b"".join(response.streaming_content))["value"]


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def basic(user: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {pair}"}


def periods(found) -> list[str]:
    return [v["Period"] for v in found]


def test_the_public_feed_never_shows_the_draft_whoever_asks(client, draft, secret):
    """Published only, even with an administrator's token or session."""
    for headers in ({}, bearer(secret)):
        found = values(client, "/odata/public/", **headers)
        assert "2020/21 Q3" not in periods(found) and all(not v["IsDraft"] for v in found)
    client.force_login(User.objects.get(username="analyst"))
    assert "2020/21 Q3" not in periods(values(client, "/odata/public/"))


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda s: ({}, bearer(s)), id="bearer_header"),
        pytest.param(lambda s: ({}, basic("token", s)), id="basic_password"),
        pytest.param(lambda s: ({}, basic(s, "")), id="basic_token_as_user_name"),
        pytest.param(lambda s: ({"token": s}, {}), id="web_api_key_query_option"),
    ],
)
def test_an_administrators_token_sees_the_draft_however_it_is_sent(client, draft, secret, send):
    params, headers = send(secret)
    response = client.get("/odata/Values", {**QUERY, **params}, **headers)

    found = json.loads(b"".join(response.streaming_content))["value"]
    assert {"Period": "2020/21 Q3", "Value": 12.3456, "IsDraft": True} in found


def test_owners_and_approvers_see_drafts_viewers_see_what_the_public_see(client, draft):
    """docs/api.md, "Who sees what": those who write or sign off the figures
    see drafts; a viewer's token is answered exactly as the public are."""
    owner = person("di.lead", "owner", service=Service.objects.get(name="Digital Infrastructure"))
    approver = person("director", "approver")
    viewer = person("councillor", "viewer")
    public = values(client, "/odata/public/")

    for user in (owner, approver):
        assert "2020/21 Q3" in periods(values(client, **bearer(token_of(user))))
    assert values(client, **bearer(token_of(viewer))) == public


def test_a_signed_in_session_reads_the_staff_feed(client, draft):
    """A browser (or single sign-on, which signs people into the same sessions)."""
    client.force_login(person("approver", "approver"))

    assert "2020/21 Q3" in periods(values(client))


def test_without_credentials_the_staff_feed_asks_for_them(client):
    """401 with a Basic challenge: what makes Excel and Power BI offer their
    credentials dialog."""
    response = client.get("/odata/Values")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="perfreport"')
    assert "the staff feed needs an API token" in json.loads(response.content)["error"]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(bearer("not-a-token"), id="wrong_bearer"),
        pytest.param(basic("token", "not-a-token"), id="wrong_basic"),
        pytest.param({"HTTP_AUTHORIZATION": "Basic !!!"}, id="unreadable_basic"),
        pytest.param({"HTTP_AUTHORIZATION": "Digest x"}, id="other_scheme"),
    ],
)
def test_a_wrong_token_is_refused(client, headers):
    response = client.get("/odata/Values", **headers)

    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "Unauthorized"


def test_a_revoked_token_is_refused(client, analyst):
    token, secret = ApiToken.objects.issue(analyst, "feed")
    token.revoke()

    response = client.get("/odata/Values", {"token": secret})

    assert response.status_code == 401
    assert "not valid or has been revoked" in json.loads(response.content)["error"]["message"]


def test_someone_with_no_role_is_refused(client):
    response = client.get("/odata/Values", **bearer(token_of(person("outsider"))))

    assert response.status_code == 403
    assert "outsider has no role in perfreport" in json.loads(response.content)["error"]["message"]


def test_the_staff_feeds_context_urls_name_the_staff_feed(client, secret):
    response = client.get("/odata/Values", {"$top": "1"}, **bearer(secret))

    page = json.loads(b"".join(response.streaming_content))
    assert page["@odata.context"] == "http://testserver/odata/$metadata#Values"
    # Staff answers differ by credentials, so caches must keep them apart
    # (Accept-Language may be named too: Django's locale middleware adds it).
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_any_web_page_may_read_the_public_feed_but_not_the_staff_feed(client, secret):
    """As the open data: the public feed allows every origin (CORS); the
    staff feed's answers, which depend on who asks, allow none."""
    public = client.get("/odata/public/Values", {"$top": "1"})
    staff = client.get("/odata/Values", {"$top": "1"}, **bearer(secret))

    assert public["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in staff
