"""Report settings, for BI administrators: the home organisation's name, the
reports' cover (title, team, contact, logo), the address emails come from
and the open data's licence, in one form. Saved, and audited, by
:func:`perfreport.reports.organisation_settings.organisation_settings_save`;
a report.toml given to ``perfreport report`` still overrides the cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods

from perfreport.core.plan import RollupMethod
from perfreport.core.text import TextError, checked_text
from perfreport.registry.models import Organisation
from perfreport.reports import organisation_settings as service
from perfreport.web.access import actor_of, staff_required
from perfreport.web.upload_limit import LimitedUpload, upload_limited

LABELS = {
    "name": gettext_lazy("Organisation name"),
    "report_title": gettext_lazy("Report title"),
    "report_team": gettext_lazy("Team"),
    "report_contact": gettext_lazy("Contact"),
    "logo": gettext_lazy("Logo"),
    "email_from": gettext_lazy("Emails come from"),
    "licence_name": gettext_lazy("Licence of the open data"),
    "licence_url": gettext_lazy("Licence's web address"),
    "plan_rule": gettext_lazy("Plan roll-up rule"),
    "plan_green_share": gettext_lazy("Green share"),
    "plan_amber_share": gettext_lazy("Amber share"),
    "action_due_soon_days": gettext_lazy("Action due soon"),
    "bilingual": gettext_lazy("Publish in Welsh and English"),
    "report_title_cy": gettext_lazy("Report title in Welsh"),
    "report_team_cy": gettext_lazy("Team in Welsh"),
    "report_contact_cy": gettext_lazy("Contact in Welsh"),
}


def _text(limit: int, required: bool = False) -> forms.CharField:
    return forms.CharField(max_length=limit, required=required, strip=True)


def _share() -> forms.DecimalField:
    return forms.DecimalField(min_value=0, max_value=100, max_digits=9, decimal_places=6)


class ReportSettingsForm(forms.Form):
    """What is typed, checked by the text rule and each field's limit."""

    name = _text(200, required=True)
    report_title = _text(200)
    report_team = _text(200)
    report_contact = _text(300)
    logo = forms.FileField(required=False)
    remove_logo = forms.BooleanField(required=False)
    email_from = forms.EmailField(required=False, max_length=254)
    licence_name = _text(200)
    licence_url = forms.URLField(required=False, max_length=200, assume_scheme="https")
    plan_rule = forms.ChoiceField(choices=[(m.value, m.label) for m in RollupMethod])
    plan_green_share = _share()
    plan_amber_share = _share()
    action_due_soon_days = forms.IntegerField(min_value=0, max_value=366)
    bilingual = forms.BooleanField(required=False)
    report_title_cy = _text(200)
    report_team_cy = _text(200)
    report_contact_cy = _text(300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(LABELS.get(name, name))
            field.error_messages["required"] = _("Enter the {label}").format(label=label.lower())
            field.error_messages["max_length"] = _(
                "{label} may be at most %(limit_value)d characters (it has %(show_value)d)"
            ).format(label=label)
        self.fields["email_from"].error_messages["invalid"] = _(
            "Enter the address emails come from as an email address, such as performance@example.gov.uk"
        )
        self.fields["licence_url"].error_messages["invalid"] = _(
            "Enter the licence's web address as a full address, such as https://example.org/licence"
        )
        for name in ("plan_green_share", "plan_amber_share"):
            label = str(LABELS[name])
            self.fields[name].error_messages |= {
                "invalid": _("Enter the {label} as a percentage, such as 75").format(
                    label=label.lower()
                ),
                "min_value": _("{label} must be a percentage from 0 to 100").format(label=label),
                "max_value": _("{label} must be a percentage from 0 to 100").format(label=label),
                "max_decimal_places": _("{label} may have at most %(max)s decimal places").format(
                    label=label
                ),
            }
        self.fields["action_due_soon_days"].error_messages |= {
            "invalid": _("Enter the days an action is due soon as a whole number, such as 30"),
            "min_value": _("Action due soon must be 0 days or more"),
            "max_value": _("Action due soon may be at most %(limit_value)s days"),
        }
        self.fields["plan_rule"].error_messages["invalid_choice"] = _(
            "Choose the plan roll-up rule from the list"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in service.FIELDS:
            if isinstance(cleaned.get(name), str):
                try:
                    cleaned[name] = checked_text(cleaned[name])
                except TextError as error:
                    self.add_error(name, f"{LABELS[name]} {error}")
        green, amber = cleaned.get("plan_green_share"), cleaned.get("plan_amber_share")
        if green is not None and amber is not None and amber > green:
            self.add_error(
                "plan_amber_share",
                _(
                    "Amber share ({amber}%) must not be above the Green share ({green}%): "
                    "Amber needs the smaller share Green or better"
                ).format(amber=f"{amber.normalize():f}", green=f"{green.normalize():f}"),
            )
        upload = cleaned.get("logo")
        if upload:
            try:
                cleaned["logo"] = service.checked_logo(upload, upload.size or 0)
            except service.LogoRefused as refused:
                self.add_error("logo", str(refused))
        return cleaned


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


def _errors(form: ReportSettingsForm) -> list[ErrorItem]:
    return [
        ErrorItem(f"id_{name}", str(message))
        for name in form.fields
        for message in form.errors.get(name, [])
    ]


@staff_required
@upload_limited(lambda: service.LOGO_MAX_BYTES)
@require_http_methods(["GET", "HEAD", "POST"])
def report_settings(request: HttpRequest, handler: LimitedUpload) -> HttpResponse:
    actor = actor_of(request)
    actor.require_admin(gettext_noop("change the report settings"))  # NotAllowed: 403
    home = Organisation.objects.filter(is_home=True).first()
    if home is None or request.method != "POST":
        initial = _initial(home) if home else {}
        return _page(request, home, ReportSettingsForm(initial=initial))
    files = request.FILES  # read first: the handler then knows the logo's size
    too_big = handler.refused_size is not None
    form = ReportSettingsForm(request.POST, {} if too_big else files)
    if too_big:
        form.add_error("logo", service.logo_too_big(handler.refused_size or 0))
    if not form.is_valid():
        return _page(request, home, form, status=413 if too_big else 400)
    data = form.cleaned_data
    service.organisation_settings_save(
        actor,
        home,
        {name: data[name] for name in service.FIELDS},
        logo=data.get("logo") or None,
        remove_logo=bool(data.get("remove_logo")),
    )
    messages.success(
        request, _("The report settings are saved: reports made from now on use them.")
    )
    return redirect("web:report_settings")


def _initial(home: Organisation) -> dict[str, object]:
    """The stored settings as the form shows them: shares without trailing zeros."""
    initial: dict[str, object] = {name: getattr(home, name) for name in service.FIELDS}
    for name in ("plan_green_share", "plan_amber_share"):
        initial[name] = f"{getattr(home, name).normalize():f}"
    return initial


def _page(
    request: HttpRequest, home: Organisation | None, form: ReportSettingsForm, status: int = 200
) -> HttpResponse:
    context = {
        "home": home,
        "form": form,
        "errors": _errors(form) if form.is_bound else [],
        "logo_max_mb": service.LOGO_MAX_BYTES // 1_000_000,
        "nav": "report_settings",
    }
    return render(request, "web/report_settings.html", context, status=status)
