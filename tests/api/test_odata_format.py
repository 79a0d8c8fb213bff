"""The OData feed follows the specification's format rules: OData JSON Format
Version 4.01 ("JSON") and OData Version 4.01 Part 1: Protocol ("Protocol"),
section numbers as in the OASIS Standards; CSDL XML Version 4.01 ("CSDL")
for ``$metadata``. Each test names the sections it checks.

GIVEN the seed's report imported, WHEN the public feed is asked over HTTP
(Django's test client), THEN each answer has the shape the sections require."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from perfreport.data.models import Observation

pytestmark = pytest.mark.usefixtures("imported_example")

ROOT = "/odata/public/"
EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
PRIMITIVES = {
    "Edm.String", "Edm.Decimal", "Edm.Int32", "Edm.Int64", "Edm.Boolean", "Edm.Date",
    "Edm.DateTimeOffset",
}  # fmt: skip


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, body(response)[:500]
    return response, json.loads(body(response))


def test_the_service_document_lists_every_entity_set(client):
    """JSON 5 (Service Document), Protocol 11.1.1 and 10.1: a context URL of
    the metadata document, and a value array naming each entity set with its
    kind and relative URL."""
    _response, document = get_json(client, ROOT)

    assert document["@odata.context"] == f"http://testserver{ROOT}$metadata"
    assert document["value"] == [
        {"name": name, "kind": "EntitySet", "url": name}
        for name in ("Indicators", "Values", "Benchmarks")
    ]


def test_every_answer_says_it_is_odata_4_json_with_minimal_metadata(client):
    """JSON 4.1 (Content-Type: application/json with the metadata parameter)
    and 3.1.1 (metadata=minimal); Protocol 8.1.5 (OData-Version)."""
    for url in (ROOT, f"{ROOT}Values", f"{ROOT}Indicators('180')"):
        response = client.get(url)
        kind = response["Content-Type"]
        assert kind.startswith("application/json;"), url
        assert "odata.metadata=minimal" in kind, url
        assert "IEEE754Compatible=false" in kind, url
        assert response["OData-Version"] == "4.0", url


def test_metadata_is_csdl_xml_with_keys_and_edm_types(client):
    """Protocol 11.1.2; CSDL 3 (edmx:Edmx, Version 4.0, DataServices), 5
    (Schema), 6 (EntityType with Key and PropertyRef), 7 (Property: Type,
    Nullable, Precision, Scale), 13 (EntityContainer and EntitySet): parsed
    as XML, every property's type is a primitive Edm type, every key names
    a property that is not nullable, and the stored decimals carry their
    precision and scale."""
    response = client.get(f"{ROOT}$metadata")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{EDMX}Edmx" and root.get("Version") == "4.0"
    schema = root.find(f"{EDMX}DataServices/{EDM}Schema")
    assert schema is not None and schema.get("Namespace") == "Perfreport"
    types = {t.get("Name"): t for t in schema.findall(f"{EDM}EntityType")}
    assert set(types) == {"Indicator", "Value", "Benchmark"}
    for name, entity in types.items():
        props = {p.get("Name"): p for p in entity.findall(f"{EDM}Property")}
        assert {p.get("Type") for p in props.values()} <= PRIMITIVES, name
        (key,) = entity.findall(f"{EDM}Key/{EDM}PropertyRef")
        assert props[key.get("Name")].get("Nullable") == "false", name
    values = {p.get("Name"): p for p in types["Value"].findall(f"{EDM}Property")}
    assert values["Id"].get("Type") == "Edm.Int64"
    assert (values["Value"].get("Type"), values["Value"].get("Precision")) == ("Edm.Decimal", "20")
    assert values["Value"].get("Scale") == "6"
    assert values["Target"].get("Scale") == "variable"  # worked out: no fixed scale
    assert values["PeriodEnd"].get("Type") == "Edm.Date"
    assert values["UpdatedAt"].get("Type") == "Edm.DateTimeOffset"
    sets = schema.findall(f"{EDM}EntityContainer/{EDM}EntitySet")
    assert {(s.get("Name"), s.get("EntityType")) for s in sets} == {
        ("Indicators", "Perfreport.Indicator"),
        ("Values", "Perfreport.Value"),
        ("Benchmarks", "Perfreport.Benchmark"),
    }


def test_metadata_says_what_cannot_be_filtered_or_sorted(client):
    """Capabilities vocabulary (FilterRestrictions/NonFilterableProperties,
    SortRestrictions/NonSortableProperties), so that a client does not fold a
    filter on a worked-out property such as Rating into $filter."""
    root = ET.fromstring(client.get(f"{ROOT}$metadata").content)
    values = next(s for s in root.iter(f"{EDM}EntitySet") if s.get("Name") == "Values")
    restricted = {
        a.get("Term"): {p.text for p in a.iter(f"{EDM}PropertyPath")}
        for a in values.findall(f"{EDM}Annotation")
    }
    assert "Rating" in restricted["Capabilities.FilterRestrictions"]
    assert "Change" in restricted["Capabilities.SortRestrictions"]
    assert "Value" not in restricted["Capabilities.FilterRestrictions"]


def test_a_collection_has_its_context_count_and_value_array(client):
    """JSON 13 (Collection of Entities: a value array), 4.5.1 and Protocol
    10.2 (context URL {root}$metadata#Values), 4.5.4 and Protocol 11.2.6.5
    (@odata.count, the whole count, before the value), 4.4 (control
    information first in a streamed payload)."""
    _response, page = get_json(client, f"{ROOT}Values?$count=true&$top=2")

    assert page["@odata.context"] == f"http://testserver{ROOT}$metadata#Values"
    assert page["@odata.count"] == Observation.objects.home().published().count()
    assert len(page["value"]) == 2
    assert "@odata.nextLink" not in page  # $top asked for two: no more to page to
    text = body(client.get(f"{ROOT}Values?$count=true&$top=2")).decode()
    assert text.index('"@odata.count"') < text.index('"value"')


def test_select_narrows_the_entities_and_the_context_url(client):
    """Protocol 11.2.5.1 ($select) and 10.7 (Collection of Projected
    Entities: {root}$metadata#Values(Id,Value))."""
    _, page = get_json(client, f"{ROOT}Values?$select=Id,Value")

    assert page["@odata.context"].endswith("$metadata#Values(Id,Value)")
    assert all(set(entity) == {"Id", "Value"} for entity in page["value"])


def test_one_entity_by_its_key_has_the_entity_context(client):
    """Protocol 11.2.2 and 10.3 ($metadata#Indicators/$entity); JSON 6 (Entity);
    OData URL Conventions 4.3.1 (a key in brackets, text in quotes)."""
    _, indicator = get_json(client, f"{ROOT}Indicators('180')")

    assert indicator["@odata.context"].endswith("$metadata#Indicators/$entity")
    assert indicator["Ref"] == "180"
    assert indicator["Title"] == "Premises with access to superfast broadband"


def test_count_segment_is_a_plain_number(client):
    """Protocol 11.2.10 (/$count: the number as text/plain), with $filter applied."""
    response = client.get(f"{ROOT}Values/$count", {"$filter": "IndicatorRef eq '180'"})

    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"3"


def test_server_driven_paging_gives_a_next_link_with_a_skiptoken(client):
    """JSON 4.5.5 (@odata.nextLink, after the value), Protocol 11.2.6.7
    (server-driven paging) and 8.2.8 (Prefer: odata.maxpagesize, answered
    with Preference-Applied): following the next links gives every value
    once, in a stable order, and the last page has no next link."""
    url, seen, pages = f"{ROOT}Values?$select=Id", [], 0
    while url:
        response, page = get_json(client, url, HTTP_PREFER="odata.maxpagesize=10")
        assert response["Preference-Applied"] == "odata.maxpagesize=10"
        assert len(page["value"]) <= 10
        seen += [entity["Id"] for entity in page["value"]]
        url = page.get("@odata.nextLink")
        assert url is None or re.search(r"[?&]%24skiptoken=k\d+", url), url
        pages += 1

    expected = list(
        Observation.objects.home().published().order_by("pk").values_list("pk", flat=True)
    )
    assert seen == expected
    assert pages == -(-len(expected) // 10)


def test_paging_keeps_top_and_orderby_across_pages(client):
    """Protocol 11.2.6.7: the next link carries the options; $top counts over
    every page, $orderby keeps its order (Protocol 11.2.6.2, 11.2.6.3)."""
    url, seen = f"{ROOT}Values?$select=Id,Value&$orderby=Value desc&$top=25", []
    while url:
        _, page = get_json(client, url, HTTP_PREFER="odata.maxpagesize=10")
        seen += page["value"]
        url = page.get("@odata.nextLink")

    ordered = Observation.objects.home().published().order_by("-value", "pk")
    expected = list(ordered.exclude(value=None).values_list("pk", flat=True)[:25])
    assert [entity["Id"] for entity in seen] == expected


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param("0.000001", id="small_in_long_notation_not_1e-06"),
        pytest.param("100", id="whole_without_a_point"),
        pytest.param("1234567890123.123456", id="twenty_digits_exactly"),
    ],
)
def test_decimals_are_written_exactly_from_the_stored_decimal(client, stored):
    """JSON 7.1 (Primitive Value) and 3.2 (Edm.Decimal in long notation, never
    exponential): written from the Decimal, never through a float (a float
    writes 1e-06, 100.0 and 1234567890123.1235). SQLite keeps a decimal as a
    double, so it keeps 15 significant digits: the twenty-digit figure is
    checked as the database gives it back, which on PostgreSQL is exact."""
    from django.db import connection

    Observation.objects.filter(indicator__ref="189", period="2020-09").update(value=Decimal(stored))
    kept = Observation.objects.get(indicator__ref="189", period="2020-09").value
    if connection.vendor == "postgresql":
        assert kept == Decimal(stored)

    response = client.get(f"{ROOT}Values", {"$filter": "IndicatorRef eq '189' and Period eq '2020-09'", "$select": "Value"})  # fmt: skip

    text = body(response).decode()
    written = format(kept.normalize(), "f") if kept != kept.to_integral_value() else str(int(kept))
    assert f'"Value":{written}}}' in text
    assert "e-" not in text.lower() and "100.0" not in text
    assert json.loads(text, parse_float=Decimal)["value"] == [{"Value": kept}]


def test_ieee754compatible_writes_decimals_int64_and_count_as_strings(client):
    """JSON 3.2 (IEEE754Compatible=true: Edm.Int64 and Edm.Decimal, and the
    count, as strings) and 4.1 (the parameter in the Content-Type)."""
    response, page = get_json(
        client,
        f"{ROOT}Values?$filter=IndicatorRef eq '180'&$select=Id,Value,Decimals&$count=true",
        HTTP_ACCEPT="application/json;odata.metadata=minimal;IEEE754Compatible=true",
    )

    assert "IEEE754Compatible=true" in response["Content-Type"]
    assert page["@odata.count"] == "3"
    first = page["value"][0]
    assert isinstance(first["Id"], str) and first["Value"] == "97.66"
    assert first["Decimals"] == 2  # an Edm.Int32 stays a number


def test_dates_and_times_are_iso_8601(client):
    """JSON 7.1: Edm.Date as YYYY-MM-DD, Edm.DateTimeOffset with its offset (Z)."""
    _, page = get_json(
        client, f"{ROOT}Values?$filter=IndicatorRef eq '180' and Period eq '2020/21 Q2'"
    )

    (value,) = page["value"]
    assert (value["PeriodStart"], value["PeriodEnd"]) == ("2020-07-01", "2020-09-30")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", value["UpdatedAt"])


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        pytest.param(f"{ROOT}Nothing", 404, "NotFound", id="unknown_entity_set"),
        pytest.param(f"{ROOT}Indicators('999')", 404, "NotFound", id="unknown_key"),
        pytest.param(f"{ROOT}Values?$filter=Nope eq 1", 400, "BadRequest", id="unknown_property"),
        pytest.param(f"{ROOT}Values?$expand=Indicator", 501, "NotImplemented", id="not_offered"),
        pytest.param(f"{ROOT}Values?$format=atom", 406, "NotAcceptable", id="other_format"),
    ],
)
def test_errors_are_odata_error_objects(client, url, status, code):
    """JSON 21.1 and Protocol 9.4 (an error object with code and message, and
    the target where it helps), Protocol 9.2.1 (404), 9.2.3 (406), 9.3.1 (501)."""
    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(body(response))["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]


def test_a_write_is_refused_as_the_feed_is_read_only(client):
    """Protocol 9.2.2 (405 Method Not Allowed, with Allow)."""
    response = client.post(f"{ROOT}Values", "{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert json.loads(response.content)["error"]["code"] == "MethodNotAllowed"


def test_every_entity_has_every_property_and_no_null_where_metadata_forbids_one(client):
    """CSDL 7.2.1 (Nullable): a property declared Nullable="false" is never
    null in any entity of any set; JSON 6 (with metadata=minimal every
    property is present), and each value has its Edm type's JSON form."""
    root = ET.fromstring(client.get(f"{ROOT}$metadata").content)
    kinds = {
        "Edm.String": str, "Edm.Decimal": (int, float), "Edm.Int32": int, "Edm.Int64": int,
        "Edm.Boolean": bool, "Edm.Date": str, "Edm.DateTimeOffset": str,
    }  # fmt: skip
    for entity_set, type_name in (("Indicators", "Indicator"), ("Values", "Value"), ("Benchmarks", "Benchmark")):  # fmt: skip
        entity = next(t for t in root.iter(f"{EDM}EntityType") if t.get("Name") == type_name)
        props = {p.get("Name"): p for p in entity.findall(f"{EDM}Property")}
        _, page = get_json(client, f"{ROOT}{entity_set}")
        assert page["value"], entity_set
        for row in page["value"]:
            assert list(row) == list(props), entity_set
            for name, value in row.items():
                if value is None:
                    assert props[name].get("Nullable") != "false", (entity_set, name)
                else:
                    assert isinstance(value, kinds[props[name].get("Type")]), (entity_set, name)
