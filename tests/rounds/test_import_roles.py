"""Bulk import obeys the same roles as the pages and the API: only a BI
administrator changes the register; a service lead imports the values and
commentary of their own indicators, for periods no round collects. A refused
import writes nothing and names the file, row and indicator. Every import
that changes something is one event in the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import write_csv
from django.core.management import CommandError, call_command

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Commentary, Observation
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path

pytestmark = pytest.mark.django_db

VALUES = ["ref", "period", "value", "commentary", "actions"]


def values_folder(folder, rows, header=VALUES):
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "values.csv", header, rows)
    return folder


def test_a_lead_imports_values_and_commentary_of_their_own_service(tmp_path, actors):
    folder = values_folder(
        tmp_path / "december",
        [["191", "2020-10", "88.5", "Steady.", ""], ["190", "2020-10", "91", "", ""]],
    )
    events = AuditEvent.objects.count()

    summary, _ = import_path(folder, actor=actors["lead"])

    assert summary.counts["values"]["created"] == 2
    stored = Observation.objects.get(indicator__ref="191", period="2020-10")
    assert stored.value == Decimal("88.5")
    assert Commentary.objects.get(indicator__ref="191", period="2020-10").text == "Steady."
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(object_type="import", actor="cs.lead")
    assert event.action == "import"
    assert event.reason == "december"
    assert event.after["values"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert event.user.username == "cs.lead"


def test_values_of_another_service_are_refused_naming_file_row_and_indicator(tmp_path, actors):
    folder = values_folder(
        tmp_path / "mixed",
        [["191", "2020-10", "88.5", "", ""], ["180", "2020/21 Q3", "98", "", ""]],
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ImportFailed) as refused:
        import_path(folder, actor=actors["lead"])

    assert [str(p) for p in refused.value.problems] == [
        "values.csv, row 3, column ref: '180' cs.lead may not import values or commentary for "
        "indicator 180: only its owner, its service lead or a BI administrator may"
    ]
    assert str(refused.value) == "1 error(s); nothing was imported"
    assert not Observation.objects.filter(indicator__ref="191", period="2020-10").exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", ["approver", "viewer", "outsider"])
def test_no_one_else_imports_values(tmp_path, actors, name):
    folder = values_folder(tmp_path / "v", [["191", "2020-10", "88.5", "", ""]])

    with pytest.raises(ImportFailed, match="nothing was imported"):
        import_path(folder, actor=actors[name])

    assert not Observation.objects.filter(indicator__ref="191", period="2020-10").exists()


def test_commentary_of_another_indicator_is_refused(tmp_path, actors):
    tmp_path.mkdir(exist_ok=True)
    write_csv(
        tmp_path / "commentary.csv",
        ["ref", "period", "commentary", "actions"],
        [["195", "2020-10", "Not mine.", ""]],
    )

    with pytest.raises(ImportFailed) as refused:
        import_path(tmp_path, actor=actors["it_lead"])

    [problem] = refused.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "commentary.csv",
        2,
        "ref",
        "195",
    )
    assert not Commentary.objects.filter(indicator__ref="195", period="2020-10").exists()


def test_the_register_is_refused_to_anyone_but_an_administrator(tmp_path, actors, example_dir):
    with pytest.raises(ImportFailed) as refused:
        import_path(example_dir, actor=actors["lead"])

    messages = [str(p) for p in refused.value.problems if p.level == "error"]
    assert messages[:3] == [
        "organisations.csv: only a BI administrator may import organisations: cs.lead may "
        "import the values and commentary of their own indicators. Leave it out, or ask the "
        "BI team",
        "indicators.csv: only a BI administrator may import indicators: cs.lead may import the "
        "values and commentary of their own indicators. Leave it out, or ask the BI team",
        "targets.csv: only a BI administrator may import targets: cs.lead may import the "
        "values and commentary of their own indicators. Leave it out, or ask the BI team",
    ]


def test_the_plan_is_refused_to_anyone_but_an_administrator(actors, example_dir):
    with pytest.raises(ImportFailed) as refused:
        import_path(example_dir, actor=actors["lead"])

    messages = [str(p) for p in refused.value.problems if p.level == "error"]
    for name in ("plan", "actions", "milestones"):
        assert (
            f"{name}.csv: only a BI administrator may import {name}: cs.lead may import the "
            "values and commentary of their own indicators. Leave it out, or ask the BI team"
        ) in messages


def test_an_administrator_imports_the_register(tmp_path, actors, example_dir):
    summary, _ = import_path(example_dir, actor=actors["admin"])

    assert summary.changed == 0  # already imported: nothing changed, nothing recorded
    assert not AuditEvent.objects.filter(object_type="import", actor="bi.admin").exists()


def test_a_target_on_a_row_of_values_is_refused(tmp_path, actors):
    folder = values_folder(
        tmp_path / "t", [["191", "2020-10", "88.5", "80"]], ["ref", "period", "value", "target"]
    )

    with pytest.raises(ImportFailed) as refused:
        import_path(folder, actor=actors["lead"])

    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "target")
    assert "only a BI administrator may import targets" in problem.message


def test_a_period_an_open_round_collects_is_imported_into_the_round_as_a_draft(
    tmp_path, actors, open_round
):
    """The round rule, one for every writer (issue 11): an owner's import into
    a period an open round collects goes into the round's entry as a draft, as
    the same figure sent through the API does (it used to be refused here while
    the API accepted it: the two copies of the rule disagreed)."""
    folder = values_folder(tmp_path / "r", [["191", "2020-12", "88.5", "", ""]])

    summary, _ = import_path(folder, actor=actors["lead"])

    entry = open_round.entries.filter(indicator__ref="191").latest("first_month")
    assert entry.value == Decimal("88.5") and entry.state == "draft"
    assert any("saved as drafts" in line for line in summary.lines())
    assert not Observation.objects.filter(indicator__ref="191", period="2020-12", is_draft=False)


def test_a_period_a_published_round_collected_is_restated_in_the_round(
    tmp_path, actors, open_round
):
    from perfreport.rounds.services import EntryInput, approve_entry, publish_round, save_entry

    entry = open_round.entries.filter(indicator__ref="191").latest("first_month")
    save_entry(actors["lead"], entry.pk, EntryInput(value="88"), version=entry.version, submit=True)
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    folder = values_folder(tmp_path / "r", [["191", "2020-12", "88.5", "", ""]])

    with pytest.raises(ImportFailed) as refused:
        import_path(folder, actor=actors["lead"])

    assert [str(p) for p in refused.value.problems] == [
        "values.csv, row 2, column period: '2020-12' indicator 191 2020-12 was published with "
        "the round for 2020/21 Q3: a change now is a restatement, made on its entry's page "
        "with a reason"
    ]


def test_the_command_imports_for_the_named_user(tmp_path, personas, capsys):
    folder = values_folder(tmp_path / "novembre", [["191", "2020-11", "86", "", ""]])

    call_command("import_data", str(folder), "--user", "cs.lead")

    assert "values: 1 new" in capsys.readouterr().out
    assert AuditEvent.objects.get(object_type="import", actor="cs.lead").reason == "novembre"


def test_the_command_refuses_for_a_user_who_may_not(tmp_path, personas, capsys):
    folder = values_folder(tmp_path / "v", [["180", "2020/21 Q3", "98", "", ""]])

    with pytest.raises(CommandError, match="1 error\\(s\\); nothing was imported"):
        call_command("import_data", str(folder), "--user", "cs.lead")

    assert "may not import values or commentary for indicator 180" in capsys.readouterr().err


def test_the_command_names_an_unknown_user(tmp_path, personas):
    folder = values_folder(tmp_path / "v", [["191", "2020-11", "86", "", ""]])

    with pytest.raises(CommandError, match="'nobody'"):
        call_command("import_data", str(folder), "--user", "nobody")

    assert not Observation.objects.filter(indicator__ref="191", period="2020-11").exists()


def test_without_a_user_the_command_line_imports_as_administrator(tmp_path, personas):
    folder = values_folder(tmp_path / "v", [["180", "2020/21 Q3", "98", "", ""]])

    call_command("import_data", str(folder))

    event = AuditEvent.objects.filter(object_type="import").first()
    assert (event.actor, event.user, event.reason) == ("command line", None, "v")
    assert event.after == {"values": {"created": 1, "updated": 0, "unchanged": 0}}
