"""The round through its service layer: the steps, the refusals, the audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from round_helpers import entry_of

from perfreport.rounds.revert import revert_event
from perfreport.rounds.services import (
    Conflict,
    EntryInput,
    Invalid,
    NotAllowed,
    RoundError,
    TransitionError,
    approve_entry,
    publish_round,
    restate_entry,
    return_entry,
    save_entry,
)

pytestmark = pytest.mark.django_db


def test_round_has_an_entry_for_each_indicator_due(open_round):
    refs = sorted(open_round.entries.values_list("indicator__ref", flat=True))
    assert "188" not in refs  # annual: its year was due in Q1
    assert "191" in refs and len(set(refs)) == 16
    # A monthly indicator: each month of the quarter with no value, December always.
    months = open_round.entries.filter(indicator__ref="191").values_list("period", flat=True)
    assert list(months) == ["2020-10", "2020-11", "2020-12"]
    assert entry_of(open_round, "191").period == "2020-12"
    assert entry_of(open_round, "180").period == "2020/21 Q3"


def test_red_value_needs_actions_to_submit(open_round, actors):
    entry = entry_of(open_round, "191")
    with pytest.raises(Invalid) as refused:
        save_entry(actors["lead"], entry.pk, EntryInput(value="70"), version=1, submit=True)
    assert "actions" in refused.value.errors
    assert "Red" in refused.value.errors["actions"]
    saved = save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="70", actions="Recruiting four advisers"),
        version=1,
        submit=True,
    )
    assert saved.state == "submitted" and saved.value == Decimal(70)


def test_full_round_publish_and_restate(open_round, actors, personas):
    from perfreport.data.models import Observation
    from perfreport.data.selectors import evaluate_period
    from perfreport.registry.periods import read_period

    entry = entry_of(open_round, "191")
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="70", actions="More staff"),
        version=1,
        submit=True,
    )
    returned = return_entry(actors["approver"], entry.pk, "Check the December figure")
    assert returned.state == "returned"
    fixed = save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="72.5", actions="More staff"),
        version=returned.version,
        submit=True,
    )
    approve_entry(actors["approver"], fixed.pk)
    draft = entry_of(open_round, "190")
    save_entry(actors["lead"], draft.pk, EntryInput(value="81"), version=draft.version)
    with pytest.raises(RoundError, match="190 \\(draft\\)"):
        publish_round(actors["admin"], open_round.pk)
    return_to_start = open_round.entries.filter(pk=draft.pk)
    return_to_start.update(state="not_started")
    published = publish_round(actors["admin"], open_round.pk)
    assert published.is_published
    stored = Observation.objects.get(indicator__ref="191", period="2020-12")
    assert not stored.is_draft and stored.value == Decimal("72.5")
    restate_entry(actors["lead"], entry.pk, EntryInput(value="74"), reason="late calls counted")
    stored.refresh_from_db()
    assert stored.value == Decimal(74) and stored.first_value == Decimal("72.5")
    public = evaluate_period(read_period("2020/21 Q3"), published_only=True)
    row = next(r for r in public.rows if r.indicator.ref == "191")
    assert row.evaluation.current.value == Decimal("72.5")  # as published
    staff = evaluate_period(read_period("2020/21 Q3"))
    row = next(r for r in staff.rows if r.indicator.ref == "191")
    assert row.evaluation.current.value == Decimal(74)


def test_second_save_against_old_version_is_refused(open_round, actors):
    entry = entry_of(open_round, "190")
    version = entry.version
    save_entry(actors["lead"], entry.pk, EntryInput(value="81"), version=version)
    with pytest.raises(Conflict) as conflict:
        save_entry(actors["admin"], entry.pk, EntryInput(value="79"), version=version)
    assert [c[0] for c in conflict.value.changes] == ["value"]
    entry.refresh_from_db()
    assert entry.value == Decimal(81)


def test_outsider_and_other_owner_refused(open_round, actors):
    entry = entry_of(open_round, "191")
    for who in ("outsider", "viewer", "it_lead", "approver"):
        with pytest.raises(NotAllowed):
            save_entry(actors[who], entry.pk, EntryInput(value="80"), version=entry.version)


def test_own_submission_cannot_be_approved(open_round, actors):
    entry = entry_of(open_round, "191")
    save_entry(
        actors["admin"], entry.pk, EntryInput(value="90"), version=entry.version, submit=True
    )
    with pytest.raises(NotAllowed, match="yourself"):
        approve_entry(actors["admin"], entry.pk)


def test_published_round_refuses_edits(open_round, actors):
    open_round.entries.update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    entry = entry_of(open_round, "191")
    with pytest.raises(TransitionError, match="restate"):
        save_entry(actors["lead"], entry.pk, EntryInput(value="80"), version=entry.version)


def test_percentage_over_100_is_refused(open_round, actors):
    entry = entry_of(open_round, "191")
    with pytest.raises(Invalid) as refused:
        save_entry(actors["lead"], entry.pk, EntryInput(value="140"), version=entry.version)
    assert "percentage" in refused.value.errors["value"]


def test_admin_reverts_a_save(open_round, actors):
    from perfreport.audit.models import AuditEvent

    entry = entry_of(open_round, "190")
    old = entry.value
    save_entry(actors["lead"], entry.pk, EntryInput(value="50"), version=entry.version)
    event = AuditEvent.objects.filter(object_type="entry", object_id=str(entry.pk)).first()
    assert event.user == actors["lead"].user and event.after["value"] == "50"
    with pytest.raises(NotAllowed):
        revert_event(actors["lead"], event.pk, "oops")
    revert_event(actors["admin"], event.pk, "typed in the wrong box")
    entry.refresh_from_db()
    assert entry.value == old


def test_a_restatement_is_flagged_by_check_in_this_and_the_next_period(open_round, actors):
    from perfreport.data.selectors import evaluate_period
    from perfreport.registry.periods import read_period

    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="88"), version=1, submit=True)
    approve_entry(actors["approver"], entry.pk)
    publish_round(actors["admin"], open_round.pk)
    restate_entry(actors["lead"], entry.pk, EntryInput(value="86"), reason="late calls")

    for period in ("2020/21 Q3", "2021-01"):
        findings = evaluate_period(read_period(period)).findings
        restated = [f for f in findings if f.code == "restated" and f.ref == "191"]
        assert len(restated) == 1, period
        assert "2020-12 was restated: first published as 88.0%, now 86.0%" in restated[0].message


def test_a_null_character_is_refused_by_name(open_round, actors):
    entry = entry_of(open_round, "191")
    with pytest.raises(Invalid) as refused:
        save_entry(actors["lead"], entry.pk, EntryInput(value="80", commentary="a\x00b"), version=1)
    assert refused.value.errors == {
        "commentary": "holds a null character (U+0000) at character 2, which cannot be stored: "
        "remove it (only tab and new line are allowed)"
    }


def test_the_next_report_flags_the_restatement_and_the_public_one_keeps_the_published_figure(
    open_round, actors
):
    """The staff report for the next quarter lists the restated value among
    its findings; the public report for the round's quarter prints the
    figure as published."""
    from datetime import date

    from perfreport.registry.periods import read_period
    from perfreport.reports.config import ReportSettings
    from perfreport.reports.service import report_context

    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="88"), version=1, submit=True)
    approve_entry(actors["approver"], entry.pk)
    publish_round(actors["admin"], open_round.pk)
    restate_entry(actors["lead"], entry.pk, EntryInput(value="86"), reason="late calls")
    settings = ReportSettings(produced_on=date(2021, 4, 20))

    staff = report_context(read_period("2020/21 Q4"), settings)
    section = next(s for s in staff.sections if s.ref == "191")
    assert any("restated: first published as 88.0%, now 86.0%" in f for f in section.findings)

    public = report_context(read_period("2020/21 Q3"), settings, published_only=True)
    section = next(s for s in public.sections if s.ref == "191")
    assert (section.data["period"], section.data["display_value"]) == ("2020-12", "88.0%")
    assert not section.findings


def test_a_save_is_one_change_of_the_data_version(open_round, actors):
    """The value and the commentary an entry writes through are one edit:
    the version every page keys its cache by goes up once, not once a row."""
    from perfreport.data.models import DataVersion

    def number():
        return DataVersion.objects.get(pk=1).number

    entry = entry_of(open_round, "191")
    before = number()
    save_entry(
        actors["lead"], entry.pk, EntryInput(value="80", commentary="Busy month."), version=1
    )
    assert number() == before + 1
