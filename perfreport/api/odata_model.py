"""The OData feed's entity model: its entity sets, their properties with
their Edm types, and the two documents that describe them, the service
document and ``$metadata`` (CSDL XML).

One model serves both feeds (/odata/public/ and /odata/): the public one
answers ``IsDraft`` false on every value. A property with a ``field`` can be
used in ``$filter`` and ``$orderby``: it is a column (or a column of the
indicator) that the database compares. The others are worked out for each
row after it is read (a rating, a change, a benchmark), so they are listed as
not filterable and not sortable in ``$metadata`` (the Capabilities
vocabulary), and a ``$filter`` on them is refused with a message that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

NAMESPACE = "Perfreport"
CONTAINER = "Feed"
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
VOCABULARIES = {
    "Core": (
        "Org.OData.Core.V1",
        "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml",
    ),
    "Capabilities": (
        "Org.OData.Capabilities.V1",
        "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml",
    ),
}
# Values, numerators, targets and thresholds are stored with 20 digits, 6 of
# them after the point (registry.models.value_field).
STORED = {"precision": 20, "scale": 6}


@dataclass(frozen=True)
class Prop:
    """A property: its name, Edm type, whether it may be null, the database
    field it is filtered and sorted on (None: worked out, neither), and for
    a decimal its precision and scale ("variable" for a worked-out figure)."""

    name: str
    edm: str
    description: str
    field: str | None = None
    nullable: bool = True
    precision: int | None = None
    scale: int | str | None = None


@dataclass(frozen=True)
class EntitySet:
    name: str  # "Values"
    type_name: str  # "Value"
    key: str
    summary: str
    props: tuple[Prop, ...]

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.props]


def _s(name: str, description: str, field: str | None = None, nullable: bool = True) -> Prop:
    return Prop(name, "Edm.String", description, field, nullable)


def _d(name: str, description: str, field: str | None = None) -> Prop:
    """A decimal: stored ones (with a field) have the stored scale, worked-out ones a variable one."""
    if field is not None:
        return Prop(name, "Edm.Decimal", description, field, True, **STORED)
    return Prop(name, "Edm.Decimal", description, None, True, None, "variable")


def _i(name: str, description: str, field: str | None = None, nullable: bool = True) -> Prop:
    return Prop(name, "Edm.Int32", description, field, nullable)


INDICATORS = EntitySet(
    "Indicators",
    "Indicator",
    "Ref",
    "Every indicator in the register, in report order.",
    (
        _s("Ref", "The indicator's reference, as in the report", "ref", nullable=False),
        _s("Title", "The indicator's title", "title", nullable=False),
        _s("Description", "How the figure is worked out", "description", nullable=False),
        _s("Source", "Where the figure comes from", "source", nullable=False),
        _s("Unit", "percent, number, count, stars or currency", "unit", nullable=False),
        _s("UnitLabel", "How the unit is printed: £m, days; empty for the unit alone", "unit_label", nullable=False),
        _i("Decimals", "Decimal places the report shows", "decimals", nullable=False),
        _s("Polarity", "Which way is better: higher or lower", "polarity", nullable=False),
        _s("Frequency", "monthly, quarterly or annual", "frequency", nullable=False),
        _s("Aggregation", "snapshot, cumulative or average", "aggregation", nullable=False),
        _s("RatingBasis", "targeted, baseline or contextual", "rating_basis", nullable=False),
        _s("Scheme", "The rating scheme it names; empty: the organisation's", "scheme", nullable=False),
        _s("TargetRule", "A target set by rule; empty: targets set by number", "target_rule", nullable=False),
        _s("ToleranceMethod", "relative or absolute, with its own thresholds; empty: its scheme's", "tolerance_method", nullable=False),
        _d("RedThreshold", "Its own Red threshold", "red_threshold"),
        _d("BlueThreshold", "Its own Blue threshold", "blue_threshold"),
        _s("Directorate", "The directorate responsible", "directorate__name"),
        _s("Service", "The service responsible", "service__name"),
        _s("Owner", "Who owns the indicator", "owner", nullable=False),
        _s("NationalCode", "The national measure that benchmarks it", "national_code", nullable=False),
        _i("Position", "Its place in the report", "position", nullable=False),
    ),
)  # fmt: skip

VALUES = EntitySet(
    "Values",
    "Value",
    "Id",
    "Every value of the home organisation, with the target in force for its period, its RAG "
    "rating and the change in performance, each worked out as the evaluation of that period does.",
    (
        Prop("Id", "Edm.Int64", "The value's number, which stays the same", "pk", False),
        _s("IndicatorRef", "The indicator's reference", "indicator__ref", nullable=False),
        _s("IndicatorTitle", "The indicator's title", "indicator__title", nullable=False),
        _s("Directorate", "The directorate responsible", "indicator__directorate__name"),
        _s("Service", "The service responsible", "indicator__service__name"),
        _s("Period", "The period as a code: 2020-09, 2020/21 Q2, 2020/21", "period", nullable=False),
        _s("PeriodInWords", "The period in words: September 2020, Quarter 2 2020/21", nullable=False),
        _s("Frequency", "monthly, quarterly or annual", "frequency", nullable=False),
        Prop("PeriodStart", "Edm.Date", "The period's first day", "first_month", False),
        Prop("PeriodEnd", "Edm.Date", "The period's last day", "last_month", False),
        _d("Value", "The figure; null when it was withheld", "value"),
        _s("Withheld", "What was published instead of a number (c, fewer than 10); else null"),
        _s("DisplayValue", "The figure as the report prints it: 97.83%, £4.2m", nullable=False),
        _s("Unit", "percent, number, count, stars or currency", "indicator__unit", nullable=False),
        _s("UnitLabel", "How the unit is printed: £m, days", "indicator__unit_label", nullable=False),
        _i("Decimals", "Decimal places the report shows", "indicator__decimals", nullable=False),
        _d("Numerator", "For a rate, the count above the line", "numerator"),
        _d("Denominator", "For a rate, the count below the line", "denominator"),
        _d("Target", "The target in force for the period"),
        _s("DisplayTarget", "The target as the report prints it", nullable=False),
        _s("TargetBasis", "How the target applies: set, containing, pro_rata, interpolated, carried, rule"),
        _s("Rating", "The RAG rating: red, amber, green, blue, baseline or contextual; null: not rated"),
        _s("RatingLabel", "The rating in the words of the Key in force (Red, On track)"),
        _s("Explanation", "Why the value has its rating, in a sentence", nullable=False),
        _s("PreviousPeriod", "The period of the value before it"),
        _d("PreviousValue", "The value before it"),
        _s("Change", "Change in performance since the value before it: improving, declining, unchanged"),
        _s("LastYearPeriod", "The same period last year"),
        _d("LastYearValue", "The value for the same period last year"),
        _s("ChangeOnYear", "Change in performance since the same period last year"),
        Prop("IsDraft", "Edm.Boolean", "A draft, not yet published (the staff feed only)", "is_draft", False),
        Prop("RestatedAt", "Edm.DateTimeOffset", "When a published value was last changed", "restated_at"),
        Prop("UpdatedAt", "Edm.DateTimeOffset", "When the value was last saved", "updated_at", False),
    ),
)  # fmt: skip

BENCHMARKS = EntitySet(
    "Benchmarks",
    "Benchmark",
    "IndicatorRef",
    "Each indicator's comparators for the latest quarter with values: its comparator group "
    "(statistical neighbours) and the national (England) figure, as the evaluation shows them.",
    (
        _s("IndicatorRef", "The indicator's reference", "ref", nullable=False),
        _s("IndicatorTitle", "The indicator's title", "title", nullable=False),
        _s("Directorate", "The directorate responsible", "directorate__name"),
        _s("Service", "The service responsible", "service__name"),
        _s("ReportPeriod", "The reporting period (quarter) the benchmarks are for; null: no values yet"),
        _s("BenchmarkPeriod", "The published period the figures belong to; null: entered by hand"),
        _s("ComparatorGroup", "The comparator group (statistical neighbours)"),
        _d("HomeValue", "The home organisation's published national figure"),
        _d("NeighboursMean", "The comparator group's mean"),
        _s("NeighboursMeanBasis", "How the mean was found: computed or entered"),
        _d("NeighboursMedian", "The comparator group's median"),
        _i("Rank", "The home organisation's rank in its group (1 is best)"),
        _i("Quartile", "The home organisation's quartile in its group (1 is best)"),
        _i("GroupSize", "How many in the group have a figure"),
        _d("NationalValue", "The national (England) figure"),
        _s("NationalBasis", "How the national figure was found: published, computed or entered"),
    ),
)  # fmt: skip

ENTITY_SETS = {s.name: s for s in (INDICATORS, VALUES, BENCHMARKS)}


def service_document(root: str) -> dict[str, object]:
    """The service document (OData JSON Format v4.01, section 5)."""
    return {
        "@odata.context": f"{root}$metadata",
        "value": [
            {"name": s.name, "kind": "EntitySet", "url": s.name} for s in ENTITY_SETS.values()
        ],
    }


def metadata_xml() -> bytes:
    """``$metadata``: the model in CSDL XML (OData CSDL XML v4.01), with the
    Capabilities annotations that say what can be filtered, sorted, counted
    and paged."""
    ET.register_namespace("edmx", EDMX)
    root = ET.Element(f"{{{EDMX}}}Edmx", {"Version": "4.0"})
    for alias, (namespace, uri) in VOCABULARIES.items():
        reference = ET.SubElement(root, f"{{{EDMX}}}Reference", {"Uri": uri})
        ET.SubElement(reference, f"{{{EDMX}}}Include", {"Namespace": namespace, "Alias": alias})
    services = ET.SubElement(root, f"{{{EDMX}}}DataServices")
    schema = ET.SubElement(services, "Schema", {"xmlns": EDM, "Namespace": NAMESPACE})
    for entity_set in ENTITY_SETS.values():
        _entity_type(schema, entity_set)
    container = ET.SubElement(schema, "EntityContainer", {"Name": CONTAINER})
    for entity_set in ENTITY_SETS.values():
        element = ET.SubElement(
            container,
            "EntitySet",
            {"Name": entity_set.name, "EntityType": f"{NAMESPACE}.{entity_set.type_name}"},
        )
        _annotate(element, "Core.Description", entity_set.summary)
        _capabilities(element, entity_set)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _entity_type(schema: ET.Element, entity_set: EntitySet) -> None:
    entity = ET.SubElement(schema, "EntityType", {"Name": entity_set.type_name})
    key = ET.SubElement(entity, "Key")
    ET.SubElement(key, "PropertyRef", {"Name": entity_set.key})
    for prop in entity_set.props:
        attributes = {"Name": prop.name, "Type": prop.edm}
        if not prop.nullable:
            attributes["Nullable"] = "false"
        if prop.precision is not None:
            attributes["Precision"] = str(prop.precision)
        if prop.scale is not None:
            attributes["Scale"] = str(prop.scale)
        element = ET.SubElement(entity, "Property", attributes)
        _annotate(element, "Core.Description", prop.description)


def _annotate(element: ET.Element, term: str, text: str) -> None:
    ET.SubElement(element, "Annotation", {"Term": term, "String": text})


def _capabilities(element: ET.Element, entity_set: EntitySet) -> None:
    worked_out = [p.name for p in entity_set.props if p.field is None]
    for term, record in (
        ("Capabilities.FilterRestrictions", "NonFilterableProperties"),
        ("Capabilities.SortRestrictions", "NonSortableProperties"),
    ):
        annotation = ET.SubElement(element, "Annotation", {"Term": term})
        collection = ET.SubElement(
            ET.SubElement(
                ET.SubElement(annotation, "Record"), "PropertyValue", {"Property": record}
            ),
            "Collection",
        )
        for name in worked_out:
            ET.SubElement(collection, "PropertyPath").text = name
    for term in ("Capabilities.TopSupported", "Capabilities.SkipSupported"):
        ET.SubElement(element, "Annotation", {"Term": term, "Bool": "true"})
    for term, name in (
        ("Capabilities.ExpandRestrictions", "Expandable"),
        ("Capabilities.SearchRestrictions", "Searchable"),
    ):
        fields = ET.SubElement(ET.SubElement(element, "Annotation", {"Term": term}), "Record")
        ET.SubElement(fields, "PropertyValue", {"Property": name, "Bool": "false"})
