"""Writing OData JSON (OData JSON Format v4.01): entities, collections and
errors, with the headers every answer carries.

Decimals are written from their ``Decimal`` exactly, never through a float:
as JSON numbers in long notation (``97.83``, never ``9.783E+1``; section 3.2),
or as strings when the client asks for ``IEEE754Compatible=true``, which
also writes ``Edm.Int64`` values and ``@odata.count`` as strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from perfreport.api.odata_model import EntitySet
from perfreport.api.odata_options import ODataError
from perfreport.core.units import plain

VERSION = "4.0"
CHUNK = 500  # entities a piece of a streamed answer


def wants_ieee754(request: HttpRequest) -> bool:
    """Whether the client asks for Edm.Int64 and Edm.Decimal as strings
    (section 3.2), in ``Accept`` or ``$format``."""
    asked = f"{request.headers.get('Accept', '')};{request.GET.get('$format', '')}"
    return "ieee754compatible=true" in asked.replace(" ", "").lower()


def json_type(ieee754: bool) -> str:
    """The Content-Type of a JSON answer (section 4.1)."""
    return (
        "application/json;odata.metadata=minimal;odata.streaming=true;"
        f"IEEE754Compatible={'true' if ieee754 else 'false'};charset=utf-8"
    )


def encode(value: Any, edm: str, ieee754: bool) -> str:
    """One property's value as JSON (section 7.1)."""
    if value is None:
        return "null"
    if edm == "Edm.Decimal":
        text = plain(Decimal(value))
        return f'"{text}"' if ieee754 else text
    if edm == "Edm.Int64":
        return f'"{int(value)}"' if ieee754 else str(int(value))
    if edm == "Edm.Int32":
        return str(int(value))
    if edm == "Edm.Boolean":
        return "true" if value else "false"
    if edm == "Edm.DateTimeOffset":
        assert isinstance(value, datetime)
        return json.dumps(value.astimezone(UTC).isoformat().replace("+00:00", "Z"))
    if edm == "Edm.Date":
        assert isinstance(value, date)
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)


def entity(
    record: dict[str, Any],
    entity_set: EntitySet,
    names: Iterable[str],
    ieee754: bool,
    head: str = "",
) -> str:
    """An entity's JSON object (section 6): the properties ``names``, in order."""
    parts = [head] if head else []
    for name in names:
        prop = entity_set.prop(name)
        assert prop is not None
        parts.append(f"{json.dumps(name)}:{encode(record.get(name), prop.edm, ieee754)}")
    return "{" + ",".join(parts) + "}"


def collection(
    records: list[dict[str, Any]],
    entity_set: EntitySet,
    names: list[str],
    ieee754: bool,
    control: dict[str, Any],
    next_link: str | None,
) -> Iterator[str]:
    """A collection of entities (section 13): the control information
    (context, count) first, then ``value``, then the next link (section
    4.5.5), a piece at a time."""
    head = ",".join(f"{json.dumps(k)}:{_control(v, ieee754)}" for k, v in control.items())
    yield "{" + head + ',"value":['
    for start in range(0, len(records), CHUNK):
        piece = records[start : start + CHUNK]
        text = ",".join(entity(r, entity_set, names, ieee754) for r in piece)
        yield ("," if start else "") + text
    tail = f',"@odata.nextLink":{json.dumps(next_link)}' if next_link else ""
    yield "]" + tail + "}"


def _control(value: Any, ieee754: bool) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and ieee754:
        return f'"{value}"'  # @odata.count, as an Edm.Int64 (section 3.2)
    return json.dumps(value)


def headed(
    response: HttpResponse | StreamingHttpResponse, staff: bool
) -> HttpResponse | StreamingHttpResponse:
    """The headers of every answer of the feed."""
    response["OData-Version"] = VERSION
    response["Cache-Control"] = "no-cache"
    if staff:
        response["Vary"] = "Authorization, Cookie"
    return response


def error_response(error: ODataError, staff: bool, realm: str) -> HttpResponse:
    """An error as OData JSON (section 21.1), with its status."""
    response = HttpResponse(
        json.dumps(error.body(), ensure_ascii=False),
        status=error.status,
        content_type=json_type(False),
    )
    if error.status == 401:
        response["WWW-Authenticate"] = realm
    if error.status == 405:
        response["Allow"] = "GET, HEAD"
    headed(response, staff)
    return response
