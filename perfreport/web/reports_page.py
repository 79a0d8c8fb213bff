"""The reports pages: staff (/reports/) and everyone (/public/reports/) choose
a period, a format and, if they like, a directorate or service, and download
the report. The public reports are built from published values only. Both
pages list the published reports: one per quarter that holds published values.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from perfreport.core.periods import Frequency, Period, PeriodError
from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.data.versions import current_data_version
from perfreport.registry.bilingual import is_welsh, text
from perfreport.registry.models import Directorate, PlanItem, Service
from perfreport.registry.periods import fy_start_month, read_period
from perfreport.reports.context import DEFAULT_TITLE, SECTIONS, ReportSettings
from perfreport.reports.language import (
    BOTH,
    DJANGO_CODES,
    ENGLISH,
    LANGUAGE_NAMES,
    LANGUAGES,
    WELSH,
    tag,
)
from perfreport.reports.service import MEDIA_TYPES, ReportError, report_contexts
from perfreport.reports.service import render as render_document
from perfreport.web.access import staff_required
from perfreport.web.opendata import size_words
from perfreport.web.views import default_period

FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "docx": "Word", "xlsx": "Excel"}
FORMAT_HINTS = {
    "pdf": gettext_lazy("to print or send, as the council publishes it"),
    "html": gettext_lazy("a web page, to read on screen"),
    "docx": gettext_lazy("to edit in Microsoft Word"),
    "xlsx": gettext_lazy("the figures, to work with in a spreadsheet"),
}
REPORT_TYPES = {"": gettext_lazy("Full report"), "exceptions": gettext_lazy("Exception pack")}
REPORT_TYPE_HINTS = {
    "": gettext_lazy("every indicator with its trend, benchmarks and commentary"),
    "exceptions": gettext_lazy(
        "a short report: what needs attention and what went well, each saying why, "
        "the plan's status, and the other indicators in a table"
    ),
}
SECTION_NAMES = {
    "cover": gettext_lazy("Cover and contents"),
    "summary": gettext_lazy("Summary"),
    "key": gettext_lazy("Key"),
    "plan": gettext_lazy("Plan: priorities and outcomes"),
    "indicators": gettext_lazy("A page for each indicator"),
}
LANGUAGE_HINTS = {
    ENGLISH: "",
    WELSH: "",
    BOTH: gettext_lazy("the Welsh report, then the English, in one document"),
}
CACHE_SECONDS = 3600


# -- reads -------------------------------------------------------------------


def report_periods(published_only: bool) -> list[Period]:
    """The quarters holding the home organisation's values (a month's or a
    year's value counts in the quarter it ends in), newest first."""
    values = Observation.objects.filter(organisation=home_organisation())
    if published_only:
        values = values.filter(is_draft=False)
    months = values.order_by().values_list("last_month", flat=True).distinct()
    fy = fy_start_month()
    quarters = {Period(Frequency.MONTHLY, m, fy).containing(Frequency.QUARTERLY) for m in months}
    return sorted(quarters, reverse=True)


def has_values_by(period: Period, published_only: bool) -> bool:
    values = Observation.objects.filter(
        organisation=home_organisation(), last_month__lte=period.last_month
    )
    return (values.filter(is_draft=False) if published_only else values).exists()


def directorate_names() -> list[str]:
    return list(
        Directorate.objects.filter(indicators__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )


def service_groups() -> list[tuple[str, list[str]]]:
    """The services with indicators, by directorate: for the form's choices."""
    rows = (
        Service.objects.filter(indicators__isnull=False)
        .values_list("directorate__name", "name")
        .distinct()
        .order_by("directorate__name", "name")
    )
    groups: dict[str, list[str]] = {}
    for directorate, name in rows:
        groups.setdefault(directorate or _("Other services"), []).append(name)
    return list(groups.items())


def service_in(service: str, directorate: str) -> bool:
    return Service.objects.filter(
        name=service, directorate__name=directorate, indicators__isnull=False
    ).exists()


# -- the form ----------------------------------------------------------------


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class ReportForm(forms.Form):
    """What to report: checked here, so the view only builds the document."""

    period = forms.CharField(
        error_messages={
            "required": gettext_lazy("Enter a period, such as 2020/21 Q2, 2020-09 or 2020/21")
        }
    )
    format = forms.ChoiceField(
        choices=list(FORMAT_NAMES.items()),
        error_messages={
            "required": gettext_lazy("Choose a format: PDF, HTML, Word or Excel"),
            "invalid_choice": gettext_lazy("Choose a format: PDF, HTML, Word or Excel"),
        },
    )
    language = forms.ChoiceField(
        choices=list(LANGUAGE_NAMES.items()),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose a language: English, Cymraeg or Welsh and English"
            )
        },
    )
    directorate = forms.CharField(required=False)
    service = forms.CharField(required=False)
    sections = forms.MultipleChoiceField(
        choices=list(SECTION_NAMES.items()),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose sections from the list")},
    )
    # Sent with the check boxes: none ticked is then an error, where a link
    # with no sections at all (the published list's) means every section.
    sections_shown = forms.CharField(required=False)
    pack = forms.ChoiceField(
        choices=list(REPORT_TYPES.items()),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose a report type: full report or exception pack")
        },
    )

    def __init__(self, *args: Any, published_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published_only = published_only

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"].strip()
        try:
            period = read_period(text)
        except PeriodError as error:
            raise forms.ValidationError(_sentence(str(error))) from None
        if not has_values_by(period, self.published_only):
            raise forms.ValidationError(self._no_values(period))
        return period

    def _no_values(self, period: Period) -> str:
        known = ", ".join(p.label for p in report_periods(self.published_only)[:8])
        words = {"period": period.long_label, "known": known}
        if self.published_only:
            if known:
                return (
                    _(
                        "There are no published values for %(period)s or before; reports can be "
                        "made for %(known)s"
                    )
                    % words
                )
            return _("There are no published values for %(period)s or before") % words
        if known:
            return (
                _("There are no values for %(period)s or before; reports can be made for %(known)s")
                % words
            )
        return _("There are no values for %(period)s or before") % words

    def clean_language(self) -> str:
        """As chosen; else the page's own language."""
        chosen = self.cleaned_data.get("language") or ""
        return chosen if chosen in LANGUAGES else (WELSH if is_welsh() else ENGLISH)

    def clean_sections(self) -> tuple[str, ...]:
        chosen = self.cleaned_data["sections"]
        if not chosen:
            if self.data.get("sections_shown"):
                raise forms.ValidationError(_("Choose at least one section for the report"))
            return SECTIONS
        return tuple(name for name in SECTIONS if name in chosen)  # the report's order

    def clean_directorate(self) -> str:
        return self._named("directorate", directorate_names())

    def clean_service(self) -> str:
        return self._named("service", [n for _, names in service_groups() for n in names])

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        directorate, service = data.get("directorate"), data.get("service")
        if directorate and service and not service_in(service, directorate):
            self.add_error(
                "service",
                _(
                    "The %(service)s service is not in %(directorate)s: choose "
                    "one of its services, or all directorates"
                )
                % {"service": service, "directorate": directorate},
            )
        return data

    def _named(self, field: str, names: list[str]) -> str:
        """The stored name (whatever the case given), or an error listing them."""
        text = self.cleaned_data[field].strip()
        if not text:
            return ""
        match = [n for n in names if n.casefold() == text.casefold()]
        if not match:
            message = {
                "directorate": _(
                    "There is no directorate called %(name)s: choose one from the list"
                ),
                "service": _("There is no service called %(name)s: choose one from the list"),
            }[field]
            raise forms.ValidationError(message % {"name": repr(text)})
        return match[0]


# -- the document ------------------------------------------------------------


@dataclass(frozen=True)
class ReportChoice:
    period: Period
    fmt: str
    directorate: str = ""
    service: str = ""
    pack: str = ""  # "exceptions": the exception pack
    sections: tuple[str, ...] = SECTIONS  # of the full report
    language: str = ENGLISH  # "en", "cy" or "both"

    def filename(self, title: str) -> str:
        """``title`` (the organisation's report title), the period and the part
        of the council it covers: ``performance-report-2020-21-q2.pdf``; a
        Welsh report's ends ``-cy``, a bilingual one's ``-cy-en``."""
        kind = "exception pack" if self.pack else ""
        suffix = {ENGLISH: "", WELSH: "cy", BOTH: "cy-en"}[self.language]
        parts = [title, kind, self.period.label, self.directorate, self.service, suffix]
        return "-".join(_slug(p) for p in parts if p) + f".{self.fmt}"


def file_name(choice: ReportChoice) -> str:
    home = home_organisation()
    language = ENGLISH if choice.language == ENGLISH else WELSH
    title = str(text(home, "report_title", DJANGO_CODES[language])) if home else ""
    return choice.filename(title or DEFAULT_TITLE)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _cache_key(choice: ReportChoice, published_only: bool) -> str:
    facts = (choice, published_only, date.today(), current_data_version())
    return "report:" + hashlib.sha256(repr(facts).encode()).hexdigest()


def known_size(choice: ReportChoice, published_only: bool) -> int | None:
    """The size of the report's file if it has been made since the data or the
    day last changed (it is kept); None when it is yet to be made."""
    found = cache.get(_cache_key(choice, published_only))
    return len(found) if isinstance(found, bytes) else None


def report_document(choice: ReportChoice, published_only: bool) -> bytes:
    """The report as a file, from the cache when neither the data nor the day
    (the cover's date) have changed since it was last made."""
    key = _cache_key(choice, published_only)
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    if choice.pack:
        document = _pack_document(choice, published_only)
        cache.set(key, document, CACHE_SECONDS)
        return document
    context = report_contexts(
        choice.period,
        ReportSettings(sections=choice.sections),
        language=choice.language,
        directorate=choice.directorate or None,
        service=choice.service or None,
        published_only=published_only,
    )
    document = render_document(context, choice.fmt)
    cache.set(key, document, CACHE_SECONDS)
    return document


def _pack_document(choice: ReportChoice, published_only: bool) -> bytes:
    from perfreport.reports.pack import pack_contexts
    from perfreport.reports.pack_formats import render_pack

    context = pack_contexts(
        choice.period,
        ReportSettings(),
        language=choice.language,
        directorate=choice.directorate or None,
        service=choice.service or None,
        published_only=published_only,
    )
    return render_pack(context, choice.fmt)


# -- the page ----------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


def _errors(form: ReportForm) -> list[ErrorItem]:
    ids = {"format": "id_format_0", "pack": "id_pack_0", "sections": "id_sections_0",
           "language": "id_language_0"}  # fmt: skip
    return [
        ErrorItem(ids.get(name, f"id_{name}"), str(message))
        for name in ("period", "pack", "format", "language", "sections", "directorate", "service")
        for message in form.errors.get(name, [])
    ]


def report_languages() -> list[str]:
    """The languages the reports are offered in: English and Welsh, and both
    together when the organisation publishes bilingually."""
    home = home_organisation()
    bilingual = bool(getattr(home, "bilingual", False)) if home else False
    # Welsh first on a Welsh page (the Welsh Language Standards: Welsh no less
    # favourably treated), English first on an English one.
    languages = [WELSH, ENGLISH] if translation.get_language() == "cy" else [ENGLISH, WELSH]
    return [*languages, BOTH] if bilingual else languages


def _published_list() -> list[dict[str, Any]]:
    """Each published quarter with a link to its public report in each
    format and language, and to its exception pack as a PDF."""
    url = reverse("web:public_report_download")

    def link(p: Period, name: str, fmt: str, language: str, pack: str = "") -> tuple[str, str, str]:
        query = {"period": p.label, "format": fmt, **({"pack": pack} if pack else {})}
        if language != ENGLISH:
            query["language"] = language
        choice = ReportChoice(p, fmt, pack=pack, language=language)
        size = known_size(choice, published_only=True)
        return name, f"{url}?{urlencode(query)}", _size_words(size)

    def in_language(p: Period, language: str) -> dict[str, Any]:
        links = [link(p, name, fmt, language) for fmt, name in FORMAT_NAMES.items()]
        if language != BOTH:  # the pack is made in one language at a time
            links.append(link(p, _("Exception pack (PDF)"), "pdf", language, "exceptions"))
        return {"language": language, "name": LANGUAGE_NAMES[language],
                "lang": tag(language) if language != BOTH else "", "links": links}  # fmt: skip

    languages = report_languages()
    return [
        {"period": p, "languages": [in_language(p, language) for language in languages]}
        for p in report_periods(published_only=True)
    ]


def _size_words(size: int | None) -> str:
    return "" if size is None else size_words(size)


def page(request: HttpRequest, form: ReportForm, public: bool, status: int = 200) -> HttpResponse:
    value = form["period"].value() if form.is_bound else form.initial.get("period", "")
    context = {
        "form": form,
        "errors": _errors(form) if form.is_bound else [],
        "period_value": value or "",
        "format_value": (form["format"].value() if form.is_bound else "pdf") or "",
        "formats": [(fmt, FORMAT_NAMES[fmt], FORMAT_HINTS[fmt]) for fmt in FORMAT_NAMES],
        "report_types": [(k, name, REPORT_TYPE_HINTS[k]) for k, name in REPORT_TYPES.items()],
        "pack_value": (form["pack"].value() if form.is_bound else "") or "",
        "languages": [
            (code, LANGUAGE_NAMES[code], LANGUAGE_HINTS[code], tag(code) if code != BOTH else "")
            for code in report_languages()
        ],
        "language_value": _language_value(form),
        "sections": _section_choices(form),
        "directorates": directorate_names(),
        "service_groups": service_groups(),
        "published": _published_list(),
        "nav": "public" if public else "reports",
        # Staff send the form to be made in the background when it is big
        # (report_runs.py): a request that records a run is a POST.
        "form_method": "get" if public else "post",
        "your_reports": [] if public else _your_reports(request),
    }
    template = "web/public_reports.html" if public else "web/reports.html"
    return render(request, template, context, status=status)


def _language_value(form: ReportForm) -> str:
    sent = form["language"].value() if form.is_bound else ""
    return sent if sent in LANGUAGES else (WELSH if is_welsh() else ENGLISH)


def _your_reports(request: HttpRequest) -> list[dict[str, Any]]:
    from perfreport.web.report_runs import recent_reports

    return recent_reports(request.user)


def _section_choices(form: ReportForm) -> list[tuple[str, str, bool]]:
    """The sections to offer, each ticked or not: as sent, else every one;
    the plan only when there is one."""
    sent = form["sections"].value() if form.is_bound and form.data.get("sections_shown") else None
    has_plan = PlanItem.objects.exists()
    return [
        (name, str(words), sent is None or name in sent)
        for name, words in SECTION_NAMES.items()
        if name != "plan" or has_plan
    ]


def _form(published_only: bool) -> ReportForm:
    if published_only:
        latest = next(iter(report_periods(published_only=True)), None)
    else:
        latest = default_period()
    initial = {"period": latest.label if latest else "", "format": "pdf"}
    return ReportForm(initial=initial, published_only=published_only)


def choice_of(form: ReportForm) -> ReportChoice:
    """The report a valid form asks for."""
    data = form.cleaned_data
    return ReportChoice(
        data["period"], data["format"], data["directorate"], data["service"], data["pack"],
        data["sections"], data["language"],
    )  # fmt: skip


def _download(request: HttpRequest, public: bool) -> HttpResponse:
    form = ReportForm(request.GET, published_only=public)
    if not form.is_valid():
        return page(request, form, public, status=400)
    choice = choice_of(form)
    try:
        document = report_document(choice, published_only=public)
    except ReportError as error:
        if choice.pack and choice.language == BOTH:
            form.add_error(
                "language",
                _(
                    "The exception pack is made in one language at a time: choose English or Cymraeg"
                ),
            )
            return page(request, form, public, status=400)
        form.add_error(_narrowed_by(choice), _unreportable(error, choice, public))
        return page(request, form, public, status=400)
    disposition = content_disposition_header(True, file_name(choice))
    response = HttpResponse(
        document,
        content_type=MEDIA_TYPES[choice.fmt],
        headers={"Content-Disposition": disposition or "attachment"},
    )
    _tell_the_form(request, response)
    return response


_TOKEN = re.compile(r"[0-9a-z]{1,40}")


def _tell_the_form(request: HttpRequest, response: HttpResponse) -> None:
    """The report form's script sends a token and waits for it as a cookie,
    set with the file: that is how the page learns the download has begun and
    ends its "Making the report…" (static/web/report_form.js)."""
    token = request.GET.get("download_token", "")
    if _TOKEN.fullmatch(token):
        response.set_cookie(
            "report_ready", token, max_age=60, samesite="Lax", secure=request.is_secure()
        )


def _narrowed_by(choice: ReportChoice) -> str:
    return "service" if choice.service else "directorate" if choice.directorate else "period"


def _unreportable(error: ReportError, choice: ReportChoice, public: bool) -> str:
    """Why the report cannot be made. The form has checked the period and the
    names, so the indicators chosen have no value by then; the public must not
    learn which periods hold draft values."""
    if public:
        return _(
            "There are no published values for the indicators chosen for "
            "%(period)s or before: choose another directorate or service"
        ) % {"period": choice.period.long_label}
    return _sentence(str(error))


# -- views -------------------------------------------------------------------


@staff_required
@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    return page(request, _form(published_only=False), public=False)


@staff_required
@require_safe
def download(request: HttpRequest) -> HttpResponse:
    return _download(request, public=False)


@require_safe
def public_reports(request: HttpRequest) -> HttpResponse:
    return page(request, _form(published_only=True), public=True)


@require_safe
def public_download(request: HttpRequest) -> HttpResponse:
    return _download(request, public=True)
