"""What a subscription sends: the report of a period, built from published
figures only (whoever it goes to), as a file or as the address of the same
file on the public reports page, and its name in words.

The file is the one the public reports page serves for the same choice (the
PDF is the tagged PDF/UA report), so a link and an attachment never differ.
Each (report, directorate, format, period) is made once a run, however many
people it goes to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from perfreport.accounts.emails import site_url
from perfreport.core.periods import Period
from perfreport.data.selectors import home_organisation
from perfreport.distribution.models import Delivery, ReportKind
from perfreport.registry.bilingual import text
from perfreport.registry.models import PlanItem
from perfreport.reports.context import DEFAULT_TITLE, ReportSettings
from perfreport.reports.service import MEDIA_TYPES, ReportError, report_context
from perfreport.reports.service import render as render_report

# The plan section as its own document: the cover (who, what, when) and the plan.
PLAN_SECTIONS = ("cover", "plan")


@dataclass(frozen=True)
class Choice:
    """One report of one period: what a subscription asks for, made concrete."""

    report: str  # a ReportKind
    directorate: str  # the directorate's name for a directorate's report, else ""
    period: Period

    def title(self) -> str:
        """The organisation's report title, else the default."""
        home = home_organisation()
        return (text(home, "report_title") if home else "") or _(DEFAULT_TITLE)

    def words(self) -> str:
        """The report as a sentence names it: "Performance report",
        "Performance report for Housing", "plan section of the Performance
        report", "exception pack of the Performance report"."""
        title = self.title()
        return {
            ReportKind.FULL: "%(title)s",
            ReportKind.DIRECTORATE: _("%(title)s for %(directorate)s"),
            ReportKind.PLAN: _("plan section of the %(title)s"),
            ReportKind.EXCEPTIONS: _("exception pack of the %(title)s"),
        }[ReportKind(self.report)] % {"title": title, "directorate": self.directorate}

    def heading(self) -> str:
        """The report and its period, as a subject line ends: "Exception pack
        of the Performance report, Quarter 3 2020/21"."""
        words = self.words()
        return _("%(report)s, %(period)s") % {
            "report": f"{words[:1].upper()}{words[1:]}",
            "period": self.period.long_label,
        }

    def file_name(self, fmt: str) -> str:
        parts = [self.title(), self.report if self.report != ReportKind.FULL else ""]
        parts += [self.period.label, self.directorate]
        return "-".join(_slug(p) for p in parts if p) + f".{fmt}"

    def link(self) -> str:
        """The published PDF's address on the public reports page."""
        query: list[tuple[str, str]] = [("period", self.period.label), ("format", "pdf")]
        if self.report == ReportKind.DIRECTORATE:
            query.append(("directorate", self.directorate))
        elif self.report == ReportKind.PLAN:
            query += [("sections", name) for name in PLAN_SECTIONS]
        elif self.report == ReportKind.EXCEPTIONS:
            query.append(("pack", "exceptions"))
        return site_url(reverse("web:public_report_download")) + "?" + urlencode(query)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes
    media_type: str


def make_document(choice: Choice, fmt: str) -> Document:
    """The report as a file in ``fmt`` (pdf or docx), from published figures
    only. Raises ReportError when there is nothing published to report."""
    if fmt not in (Delivery.PDF, Delivery.DOCX):
        raise ValueError(f"no document for {fmt!r}")
    if choice.report == ReportKind.EXCEPTIONS:
        content = _pack(choice, fmt)
    else:
        sections = PLAN_SECTIONS if choice.report == ReportKind.PLAN else None
        if sections and not PlanItem.objects.exists():
            raise ReportError(_("there is no plan to send: import one, or send another report"))
        settings = ReportSettings(sections=sections) if sections else ReportSettings()
        context = report_context(
            choice.period,
            settings,
            directorate=choice.directorate or None,
            published_only=True,
        )
        content = render_report(context, fmt)
    return Document(choice.file_name(fmt), content, MEDIA_TYPES[fmt])


def _pack(choice: Choice, fmt: str) -> bytes:
    from perfreport.reports.pack import pack_context
    from perfreport.reports.pack_formats import render_pack

    context = pack_context(choice.period, ReportSettings(), published_only=True)
    return render_pack(context, fmt)
