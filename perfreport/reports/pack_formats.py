"""The exception pack in every format: one renderer per format, in one dict."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.template import Context

from perfreport.reports.html import _logo_data_uri, contact_href, engine
from perfreport.reports.language import in_language, tag
from perfreport.reports.pack import PackContext
from perfreport.reports.service import FORMATS, ReportError
from perfreport.reports.style import TAG_COLOURS


def render_pack_html(context: PackContext) -> bytes:
    """The pack as one self-contained, accessible HTML page (no charts, no script)."""
    report = context.report
    data = {
        "pack": context,
        "cover": report.cover,
        "summary": context.summary,
        "key": report.key,
        "logo": _logo_data_uri(report.cover.logo),
        "contact_href": contact_href(report.cover.contact),
        "tag_colours": TAG_COLOURS,
        "lang": tag(report.language),
    }
    html = engine().get_template("reports/pack.html").render(Context(data, autoescape=True))
    return html.encode("utf-8")


def _pdf(context: PackContext) -> bytes:
    from perfreport.reports.pack_pdf import render_pack_pdf

    return render_pack_pdf(context)


def _docx(context: PackContext) -> bytes:
    from perfreport.reports.pack_docx import render_pack_docx

    return render_pack_docx(context)


def _xlsx(context: PackContext) -> bytes:
    from perfreport.reports.pack_xlsx import render_pack_xlsx

    return render_pack_xlsx(context)


RENDERERS: dict[str, Callable[[PackContext], bytes]] = {
    "pdf": _pdf,
    "html": render_pack_html,
    "docx": _docx,
    "xlsx": _xlsx,
}


def render_pack(context: PackContext | Sequence[PackContext], fmt: str) -> bytes:
    """``context`` as a document in ``fmt`` (one of FORMATS), in its language."""
    if fmt not in RENDERERS:
        raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    parts = [context] if isinstance(context, PackContext) else list(context)
    if len(parts) > 1:
        raise ReportError("the exception pack is made in one language at a time: choose cy or en")
    with in_language(parts[0].report.language):
        return RENDERERS[fmt](parts[0])
