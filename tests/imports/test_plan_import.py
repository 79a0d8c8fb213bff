"""The council plan's files through the import service: plan.csv,
actions.csv, milestones.csv, the type and outcomes of indicators.csv and
the roll-up settings of organisations.csv. Every refusal names the file,
row and column, and writes nothing."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from builders import write_csv
from import_helpers import INDICATOR_HEADER, small_folder

from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate, Round
from perfreport.imports.problems import ImportFailed, Level
from perfreport.imports.service import import_path
from perfreport.registry.models import (
    Indicator,
    Milestone,
    Organisation,
    PlanAction,
    PlanItem,
    PlanLink,
)

pytestmark = pytest.mark.django_db

PLAN = ["ref", "parent", "title", "description", "lead"]
ACTIONS = [
    "ref", "kind", "title", "owner", "owner_login", "directorate", "outcomes", "indicators",
    "start", "due", "completed_on", "percent_complete", "progress", "progress_period",
]  # fmt: skip
MILESTONES = ["action", "title", "due", "completed_on"]
PLAN_ROWS = [
    ["P1", "", "A good place to live", "", "Chief Executive"],
    ["P1.1", "P1", "Residents are well served", "", ""],
    ["P1.2", "P1", "Residents can get online", "", ""],
]
ACTION_ROWS = [
    [
        "X1", "project", "New phone system", "Head of Customer Services", "", "Customer",
        "P1.1", "A1", "2020-04-01", "2021-03-31", "", "40", "Going well.", "2020/21 Q2",
    ],
]  # fmt: skip
MILESTONE_ROWS = [["X1", "Supplier chosen", "2020-06-30", "2020-06-20"]]


def plan_folder(
    folder: Path,
    plan: list[list[str]] | None = None,
    actions: list[list[str]] | None = None,
    milestones: list[list[str]] | None = None,
    indicators: list[list[str]] | None = None,
) -> Path:
    """Two indicators in the directorate Customer, a plan of three items, an
    action and its milestone; or the rows given."""
    small_folder(folder)
    write_csv(
        folder / "indicators.csv",
        [*INDICATOR_HEADER, "directorate", "type", "outcomes"],
        indicators
        or [
            ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1", "Customer",
             "Key result", "P1.1"],
            ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0", "Customer",
             "context", "P1.2;P1.1"],
        ],
    )  # fmt: skip
    write_csv(folder / "plan.csv", PLAN, PLAN_ROWS if plan is None else plan)
    write_csv(folder / "actions.csv", ACTIONS, ACTION_ROWS if actions is None else actions)
    write_csv(
        folder / "milestones.csv", MILESTONES, MILESTONE_ROWS if milestones is None else milestones
    )
    return folder


def refused(folder: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        import_path(folder)
    assert PlanItem.objects.count() == PlanAction.objects.count() == Indicator.objects.count() == 0
    return [str(p) for p in caught.value.problems if p.level is Level.ERROR]


def test_a_plan_imports_with_its_links_actions_milestones_and_published_update(tmp_path):
    summary, warnings = import_path(plan_folder(tmp_path / "in"))

    assert warnings == []
    assert "plan items: 3 new, 0 changed, 0 unchanged" in summary.lines()
    assert "action updates: 1 new, 0 changed, 0 unchanged" in summary.lines()
    outcome = PlanItem.objects.get(ref="P1.2")
    assert (outcome.parent.ref, outcome.depth, outcome.position) == ("P1", 2, 1)
    assert list(
        PlanLink.objects.filter(indicator__ref="A2")
        .order_by("position")
        .values_list("item__ref", "position")
    ) == [("P1.2", 0), ("P1.1", 1)]
    assert Indicator.objects.get(ref="A1").kind == "key_result"
    action = PlanAction.objects.get(ref="X1")
    assert (action.kind, action.directorate.name, action.percent_complete) == (
        "project",
        "Customer",
        Decimal(40),
    )
    assert [o.ref for o in action.outcomes.all()] == ["P1.1"]
    assert [i.ref for i in action.indicators.all()] == ["A1"]
    update = ActionUpdate.objects.get(action=action)
    assert (update.period, update.state, update.percent_complete, update.note) == (
        "2020/21 Q2",
        EntryState.PUBLISHED.value,
        Decimal(40),
        "Going well.",
    )
    milestone = Milestone.objects.get(action=action)
    assert update.milestones_done == {str(milestone.pk): "2020-06-20"}


def test_importing_the_same_plan_again_changes_nothing(tmp_path):
    folder = plan_folder(tmp_path / "in")
    import_path(folder)

    again, _ = import_path(folder)

    assert again.changed == 0


def test_a_file_without_the_plan_columns_leaves_types_and_links_as_stored(tmp_path):
    import_path(plan_folder(tmp_path / "in"))

    import_path(small_folder(tmp_path / "plain"))

    assert Indicator.objects.get(ref="A1").kind == "key_result"
    assert PlanLink.objects.filter(indicator__ref="A2").count() == 2


def test_milestones_csv_gives_an_action_exactly_the_milestones_it_lists(tmp_path):
    import_path(plan_folder(tmp_path / "in"))
    folder = plan_folder(tmp_path / "again", milestones=[["X1", "Go live", "2021-03-01", ""]])

    summary, _ = import_path(folder)

    assert list(Milestone.objects.values_list("title", flat=True)) == ["Go live"]
    assert "milestones: 1 new, 0 changed, 0 unchanged, 1 removed" in summary.lines()


PLAN_ERRORS = [
    pytest.param(
        {"plan": [*PLAN_ROWS, ["P1.3", "PX", "Lost", "", ""]]},
        "plan.csv, row 5, column parent: 'PX' is not a priority or outcome in plan.csv or stored",
        id="unknown_parent",
    ),
    pytest.param(
        {"plan": [["Q1", "Q2", "One", "", ""], ["Q2", "Q1", "Two", "", ""]]},
        "plan.csv, row 2, column parent: 'Q2' makes a cycle (Q1 → Q2 → Q1): an item cannot be "
        "under itself",
        id="cycle",
    ),
    pytest.param(
        {
            "plan": [
                *PLAN_ROWS,
                ["P1.1.1", "P1.1", "Three", "", ""],
                ["P4", "P1.1.1", "Four", "", ""],
            ]
        },
        "plan.csv, row 6, column parent: 'P1.1.1' puts P4 or an item under it at level 4: the "
        "plan has at most 3 levels (priority, outcome and one under it)",
        id="four_levels",
    ),
    pytest.param(
        {"plan": [*PLAN_ROWS, ["P1", "", "Again", "", ""]]},
        "plan.csv, row 5, column ref: 'P1' repeats the plan item on row 2",
        id="ref_twice",
    ),
    pytest.param(
        {"plan": [*PLAN_ROWS, ["P2", "", "Bad\x07title", "", ""]]},
        "plan.csv, row 5, column title:",
        id="control_character",
    ),
    pytest.param(
        {
            "indicators": [
                ["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", "", "", "P9"],
                ["A2", "Web", "count", "higher", "monthly", "contextual", "0", "", "", ""],
            ]
        },
        "indicators.csv, row 2, column outcomes: 'P9' names P9, not a priority or outcome of the "
        "plan stored or in plan.csv",
        id="unknown_outcome_of_an_indicator",
    ),
    pytest.param(
        {
            "indicators": [
                ["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", "", "big", ""],
                ["A2", "Web", "count", "higher", "monthly", "contextual", "0", "", "", ""],
            ]
        },
        "indicators.csv, row 2, column type: 'big' is not a type: use one of key_result, "
        "performance, context (or 'Key result', 'Performance indicator', 'Activity or context')",
        id="unknown_type",
    ),
]


def action(**cells: str) -> list[list[str]]:
    row = dict(zip(ACTIONS, ACTION_ROWS[0], strict=True))
    row.update(cells)
    return [list(row.values())]


ACTION_ERRORS = [
    pytest.param(
        {"actions": action(outcomes="P1.1;P7")},
        "actions.csv, row 2, column outcomes: 'P1.1;P7' names P7, not a priority or outcome of "
        "the plan stored or in plan.csv",
        id="unknown_outcome",
    ),
    pytest.param(
        {"actions": action(indicators="A1;Z9")},
        "actions.csv, row 2, column indicators: 'A1;Z9' names Z9, not an indicator in the "
        "register or in indicators.csv",
        id="unknown_indicator",
    ),
    pytest.param(
        {"actions": action(directorate="Nowhere")},
        "actions.csv, row 2, column directorate: 'Nowhere' is not a directorate in the register "
        "or in indicators.csv",
        id="unknown_directorate",
    ),
    pytest.param(
        {"actions": action(owner_login="nobody")},
        "actions.csv, row 2, column owner_login: 'nobody' is not the login of anyone who uses "
        "perfreport",
        id="unknown_login",
    ),
    pytest.param(
        {"actions": action(start="2020-02-30")},
        "actions.csv, row 2, column start: '2020-02-30' is not a date: write it as YYYY-MM-DD, "
        "such as 2020-09-30",
        id="bad_date",
    ),
    pytest.param(
        {"actions": action(start="2021-01-01", due="2020-12-31")},
        "actions.csv, row 2, column due: '2020-12-31' is before the start, 2021-01-01",
        id="due_before_start",
    ),
    pytest.param(
        {"actions": action(percent_complete="101")},
        "actions.csv, row 2, column percent_complete: '101' is not a percentage from 0 to 100",
        id="percent_over_100",
    ),
    pytest.param(
        {"actions": action(percent_complete="-1")},
        "actions.csv, row 2, column percent_complete: '-1' is not a percentage from 0 to 100",
        id="percent_below_0",
    ),
    pytest.param(
        {"actions": action(kind="task")},
        "actions.csv, row 2, column kind: 'task' is not one of action, project",
        id="unknown_kind",
    ),
    pytest.param(
        {"actions": action(progress_period="2020/21 Q5")},
        "actions.csv, row 2, column progress_period:",
        id="bad_period",
    ),
    pytest.param(
        {"actions": [*ACTION_ROWS, *ACTION_ROWS]},
        "actions.csv, row 3, column ref: 'X1' repeats the action on row 2",
        id="ref_twice",
    ),
    pytest.param(
        {"actions": action(title='=HYPERLINK("http://x")\x1b[31m')},
        "actions.csv, row 2, column title:",
        id="control_character",
    ),
    pytest.param(
        {"milestones": [*MILESTONE_ROWS, ["X9", "Lost", "2020-06-30", ""]]},
        "milestones.csv, row 3, column action: 'X9' is not an action in actions.csv or stored",
        id="unknown_action",
    ),
    pytest.param(
        {"milestones": [*MILESTONE_ROWS, ["X1", "Supplier chosen", "2020-07-31", ""]]},
        "milestones.csv, row 3, column title: 'Supplier chosen' repeats the milestone "
        "'Supplier chosen' of action X1 on row 2",
        id="milestone_title_twice",
    ),
    pytest.param(
        {"milestones": [["X1", "Go live", "soon", ""]]},
        "milestones.csv, row 2, column due: 'soon' is not a date",
        id="milestone_bad_date",
    ),
]


@pytest.mark.parametrize(("files", "said"), [*PLAN_ERRORS, *ACTION_ERRORS])
def test_a_plan_file_with_a_mistake_is_refused_naming_file_row_and_column(tmp_path, files, said):
    errors = refused(plan_folder(tmp_path / "in", **files))

    assert any(error.startswith(said) for error in errors), errors


def test_a_type_may_be_given_by_its_label_in_any_case(tmp_path):
    rows = [
        ["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", "", "ACTIVITY OR CONTEXT", ""],
        ["A2", "Web", "count", "higher", "monthly", "contextual", "0", "", "performance indicator", ""],
    ]  # fmt: skip
    import_path(plan_folder(tmp_path / "in", indicators=rows, actions=[], milestones=[]))

    assert dict(Indicator.objects.values_list("ref", "kind")) == {
        "A1": "context",
        "A2": "performance",
    }


ORG_HEADER = ["code", "name", "home", "plan_rule", "plan_green_share", "plan_amber_share",
              "action_due_soon_days"]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "said"),
    [
        pytest.param(
            ["H1", "Home", "yes", "best", "", "", ""],
            "organisations.csv, row 2, column plan_rule: 'best' is not one of worst, majority, share",
            id="unknown_rule",
        ),
        pytest.param(
            ["H1", "Home", "yes", "share", "60", "70", ""],
            "organisations.csv, row 2, column plan_amber_share: '70' amber_share 70% is above "
            "green_share 60%: Amber needs the smaller share",
            id="amber_above_green",
        ),
        pytest.param(
            ["H1", "Home", "yes", "share", "120", "", ""],
            "organisations.csv, row 2, column plan_green_share: '120' is not a percentage from 0 "
            "to 100",
            id="share_over_100",
        ),
        pytest.param(
            ["H1", "Home", "yes", "", "", "", "a month"],
            "organisations.csv, row 2, column action_due_soon_days: 'a month' is not a whole "
            "number from 0 to 366",
            id="days_not_a_number",
        ),
    ],
)
def test_a_bad_roll_up_setting_is_refused_naming_row_and_column(tmp_path, row, said):
    folder = small_folder(tmp_path / "in")
    write_csv(folder / "organisations.csv", ORG_HEADER, [row])

    errors = refused(folder)

    assert any(error.startswith(said) for error in errors), errors


def test_roll_up_settings_are_stored_and_an_absent_column_keeps_them(tmp_path):
    folder = small_folder(tmp_path / "in")
    write_csv(
        folder / "organisations.csv", ORG_HEADER, [["H1", "Home", "yes", "share", "80", "60", "14"]]
    )
    import_path(folder)
    write_csv(
        folder / "organisations.csv", ["code", "name", "plan_amber_share"], [["H1", "Home", "70"]]
    )

    import_path(folder)

    home = Organisation.objects.get(code="H1")
    assert (home.plan_rule, home.plan_green_share, home.plan_amber_share) == ("share", 80, 70)
    assert home.action_due_soon_days == 14


def test_an_update_in_an_open_round_is_left_alone_with_a_warning(tmp_path):
    folder = plan_folder(tmp_path / "in")
    import_path(folder)
    stored = PlanAction.objects.get(ref="X1")
    round_ = Round.objects.create(
        frequency="quarterly", first_month=0, last_month=0, period="2020/21 Q3",
        deadline=date(2021, 1, 15),
    )  # fmt: skip
    q3 = ActionUpdate.objects.create(
        action=stored, round=round_, state=EntryState.DRAFT.value, percent_complete=Decimal(55),
        frequency="quarterly", first_month=2020 * 12 + 9, last_month=2020 * 12 + 11,
        period="2020/21 Q3",
    )  # fmt: skip
    plan_folder(
        folder, actions=action(percent_complete="60", progress_period="2020/21 Q3", title="Renamed")
    )

    _, warnings = import_path(folder)

    assert [str(w) for w in warnings] == [
        "warning: actions.csv, row 2, column progress_period: '2020/21 Q3' the update of action "
        "X1 for 2020/21 Q3 is draft in the open round for 2020/21 Q3: the import leaves it, and "
        "the action's progress, as they are (publish the round, or give another period)"
    ]
    q3.refresh_from_db()
    assert (q3.state, q3.percent_complete) == ("draft", Decimal(55))
    stored.refresh_from_db()
    assert (stored.title, stored.percent_complete, stored.progress_period) == (
        "Renamed",
        Decimal(40),
        "2020/21 Q2",
    )


def test_plan_text_that_looks_like_a_formula_is_guarded_on_export_and_reads_back(tmp_path):
    from perfreport.imports.export import export_path

    hostile = '=HYPERLINK("http://example.org","Click")'
    actions = action(title=hostile, progress="+1 more officer")
    import_path(plan_folder(tmp_path / "in", actions=actions))

    export_path(tmp_path / "out")
    again, _ = import_path(tmp_path / "out")

    with (tmp_path / "out" / "actions.csv").open(newline="") as handle:
        written = next(csv.DictReader(handle))
    assert (written["title"], written["progress"]) == (f"'{hostile}", "'+1 more officer")
    assert again.changed == 0
    assert PlanAction.objects.get(ref="X1").title == hostile


def test_a_refused_action_or_item_is_one_error_not_one_more_per_row_naming_it(tmp_path):
    plan = [["P1", "PX", "Lost", "", ""], *PLAN_ROWS[1:]]
    folder = plan_folder(tmp_path / "in", plan=plan, actions=action(percent_complete="150"))

    errors = refused(folder)

    assert [e.split(":")[0] for e in errors] == [
        "plan.csv, row 2, column parent",
        "actions.csv, row 2, column percent_complete",
    ]


def test_new_progress_for_a_published_period_restates_its_update(tmp_path):
    folder = plan_folder(tmp_path / "in")
    import_path(folder)
    plan_folder(folder, actions=action(percent_complete="55", progress="Faster now."))

    summary, _ = import_path(folder)

    update = ActionUpdate.objects.get(action__ref="X1")
    assert "action updates: 0 new, 1 changed, 0 unchanged" in summary.lines()
    assert (update.percent_complete, update.note, update.version) == (
        Decimal(55),
        "Faster now.",
        2,
    )
    assert update.restated_at is not None and update.state == EntryState.PUBLISHED.value


def test_an_older_file_never_puts_back_progress_published_for_a_later_period(tmp_path):
    """A round published the action's progress for Q3; a file exported before
    it (progress for Q2) is imported again: the action keeps its Q3 progress."""
    folder = plan_folder(tmp_path / "in")
    import_path(folder)
    plan_folder(folder, actions=action(percent_complete="85", progress_period="2020/21 Q3"))
    import_path(folder)  # the round's publication, as the action is left by it
    plan_folder(folder, actions=action(percent_complete="40", title="Renamed"))

    _, warnings = import_path(folder)

    assert [str(w) for w in warnings] == [
        "warning: actions.csv, row 2, column progress_period: '2020/21 Q2' action X1's progress "
        "for 2020/21 Q3, a later period, is already published: the import leaves the action's "
        "progress as it is (export again for a file with the latest progress)"
    ]
    stored = PlanAction.objects.get(ref="X1")
    assert (stored.title, stored.percent_complete, stored.progress_period) == (
        "Renamed",
        Decimal(85),
        "2020/21 Q3",
    )
    q2 = ActionUpdate.objects.get(action=stored, period="2020/21 Q2")
    assert q2.percent_complete == Decimal(40) and q2.version == 1  # left as published
