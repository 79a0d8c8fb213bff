"""When a schedule runs: a cron expression in local time, offered as plain
presets (every N minutes, daily, weekly, monthly at a time) and described in
plain words; the next run worked out across the clocks changing.

No Django here: times come in and go out as aware datetimes, the zone given.

>>> cron = to_cron(Timing(kind="weekly", time="07:30", weekday=0))
>>> cron, describe(cron)
('30 7 * * mon', 'Weekly on Monday at 07:30')
>>> describe("0 8 * * mon-fri"), describe("0 6 31 * *")
('On Monday to Friday at 08:00', 'On the 31st of each month at 06:00 (no run in a month without a 31st)')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter

from perfreport.core.commentary import ordinal as welsh_ordinal
from perfreport.core.errors import Invalid
from perfreport.core.i18n import N_, _, is_welsh

MINUTES, DAILY, WEEKLY, MONTHLY, CRON = "minutes", "daily", "weekly", "monthly", "cron"
# Marked for the catalogue (N_): translate with gettext where shown.
KINDS = [
    (MINUTES, N_("Every N minutes")),
    (DAILY, N_("Daily at a time")),
    (WEEKLY, N_("Weekly on a day at a time")),
    (MONTHLY, N_("Monthly on a day at a time")),
    (CRON, N_("Custom (cron)")),
]
DAYS = [
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
    N_("Sunday"),
]  # fmt: skip
# "Weekly on Monday at 07:30", one sentence a day (Welsh mutates the day: "ar ddydd Llun").
_WEEKLY = [
    N_("Weekly on Monday at %(time)s"),
    N_("Weekly on Tuesday at %(time)s"),
    N_("Weekly on Wednesday at %(time)s"),
    N_("Weekly on Thursday at %(time)s"),
    N_("Weekly on Friday at %(time)s"),
    N_("Weekly on Saturday at %(time)s"),
    N_("Weekly on Sunday at %(time)s"),
]
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
                _("Choose a number of minutes that divides the hour evenly: %(choices)s.")
                % {"choices": ", ".join(map(str, EVERY))},
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
            raise Invalid.one("weekday", _("Choose a day of the week."))
        return f"{minute} {hour} * * {CRON_DAYS[timing.weekday]}"
    if timing.kind == MONTHLY:
        if timing.day not in range(1, 32):
            raise Invalid.one("day", _("Give a day of the month from 1 to 31."))
        return f"{minute} {hour} {timing.day} * *"
    raise Invalid.one("kind", _("Choose how often it runs."))


def _clock(text: str) -> tuple[int, int]:
    match = TIME.match(text.strip())
    if match is None:
        raise Invalid.one(
            "time",
            _("Give the time as HH:MM on the 24-hour clock, such as 07:30: %(text)s")
            % {"text": repr(text)},
        )
    return int(match[1]), int(match[2])


def check_cron(text: str) -> str:
    """A custom cron expression, tidied; ``Invalid`` on the ``cron`` field
    when it is not five fields cron understands."""
    cron = " ".join(text.split())
    if len(cron.split(" ")) != 5:
        raise Invalid.one(
            "cron",
            _(
                "A cron expression has five fields: minute, hour, day of the month, month and "
                "day of the week, such as '0 7 * * mon-fri': %(text)s"
            )
            % {"text": repr(text)},
        )
    if not croniter.is_valid(cron):
        raise Invalid.one(
            "cron",
            _("This is not a cron expression cron understands: %(text)s") % {"text": repr(text)},
        )
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
    """The timing in plain words, local time: the presets, the common shapes
    of a custom expression (a time on some weekdays or days of the month,
    every N minutes within some hours), and any other expression as itself
    (the pages show its next run times beside it)."""
    timing = from_cron(cron)
    words = {"time": timing.time, "count": timing.every}
    if timing.kind == MINUTES:
        if timing.every == 60:
            return _("Every hour, on the hour")
        return _("Every minute") if timing.every == 1 else _("Every %(count)s minutes") % words
    if timing.kind == DAILY:
        return _("Daily at %(time)s") % words
    if timing.kind == WEEKLY:
        return _(_WEEKLY[timing.weekday]) % words
    if timing.kind == MONTHLY:
        words["ordinal"] = ordinal(timing.day)
        if timing.day > 28:
            return (
                _(
                    "On the %(ordinal)s of each month at %(time)s (no run in a month without a "
                    "%(ordinal)s)"
                )
                % words
            )
        return _("On the %(ordinal)s of each month at %(time)s") % words
    if is_welsh():  # a custom timing's words are English: say it as cron
        return _("On a custom timing (cron %(cron)s)") % {"cron": cron}
    return _describe_custom(cron) or _("On a custom timing (cron %(cron)s)") % {"cron": cron}


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
CRON_MONTHS = [name[:3].lower() for name in MONTHS]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, 31st (in Welsh 1af, 2il, 3ydd)."""
    if is_welsh():
        return welsh_ordinal(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _short_months(days: list[int]) -> str:
    """What happens in a month too short for a day named: it has no run that day."""
    late = [day for day in days if day > 28]
    if not late:
        return ""
    if len(days) == 1:
        return f" (no run in a month without a {ordinal(days[0])})"
    return f" (no run on the {_and([ordinal(d) for d in late])} in a month without it)"


def _numbers(
    field: str, low: int, high: int, names: list[str] | None = None
) -> list[list[int]] | None:
    """A field of single values and ranges ("1,15", "mon-fri", "1-3,7") as a
    list of runs of numbers, each run one value or a range; None for a step,
    a star or anything else this does not put into words."""
    parts: list[list[int]] = []
    for piece in field.split(","):
        ends = piece.split("-")
        if len(ends) > 2:
            return None
        values = []
        for end in ends:
            if names is not None and end.lower() in names:
                values.append(names.index(end.lower()) + low)
            elif end.isdigit() and low <= int(end) <= high:
                values.append(int(end))
            else:
                return None
        if len(values) == 2 and values[0] > values[1]:
            return None
        parts.append(list(range(values[0], values[-1] + 1)))
    return parts


def _spans(parts: list[list[int]], word: Callable[[int], str]) -> str:
    return _and([word(p[0]) if len(p) == 1 else f"{word(p[0])} to {word(p[-1])}" for p in parts])


def _weekdays(field: str) -> str | None:
    parts = _numbers(field, 0, 7, ["sun", *CRON_DAYS[:6]])
    if parts is None:
        return None
    # cron counts Sunday as 0 or 7; DAYS starts on Monday
    return _spans(parts, lambda n: DAYS[(n - 1) % 7])


def _describe_custom(cron: str) -> str | None:
    """The common shapes of a custom expression in words, or None."""
    fields = cron.split(" ")
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekday = fields
    when = _times(minute, hour)
    if when is None:
        return None
    every, times = when
    if day == "*" and weekday == "*":
        days = ""
        tail = ""
    elif day == "*":
        named = _weekdays(weekday)
        if named is None:
            return None
        days, tail = f"on {named}", ""
    elif weekday == "*":
        parts = _numbers(day, 1, 31)
        if parts is None:
            return None
        days = f"on the {_spans(parts, ordinal)} of each month"
        tail = _short_months([n for p in parts for n in p])
    else:
        return None  # cron runs on either: too easily misread in words
    if month != "*":
        months = _numbers(month, 1, 12, CRON_MONTHS)
        if months is None:
            return None
        named_months = _spans(months, lambda n: MONTHS[n - 1])
        if not days and not every:
            days = f"every day in {named_months}"
        elif days.endswith(" of each month"):
            days = days.removesuffix("each month") + named_months
        else:
            days = f"{days} in {named_months}".strip()
    if every:
        words = f"{times}, {days}" if days else times
    elif days:
        words = f"{days} at {times}"
    else:
        words = f"Daily at {times}"
    return words[:1].upper() + words[1:] + tail


def _times(minute: str, hour: str) -> tuple[bool, str] | None:
    """(repeats within the hour, the times in words), or None."""
    if NUMBER.match(minute) and int(minute) < 60:
        hours = _numbers(hour, 0, 23)
        if hours is None:
            if hour == "*":
                return True, f"every hour at {int(minute)} minutes past"
            return None
        if all(len(p) == 1 for p in hours):
            return False, _and([f"{p[0]:02d}:{int(minute):02d}" for p in hours])
        if len(hours) == 1:
            first, last = hours[0][0], hours[0][-1]
            return (
                True,
                f"every hour from {first:02d}:{int(minute):02d} to {last:02d}:{int(minute):02d}",
            )
        return None
    every = _every(minute)
    if every is None or every == 60:
        return None
    beat = "every minute" if every == 1 else f"every {every} minutes"
    if hour == "*":
        return True, beat
    hours = _numbers(hour, 0, 23)
    if hours is None or len(hours) != 1:
        return None
    first, last = hours[0][0], hours[0][-1]
    return True, f"{beat} from {first:02d}:00 to {last:02d}:{60 - every:02d}"


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
    for _step in range(count):
        moment = next_run(cron, moment, zone)
        found.append(moment)
    return found
