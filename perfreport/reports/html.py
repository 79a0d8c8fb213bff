"""The report as one self-contained HTML file: semantic, printable, accessible.

Everything the page needs is inside it: the CSS inline, the charts as inline
SVG, the logo as a ``data:`` URI. There is no JavaScript. The template is
rendered by a standalone Django template engine with autoescaping on, so the
report needs no Django settings beyond what the context builder already used;
the only markup marked safe is the SVG that vl-convert drew.

Printing it (or "Save as PDF" in a browser) gives A4 pages, each indicator
starting a new page, with the web addresses of links written out.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from perfreport.reports.chart_specs import section_spc_spec
from perfreport.reports.charts import ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import IndicatorSection, ReportContext, as_parts
from perfreport.reports.language import in_language, tag
from perfreport.reports.spc_icons import assurance_icon, variation_icon
from perfreport.reports.style import TAG_COLOURS

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "reports/report.html"


@cache
def engine() -> Engine:
    """A template engine of its own: the report is not a Django app, and needs none."""
    return Engine(
        dirs=[str(TEMPLATES)],
        autoescape=True,
        debug=False,
        libraries={
            "i18n": "django.templatetags.i18n",
            "bilingual": "perfreport.registry.templatetags.bilingual",
        },
    )


SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class _Indicator:
    section: IndicatorSection
    chart: SafeString | None  # the SVG, already carrying its role and accessible name
    chart_caption_id: str  # the figcaption that names the chart
    chart_key: str  # the chart's key in words, under it
    links: tuple[tuple[str, str], ...]  # (title, href); href "" when not a web or mail address
    spc_chart: SafeString | None = None  # the SPC chart (XmR only), named by its caption
    spc_caption_id: str = ""
    spc_alt: str = ""
    variation_icon: SafeString | None = None  # each icon names itself (role="img", <title>)
    assurance_icon: SafeString | None = None


def render_html(context: ReportContext | Sequence[ReportContext], charts: ChartRenderer) -> str:
    """The whole report as one HTML document (a string): one report, or a
    bilingual one, the Welsh part then the English, each marked with its
    language (``lang``) and its own anchors."""
    parts = as_parts(context)
    pages = []
    for part in parts:
        with in_language(part.language):
            pages.append(_render_one(part, charts))
    if len(parts) == 1:
        return pages[0]
    return _together(pages, [part.language for part in parts])


_HEAD = re.compile(r"(?s)^(.*?<body>)(.*)(</body>.*)$")
_IDS = re.compile(
    r'\b(id|aria-labelledby|aria-describedby|for)="([^"]+)"|href="#([^"]*)"|url\(#([^)]*)\)'
)


def _together(pages: list[str], languages: list[str]) -> str:
    """The parts' bodies in one page under the first part's head, each in a
    ``div`` with its ``lang``, its ids and links to them prefixed by its language."""
    head = _HEAD.match(pages[0])
    assert head is not None
    bodies = []
    for page, language in zip(pages, languages, strict=True):
        found = _HEAD.match(page)
        assert found is not None
        body = _IDS.sub(lambda m, p=f"{language}-": _prefix_ids(m, p), found.group(2))
        bodies.append(f'<div lang="{tag(language)}" class="language-part">{body}</div>')
    return head.group(1) + "\n".join(bodies) + head.group(3)


def _prefix_ids(match: re.Match[str], prefix: str) -> str:
    if match.group(3) is not None:
        return f'href="#{prefix}{match.group(3)}"'
    if match.group(4) is not None:
        return f"url(#{prefix}{match.group(4)})"
    ids = " ".join(prefix + name for name in match.group(2).split())
    return f'{match.group(1)}="{ids}"'


def _render_one(context: ReportContext, charts: ChartRenderer) -> str:
    sections = context.settings.sections
    indicators = (
        [_indicator(s, charts) for s in context.sections] if "indicators" in sections else []
    )
    data = {
        "report": context,
        "cover": context.cover,
        "summary": context.summary,
        "key": context.key,
        "order": [
            name
            for name in sections
            if name != "cover" and (name != "plan" or context.plan is not None)
        ],
        "plan": context.plan if "plan" in sections else None,
        "has_indicators": "indicators" in sections,
        "show_cover": "cover" in sections,
        "indicators": indicators,
        "logo": _logo_data_uri(context.cover.logo),
        "contact_href": contact_href(context.cover.contact),
        "tag_colours": TAG_COLOURS,
        "lang": tag(context.language),
    }
    return engine().get_template(TEMPLATE).render(Context(data, autoescape=True))


def _indicator(section: IndicatorSection, charts: ChartRenderer) -> _Indicator:
    caption_id = f"{section.anchor}-chart-caption"
    links = tuple((title, safe_href(url)) for title, url in section.links)
    chart = None
    if section.chart.points:
        chart = _accessible_svg(charts.svg(trend_spec(section.chart)), caption_id)
    return _Indicator(
        section, chart, caption_id, chart_key(section.chart), links, **_spc(section, charts)
    )


def _spc(section: IndicatorSection, charts: ChartRenderer) -> dict[str, Any]:
    """The SPC block's pictures: the icons (trusted SVG from spc_icons) and the chart."""
    block = section.spc
    if block is None:
        return {}
    found: dict[str, Any] = {
        "variation_icon": mark_safe(variation_icon(block.variation)) if block.variation else None,
        "assurance_icon": mark_safe(assurance_icon(block.assurance)) if block.assurance else None,
    }
    spec = section_spc_spec(section)
    if spec is not None:
        caption_id = f"{section.anchor}-spc-caption"
        found["spc_chart"] = _accessible_svg(charts.svg(spec), caption_id)
        found["spc_caption_id"] = caption_id
        found["spc_alt"] = spec["description"]
    return found


def safe_href(url: str) -> str:
    """``url`` if it is a web or mail address, else "" (no ``javascript:`` links)."""
    url = url.strip()
    return url if url.lower().startswith(SAFE_SCHEMES) else ""


def _accessible_svg(svg: str, caption_id: str) -> SafeString:
    """vl-convert's SVG as one image, named by the figure's caption (the alt text).

    The SVG is trusted: vl-convert writes it and escapes the text in it. What
    is added here is an id made of letters, digits and hyphens, and escaped too.
    """
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("the chart renderer did not return an SVG")
    attributes = f'<svg role="img" aria-labelledby="{escape(caption_id)}" focusable="false" '
    return mark_safe(svg[start:].replace("<svg ", attributes, 1))


def _logo_data_uri(logo: Path | None) -> str:
    """The logo inlined, so the file stands alone; no logo if the file is missing."""
    if logo is None:
        return ""
    path = Path(logo)
    if not path.is_file():
        return ""
    mime = mimetypes.guess_type(path.name)[0] or ""
    if not mime.startswith("image/"):
        return ""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def contact_href(contact: str) -> str:
    """A link for the contact: mailto for an e-mail address, the address for a web page."""
    text = contact.strip()
    if not text or " " in text:
        return ""
    if text.startswith(("http://", "https://")):
        return text
    if "@" in text:
        return f"mailto:{text}"
    return ""
