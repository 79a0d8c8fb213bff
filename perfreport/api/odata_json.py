"""Writing OData JSON (OData JSON Format v4.01): entities, collections and
errors, with the headers every answer carries.

Decimals are written from their ``Decimal`` exactly, never through a float:
as JSON numbers in long notation (``97.83``, never ``9.783E+1``; section 3.2),
or as strings when the client asks for ``IEEE754Compatible=true``, which
also writes ``Edm.Int64`` values and ``@odata.count`` as strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from json.encoder import encode_basestring
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


def _decimal(value: Any) -> str:
    return plain(value if isinstance(value, Decimal) else Decimal(value))


def _moment(value: datetime) -> str:
    return '"' + value.astimezone(UTC).isoformat().replace("+00:00", "Z") + '"'


# How each Edm type is written (section 7.1); with IEEE754Compatible=true,
# Edm.Int64 and Edm.Decimal as strings (section 3.2).
WRITERS: dict[str, Callable[[Any], str]] = {
    "Edm.Decimal": _decimal,
    "Edm.Int64": lambda v: str(int(v)),
    "Edm.Int32": lambda v: str(int(v)),
    "Edm.Boolean": lambda v: "true" if v else "false",
    "Edm.DateTimeOffset": _moment,
    "Edm.Date": lambda v: f'"{v.isoformat()}"',
    "Edm.String": lambda v: encode_basestring(str(v)),
}
AS_STRINGS = {"Edm.Decimal", "Edm.Int64"}


def encode(value: Any, edm: str, ieee754: bool) -> str:
    """One property's value as JSON (section 7.1)."""
    if value is None:
        return "null"
    text = WRITERS[edm](value)
    return f'"{text}"' if ieee754 and edm in AS_STRINGS else text


Writer = tuple[str, str, Callable[[Any], str], bool]  # name, "name": , writer, quoted


def writers(entity_set: EntitySet, names: Iterable[str], ieee754: bool) -> list[Writer]:
    """For each property to write: its name, its JSON key and how to write its value."""
    found = []
    for name in names:
        prop = entity_set.prop(name)
        assert prop is not None
        quoted = ieee754 and prop.edm in AS_STRINGS
        found.append((name, encode_basestring(name) + ":", WRITERS[prop.edm], quoted))
    return found


def entity(record: dict[str, Any], columns: list[Writer], head: str = "") -> str:
    """An entity's JSON object (section 6): the properties of ``columns``, in order."""
    parts = [head] if head else []
    for name, key, write, quoted in columns:
        value = record.get(name)
        if value is None:
            parts.append(key + "null")
        elif quoted:
            parts.append(f'{key}"{write(value)}"')
        else:
            parts.append(key + write(value))
    return "{" + ",".join(parts) + "}"


def collection(
    records: list[dict[str, Any]],
    columns: list[Writer],
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
        text = ",".join(entity(r, columns) for r in piece)
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
    """The headers of every answer of the feed. The public feed, like the
    open data, may be read by any web page; the staff feed's answers depend
    on who asks."""
    response["OData-Version"] = VERSION
    response["Cache-Control"] = "no-cache"
    if staff:
        response["Vary"] = "Authorization, Cookie"
    else:
        response["Access-Control-Allow-Origin"] = "*"
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
