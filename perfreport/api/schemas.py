"""The shapes the HTTP API reads and writes, as they appear in its OpenAPI
schema. ``EvaluationRecord`` describes ``perfreport.data.present.
evaluation_record``, the one JSON record of an evaluation (a test keeps the
two in step)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, StrictFloat, StrictInt, StrictStr

from perfreport.core.change import Change
from perfreport.core.indicator import Aggregation
from perfreport.core.periods import Frequency
from perfreport.core.rating import Polarity, Rating, RatingBasis, ToleranceMethod
from perfreport.core.text import COMMENTARY_LIMIT, checked_text
from perfreport.core.units import Unit, format_value
from perfreport.data.models import Observation
from perfreport.registry.models import Indicator

Number = float | int
# Text the database can keep (PostgreSQL refuses the NUL character).
NO_NUL = r"^[^\x00]*$"
# What a write accepts for a number: JSON's own, or text such as "97.83%" (not true or false).
Amount = StrictInt | StrictFloat | StrictStr
# Text a person writes (commentary, actions, a reason): the one text rule, at
# most 20,000 characters; a refusal is a 422 naming the field.
EnteredText = Annotated[
    str, AfterValidator(lambda text: checked_text(text, limit=COMMENTARY_LIMIT))
]


def number(value: Decimal | None) -> Number | None:
    """A stored decimal as JSON writes it: ``100`` for a whole number, else ``97.83``."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Message(Schema):
    detail: str = Field(description="What went wrong, and what to do about it.")


class FieldProblem(Schema):
    loc: list[str | int] = Field(description='Where: ["query", "period"], ["body", "value"].')
    msg: str
    type: str


class ValidationMessage(Schema):
    detail: list[FieldProblem]


class Difference(Schema):
    field: str = Field(description="value, numerator, denominator, commentary or actions.")
    label: str
    saved: str = Field(description="What the entry holds now; (empty) for nothing.")
    yours: str = Field(description="What this request would have saved.")


class StaleMessage(Schema):
    """412: the ``If-Match`` version is not the entry's current one."""

    detail: str = Field(description="Who saved the entry since, and what to do.")
    version: int = Field(description='The current version: send If-Match: "<version>".')
    changes: list[Difference] = Field(
        description="Each field where the saved entry and this request differ."
    )


class LinkOut(Schema):
    title: str
    url: str


class IndicatorOut(Schema):
    ref: str = Field(description="The indicator's reference, as in the report: 184.")
    title: str
    description: str
    source: str
    unit: Unit
    unit_label: str = Field(
        description='How the unit is printed around the number: "£m", "days", "per 10,000"; '
        '"" for the unit alone.'
    )
    decimals: int
    polarity: Polarity
    frequency: Frequency
    aggregation: Aggregation
    rating_basis: RatingBasis
    scheme: str = Field(
        description='The rating scheme it names over the organisation\'s; "" when it follows '
        "the organisation's (or has thresholds of its own)."
    )
    target_rule: str = Field(
        description='A target set by rule: "last_year", "previous", "national", "comparator", '
        '"top_quartile"; "" when its targets are set by number.'
    )
    tolerance_method: ToleranceMethod | None = Field(
        description="With the two thresholds, the indicator's own Key of the seed's shape; "
        "null when it follows its scheme."
    )
    red_threshold: Number | None
    blue_threshold: Number | None
    directorate: str | None
    service: str | None
    owner: str
    national_code: str
    links: list[LinkOut]

    @staticmethod
    def resolve_directorate(obj: Indicator) -> str | None:
        return obj.directorate.name if obj.directorate else None

    @staticmethod
    def resolve_service(obj: Indicator) -> str | None:
        return obj.service.name if obj.service else None

    @staticmethod
    def resolve_tolerance_method(obj: Indicator) -> str | None:
        return obj.tolerance_method or None

    @staticmethod
    def resolve_red_threshold(obj: Indicator) -> Number | None:
        return number(obj.red_threshold)

    @staticmethod
    def resolve_blue_threshold(obj: Indicator) -> Number | None:
        return number(obj.blue_threshold)

    @staticmethod
    def resolve_links(obj: Indicator) -> list[Any]:
        return list(obj.links.all())


class ObservationOut(Schema):
    ref: str
    period: str = Field(description="2020-09, 2020/21 Q2 or 2020/21, by the indicator's frequency.")
    organisation: str = Field(description="The organisation's GSS or LA code.")
    value: Number | None = Field(description="The value; null when it is withheld.")
    withheld: str | None = Field(
        description='The text published instead of a number ("c", "fewer than 10"), when the '
        "figure is withheld; it is never rated, charted or averaged. Null for a number."
    )
    display_value: str = Field(
        description='The value as the report prints it ("£4.2m"), or as withheld ("c").'
    )
    numerator: Number | None
    denominator: Number | None
    is_draft: bool = Field(description="A draft value is left out of every public output.")
    restated_at: datetime | None = Field(
        description="When the value was last changed after it was first stored."
    )
    updated_at: datetime

    @staticmethod
    def resolve_ref(obj: Observation) -> str:
        return obj.indicator.ref

    @staticmethod
    def resolve_organisation(obj: Observation) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_value(obj: Observation) -> Number | None:
        return number(obj.value)

    @staticmethod
    def resolve_withheld(obj: Observation) -> str | None:
        return obj.withheld_as or None

    @staticmethod
    def resolve_display_value(obj: Observation) -> str:
        if obj.value is None:
            return obj.withheld_as
        return format_value(obj.value, obj.indicator.unit_format, obj.indicator.decimals)

    @staticmethod
    def resolve_numerator(obj: Observation) -> Number | None:
        return number(obj.numerator)

    @staticmethod
    def resolve_denominator(obj: Observation) -> Number | None:
        return number(obj.denominator)


class ObservationIn(Schema):
    """A value for the home organisation. PUT replaces: a field left out takes
    its default (no numerator, not a draft)."""

    value: Amount = Field(
        description='A number, or text as a person types it: 97.83, "97.83%", "£1,200".',
        examples=[97.83],
    )
    numerator: Amount | None = None
    denominator: Amount | None = None
    is_draft: bool = Field(
        False,
        description="True keeps the value off the public pages, open data and reports. "
        "Ignored for a period a reporting round collects: its value is a draft until the "
        "round is published.",
    )
    reason: EnteredText = Field(
        "",
        description="Why a published figure is wrong: required to restate a value of a "
        "published round; kept in the audit trail.",
    )


class CommentaryIn(Schema):
    commentary: EnteredText = Field(
        "",
        description="What the service says about the period: at most 20,000 characters, "
        "no control character but tab and new line.",
    )
    actions: EnteredText = Field(
        "", description="What it is doing about it (expected for a Red); as commentary."
    )


class CommentaryOut(Schema):
    ref: str
    period: str
    commentary: str
    actions: str
    updated_at: datetime


class EvaluationRecord(Schema):
    """An indicator's evaluation for a reporting period: the value shown, its
    target, RAG rating and change in performance, benchmarks and analytics."""

    ref: str
    title: str
    directorate: str
    service: str
    report_period: str
    period: str | None = Field(description="The period of the value shown (may trail the report).")
    value: Number | None
    display_value: str = Field(
        description='The value as the report prints it: 97.83%, £4.2m; or as withheld: "c".'
    )
    withheld: str | None = Field(
        description='The text the value was withheld as ("c", "fewer than 10"): not rated. '
        "Null for a number."
    )
    unit: Unit
    unit_label: str = Field(description='The unit as printed: "£m", "days"; "" for none.')
    decimals: int
    previous_period: str | None
    previous_value: Number | None
    previous_withheld: str | None
    last_year_period: str | None
    last_year_value: Number | None
    last_year_withheld: str | None
    target: Number | None
    display_target: str
    target_basis: str | None
    polarity: Polarity
    rating_basis: RatingBasis
    rag: Rating | None
    rag_label: str | None = Field(
        description='The rating as the indicator\'s Key names it ("Green", "Data only").'
    )
    scheme: str = Field(
        description="The rating scheme that rates it: seed, tolerance, met, the "
        "organisation's own, or \"REF's own thresholds\"."
    )
    change: Change | None
    change_on_year: Change | None
    stated_rag: Rating | None = Field(description="The rating as published, when it was given.")
    explanation: str
    expected_period: str
    stale: bool
    benchmark_period: str | None
    comparator_group: str | None
    neighbours_mean: Number | None
    neighbours_mean_basis: str | None
    neighbours_median: Number | None
    rank: int | None
    quartile: int | None
    group_size: int | None
    national_value: Number | None
    national_basis: str | None
    spc_chart: str | None
    spc_variation: str | None
    spc_assurance: str | None
    forecast_target: Number | None
    forecast_period: str | None
    forecast_probability: Number | None
    forecast: str | None
    run_rate: str | None
    draft_commentary: str | None = Field(
        default=None,
        description="A drafted paragraph for the service lead to edit; only with the token "
        "of an owner, approver or BI administrator (the public and viewers never see drafts).",
    )


class PeriodEvaluationOut(Schema):
    period: str = Field(description="The reporting period evaluated.")
    organisation: str | None = Field(description="The home organisation's code.")
    published_only: bool = Field(
        description="True without a token or with a viewer's: drafts left out."
    )
    count: int
    items: list[EvaluationRecord]


class Download(Schema):
    format: str
    url: str


class ReportOut(Schema):
    period: str
    downloads: list[Download]


class ReportList(Schema):
    count: int
    items: list[ReportOut]


# -- The council plan (GET /api/plan) --------------------------------------------------


class PlanRuleOut(Schema):
    method: str = Field(description="worst, majority or share.")
    green_share: Number | None = Field(description="With share: Green at or above this %.")
    amber_share: Number | None = Field(description="With share: Amber at or above this %.")
    words: str = Field(description="The rule as the Key states it.")


class PlanItemOut(Schema):
    ref: str
    parent: str | None = Field(description="The reference of the item above; null for a priority.")
    depth: int = Field(description="1 priority, 2 outcome, 3 the level under an outcome.")
    level: str
    title: str
    description: str
    lead: str
    status: str | None = Field(description="The roll-up's rating (red, amber, green, blue).")
    status_label: str = Field(description="The rating as the organisation's Key names it.")
    status_sentence: str = Field(description="How the status was worked out.")
    indicators_by_rating: dict[str, int] = Field(
        description="Its indicators and those of the items under it, each once, by rating."
    )
    indicators_unrated: int
    actions_by_status: dict[str, int]
    indicators: list[str] = Field(description="Its own indicators' references, in order.")
    actions: list[str] = Field(description="Its own actions' references.")


class MilestoneOut(Schema):
    title: str
    due: str
    completed_on: str | None


class PlanActionOut(Schema):
    ref: str
    kind: str
    title: str
    description: str
    owner: str
    start: str | None
    due: str | None
    percent_complete: Number | None = Field(description="As of the period's end; published only.")
    completed_on: str | None
    status: str = Field(description="complete, on_track, at_risk, overdue or not_started.")
    status_label: str
    status_reason: str
    progress: str = Field(description="The progress note shown, as published.")
    progress_period: str
    outcomes: list[str]
    indicators: list[str]
    milestones: list[MilestoneOut]


class PlanFindingOut(Schema):
    kind: str
    ref: str
    title: str
    message: str


class PlanOut(Schema):
    period: str
    as_of: str = Field(description="The date statuses are worked out on: the period's last day.")
    published_only: bool
    rule: PlanRuleOut
    items: list[PlanItemOut] = Field(description="Every plan item, top down.")
    actions: list[PlanActionOut]
    findings: list[PlanFindingOut] | None = Field(
        description="The plan's findings, for staff; null on the published read path."
    )
