"""When a schedule runs: a cron expression in local time, offered as plain
presets (every N minutes, daily, weekly, monthly at a time) and described in
plain words; the next run worked out across the clocks changing.

No Django here: times come in and go out as aware datetimes, the zone given.

>>> cron = to_cron(Timing(kind="weekly", time="07:30", weekday=0))
>>> cron, describe(cron)
('30 7 * * mon', 'Weekly on Monday at 07:30')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter

from perfreport.core.errors import Invalid

MINUTES, DAILY, WEEKLY, MONTHLY, CRON = "minutes", "daily", "weekly", "monthly", "cron"
KINDS = [
    (MINUTES, "Every N minutes"),
    (DAILY, "Daily at a time"),
    (WEEKLY, "Weekly on a day at a time"),
    (MONTHLY, "Monthly on a day at a time"),
    (CRON, "Custom (cron)"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CRON_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Every N minutes keeps an even beat only when N divides the hour.
EVERY = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60]
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
NUMBER = re.compile(r"^\d{1,2}$")


@dataclass(frozen=True)
class Timing:
    """A schedule's timing as the form shows it."""

    kind: str = DAILY
    every: int = 15  # minutes
    time: str = "07:00"  # HH:MM, local time
    weekday: int = 0  # Monday
    day: int = 1  # of the month
    cron: str = ""


def to_cron(timing: Timing) -> str:
    """The cron expression for a timing; ``Invalid`` naming the field when it
    cannot be one."""
    if timing.kind == MINUTES:
        if timing.every not in EVERY:
            raise Invalid.one(
                "every",
                "Choose a number of minutes that divides the hour evenly: "
                + ", ".join(map(str, EVERY))
                + ".",
            )
        if timing.every == 60:
            return "0 * * * *"
        return "* * * * *" if timing.every == 1 else f"*/{timing.every} * * * *"
    if timing.kind == CRON:
        return check_cron(timing.cron)
    hour, minute = _clock(timing.time)
    if timing.kind == DAILY:
        return f"{minute} {hour} * * *"
    if timing.kind == WEEKLY:
        if timing.weekday not in range(7):
            raise Invalid.one("weekday", "Choose a day of the week.")
        return f"{minute} {hour} * * {CRON_DAYS[timing.weekday]}"
    if timing.kind == MONTHLY:
        if timing.day not in range(1, 32):
            raise Invalid.one("day", "Give a day of the month from 1 to 31.")
        return f"{minute} {hour} {timing.day} * *"
    raise Invalid.one("kind", "Choose how often it runs.")


def _clock(text: str) -> tuple[int, int]:
    match = TIME.match(text.strip())
    if match is None:
        raise Invalid.one(
            "time", f"Give the time as HH:MM on the 24-hour clock, such as 07:30: {text!r}"
        )
    return int(match[1]), int(match[2])


def check_cron(text: str) -> str:
    """A custom cron expression, tidied; ``Invalid`` on the ``cron`` field
    when it is not five fields cron understands."""
    cron = " ".join(text.split())
    if len(cron.split(" ")) != 5:
        raise Invalid.one(
            "cron",
            "A cron expression has five fields: minute, hour, day of the month, month and "
            f"day of the week, such as '0 7 * * mon-fri': {text!r}",
        )
    if not croniter.is_valid(cron):
        raise Invalid.one("cron", f"This is not a cron expression cron understands: {text!r}")
    return cron


def from_cron(cron: str) -> Timing:
    """The form's view of a stored expression: a preset when it is one, else custom."""
    minute, hour, day, month, weekday = [*cron.split(" "), "", "", "", ""][:5]
    if (day, month, weekday) == ("*", "*", "*") and hour == "*":
        every = _every(minute)
        if every is not None:
            return Timing(kind=MINUTES, every=every)
    if NUMBER.match(minute) and NUMBER.match(hour) and int(minute) < 60 and int(hour) < 24:
        time = f"{int(hour):02d}:{int(minute):02d}"
        if (day, month, weekday) == ("*", "*", "*"):
            return Timing(kind=DAILY, time=time)
        if (day, month) == ("*", "*") and weekday in CRON_DAYS:
            return Timing(kind=WEEKLY, time=time, weekday=CRON_DAYS.index(weekday))
        if NUMBER.match(day) and 1 <= int(day) <= 31 and (month, weekday) == ("*", "*"):
            return Timing(kind=MONTHLY, time=time, day=int(day))
    return Timing(kind=CRON, cron=cron)


def _every(minute: str) -> int | None:
    if minute == "*":
        return 1
    if minute == "0":
        return 60
    if minute.startswith("*/") and minute[2:].isdigit() and int(minute[2:]) in EVERY:
        return int(minute[2:])
    return None


def describe(cron: str) -> str:
    """The timing in plain words, local time."""
    timing = from_cron(cron)
    if timing.kind == MINUTES:
        if timing.every == 60:
            return "Every hour, on the hour"
        return "Every minute" if timing.every == 1 else f"Every {timing.every} minutes"
    if timing.kind == DAILY:
        return f"Daily at {timing.time}"
    if timing.kind == WEEKLY:
        return f"Weekly on {DAYS[timing.weekday]} at {timing.time}"
    if timing.kind == MONTHLY:
        words = f"Monthly on day {timing.day} at {timing.time}"
        if timing.day > 28:
            words += f" (not in months without a day {timing.day})"
        return words
    return f"Custom: at the times the cron expression '{cron}' names"


def next_run(cron: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first time after ``after`` that ``cron`` names, read as local
    time in ``zone``. When the clocks go back, a time of day that comes
    twice runs once (a schedule that names its hour does not repeat in the
    repeated hour); when they go forward, a time that never comes runs at
    the first moment after the gap."""
    local = after.astimezone(zone)
    times = croniter(cron, local)
    fixed_hour = cron.split(" ")[1] != "*"
    try:
        candidate: datetime = times.get_next(datetime)
        while fixed_hour and candidate.replace(tzinfo=None) <= local.replace(tzinfo=None):
            candidate = times.get_next(datetime)  # that time again, in the repeated hour
    except CroniterError:
        raise Invalid.one(
            "cron", f"The cron expression '{cron}' names no time that ever comes"
        ) from None
    return candidate


def upcoming(cron: str, after: datetime, zone: ZoneInfo, count: int = 3) -> list[datetime]:
    """The next ``count`` run times, to show beside a schedule."""
    found: list[datetime] = []
    moment = after
    for _ in range(count):
        moment = next_run(cron, moment, zone)
        found.append(moment)
    return found
