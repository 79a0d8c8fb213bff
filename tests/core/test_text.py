"""The one text rule, and spreadsheet-safe cells (perfreport.core.text)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfreport.core.text import TextError, checked_text, csv_cell, needs_guard, printable, unguard


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("a\x0bb", id="vertical_tab"),
        pytest.param("a\x01b", id="start_of_heading"),
        pytest.param("a\x00b", id="null"),
        pytest.param("a\rb", id="lone_carriage_return"),
        pytest.param("a\x7fb", id="delete"),
        pytest.param("a\x85b", id="c1_next_line"),
    ],
)
def test_a_control_character_is_refused_with_where_it_is(typed):
    with pytest.raises(TextError, match=r"U\+00[0-9A-F]{2}\) at character 2"):
        checked_text(typed)


def test_tab_new_line_and_any_printable_unicode_pass_and_crlf_becomes_a_new_line():
    assert checked_text("Up\t3%\r\nSee “plan” — £1m 👍") == "Up\t3%\nSee “plan” — £1m 👍"


def test_text_longer_than_its_limit_is_refused():
    assert checked_text("x" * 4, limit=4) == "xxxx"
    with pytest.raises(TextError, match="is 5 characters long; at most 4 are kept"):
        checked_text("x" * 5, limit=4)


def test_printable_keeps_line_breaks_as_new_lines_and_drops_other_controls():
    assert printable("one\x0btwo\r\nthree\x01\x00") == "one\ntwo\nthree"


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        pytest.param("=HYPERLINK(A1)", True, id="equals"),
        pytest.param("+44 1223", True, id="plus"),
        pytest.param("-fewer calls", True, id="minus_text"),
        pytest.param("@SUM(A1)", True, id="at"),
        pytest.param("\tindented", True, id="tab"),
        pytest.param("-5.2", False, id="negative_number_is_a_number"),
        pytest.param("+3", False, id="signed_number_is_a_number"),
        pytest.param("Up 3%", False, id="ordinary_text"),
        pytest.param("'quoted'", False, id="a_quote_before_ordinary_text"),
        pytest.param("'=A1", True, id="a_quote_before_a_formula"),
    ],
)
def test_formula_like_text_is_guarded_and_numbers_are_not(text, guarded):
    assert needs_guard(text) is guarded
    assert (csv_cell(text) == "'" + text) is guarded


def test_numbers_pass_a_csv_cell_unchanged():
    assert csv_cell(-5) == -5 and csv_cell(None) is None


@given(st.text())
def test_the_import_reads_back_what_the_export_wrote(text):
    assert unguard(str(csv_cell(text))) == printable(text)
