"""A schedule's timing: the presets as cron expressions and back, in plain
words, and the next run across month ends and the clocks changing."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from perfreport.core.errors import Invalid
from perfreport.jobs.timing import (
    CRON,
    DAILY,
    MINUTES,
    MONTHLY,
    WEEKLY,
    Timing,
    describe,
    from_cron,
    next_run,
    to_cron,
    upcoming,
)

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def at(*parts: int, zone: ZoneInfo = LONDON, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=zone, fold=fold)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("timing", "cron", "words"),
    [
        pytest.param(Timing(MINUTES, every=15), "*/15 * * * *", "Every 15 minutes", id="every_15"),
        pytest.param(Timing(MINUTES, every=1), "* * * * *", "Every minute", id="every_minute"),
        pytest.param(Timing(MINUTES, every=60), "0 * * * *", "Every hour, on the hour", id="hourly"),
        pytest.param(Timing(DAILY, time="07:05"), "5 7 * * *", "Daily at 07:05", id="daily"),
        pytest.param(Timing(DAILY, time="7:30"), "30 7 * * *", "Daily at 07:30", id="one_digit_hour"),
        pytest.param(
            Timing(WEEKLY, time="18:00", weekday=4), "0 18 * * fri", "Weekly on Friday at 18:00",
            id="weekly",
        ),
        pytest.param(
            Timing(MONTHLY, time="06:00", day=1), "0 6 1 * *",
            "On the 1st of each month at 06:00", id="monthly",
        ),
        pytest.param(
            Timing(MONTHLY, time="06:00", day=31),
            "0 6 31 * *",
            "On the 31st of each month at 06:00 (no run in a month without a 31st)",
            id="monthly_on_31_says_it_skips",
        ),
        pytest.param(
            Timing(CRON, cron=" 0  8  *  *  mon-fri "),
            "0 8 * * mon-fri",
            "On Monday to Friday at 08:00",
            id="custom_tidied",
        ),
    ],
)  # fmt: skip
def test_each_preset_is_a_cron_expression_in_plain_words(timing, cron, words):
    assert to_cron(timing) == cron
    assert describe(cron) == words


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("0 8 * * 1,3,5", "On Monday, Wednesday and Friday at 08:00"),
        ("30 7 * * 0", "On Sunday at 07:30"),
        ("0 8 * * 5-7", "On Friday to Sunday at 08:00"),
        ("0 6 1,15 * *", "On the 1st and 15th of each month at 06:00"),
        ("0 6 1,31 * *",
         "On the 1st and 31st of each month at 06:00 (no run on the 31st in a month without it)"),
        ("0 7 1 jan,jul *", "On the 1st of January and July at 07:00"),
        ("0 7 * 1-3 *", "Every day in January to March at 07:00"),
        ("0 8,12,17 * * *", "Daily at 08:00, 12:00 and 17:00"),
        ("15 * * * *", "Every hour at 15 minutes past"),
        ("0 9-17 * * 1-5", "Every hour from 09:00 to 17:00, on Monday to Friday"),
        ("*/15 8-17 * * mon-fri", "Every 15 minutes from 08:00 to 17:45, on Monday to Friday"),
        # shapes not put into words say so and show the expression
        ("0 8 */2 * *", "On a custom timing (cron 0 8 */2 * *)"),
        ("0 8 1 * mon", "On a custom timing (cron 0 8 1 * mon)"),
    ],
)  # fmt: skip
def test_a_custom_expression_of_a_common_shape_is_put_in_plain_words(cron, words):
    assert describe(cron) == words
    assert "cron expression" not in describe(cron)


@pytest.mark.parametrize(
    "timing",
    [
        Timing(MINUTES, every=20),
        Timing(DAILY, time="23:59"),
        Timing(WEEKLY, time="00:00", weekday=6),
        Timing(MONTHLY, time="12:30", day=15),
    ],
)
def test_a_preset_reads_back_as_the_same_preset(timing):
    back = from_cron(to_cron(timing))

    assert back.kind == timing.kind
    assert back.every == timing.every
    if timing.kind != MINUTES:
        assert back.time == timing.time
    assert back.weekday == (timing.weekday if timing.kind == WEEKLY else 0)
    assert back.day == (timing.day if timing.kind == MONTHLY else 1)


def test_an_expression_that_is_no_preset_reads_back_as_custom():
    assert from_cron("0 8 * * mon-fri") == Timing(CRON, cron="0 8 * * mon-fri")
    assert from_cron("*/7 * * * *").kind == CRON


@pytest.mark.parametrize(
    ("timing", "field", "words"),
    [
        pytest.param(Timing(DAILY, time="25:00"), "time", "HH:MM", id="hour_25"),
        pytest.param(Timing(DAILY, time="7.30"), "time", "HH:MM", id="dot_not_colon"),
        pytest.param(Timing(WEEKLY, weekday=7), "weekday", "day of the week", id="no_8th_day"),
        pytest.param(Timing(MONTHLY, day=32), "day", "1 to 31", id="day_32"),
        pytest.param(Timing(MONTHLY, day=0), "day", "1 to 31", id="day_0"),
        pytest.param(Timing(MINUTES, every=7), "every", "divides the hour", id="every_7"),
        pytest.param(Timing(CRON, cron="0 7 * *"), "cron", "five fields", id="four_fields"),
        pytest.param(Timing(CRON, cron="0 7 * * * *"), "cron", "five fields", id="six_fields"),
        pytest.param(Timing(CRON, cron="61 7 * * *"), "cron", "understands", id="minute_61"),
        pytest.param(Timing("often"), "kind", "how often", id="no_such_kind"),
    ],
)
def test_a_timing_that_cannot_be_is_refused_naming_its_field(timing, field, words):
    with pytest.raises(Invalid) as error:
        to_cron(timing)

    assert list(error.value.errors) == [field]
    assert words in error.value.errors[field]


@pytest.mark.parametrize(
    ("cron", "after", "expected"),
    [
        pytest.param("0 7 * * *", at(2026, 6, 1, 6, 59), at(2026, 6, 1, 7, 0), id="later_today"),
        pytest.param(
            "0 7 * * *",
            at(2026, 6, 1, 7, 0),
            at(2026, 6, 2, 7, 0),
            id="exactly_on_time_is_next_day",
        ),
        pytest.param(
            "0 7 * * *", at(2026, 12, 31, 8, 0), at(2027, 1, 1, 7, 0), id="over_the_year_end"
        ),
        pytest.param(
            "0 6 31 * *", at(2026, 4, 1, 0, 0), at(2026, 5, 31, 6, 0), id="day_31_skips_april"
        ),
        pytest.param(
            "0 6 29 2 *", at(2026, 3, 1, 0, 0), at(2028, 2, 29, 6, 0), id="29_february_leap_year"
        ),
        pytest.param(
            "0 9 * * mon", at(2026, 6, 5, 12, 0), at(2026, 6, 8, 9, 0), id="weekly_next_monday"
        ),
        pytest.param(
            "*/15 * * * *", at(2026, 6, 1, 10, 59, 59), at(2026, 6, 1, 11, 0), id="quarter_hours"
        ),
        pytest.param(
            "0 7 * * *",
            at(2026, 6, 1, 5, 30, zone=UTC),  # 06:30 in London (summer time)
            at(2026, 6, 1, 7, 0),
            id="local_time_not_utc_in_summer",
        ),
    ],
)
def test_the_next_run_is_the_first_named_time_after(cron, after, expected):
    assert next_run(cron, after, LONDON) == expected


def test_a_time_the_clocks_skip_runs_at_the_first_moment_after_the_gap():
    """29 March 2026: at 01:00 GMT the clocks go forward to 02:00 BST."""
    found = next_run("30 1 * * *", at(2026, 3, 29, 0, 0), LONDON)

    assert found.astimezone(UTC) == at(2026, 3, 29, 1, 0, zone=UTC)  # 02:00 BST
    assert next_run("30 1 * * *", found, LONDON) == at(2026, 3, 30, 1, 30)


def test_a_time_that_comes_twice_when_the_clocks_go_back_runs_once():
    """25 October 2026: 01:30 comes twice (BST, then GMT); a daily run at 01:30 runs once."""
    first = next_run("30 1 * * *", at(2026, 10, 25, 0, 0), LONDON)
    second = next_run("30 1 * * *", first, LONDON)

    assert first.astimezone(UTC) == at(2026, 10, 25, 0, 30, zone=UTC)
    assert second == at(2026, 10, 26, 1, 30)


def test_every_15_minutes_keeps_its_beat_through_the_repeated_hour():
    times = upcoming("*/15 * * * *", at(2026, 10, 25, 1, 40), LONDON, count=4)

    utc = [t.astimezone(UTC) for t in times]
    gaps = {(b - a).total_seconds() for a, b in itertools.pairwise(utc)}
    assert gaps == {900.0}


def test_an_expression_that_names_no_time_that_comes_is_refused():
    with pytest.raises(Invalid) as error:
        next_run("0 7 30 2 *", at(2026, 1, 1, 0, 0), LONDON)

    assert "names no time that ever comes" in error.value.errors["cron"]


def test_upcoming_lists_the_next_runs_in_order():
    times = upcoming("0 7 * * *", at(2026, 6, 1, 8, 0), LONDON, count=3)

    assert [t.day for t in times] == [2, 3, 4]
