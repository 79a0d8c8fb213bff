"""The HTTP API (django-ninja): /api/, its OpenAPI schema at /api/openapi.json
and browsable documentation at /api/docs.

Reading needs no token and shows published values only; with a token
(``Authorization: Bearer <token>``) it acts for the token's holder, who needs a
role, and shows drafts too to an owner, approver or BI administrator, never to a
viewer (perfreport.api.access.sees_drafts). Writing needs a token whose holder
may edit the indicator; a period a reporting round collects is written through
the round (perfreport.api.services). Every GET carries an ETag (see
perfreport.api.access). docs/api.md describes each endpoint with examples.
"""

# No `from __future__ import annotations`: django-ninja reads the operations'
# annotations at run time, through decorators whose globals are not these.
from typing import Annotated, Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Header, NinjaAPI, Path, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.responses import Status

from perfreport.accounts.permissions import Actor
from perfreport.api import services as api_services
from perfreport.api.access import OPTIONAL_TOKEN, BearerToken, conditional, request_access
from perfreport.api.docs import AccessibleSwagger
from perfreport.api.plan import plan_answer
from perfreport.api.schemas import (
    NO_NUL,
    CommentaryIn,
    CommentaryOut,
    EvaluationRecord,
    IndicatorOut,
    Message,
    ObservationIn,
    ObservationOut,
    PeriodEvaluationOut,
    PlanOut,
    ReportList,
    StaleMessage,
    ValidationMessage,
)
from perfreport.api.selectors import (
    EvaluationAnswer,
    evaluation_answer,
    latest_quarter,
    published_quarters,
)
from perfreport.api.services import RoundRefusal, Stale, Written
from perfreport.core.errors import Kind, PerfreportError
from perfreport.core.periods import Frequency, Period, PeriodError
from perfreport.data.models import Commentary, Observation
from perfreport.data.plan import load_plan
from perfreport.data.selectors import no_values_message
from perfreport.data.services import NoHomeOrganisation
from perfreport.data.values import FieldError
from perfreport.registry.models import Indicator
from perfreport.registry.periods import read_period
from perfreport.rounds.services import Invalid, RoundError, TransitionError

api = NinjaAPI(
    title="perfreport API",
    version="1.0.0",
    description="Indicators, observations and evaluations; writes need a token. "
    "Without a token, or with a viewer's, only published values are shown.",
    urls_namespace="api-1.0.0",
    docs=AccessibleSwagger(),
)

PUBLIC_OR_TOKEN = BearerToken(required=False)
TOKEN = BearerToken(required=True)
# 414: an address too long (perfreport.api.middleware), before any operation.
READ = {304: None, 401: Message, 403: Message, 404: Message, 414: Message, 422: ValidationMessage}
WRITE = {
    400: Message,
    401: Message,
    403: Message,
    404: Message,
    409: Message,
    412: StaleMessage,
    414: Message,
    422: ValidationMessage,
}
REPORT_FORMATS = ("pdf", "html", "docx", "xlsx")
Ref = Annotated[
    str,
    Path(
        description="The indicator's reference, as in the report.",
        pattern=NO_NUL,
        example="180",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='For a period a reporting round collects: the entry\'s version, as "3" '
        "(the ETag of the last write's answer). A stale version is refused with 412 and "
        "nothing is saved; without the header the write goes on the current version.",
    ),
]
PeriodPath = Annotated[
    str,
    Path(
        description="A month (2020-09), quarter (2020/21 Q2) or financial year (2020/21); "
        "the slash needs no escaping.",
        example="2020/21 Q2",
    ),
]


class PageLimit(PaginationBase):
    """``page`` (from 1) and ``limit`` (items a page, at most 500); the answer
    says how many there are in all and links the next and previous pages."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        limit: int = Field(50, ge=1, le=500)

    class Output(Schema):
        count: int = Field(description="Items in all pages.")
        page: int
        limit: int
        next: str | None = Field(description="The next page's address; null on the last.")
        previous: str | None
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page, limit = pagination.page, pagination.limit
        count = queryset.count()
        start = (page - 1) * limit
        return {
            "count": count,
            "page": page,
            "limit": limit,
            "next": _page_url(request, page + 1) if start + limit < count else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "items": list(queryset[start : start + limit]),
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _published_only(request: HttpRequest) -> bool:
    """Whether the request gets the published read path (see Access.published_only)."""
    access = request_access(request)
    return access is None or access.published_only


def _period(text: str, *where: str, year_start: int | None = None) -> Period:
    """A period from the request, or 422 naming the field; one of an
    indicator in its own kind of year (``year_start``: calendar, academic)."""
    try:
        return read_period(text, year_start)
    except PeriodError as error:
        raise ValidationError(
            [{"loc": list(where), "msg": str(error), "type": "value_error"}]
        ) from None


def _indicator(ref: str) -> Indicator:
    found = Indicator.objects.select_related("directorate", "service").filter(ref=ref).first()
    if found is None:
        count = Indicator.objects.count()
        raise HttpError(
            404,
            f"no indicator has the reference {ref!r}: GET /api/indicators lists the "
            f"{count} there are",
        )
    return found


@api.exception_handler(AuthenticationError)
def refused(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if request.headers.get("Authorization"):
        detail = "the API token is not valid or has been revoked"
    else:
        detail = "this needs an API token: send the header Authorization: Bearer <token>"
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="perfreport"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403: a token whose holder has no role, or may not edit this indicator."""
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Stale)
def stale(request: HttpRequest, exc: Stale) -> HttpResponse:
    changes = [
        {"field": name, "label": label, "saved": saved, "yours": yours}
        for name, label, saved, yours in exc.changes
    ]
    body = {"detail": str(exc), "version": exc.entry.version, "changes": changes}
    response = api.create_response(request, body, status=412)
    response["ETag"] = f'"{exc.entry.version}"'
    return response


@api.exception_handler(RoundRefusal)
@api.exception_handler(TransitionError)
@api.exception_handler(RoundError)
def refused_by_round(request: HttpRequest, exc: Exception) -> HttpResponse:
    """409: the round does not take this write now (submitted, approved or
    published); the message says what to do instead."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


# Each kind of error, as the API answers it where no handler above says more.
KIND_STATUS = {
    Kind.INVALID: 422,
    Kind.NOT_ALLOWED: 403,
    Kind.NOT_FOUND: 404,
    Kind.STALE: 409,
    Kind.REFUSED: 409,
}


@api.exception_handler(PerfreportError)
def by_kind(request: HttpRequest, exc: PerfreportError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=KIND_STATUS[exc.kind])


@api.exception_handler(Invalid)
def invalid_entry(request: HttpRequest, exc: Invalid) -> HttpResponse:
    problems = [
        {"loc": ["body", name], "msg": message, "type": "value_error"}
        for name, message in exc.errors.items()
    ]
    return api.create_response(request, {"detail": problems}, status=422)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each field as ["query", "period"] or ["body", "value"]
    (django-ninja adds the name of the body's parameter: ["body", "body", …])."""
    problems = []
    for problem in exc.errors:
        loc = list(problem.get("loc", []))
        if loc[:2] == ["body", "body"]:
            loc = loc[1:]
        problems.append({**problem, "loc": loc})
    return api.create_response(request, {"detail": problems}, status=422)


class IndicatorFilters(Schema):
    directorate: str | None = Field(
        None, description="A directorate's name, any case.", pattern=NO_NUL
    )
    service: str | None = Field(None, description="A service's name, any case.", pattern=NO_NUL)
    frequency: Frequency | None = None


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["indicators"],
    summary="The indicators in the register",
)
@decorate_view(conditional)
@paginate(PageLimit)
def indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> QuerySet[Indicator]:
    found = Indicator.objects.select_related("directorate", "service").prefetch_related("links")
    if filters.directorate:
        found = found.filter(directorate__name__iexact=filters.directorate)
    if filters.service:
        found = found.filter(service__name__iexact=filters.service)
    if filters.frequency:
        found = found.filter(frequency=filters.frequency.value)
    return found


@api.get(
    "/indicators/{ref}",
    response={200: IndicatorOut, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["indicators"],
    summary="One indicator",
)
@decorate_view(conditional)
def indicator(request: HttpRequest, ref: Ref) -> Indicator:
    return _indicator(ref)


class ObservationFilters(Schema):
    period_from: str | None = Field(
        None,
        alias="from",
        description="The first period: values for periods ending from its start.",
    )
    period_to: str | None = Field(
        None, alias="to", description="The last period: values for periods ending by its end."
    )
    organisation: str | None = Field(
        None,
        description="An organisation's code; the home organisation's values by default.",
        pattern=NO_NUL,
    )


@api.get(
    "/indicators/{ref}/observations",
    response={200: list[ObservationOut], **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["observations"],
    summary="An indicator's values, oldest first",
)
@decorate_view(conditional)
@paginate(PageLimit)
def observations(
    request: HttpRequest, ref: Ref, filters: Query[ObservationFilters]
) -> QuerySet[Observation]:
    indicator = _indicator(ref)
    year_start = indicator.year_start_month
    found = indicator.observations.select_related("indicator", "organisation")
    if filters.organisation:
        found = found.filter(organisation__code=filters.organisation)
    else:
        found = found.filter(organisation__is_home=True)
    if filters.period_from:
        start = _period(filters.period_from, "query", "from", year_start=year_start)
        found = found.filter(last_month__gte=start.first_month)
    if filters.period_to:
        end = _period(filters.period_to, "query", "to", year_start=year_start)
        found = found.filter(last_month__lte=end.last_month)
    if _published_only(request):
        found = found.filter(is_draft=False)
    return found.order_by("last_month", "first_month")


@api.put(
    "/indicators/{ref}/observations/{path:period}",
    response={200: ObservationOut, 201: ObservationOut, **WRITE},
    auth=TOKEN,
    tags=["observations"],
    summary="Create or replace the home organisation's value for a period",
    description="Needs a token whose holder may edit the indicator (its owner, its service "
    "lead or a BI administrator). A period a reporting round collects is saved to the round's "
    "entry as a draft (refused with 409 once submitted or approved); once the round is "
    'published a changed value is a restatement and needs a "reason".',
)
def put_observation(
    request: HttpRequest,
    response: HttpResponse,
    ref: Ref,
    period: PeriodPath,
    body: ObservationIn,
    if_match: IfMatch = None,
) -> Status[Observation]:
    found = _indicator(ref)
    when = _period(period, "path", "period", year_start=found.year_start_month)
    try:
        written = api_services.put_observation(
            _actor(request),
            found,
            when,
            value=body.value,
            numerator=body.numerator,
            denominator=body.denominator,
            is_draft=body.is_draft,
            reason=body.reason,
            if_match=if_match,
        )
    except FieldError as error:
        where = ["path", "period"] if error.field == "period" else ["body", error.field]
        raise ValidationError(
            [{"loc": where, "msg": error.message, "type": "value_error"}]
        ) from None
    except NoHomeOrganisation:
        raise HttpError(
            409, "no organisation is marked as home: import organisations.csv first"
        ) from None
    _entry_version(response, written)
    return Status(201 if written.created else 200, written.stored)


def _actor(request: HttpRequest) -> Actor:
    access = request_access(request)
    assert access is not None  # the operation's auth refused the request otherwise
    return access.actor


def _entry_version(response: HttpResponse, written: Written) -> None:
    """The entry's version after a write through a round: what to send in
    If-Match next time."""
    if written.entry is not None:
        response["ETag"] = f'"{written.entry.version}"'


def _commentary_out(stored: Commentary, ref: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "period": stored.period,
        "commentary": stored.text,
        "actions": stored.actions,
        "updated_at": stored.updated_at,
    }


@api.get(
    "/indicators/{ref}/commentary/{path:period}",
    response={200: CommentaryOut, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["commentary"],
    summary="The commentary and actions for a period",
)
@decorate_view(conditional)
def commentary(request: HttpRequest, ref: Ref, period: PeriodPath) -> dict[str, Any]:
    found = _indicator(ref)
    when = _period(period, "path", "period", year_start=found.year_start_month)
    notes = Commentary.objects.filter(indicator=found).for_period(
        when.frequency.value, when.first_month
    )
    if _published_only(request):
        notes = notes.published()  # draft commentary only for those who see drafts
    stored = notes.first()
    if stored is None:
        raise HttpError(404, f"indicator {ref} has no commentary for {when.label}")
    return _commentary_out(stored, ref)


@api.put(
    "/indicators/{ref}/commentary/{path:period}",
    response={200: CommentaryOut, 201: CommentaryOut, **WRITE},
    auth=TOKEN,
    tags=["commentary"],
    summary="Create or replace the commentary and actions for a period",
    description="Needs a token whose holder may edit the indicator. A period a reporting "
    "round collects is saved to the round's entry as a draft (refused with 409 once "
    "submitted, approved or published).",
)
def put_commentary(
    request: HttpRequest,
    response: HttpResponse,
    ref: Ref,
    period: PeriodPath,
    body: CommentaryIn,
    if_match: IfMatch = None,
) -> Status[dict[str, Any]]:
    found = _indicator(ref)
    when = _period(period, "path", "period", year_start=found.year_start_month)
    written = api_services.put_commentary(
        _actor(request),
        found,
        when,
        commentary=body.commentary,
        actions=body.actions,
        if_match=if_match,
    )
    _entry_version(response, written)
    if written.stored is None:  # an entry with neither commentary nor actions
        assert written.entry is not None
        entry = written.entry
        empty = {"ref": ref, "period": entry.period, "commentary": "", "actions": ""}
        return Status(200, {**empty, "updated_at": entry.updated_at})
    return Status(201 if written.created else 200, _commentary_out(written.stored, ref))


def _answer(request: HttpRequest, text: str | None) -> EvaluationAnswer:
    """The evaluation of the period asked for (the latest quarter by default),
    or 404 when it has no values to show."""
    published_only = _published_only(request)
    period = _period(text, "query", "period") if text else latest_quarter(published_only)
    if period is None:
        raise HttpError(404, "no values are imported yet")
    answer = evaluation_answer(period, published_only)
    if answer.body:
        return answer
    if published_only:
        raise HttpError(
            404,
            f"no indicator has a published value at or before {period}: GET /api/reports "
            "lists the periods with published values",
        )
    raise HttpError(404, no_values_message(period))


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")


class PeriodQuery(Schema):
    period: str | None = Field(
        None,
        description="The reporting period: 2020/21 Q2. The quarter with the latest value when "
        "left out.",
        json_schema_extra={"example": "2020/21 Q2"},
    )


@api.get(
    "/evaluations",
    response={200: PeriodEvaluationOut, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["evaluations"],
    summary="Every indicator's evaluation for a reporting period",
)
@decorate_view(conditional)
def evaluations(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _json(_answer(request, query.period).body)


@api.get(
    "/evaluations/{ref}",
    response={200: EvaluationRecord, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["evaluations"],
    summary="One indicator's evaluation for a reporting period",
)
@decorate_view(conditional)
def evaluation(request: HttpRequest, ref: Ref, query: Query[PeriodQuery]) -> HttpResponse:
    found = _indicator(ref)
    record = _answer(request, query.period).records.get(found.ref)
    if record is None:  # cannot happen: adding an indicator raises the data version
        raise HttpError(404, f"indicator {ref} is not in this evaluation")
    return _json(record)


@api.get(
    "/reports",
    response={200: ReportList, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["reports"],
    summary="The published reports: each reporting period, with download addresses",
)
@decorate_view(conditional)
def reports(request: HttpRequest) -> dict[str, Any]:
    download = reverse("web:public_report_download")
    items = [
        {
            "period": quarter.label,
            "downloads": [
                {
                    "format": fmt,
                    "url": request.build_absolute_uri(
                        f"{download}?{urlencode({'period': quarter.label, 'format': fmt})}"
                    ),
                }
                for fmt in REPORT_FORMATS
            ],
        }
        for quarter in published_quarters()
    ]
    return {"count": len(items), "items": items}


@api.get(
    "/plan",
    response={200: PlanOut, **READ},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    tags=["plan"],
    summary="The council plan for a reporting period: items with their roll-up, actions",
)
@decorate_view(conditional)
def plan(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    published_only = _published_only(request)
    period = (
        _period(query.period, "query", "period") if query.period else latest_quarter(published_only)
    )
    if period is None:
        raise HttpError(404, "no values are imported yet")
    view = load_plan(period, public=published_only)
    if view.is_empty and not view.actions:
        raise HttpError(404, "there is no council plan: import plan.csv and actions.csv")
    return plan_answer(view)
