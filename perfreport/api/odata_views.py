"""The OData v4 feed: a read-only service for Excel's and Power BI's OData
connectors (docs/power-bi.md).

/odata/public/ is the public feed (published figures only, no sign-in);
/odata/ is the staff feed (an API token or a signed-in session;
perfreport.api.odata_access). Each serves the service document at its root,
``$metadata``, and the entity sets Indicators, Values and Benchmarks
(perfreport.api.odata_model), a collection a page at a time (server-driven
paging: at most ``PAGE_SIZE`` entities, then ``@odata.nextLink`` with a
``$skiptoken``), one entity by its key (``Values(123)``,
``Indicators('180')``) or a count (``Values/$count``).

Every error is an OData JSON error with its status: 400 for an option that
cannot be read, 401 and 403 for access, 404 for what does not exist, 405 for
a write, 406 for a format it does not write, 501 for an option it does not
offer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from perfreport.api.odata_access import REALM, FeedAccess, feed_access
from perfreport.api.odata_json import (
    collection,
    entity,
    error_response,
    headed,
    json_type,
    wants_ieee754,
    writers,
)
from perfreport.api.odata_model import ENTITY_SETS, metadata_xml, service_document
from perfreport.api.odata_options import ODataError, Options, bad, read_options
from perfreport.api.odata_rows import SOURCES, Record, Source

PAGE_SIZE = 5000
RESOURCE = re.compile(r"^(?P<name>[A-Za-z]\w{0,39})(?:\((?P<key>.{0,200})\))?(?P<count>/\$count)?$")
Answer = HttpResponse | StreamingHttpResponse
Handler = Callable[[HttpRequest, FeedAccess], Answer]


def _answer(request: HttpRequest, public: bool, handler: Handler) -> Answer:
    """Access, then the handler's answer; any ODataError as an OData error."""
    staff = not public
    try:
        access = feed_access(request, public)
        if request.method not in ("GET", "HEAD"):
            raise ODataError(405, "MethodNotAllowed", "the feed is read-only: GET only")
        _check_version(request)
        response = handler(request, access)
    except ODataError as error:
        return error_response(error, staff, REALM)
    except (DataError, OverflowError):
        refused = ODataError(400, "BadRequest", "the request's values are out of range")
        return error_response(refused, staff, REALM)
    return headed(response, staff)


def _check_version(request: HttpRequest) -> None:
    highest = request.headers.get("OData-MaxVersion", "").strip()
    if highest and highest < "4.0":
        raise ODataError(400, "BadRequest", "this feed speaks OData 4.0 only", "OData-MaxVersion")


@csrf_exempt
def public_root(request: HttpRequest) -> Answer:
    return _answer(request, True, _service)


@csrf_exempt
def public_resource(request: HttpRequest, rest: str) -> Answer:
    return _answer(request, True, lambda r, a: _resource(r, a, rest))


@csrf_exempt
def staff_root(request: HttpRequest) -> Answer:
    return _answer(request, False, _service)


@csrf_exempt
def staff_resource(request: HttpRequest, rest: str) -> Answer:
    if rest == "public":
        return HttpResponseRedirect("public/")
    return _answer(request, False, lambda r, a: _resource(r, a, rest))


def _root(request: HttpRequest, access: FeedAccess) -> str:
    """The service root's absolute URL: every context URL starts with it."""
    path = "/odata/public/" if access.actor is None else "/odata/"
    return request.build_absolute_uri(path)


def _json(request: HttpRequest, body: str) -> HttpResponse:
    _check_format(request, "json")
    return HttpResponse(body, content_type=json_type(wants_ieee754(request)))


def _check_format(request: HttpRequest, wanted: str) -> None:
    asked = request.GET.get("$format", "").split(";")[0].strip().lower()
    if asked and asked not in (wanted, f"application/{wanted}"):
        raise ODataError(
            406, "NotAcceptable", f"this answer is written as {wanted} only", "$format"
        )


def _service(request: HttpRequest, access: FeedAccess) -> Answer:
    return _json(request, json.dumps(service_document(_root(request, access))))


def _resource(request: HttpRequest, access: FeedAccess, rest: str) -> Answer:
    if rest == "$metadata":
        _check_format(request, "xml")
        return HttpResponse(metadata_xml(), content_type="application/xml;charset=utf-8")
    match = RESOURCE.match(rest)
    source = SOURCES.get(match.group("name")) if match else None
    if match is None or source is None:
        names = ", ".join(ENTITY_SETS)
        raise ODataError(404, "NotFound", f"no such resource: the feed has {names}", rest[:100])
    if match.group("key") is not None:
        if match.group("count"):
            raise ODataError(404, "NotFound", "$count counts a collection, not one entity")
        return _one(request, access, source, match.group("key"))
    options = read_options(request.GET, source.entity_set)
    rows = source.rows(access.published_only)
    if options.filter is not None:
        rows = rows.filter(options.filter)
    if match.group("count"):
        return HttpResponse(str(rows.count()), content_type="text/plain;charset=utf-8")
    return _page(request, access, source, options, rows)


def _page(
    request: HttpRequest, access: FeedAccess, source: Source, options: Options, rows: Any
) -> Answer:
    """One page of a collection, with the count if asked and the next link
    while there is more (OData Protocol v4.01, section 11.2.6.7)."""
    count = rows.count() if options.count else None
    limit = _page_size(request)
    if options.top is not None:
        limit = min(limit, options.top)
    keyset = source.keyset and not options.order
    token = options.skiptoken
    if token is not None and (token[0] == "k") != keyset:
        raise bad("$skiptoken", "not one this feed gave: follow @odata.nextLink as it is")
    if keyset:
        rows = rows.order_by(*source.order)
        if token is not None:
            rows = rows.filter(pk__gt=token[1])
        offset = options.skip
    else:
        rows = rows.order_by(*(options.order or source.order), "pk")
        offset = options.skip + (token[1] if token is not None else 0)
    found = (
        list(source.columns(rows, access.published_only)[offset : offset + limit + 1])
        if limit
        else []
    )
    records = source.records(found[:limit], access.published_only)
    next_token = None
    if len(found) > limit and (options.top is None or options.top > limit):
        last = records[-1][source.entity_set.key]
        next_token = f"k{last}" if keyset else f"o{offset + limit}"
    return _collection(request, access, source, options, records, count, next_token)


def _page_size(request: HttpRequest) -> int:
    """``PAGE_SIZE``, or less if the client prefers (``Prefer: odata.maxpagesize``)."""
    prefer = request.headers.get("Prefer", "")
    found = re.search(r"odata\.maxpagesize\s*=\s*(\d{1,9})", prefer)
    return max(1, min(PAGE_SIZE, int(found.group(1)))) if found else PAGE_SIZE


def _collection(
    request: HttpRequest,
    access: FeedAccess,
    source: Source,
    options: Options,
    records: list[Record],
    count: int | None,
    next_token: str | None,
) -> StreamingHttpResponse:
    _check_format(request, "json")
    entity_set = source.entity_set
    names = list(options.select or entity_set.names)
    context = f"{_root(request, access)}$metadata#{entity_set.name}"
    if options.select:
        context += f"({','.join(options.select)})"
    control: dict[str, Any] = {"@odata.context": context}
    if count is not None:
        control["@odata.count"] = count
    next_link = None
    if next_token is not None:
        passed = {k: v for k, v in options.passed.items() if k not in ("$skip", "$skiptoken")}
        if options.top is not None:
            passed["$top"] = str(options.top - len(records))
        passed["$skiptoken"] = next_token
        next_link = (
            request.build_absolute_uri(request.path) + "?" + urlencode(passed, quote_via=quote)
        )
    ieee754 = wants_ieee754(request)
    columns = writers(entity_set, names, ieee754)
    pieces = collection(records, columns, ieee754, control, next_link)
    response = StreamingHttpResponse(pieces, content_type=json_type(ieee754))
    if "odata.maxpagesize" in request.headers.get("Prefer", ""):
        response["Preference-Applied"] = f"odata.maxpagesize={_page_size(request)}"
    return response


def _one(request: HttpRequest, access: FeedAccess, source: Source, text: str) -> Answer:
    """One entity by its key (OData URL Conventions v4.01, section 4.3.1)."""
    entity_set = source.entity_set
    key = _key(text, entity_set.key, entity_set.prop(entity_set.key).edm)  # type: ignore[union-attr]
    options = read_options(request.GET, entity_set)
    if options.filter is not None or options.order or options.top or options.skip:
        raise bad("$filter", "query options other than $select apply to collections")
    rows = source.rows(access.published_only).filter(**{source.key_field: key})
    records = source.records(
        list(source.columns(rows, access.published_only)[:1]), access.published_only
    )
    if not records:
        raise ODataError(404, "NotFound", f"{entity_set.name} has no entity with the key {text}")
    context = f'"@odata.context":"{_root(request, access)}$metadata#{entity_set.name}/$entity"'
    names = list(options.select or entity_set.names)
    columns = writers(entity_set, names, wants_ieee754(request))
    return _json(request, entity(records[0], columns, context))


def _key(text: str, name: str, edm: str) -> int | str:
    """A key as written in a URL: ``123``, ``'180'`` (quotes doubled inside), or ``Name=…``."""
    if text.startswith(f"{name}="):
        text = text[len(name) + 1 :]
    if edm == "Edm.Int64":
        if not re.fullmatch(r"\d{1,18}", text):
            raise bad("key", f"{text[:40]!r} is not a whole number")
        return int(text)
    if len(text) < 2 or not (text.startswith("'") and text.endswith("'")):
        raise bad("key", f"{text[:40]!r}: a text key is written in quotes: Indicators('180')")
    inner = text[1:-1]
    if "'" in inner.replace("''", "") or "\x00" in inner:
        raise bad("key", "a quote inside a key is written twice: 'O''Brien'")
    return inner.replace("''", "'")
