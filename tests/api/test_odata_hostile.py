"""Hostile query options get an OData error that says what is wrong (400, or
501 for an option the feed does not offer), never a server error, and no
SQL of theirs reaches the database: huge numbers, injection attempts,
unknown or worked-out properties, functions and deep nesting.

GIVEN the seed's report, WHEN the public feed is asked with each hostile
option, THEN the answer is an OData error object (JSON Format 4.01, section
21.1) with the expected status, and the data are untouched."""

from __future__ import annotations

import json

import pytest

from perfreport.data.models import Observation
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.usefixtures("imported_example")

VALUES = "/odata/public/Values"

REFUSED = [
    ("$top", "99999999999999999999999"),
    ("$top", "-1"),
    ("$top", "1.5"),
    ("$top", "١٢"),  # Arabic-Indic digits: str.isdigit() is true for them
    ("$skip", "9" * 400),
    ("$skip", "abc"),
    ("$skiptoken", "k1; DROP TABLE data_observation"),
    ("$skiptoken", "o99999999999999999999"),
    ("$count", "yes"),
    ("$select", "Id,Nope"),
    ("$select", "Id,,Value"),
    ("$orderby", "Value sideways"),
    ("$orderby", "Rating"),
    ("$orderby", "Value; DROP TABLE data_observation"),
    ("$orderby", ",".join(["Value"] * 9)),
    ("$filter", "Nope eq 1"),
    ("$filter", "Rating eq 'red'"),
    ("$filter", "Value eq 'abc'"),
    ("$filter", "Value gt 99999999999999999999999999999999999999999"),
    ("$filter", "Value gt 1e999999"),
    ("$filter", "Decimals eq 9999999999999999999999"),
    ("$filter", "IndicatorRef eq 1"),
    ("$filter", "IsDraft eq 'no'"),
    ("$filter", "PeriodStart ge 2020-02-30"),
    ("$filter", "UpdatedAt gt 99999-01-01T00:00:00Z"),
    ("$filter", "Value gt 1 and"),
    ("$filter", "'1' eq '1'"),
    ("$filter", "Value add 1 gt 2"),
    ("$filter", "Period/Anything eq 'x'"),
    ("$filter", "IndicatorRef/any(x: x eq '1')"),
    ("$filter", "geo.distance(Value, geography'POINT(0 0)') lt 1"),
    ("$filter", "substringof('a', IndicatorRef)"),
    ("$filter", "contains(Value, '1')"),
    ("$filter", "IndicatorRef eq '1' or " * 120 + "IndicatorRef eq '2'"),
    ("$filter", "(" * 1500 + "Value gt 1" + ")" * 1500),
    ("$filter", "not " * 60 + "IsDraft"),
    ("$filter", "IndicatorRef eq '\x00'"),
    ("$filter", "IndicatorRef eq '" + "x" * 600 + "'"),
    ("$filter", "IndicatorRef eq '180'); DROP TABLE data_observation; --"),
    ("$filter", ""),
    ("$format", "xml"),
    ("$expand", "Indicator"),
    ("$search", "broadband"),
    ("$apply", "groupby((IndicatorRef))"),
    ("$unknown", "1"),
]


@pytest.mark.parametrize(("option", "value"), REFUSED, ids=lambda v: str(v)[:40])
def test_a_hostile_option_gets_an_odata_error_not_a_server_error(client, option, value):
    response = client.get(VALUES, {option: value})

    assert response.status_code in (400, 406, 501), response.content[:300]
    error = json.loads(response.content)["error"]
    assert error["code"] and error["message"]
    assert "Traceback" not in error["message"]
    assert Observation.objects.count() > 0 and Indicator.objects.count() == 17


@pytest.mark.parametrize(
    "expression",
    [
        "IndicatorRef eq '180'' or ''1''=''1'",
        "IndicatorRef eq '180\" OR 1=1 --'",
        "contains(IndicatorTitle, '%')",
        "contains(IndicatorTitle, '_')",
        "startswith(Period, '2020/21'' UNION SELECT password FROM auth_user --')",
    ],
)
def test_quotes_and_wildcards_are_data_not_sql(client, expression):
    """An injection attempt is a text compared as it is: nothing matches it."""
    response = client.get(VALUES, {"$filter": expression})

    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content))["value"] == []


def test_a_filter_on_a_worked_out_property_says_which_to_use(client):
    response = client.get(VALUES, {"$filter": "Rating eq 'red'"})

    message = json.loads(response.content)["error"]["message"]
    assert "Rating is worked out for each row and cannot be filtered on" in message
    assert json.loads(response.content)["error"]["target"] == "$filter"


@pytest.mark.parametrize(
    "path",
    [
        "/odata/public/Values(abc)",
        "/odata/public/Values(1)/$count",
        "/odata/public/Indicators(180)",
        "/odata/public/Indicators('18'0')",
        "/odata/public/Values/extra/segments",
        "/odata/public/" + "A" * 300,
        "/odata/public/$batch",
    ],
)
def test_a_hostile_path_gets_an_odata_error(client, path):
    response = client.get(path)

    assert response.status_code in (400, 404)
    assert json.loads(response.content)["error"]["message"]


def test_a_large_top_is_served_a_page_at_a_time(client):
    response = client.get(
        VALUES, {"$top": "2147483647", "$select": "Id"}, HTTP_PREFER="odata.maxpagesize=5"
    )

    page = json.loads(b"".join(response.streaming_content))
    assert len(page["value"]) == 5
    assert "%24top=2147483642" in page["@odata.nextLink"]


@pytest.mark.parametrize(("option", "value"), REFUSED[::5], ids=lambda v: str(v)[:40])
def test_the_staff_feed_refuses_them_the_same_way(client, auth, option, value):
    """The staff feed reads its options with the same checks, token or not."""
    response = client.get("/odata/Values", {option: value}, **auth)

    assert response.status_code in (400, 406, 501), response.content[:300]
    assert json.loads(response.content)["error"]["message"]


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("Period eq", "$filter: cannot be read (unexpected space at character 7)"),
        (
            "(" * 40 + "Value eq 1",
            "$filter: cannot be read (it ends too soon, or its brackets do not close)",
        ),
        ("Value eq 1)", "$filter: cannot be read (unexpected ')' at character 11)"),
        ("IndicatorRef eq 'a", '$filter: cannot be read ("\'a" at character 17 is not OData)'),
    ],
)
def test_a_filter_that_cannot_be_read_says_where_in_words_not_the_parsers_tokens(
    client, expression, said
):
    response = client.get(VALUES, {"$filter": expression})

    assert response.status_code == 400
    message = json.loads(response.content)["error"]["message"]
    assert message == said and "Token(" not in message
