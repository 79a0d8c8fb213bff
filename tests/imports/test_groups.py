"""GIVEN organisations with LA numbers and comparator groups in groups.csv,
WHEN they are imported, THEN each group holds exactly the members listed, in
order; bad rows are refused with their file, row, column and value, and
nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import INDICATOR_HEADER, small_folder, write_csv

from perfreport.imports.export import export_path
from perfreport.imports.problems import ImportFailed, Level
from perfreport.imports.service import import_path
from perfreport.imports.tables import read_source
from perfreport.registry.models import ComparatorGroup, Indicator, Organisation

pytestmark = pytest.mark.django_db

ORGANISATIONS_HEADER = ["code", "name", "kind", "la_number", "home"]
ORGANISATIONS = [
    ["E10000003", "Cambridgeshire", "county", "873", "yes"],
    ["E10000015", "Hertfordshire", "county", "919", "no"],
    ["E10000020", "Norfolk", "county", "926", "no"],
    ["E10000029", "Suffolk", "county", "935", "no"],
]
GROUPS_HEADER = ["group", "organisation", "kind"]
NEIGHBOURS = "Statistical neighbours of Cambridgeshire"


def register(
    folder: Path,
    groups: list[list[str]],
    organisations: list[list[str]] | None = None,
) -> Path:
    small_folder(folder)
    write_csv(folder / "organisations.csv", ORGANISATIONS_HEADER, organisations or ORGANISATIONS)
    write_csv(folder / "groups.csv", GROUPS_HEADER, groups)
    return folder


def neighbours(*codes: str, kind: str = "statistical_neighbours") -> list[list[str]]:
    return [[NEIGHBOURS, code, kind] for code in codes]


def members(name: str = NEIGHBOURS) -> list[str]:
    group = ComparatorGroup.objects.get(name=name)
    return [m.organisation.code for m in group.memberships.order_by("position")]


def errors(folder: Path) -> list[str]:
    """Import ``folder``, expect refusal and that nothing was written, return the errors."""
    with pytest.raises(ImportFailed) as caught:
        import_path(folder)
    assert not Organisation.objects.exists()
    assert not ComparatorGroup.objects.exists()
    assert not Indicator.objects.exists()
    return [str(p) for p in caught.value.problems if p.level is Level.ERROR]


def test_it_stores_a_group_with_its_members_in_order(tmp_path):
    folder = register(tmp_path, neighbours("E10000029", "E10000015", "E10000020"))

    summary, warnings = import_path(folder)

    group = ComparatorGroup.objects.get()
    assert (group.name, group.kind) == (NEIGHBOURS, "statistical_neighbours")
    assert members() == ["E10000029", "E10000015", "E10000020"]
    assert [m.position for m in group.memberships.order_by("position")] == [1, 2, 3]
    assert summary.counts["groups"]["created"] == 1
    assert warnings == []


def test_importing_the_same_groups_again_changes_nothing(tmp_path):
    folder = register(tmp_path, neighbours("E10000029", "E10000015"))
    import_path(folder)
    stored = list(ComparatorGroup.objects.values_list("pk", "memberships__pk"))

    summary, _ = import_path(folder)

    assert summary.counts["groups"]["unchanged"] == 1
    assert summary.changed == 0
    assert list(ComparatorGroup.objects.values_list("pk", "memberships__pk")) == stored


def test_a_group_gets_exactly_the_members_the_file_lists(tmp_path):
    import_path(register(tmp_path / "first", neighbours("E10000029", "E10000015", "E10000020")))

    summary, _ = import_path(register(tmp_path / "second", neighbours("E10000020", "E10000029")))

    assert members() == ["E10000020", "E10000029"]
    assert summary.counts["groups"]["updated"] == 1
    assert Organisation.objects.filter(code="E10000015").exists()  # out of the group, still kept


def test_a_member_may_be_given_by_its_la_number(tmp_path):
    folder = register(tmp_path, neighbours("935", "E10000015"))

    import_path(folder)

    assert members() == ["E10000029", "E10000015"]


def test_a_member_may_be_given_by_the_la_number_of_a_stored_organisation(tmp_path):
    import_path(register(tmp_path / "first", neighbours("E10000015")))
    folder = small_folder(tmp_path / "second")
    write_csv(folder / "groups.csv", GROUPS_HEADER, [["Eastern", "926", "region"]])

    import_path(folder)

    assert members("Eastern") == ["E10000020"]


def test_an_unknown_organisation_is_refused_and_nothing_is_written(tmp_path):
    folder = register(tmp_path, neighbours("E10000029", "E99999999"))

    found = errors(folder)

    assert found == [
        "groups.csv, row 3, column organisation: 'E99999999' is not a known organisation "
        "code or LA number (see organisations.csv)"
    ]


def test_an_organisation_listed_twice_is_refused_naming_both_rows(tmp_path):
    folder = register(tmp_path, neighbours("E10000029", "E10000015", "E10000029"))

    found = errors(folder)

    assert found == [
        f"groups.csv, row 4, column organisation: group '{NEIGHBOURS}' lists organisation "
        "E10000029 twice (rows 2 and 4)"
    ]


def test_the_same_organisation_by_code_and_by_la_number_is_listed_twice(tmp_path):
    folder = register(tmp_path, neighbours("E10000029", "935"))

    found = errors(folder)

    assert any(
        "lists organisation E10000029 (given as 935) twice (rows 2 and 3)" in m for m in found
    )


def test_the_home_organisation_in_a_group_is_kept_with_a_warning(tmp_path):
    folder = register(tmp_path, [["Eastern", "E10000003", "region"], ["Eastern", "926", "region"]])

    _, warnings = import_path(folder)

    assert members("Eastern") == ["E10000003", "E10000020"]
    assert [str(w) for w in warnings] == [
        "warning: groups.csv, row 2, column organisation: puts the home organisation E10000003 "
        "in group 'Eastern'; a comparator group usually leaves it out (it is kept)"
    ]


def test_a_group_has_one_kind(tmp_path):
    folder = register(
        tmp_path, [["North", "E10000015", "family"], ["North", "E10000020", "region"]]
    )

    found = errors(folder)

    assert found == [
        "groups.csv, row 3, column kind: 'region' differs from the kind family that row 2 "
        "gives group 'North': a group has one kind"
    ]


def test_a_kind_given_on_one_row_is_the_groups(tmp_path):
    folder = register(tmp_path, [["North", "E10000015", ""], ["North", "E10000020", "family"]])

    import_path(folder)

    assert ComparatorGroup.objects.get().kind == "family"


# -- includes_home: whether the group's published average counts the home organisation ----

INCLUDES_HEADER = [*GROUPS_HEADER, "includes_home"]


@pytest.mark.parametrize(
    ("kind", "cell", "stored", "included"),
    [
        pytest.param("statistical_neighbours", "", None, False, id="neighbours_by_default_no"),
        pytest.param("family", "", None, True, id="family_by_default_yes"),
        pytest.param("region", "", None, True, id="region_by_default_yes"),
        pytest.param("custom", "", None, False, id="custom_by_default_no"),
        pytest.param("family", "no", False, False, id="family_set_to_no"),
        pytest.param("statistical_neighbours", "yes", True, True, id="neighbours_set_to_yes"),
    ],
)
def test_includes_home_is_set_or_follows_the_kind(tmp_path, kind, cell, stored, included):
    folder = register(tmp_path, [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, [["North", "E10000015", kind, cell]])

    import_path(folder)

    group = ComparatorGroup.objects.get()
    assert (group.includes_home, group.average_includes_home) == (stored, included)


def test_includes_home_given_on_one_row_is_the_groups(tmp_path):
    rows = [["North", "E10000015", "family", ""], ["North", "E10000020", "family", "no"]]
    folder = register(tmp_path, [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, rows)

    import_path(folder)

    assert ComparatorGroup.objects.get().includes_home is False


def test_a_group_has_one_includes_home(tmp_path):
    rows = [["North", "E10000015", "family", "no"], ["North", "E10000020", "family", "yes"]]
    folder = register(tmp_path, [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, rows)

    assert errors(folder) == [
        "groups.csv, row 3, column includes_home: 'yes' differs from the includes_home no "
        "that row 2 gives group 'North': a group has one includes_home"
    ]


def test_includes_home_must_be_yes_or_no(tmp_path):
    folder = register(tmp_path, [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, [["North", "E10000015", "family", "maybe"]])

    assert errors(folder) == ["groups.csv, row 2, column includes_home: 'maybe' is not yes or no"]


def test_a_file_without_the_column_leaves_includes_home_as_stored(tmp_path):
    folder = register(tmp_path, [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, [["North", "E10000015", "family", "no"]])
    import_path(folder)

    write_csv(folder / "groups.csv", GROUPS_HEADER, [["North", "E10000015", "family"]])
    summary, _ = import_path(folder)

    assert ComparatorGroup.objects.get().includes_home is False
    assert summary.changed == 0


@pytest.mark.parametrize(
    ("rows", "header"),
    [
        pytest.param(
            [["North", "E10000015", "family", "no"], ["South", "E10000020", "region", ""]],
            "group,organisation,kind,includes_home",
            id="written_when_a_group_sets_it",
        ),
        pytest.param(
            [["North", "E10000015", "family", ""]],
            "group,organisation,kind",
            id="left_out_when_every_group_follows_its_kind",
        ),
    ],
)
def test_includes_home_round_trips_through_export(tmp_path, rows, header):
    folder = register(tmp_path / "in", [])
    write_csv(folder / "groups.csv", INCLUDES_HEADER, rows)
    import_path(folder)

    export_path(tmp_path / "out")

    lines = (tmp_path / "out" / "groups.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == header
    expected = [",".join(row if header.endswith("includes_home") else row[:3]) for row in rows]
    assert sorted(lines[1:]) == sorted(expected)
    summary, _ = import_path(tmp_path / "out")
    assert summary.changed == 0


@pytest.mark.parametrize(
    ("la_number", "expected"),
    [
        pytest.param(
            "87a",
            "organisations.csv, row 3, column la_number: '87a' is not an LA number: "
            "expected up to 10 digits, such as 873",
            id="not_digits",
        ),
        pytest.param(
            "12345678901",
            "organisations.csv, row 3, column la_number: '12345678901' is not an LA number",
            id="too_long",
        ),
        pytest.param(
            "873",
            "organisations.csv, row 3, column la_number: '873' repeats the LA number on row 2",
            id="another_organisations",
        ),
    ],
)
def test_a_bad_la_number_is_refused(tmp_path, la_number, expected):
    organisations = [ORGANISATIONS[0], ["E10000015", "Hertfordshire", "county", la_number, ""]]
    folder = register(tmp_path, neighbours("E10000015"), organisations)

    found = errors(folder)

    assert any(m.startswith(expected) for m in found), found


def test_an_la_number_a_stored_organisation_has_is_refused(tmp_path):
    import_path(register(tmp_path / "first", neighbours("E10000015")))
    folder = small_folder(tmp_path / "second")
    write_csv(folder / "organisations.csv", ORGANISATIONS_HEADER, [["E1", "Other", "", "873", ""]])

    with pytest.raises(ImportFailed) as caught:
        import_path(folder)

    assert [str(p) for p in caught.value.problems if p.level is Level.ERROR] == [
        "organisations.csv, row 2, column la_number: '873' is the LA number of organisation "
        "E10000003, already stored: each organisation has its own"
    ]
    assert not Organisation.objects.filter(code="E1").exists()


def test_an_indicator_names_its_comparator_group_and_national_code(tmp_path):
    folder = register(tmp_path, neighbours("E10000015", "E10000020"))
    write_csv(
        folder / "indicators.csv",
        [*INDICATOR_HEADER, "national_code", "comparator_group"],
        [
            ["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", "CSC_01", NEIGHBOURS],
            ["A2", "Sessions", "count", "higher", "monthly", "contextual", "0", "", ""],
        ],
    )

    import_path(folder)
    summary, _ = import_path(folder)

    first, second = Indicator.objects.order_by("ref")
    assert (first.national_code, first.comparator_group.name) == ("CSC_01", NEIGHBOURS)
    assert (second.national_code, second.comparator_group) == ("", None)
    assert summary.changed == 0


def test_an_unknown_comparator_group_is_refused(tmp_path):
    folder = register(tmp_path, neighbours("E10000015"))
    write_csv(
        folder / "indicators.csv",
        [*INDICATOR_HEADER, "comparator_group"],
        [["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", "Nearest ten"]],
    )

    found = errors(folder)

    assert (
        "indicators.csv, row 2, column comparator_group: 'Nearest ten' is not a comparator "
        "group in the register or in groups.csv" in found
    )


def test_a_stored_comparator_group_may_be_named(tmp_path):
    import_path(register(tmp_path / "first", neighbours("E10000015")))
    folder = tmp_path / "second"
    folder.mkdir()
    write_csv(
        folder / "indicators.csv",
        [*INDICATOR_HEADER, "comparator_group"],
        [["A1", "Calls", "percent", "higher", "monthly", "targeted", "1", NEIGHBOURS]],
    )

    import_path(folder)

    assert Indicator.objects.get(ref="A1").comparator_group.name == NEIGHBOURS


def test_a_folder_of_organisations_and_groups_alone_is_imported(tmp_path):
    write_csv(tmp_path / "organisations.csv", ORGANISATIONS_HEADER, ORGANISATIONS)
    write_csv(tmp_path / "groups.csv", GROUPS_HEADER, neighbours("935"))

    summary, _ = import_path(tmp_path)

    assert summary.counts["groups"]["created"] == 1
    assert Organisation.objects.get(code="E10000003").la_number == "873"


def test_a_benchmarks_file_is_not_read_as_a_table_nor_warned_about(tmp_path):
    small_folder(tmp_path)
    write_csv(tmp_path / "benchmarks.csv", ["organisation", "indicator", "period", "value"], [])
    (tmp_path / "benchmarks.parquet").write_bytes(b"")

    tables, problems = read_source(tmp_path)

    assert "benchmarks" not in tables
    assert problems == []


EXPORTED = {
    "organisations.csv": (
        "code,name,kind,la_number,home\n"
        "E10000003,Cambridgeshire,county,873,yes\n"
        "E10000015,Hertfordshire,county,919,no\n"
        "E10000020,Norfolk,county,,no\n"
    ),
    "groups.csv": (
        "group,organisation,kind\n"
        "Eastern,E10000020,region\n"
        "Eastern,E10000015,region\n"
        f"{NEIGHBOURS},E10000015,statistical_neighbours\n"
        f"{NEIGHBOURS},E10000020,statistical_neighbours\n"
    ),
    "indicators.csv": (
        "ref,title,unit,decimals,polarity,frequency,aggregation,rating_basis,"
        "tolerance_method,red_threshold,blue_threshold,lag,directorate,service,owner,"
        "neighbours_mean,england_mean,national_code,comparator_group,links,source,description\n"
        "A1,Calls answered,percent,1,higher,monthly,snapshot,targeted,relative,10,5,0,,,,,,"
        f"CSC_01,{NEIGHBOURS},,,\n"
        "A2,Web sessions,count,0,higher,monthly,snapshot,contextual,relative,10,5,0,,,,,,"
        ",,,,\n"
    ),
    "values.csv": (
        "ref,period,organisation,value,numerator,denominator,target,stated_rag,commentary,"
        "actions\n"
        "A1,2020-09,,87,,,85,green,,\n"
        "A1,2020-09,E10000015,91,,,,,,\n"
        "A2,2020-09,,432584,,,,contextual,,\n"
    ),
}


def test_exporting_imported_groups_gives_the_same_bytes(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name, text in EXPORTED.items():
        (source / name).write_text(text, encoding="utf-8", newline="")
    import_path(source)

    export_path(tmp_path / "export")

    for name in EXPORTED:
        assert (tmp_path / "export" / name).read_bytes() == (source / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "export").glob("*.csv")) == sorted(EXPORTED)


def test_groups_go_through_a_workbook_and_back(tmp_path):
    import_path(register(tmp_path / "source", neighbours("E10000029", "919")))
    export_path(tmp_path / "register.xlsx")
    ComparatorGroup.objects.all().delete()

    summary, _ = import_path(tmp_path / "register.xlsx")

    assert summary.counts["groups"]["created"] == 1
    assert members() == ["E10000029", "E10000015"]


def test_no_groups_file_is_written_when_there_are_no_groups(tmp_path):
    import_path(small_folder(tmp_path / "source"))

    export_path(tmp_path / "export")

    assert not (tmp_path / "export" / "groups.csv").exists()
