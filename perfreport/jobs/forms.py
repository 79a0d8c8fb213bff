"""The schedule form: what the job runs for (its feed or subscription, when
it asks), and when, as a plain preset or a cron expression. What was typed
is kept on error, and each error names its field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from perfreport.core.errors import Invalid
from perfreport.jobs import timing
from perfreport.jobs.registry import Job

CRON_MOST = 100  # Schedule.cron's length

# The form's fields in the page's order, for the error summary.
ORDER = ("job", "target", "kind", "every", "weekday", "day", "cron", "time")


class ScheduleForm(forms.Form):
    target = forms.CharField(required=False)
    kind = forms.ChoiceField(
        choices=timing.KINDS,
        error_messages={
            "required": gettext_lazy("Choose how often it runs"),
            "invalid_choice": gettext_lazy("Choose how often it runs"),
        },
    )
    every = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in timing.EVERY],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a number of minutes from the list")},
    )
    time = forms.CharField(
        required=False,
        max_length=5,
        error_messages={
            "max_length": gettext_lazy("Give the time as HH:MM on the 24-hour clock, such as 07:30")
        },
    )
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(timing.DAYS)),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a day of the week from the list")},
    )
    day = forms.CharField(
        required=False,
        max_length=2,
        error_messages={"max_length": gettext_lazy("Give a day of the month from 1 to 31")},
    )
    cron = forms.CharField(required=False)  # its length checked in clean_cron

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.targets = job.targets() if job.targets is not None else []

    def clean_cron(self) -> str:
        cron = str(self.cleaned_data.get("cron") or "")
        if len(cron) > CRON_MOST:
            raise forms.ValidationError(
                gettext(
                    "A cron expression must be %(most)s characters or fewer (this has %(count)s)"
                )
                % {"most": CRON_MOST, "count": f"{len(cron):,}"}
            )
        return cron

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        day = (cleaned.get("day") or "").strip()
        if cleaned.get("kind") == timing.MONTHLY and not day.isdigit():
            self.add_error("day", gettext("Give a day of the month from 1 to 31"))
            return cleaned
        weekday = cleaned.get("weekday")
        chosen = timing.Timing(
            kind=cleaned["kind"],
            every=cleaned.get("every") or 15,
            time=cleaned.get("time") or "",
            weekday=weekday if isinstance(weekday, int) else -1,
            day=int(day) if day.isdigit() else 0,
            cron=cleaned.get("cron") or "",
        )
        try:
            cleaned["cron_expression"] = timing.to_cron(chosen)
        except Invalid as error:
            self.add_invalid(error)
        return cleaned

    def add_invalid(self, error: Invalid) -> None:
        """The errors of a refusal, each on its field (the job on the form as a whole)."""
        for name, message in error.errors.items():
            self.add_error(name if name in self.fields else None, message.rstrip("."))

    def errors_in_order(self) -> Iterator[dict[str, str]]:
        """{field_id, message} for the error summary, in the page's order."""
        for message in self.non_field_errors():
            yield {"field_id": "id_kind", "message": str(message)}
        for name in ORDER:
            for message in self.errors.get(name, []):
                yield {"field_id": f"id_{name}", "message": str(message)}


def initial_of(cron: str, target: str = "") -> dict[str, Any]:
    """The form's fields for a stored schedule."""
    shown = timing.from_cron(cron)
    return {
        "target": target,
        "kind": shown.kind,
        "every": shown.every,
        "time": shown.time,
        "weekday": shown.weekday,
        "day": shown.day,
        "cron": cron if shown.kind == timing.CRON else "",
    }
