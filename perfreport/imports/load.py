"""Write a checked import plan to the database in one transaction.

Every record is compared with what is stored: new rows are created, changed
ones updated, and identical ones left alone, so importing the same files
twice changes nothing. Nothing is ever deleted by an import, except what a
file replaces whole: an indicator's links, and the members of a comparator
group that groups.csv lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from perfreport.data.models import Commentary, Observation
from perfreport.data.versions import saves_uncounted
from perfreport.imports.columns import INDICATORS
from perfreport.imports.council_plan_load import OutcomeLinks, write_actions, write_plan_items
from perfreport.imports.council_plan_rows import PLAN_SETTINGS
from perfreport.imports.plan import (
    ABSENT,
    Absent,
    CommentaryRecord,
    GroupRecord,
    IndicatorRecord,
    OrganisationRecord,
    Plan,
    SchemeRecord,
    TargetRecord,
    ValueRecord,
    or_none,
)
from perfreport.imports.writing import Summary
from perfreport.imports.writing import differs as _differs
from perfreport.imports.writing import upsert as _upsert
from perfreport.registry.models import (
    ComparatorGroup,
    Directorate,
    GroupMember,
    Indicator,
    Link,
    Organisation,
    RatingScheme,
    SchemeBand,
    Service,
    Target,
)
from perfreport.registry.periods import period_fields

BATCH = 2000


# A value or commentary of the home organisation, by (ref, frequency, first month).
Held = frozenset[tuple[str, str, int]]


def apply_plan(
    plan: Plan, progress: Callable[[int], None] | None = None, held: Held = frozenset()
) -> Summary:
    """Write ``plan`` atomically.
    The home organisation's values and commentary for the periods in ``held``
    are left out: an open round collects them, and they go into its entries
    (``perfreport.imports.service``)."""
    summary = Summary()
    # The import bumps the data version once if it changed anything
    # (perfreport.imports.service), not once a save.
    with transaction.atomic(), saves_uncounted():
        _schemes(plan.schemes, summary)
        home = _organisations(plan.organisations, summary)
        _groups(plan.groups, summary)
        items = write_plan_items(plan.plan_items, summary)
        indicators = _indicators(plan.indicators, summary, items)
        indicators.update(_missing_indicators(plan, indicators))
        _targets(plan, indicators, summary)
        _values(plan, held, indicators, home, summary, progress)
        _commentary(plan, indicators, summary, held)
        write_actions(plan, items, summary)
    return summary


def _is_held(record: ValueRecord | CommentaryRecord, held: Held) -> bool:
    if not held or record.organisation:
        return False
    period = record.period
    return (record.ref, period.frequency.value, period.first_month) in held


def _organisations(records: list[OrganisationRecord], summary: Summary) -> Organisation:
    existing = {o.code: o for o in Organisation.objects.all()}
    new_home = next((r.code for r in records if r.is_home), None)
    if new_home is not None:
        Organisation.objects.filter(is_home=True).exclude(code=new_home).update(is_home=False)
    for record in records:
        fields = record.given(
            "name",
            "kind",
            "la_number",
            "is_home",
            "report_title",
            "report_team",
            "report_contact",
            "scheme",
            "baseline_label",
            "contextual_label",
            *PLAN_SETTINGS,
        )
        stored = existing.get(record.code)
        outcome = _upsert(Organisation, stored, {"code": record.code}, fields)
        summary.add("organisations", outcome)
    home = Organisation.objects.filter(is_home=True).first()
    if home is None:
        home, _ = Organisation.objects.get_or_create(
            code="HOME", defaults={"name": "Home organisation", "is_home": True}
        )
        if not home.is_home:
            Organisation.objects.filter(pk=home.pk).update(is_home=True)
    return home


def _schemes(records: list[SchemeRecord], summary: Summary) -> None:
    """Each scheme of schemes.csv, with exactly the bands it lists, best first."""
    stored = {row.name: row for row in RatingScheme.objects.prefetch_related("bands").all()}
    for record in records:
        scheme = record.scheme
        row = stored.get(scheme.name)
        if row is not None and row.to_core() == scheme:
            summary.add("schemes", "unchanged")
            continue
        if row is None:
            row = RatingScheme.objects.create(name=scheme.name, measure=scheme.measure.value)
            summary.add("schemes", "created")
        else:
            row.measure = scheme.measure.value
            row.save(update_fields=["measure"])
            row.bands.all().delete()
            summary.add("schemes", "updated")
        SchemeBand.objects.bulk_create(
            SchemeBand(
                scheme=row,
                position=position,
                rating=band.rating.value,
                gap_from=band.gap_from,
                inclusive=band.inclusive,
                label=band.label,
                symbol=band.symbol,
                colour=band.colour,
                description=band.description,
            )
            for position, band in enumerate(scheme.bands)
        )


def _groups(records: list[GroupRecord], summary: Summary) -> None:
    """Each group in the file, with exactly the members it lists, in order."""
    existing = {
        g.name: g for g in ComparatorGroup.objects.filter(name__in=[r.name for r in records])
    }
    organisations = dict(Organisation.objects.values_list("code", "pk"))
    for record in records:
        fields = record.given("kind", "includes_home")
        group = existing.get(record.name)
        if group is None:
            group = ComparatorGroup.objects.create(name=record.name, **fields)
            outcome = "created"
        else:
            outcome = _upsert(ComparatorGroup, group, {}, fields)
        members = [organisations[code] for code in record.members]
        if _set_members(group, members) and outcome == "unchanged":
            outcome = "updated"
        summary.add("groups", outcome)


def _set_members(group: ComparatorGroup, organisation_ids: list[int]) -> bool:
    """Make the group's members these, SN1 first; say whether anything changed."""
    wanted = [(pk, n) for n, pk in enumerate(organisation_ids, start=1)]
    stored = list(
        GroupMember.objects.filter(group=group)
        .order_by("position")
        .values_list("organisation_id", "position")
    )
    if stored == wanted:
        return False
    GroupMember.objects.filter(group=group).delete()
    GroupMember.objects.bulk_create(
        GroupMember(group=group, organisation_id=pk, position=n) for pk, n in wanted
    )
    return True


def _place(record: IndicatorRecord, cache: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """Directorate and service objects for the names in ``record``."""
    fields: dict[str, Any] = {}
    directorate = None
    if record.directorate is not ABSENT:
        name = record.directorate
        if name:
            key = ("directorate", name)
            if key not in cache:
                cache[key], _ = Directorate.objects.get_or_create(name=name)
            directorate = cache[key]
        fields["directorate"] = directorate
    if record.service is not ABSENT:
        name = record.service
        service = None
        if name:
            key = (f"service:{directorate.pk if directorate else ''}", name)
            if key not in cache:
                cache[key], _ = Service.objects.get_or_create(directorate=directorate, name=name)
            service = cache[key]
        fields["service"] = service
    return fields


# The indicator's own columns; ref is the key, and the rest are stored elsewhere.
INDICATOR_FIELDS = tuple(
    c
    for c in INDICATORS.columns
    if c not in ("ref", "directorate", "service", "comparator_group", "links", "type", "outcomes")
)


def _indicators(
    records: list[IndicatorRecord], summary: Summary, items: dict[str, int]
) -> dict[str, Indicator]:
    refs = [r.ref for r in records]
    stored = Indicator.objects.filter(ref__in=refs).select_related("directorate", "service")
    existing = {i.ref: i for i in stored.prefetch_related("links")}
    cache: dict[tuple[str, str], Any] = {}
    result: dict[str, Indicator] = {}
    positions = _positions(refs)
    groups = _group_ids(records)
    plan_links = OutcomeLinks(items)
    for record in records:
        fields = record.given(*INDICATOR_FIELDS)
        fields.update(_place(record, cache))
        if record.comparator_group is not ABSENT:
            fields["comparator_group_id"] = groups.get(record.comparator_group)
        if record.type is not ABSENT:
            fields["kind"] = record.type
        if record.ref in positions:
            fields["position"] = positions[record.ref]
        indicator = existing.get(record.ref)
        if indicator is None:
            indicator = Indicator.objects.create(ref=record.ref, **fields)
            outcome = "created"
        elif _differs(indicator, fields):
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save()
            outcome = "updated"
        else:
            outcome = "unchanged"
        links = record.links
        if links is not ABSENT and _set_links(indicator, list(links)) and outcome == "unchanged":
            outcome = "updated"
        outcomes = record.outcomes
        if outcomes is not ABSENT and plan_links.set(indicator.pk, outcomes):
            outcome = "updated" if outcome == "unchanged" else outcome
        summary.add("indicators", outcome)
        result[record.ref] = indicator
    plan_links.save()
    return result


def _group_ids(records: list[IndicatorRecord]) -> dict[str, int]:
    names = {r.comparator_group for r in records if r.comparator_group}
    return dict(ComparatorGroup.objects.filter(name__in=names).values_list("name", "pk"))


def _positions(refs: list[str]) -> dict[str, int]:
    """Report order. A file that lists every indicator in the register sets the
    order; a partial file keeps the order stored and puts new ones at the end."""
    stored = dict(Indicator.objects.values_list("ref", "position"))
    if set(stored) <= set(refs):
        return {ref: n for n, ref in enumerate(refs)}
    end = max(stored.values(), default=-1) + 1
    new = [ref for ref in refs if ref not in stored]
    return {ref: end + n for n, ref in enumerate(new)}


def _set_links(indicator: Indicator, links: list[tuple[str, str]]) -> bool:
    current = [(link.title, link.url) for link in indicator.links.all()]
    if current == links:
        return False
    indicator.links.all().delete()
    Link.objects.bulk_create(
        Link(indicator=indicator, title=title, url=url, position=n)
        for n, (title, url) in enumerate(links)
    )
    return True


def _missing_indicators(plan: Plan, known: dict[str, Indicator]) -> dict[str, Indicator]:
    given = (plan.targets, plan.values, plan.commentary)
    refs = {r.ref for records in given for r in records} - known.keys()
    return {i.ref: i for i in Indicator.objects.filter(ref__in=refs)}


def _targets(plan: Plan, indicators: dict[str, Indicator], summary: Summary) -> None:
    """targets.csv's targets, and those on values.csv rows that it does not
    give (check_agreement has made sure the two never disagree): the rows'
    a batch at a time as they are read, targets.csv's (held) at the end."""
    given = {(r.ref, r.kind, r.period): r for r in plan.targets}
    batch: list[TargetRecord] = []
    for r in plan.values:
        target = or_none(r.target)
        if target is None or r.organisation or (r.ref, "period", r.period) in given:
            continue
        batch.append(
            TargetRecord(row=r.row, ref=r.ref, kind="period", period=r.period, value=target)
        )
        if len(batch) >= BATCH:
            _write_targets(batch, indicators, summary)
            batch = []
    _write_targets([*batch, *given.values()], indicators, summary)


def _write_targets(
    records: list[TargetRecord], indicators: dict[str, Indicator], summary: Summary
) -> None:
    if not records:
        return  # no line in the summary for a file that gives no targets
    new: list[Target] = []
    existing = {
        (t.indicator_id, t.kind, t.frequency, t.first_month): t
        for t in Target.objects.filter(indicator__in={indicators[r.ref] for r in records})
    }
    for record in records:
        indicator = indicators[record.ref]
        period = record.period
        key = (indicator.pk, record.kind, period.frequency.value, period.first_month)
        fields = record.given("value", "note")
        stored = existing.get(key)
        if stored is None:
            new.append(
                Target(indicator=indicator, kind=record.kind, **period_fields(period), **fields)
            )
            continue
        fields.update(_first_target(stored, record.value))
        summary.add("targets", _upsert(Target, stored, {}, fields))
    Target.objects.bulk_create(new, batch_size=BATCH)
    summary.add("targets", "created", len(new))


def _first_target(stored: Target, value: Decimal) -> dict[str, Any]:
    """The target first set, kept when a stored target is given another value."""
    changed = Target(value=value, first_value=stored.first_value)
    return {name: getattr(changed, name) for name in changed.value_changed(stored.value)}


OBSERVATION_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "stated_rag",
    "rating_printed",
    "is_draft",
    "withheld_as",
)


def _values(
    plan: Plan,
    held: Held,
    indicators: dict[str, Indicator],
    home: Organisation,
    summary: Summary,
    progress: Callable[[int], None] | None,
) -> None:
    """Insert and update the values a batch at a time, as they are read
    from the plan: never every record, or every row to write, at once."""
    organisations = {o.code: o.pk for o in Organisation.objects.all()}
    existing = _existing_observations({indicators[r.ref].pk for r in plan.values})
    new: list[tuple[Any, ...]] = []
    changed: list[Observation] = []
    now = timezone.now()
    for record in plan.values:
        if _is_held(record, held):
            continue
        org_id = organisations[record.organisation] if record.organisation else home.pk
        key = (indicators[record.ref].pk, org_id, record.period.frequency.value)
        stored = existing.get((*key, record.period.first_month))
        fields = record.given(*OBSERVATION_FIELDS)
        if stored is None:
            new.append(_new_observation(key[:2], record, fields, now))
        elif (update := _changed_observation(stored, fields)) is not None:
            update.updated_at = now
            if update.value != stored[1]:
                update.value_changed(stored[1], was_draft=stored[DRAFT], now=now)
            changed.append(update)
        else:
            summary.add("values", "unchanged")
        if len(new) + len(changed) >= BATCH:
            _write_observations(new, changed, summary, progress)
            new, changed = [], []
    _write_observations(new, changed, summary, progress)


def _new_observation(
    ids: tuple[int, int], record: ValueRecord, fields: dict[str, Any], now: Any
) -> tuple[Any, ...]:
    """The row to insert for a new value (INSERT_COLUMNS)."""
    return (
        *ids,
        *period_fields(record.period).values(),
        fields["value"],
        fields.get("numerator"),
        fields.get("denominator"),
        fields.get("stated_rag", ""),
        fields.get("rating_printed", False),
        fields.get("is_draft", False),
        fields.get("withheld_as", ""),
        fields["value"],
        now,
    )


def _write_observations(
    new: list[tuple[Any, ...]],
    changed: list[Observation],
    summary: Summary,
    progress: Callable[[int], None] | None,
) -> None:
    _insert_observations(new, progress)
    if changed:
        Observation.objects.bulk_update(
            changed,
            [*OBSERVATION_FIELDS, "first_value", "restated_at", "updated_at"],
            batch_size=BATCH,
        )
    summary.add("values", "created", len(new))
    summary.add("values", "updated", len(changed))


DRAFT = 1 + OBSERVATION_FIELDS.index("is_draft")  # in a stored row, after its pk

INSERT_COLUMNS = (
    "indicator",
    "organisation",
    "frequency",
    "first_month",
    "last_month",
    "period",
    *OBSERVATION_FIELDS,
    "first_value",
    "updated_at",
)


def _insert_observations(
    rows: list[tuple[Any, ...]], progress: Callable[[int], None] | None
) -> None:
    """Insert new observations with one prepared statement.

    The ORM's bulk_create spends most of a 60,000-value import preparing each
    field of each object; the rows here are already checked, so a plain
    executemany inside the same transaction writes them five times faster.
    """
    meta = Observation._meta
    columns = ", ".join(
        connection.ops.quote_name(cast("Field[Any, Any]", meta.get_field(name)).column)
        for name in INSERT_COLUMNS
    )
    placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cursor.executemany(sql, batch)
            if progress:
                progress(len(batch))


def _existing_observations(
    indicator_ids: set[int],
) -> dict[tuple[int, int, str, int], tuple[Any, ...]]:
    """Stored observations as (pk, value, numerator, denominator, stated_rag,
    is_draft, withheld_as, first_value, restated_at) by key."""
    rows = Observation.objects.filter(indicator_id__in=indicator_ids).values_list(
        "indicator_id",
        "organisation_id",
        "frequency",
        "first_month",
        "pk",
        *OBSERVATION_FIELDS,
        "first_value",
        "restated_at",
    )
    return {row[:4]: row[4:] for row in rows}


def _changed_observation(stored: tuple[Any, ...], fields: dict[str, Any]) -> Observation | None:
    """An Observation to update if ``fields`` differ from the stored row, else None."""
    current = dict(zip(OBSERVATION_FIELDS, stored[1:-2], strict=True))
    if all(current[name] == value for name, value in fields.items()):
        return None
    current.update(fields)
    return Observation(pk=stored[0], first_value=stored[-2], restated_at=stored[-1], **current)


def _commentary(plan: Plan, indicators: dict[str, Indicator], summary: Summary, held: Held) -> None:
    """commentary.csv first; the commentary and actions on a values.csv row
    fill in what it leaves out (check_agreement has made sure the two never
    disagree). commentary.csv's records are held, values.csv's rows are
    written a batch at a time as they are read."""
    merged = {(r.ref, r.period): r for r in plan.commentary if not _is_held(r, held)}
    batch: list[CommentaryRecord] = []
    for r in plan.values:
        if r.organisation or not r.given(*NOTES) or _is_held(r, held):
            continue  # another's value, a file without commentary, or a round's
        found = merged.pop((r.ref, r.period), None) or CommentaryRecord(
            row=r.row, ref=r.ref, period=r.period
        )
        batch.append(
            replace(
                found,
                commentary=_filled(found.commentary, r.commentary),
                actions=_filled(found.actions, r.actions),
                commentary_cy=_filled(found.commentary_cy, r.commentary_cy),
                actions_cy=_filled(found.actions_cy, r.actions_cy),
            )
        )
        if len(batch) >= BATCH:
            _write_commentary(batch, indicators, summary)
            batch = []
    _write_commentary([*batch, *merged.values()], indicators, summary)


# A file's commentary columns and the Commentary's fields, English and Welsh.
NOTES = {
    "commentary": "text",
    "actions": "actions",
    "commentary_cy": "text_cy",
    "actions_cy": "actions_cy",
}


def _write_commentary(
    records: list[CommentaryRecord], indicators: dict[str, Indicator], summary: Summary
) -> None:
    records = [r for r in records if r.given(*NOTES)]
    if not records:
        return  # no line in the summary for files that give no commentary
    new: list[Commentary] = []
    existing = {
        (c.indicator_id, c.frequency, c.first_month): c
        for c in Commentary.objects.filter(indicator__in={indicators[r.ref] for r in records})
    }
    for record in records:
        indicator = indicators[record.ref]
        period = record.period
        fields = {NOTES[name]: text for name, text in record.given(*NOTES).items()}
        stored = existing.get((indicator.pk, period.frequency.value, period.first_month))
        if stored is None:
            new.append(Commentary(indicator=indicator, **period_fields(period), **fields))
        else:
            summary.add("commentary", _upsert(Commentary, stored, {}, fields))
    Commentary.objects.bulk_create(new, batch_size=BATCH)
    summary.add("commentary", "created", len(new))


def _filled(given: str | Absent, fallback: str | Absent) -> str | Absent:
    """What commentary.csv gives, or else what a values.csv row gives, if anything."""
    return fallback if given is ABSENT and fallback else given
