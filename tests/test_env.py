"""The settings readers: pure functions that name the bad variable and value."""

from __future__ import annotations

import pytest

from perfreport.env import SettingError, env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", None)],
)
def test_env_bool_reads_yes_and_no_words(raw, expected):
    assert env_bool({"DEBUG": raw}, "DEBUG", None) is expected  # type: ignore[arg-type]


def test_env_bool_names_a_bad_value():
    with pytest.raises(SettingError, match="DEBUG='maybe' is not a yes/no value"):
        env_bool({"DEBUG": "maybe"}, "DEBUG", False)


def test_env_int_checks_the_range():
    assert env_int({"M": "7"}, "M", 4, low=1, high=12) == 7
    assert env_int({}, "M", 4, low=1, high=12) == 4
    with pytest.raises(SettingError, match="M='13' is out of range: expected 1 to 12"):
        env_int({"M": "13"}, "M", 4, low=1, high=12)
    with pytest.raises(SettingError, match="M='April' is not a whole number"):
        env_int({"M": "April"}, "M", 4, low=1, high=12)


def test_env_list_splits_on_commas_and_refuses_empty_items():
    assert env_list({"H": "a.example, b.example"}, "H", []) == ["a.example", "b.example"]
    assert env_list({}, "H", ["localhost"]) == ["localhost"]
    with pytest.raises(SettingError, match="has an empty item"):
        env_list({"H": "a,,b"}, "H", [])


def test_env_str_falls_back_on_blank():
    assert env_str({"K": "  "}, "K", "default") == "default"
    assert env_str({"K": "set"}, "K", "default") == "set"


def test_a_bad_database_url_is_named(tmp_path):
    import subprocess
    import sys

    code = "import perfreport.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"DATABASE_URL": "nosuchdb://x"},
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "DATABASE_URL='nosuchdb://x' is not a database URL" in result.stderr
