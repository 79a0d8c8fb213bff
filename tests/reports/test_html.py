"""The HTML report: one self-contained, accessible, printable file.

GIVEN the seed's 2020/21 Q2 report as data, WHEN it is rendered to HTML,
THEN it holds the seed's content, its links and landmarks work, it refers to
nothing outside itself, and Chromium opens it without an error, lays it out
on a phone without sideways scrolling and prints it one indicator a page.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import sys
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from django.utils.html import escape
from report_helpers import contrast, seed_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import session_browser

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import ReportContext, build_context
from perfreport.reports.html import render_html
from perfreport.reports.style import TAG_COLOURS

pytestmark = pytest.mark.django_db

CONTACT = "business.intelligence@cambridgeshire.gov.uk"
CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ChartRenderer(cache_dir=None)  # shared, so each chart is drawn once per run


def seed_context(**settings: object) -> ReportContext:
    options: dict[str, object] = {"contact": CONTACT, "produced_on": date(2020, 12, 16)}
    options.update(settings)
    return build_context(evaluate_period(parse_period("2020/21 Q2")), seed_settings(**options))


@pytest.fixture
def context(imported_example) -> ReportContext:
    return seed_context()


@pytest.fixture
def html(context) -> str:
    return render_html(context, CHARTS)


def section_html(html: str, anchor: str) -> str:
    """The markup of one indicator's section."""
    start = html.index(f'<section class="indicator" id="{anchor}"')
    return html[start : html.index("</section>", start)]


class Outline(HTMLParser):
    """What the tests need to know about a page's markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.table_opened = 0
        self.table_captions = 0
        self.text_by_id: dict[str, str] = {}
        self._open_ids: list[tuple[str, str]] = []
        self._buffer: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
            self._open_ids.append((tag, attributes["id"] or ""))
            self._buffer[attributes["id"] or ""] = []
        if tag == "a" and attributes.get("href") is not None:
            self.hrefs.append(attributes["href"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.table_opened += 1
        if tag == "caption":
            self.table_captions += 1

    def handle_endtag(self, tag: str) -> None:
        if self._open_ids and self._open_ids[-1][0] == tag:
            _, element_id = self._open_ids.pop()
            self.text_by_id[element_id] = " ".join("".join(self._buffer[element_id]).split())

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open_ids:
            self._buffer[element_id].append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


# -- content -----------------------------------------------------------------


def test_it_holds_the_seeds_content(context, html):
    for section in context.sections:
        assert escape(section.title) in section_html(html, section.anchor)
    assert "97.83%" in section_html(html, "indicator-180")
    assert "432,584" in section_html(html, "indicator-189")
    assert "83.4% is 6.6 percentage points (7.3%) below the 90.0% target" in section_html(
        html, "indicator-194"
    )
    assert "Corporate Performance Report" in html
    assert "Quarter 2" in html
    assert "2020/21 financial year" in html
    assert "Produced on" in html and "16 December 2020" in html
    assert f'href="mailto:{CONTACT}"' in html


def test_it_says_where_actions_are_missing_and_which_rating_was_printed(html):
    assert "Actions missing: the Key expects actions for every Red indicator" in section_html(
        html, "indicator-188"
    )
    assert "Actions missing" not in section_html(html, "indicator-182")  # 182 has actions
    assert "Printed: Amber" in section_html(html, "indicator-188")
    assert "Printed: Amber" in section_html(html, "indicator-187")
    assert "Printed:" not in section_html(html, "indicator-180")


def test_a_rating_is_a_tag_with_a_symbol_and_a_label_never_colour_alone(html):
    tags = re.findall(r'<strong class="tag tag--(\w+)">(.*?)</strong>', html)
    assert tags
    for key, inner in tags:
        assert key in TAG_COLOURS
        text = re.sub(r"<[^>]+>", "", inner).split()
        assert len(text) == 2, inner  # a symbol, then a label
        symbol, label = text
        assert not symbol.isalnum() and label[0].isupper()
    assert (
        '<strong class="tag tag--red"><span class="tag__symbol" aria-hidden="true">✖</span> Red</strong>'
        in section_html(html, "indicator-182")
    )


def test_the_summary_lists_exceptions_first_and_every_indicator_by_service(context, html):
    summary = html[html.index('id="summary"') : html.index('id="key"')]
    exceptions = summary[summary.index('id="exceptions"') : summary.index('id="all-indicators"')]
    assert re.findall(r'href="#(indicator-\d+)"', exceptions) == [
        e.anchor for e in context.summary.exceptions
    ]
    assert "Rated Red with no actions" in exceptions
    overview = summary[summary.index('id="all-indicators"') :]
    assert re.findall(r'href="#(indicator-\d+)"', overview) == [s.anchor for s in context.sections]
    for group in context.summary.groups:
        assert (
            f'<th role="rowheader" scope="rowgroup" colspan="7">{escape(group.heading)}</th>'
            in overview
        )
    for count in context.summary.rating_counts:
        assert f'<span class="counts__number">{count.count}</span>' in summary


def test_the_key_lists_its_items_and_ratings(context, html):
    key = html[html.index('id="key"') :]
    for entry in context.key.items:
        assert escape(entry.term) in key
    for meaning in (line.meaning for line in context.key.ratings):
        assert escape(meaning) in key


def test_useful_links_are_real_links(context, html):
    for section in context.sections:
        part = section_html(html, section.anchor)
        for title, url in section.links:
            assert f'<a href="{escape(url)}">{escape(title)}</a>' in part
    assert 'href="https://www.gov.uk/government/publications/single-data-list"' in html


# -- structure and accessibility ---------------------------------------------


def test_it_is_one_document_with_landmarks_and_one_h1(context, html):
    page = outline(html)
    tags = [tag for tag, _ in page.tags]
    assert html.startswith("<!doctype html>")
    assert '<html lang="en-GB">' in html
    assert re.search(
        r"<title>[^<]*Corporate Performance Report: Quarter 2 2020/21[^<]*</title>", html
    )
    for landmark in ("header", "nav", "main", "footer"):
        assert tags.count(landmark) == 1, landmark
    assert page.headings.count(1) == 1


def test_heading_levels_never_skip(html):
    levels = outline(html).headings
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def test_every_link_within_the_page_has_a_target_and_every_section_is_in_the_contents(
    context, html
):
    page = outline(html)
    ids = set(page.ids)
    assert len(ids) == len(page.ids), "an id is used twice"
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href
    nav = html[html.index("<nav") : html.index("</nav>")]
    for section in context.sections:
        assert section.anchor in ids
        assert f'href="#{section.anchor}"' in nav
    assert 'href="#summary"' in nav and 'href="#key"' in nav


def test_tables_have_captions_and_header_cells_have_a_scope(html):
    page = outline(html)
    assert page.table_opened > 17 * 3
    assert page.table_captions == page.table_opened
    for tag, attributes in page.tags:
        if tag == "th":
            assert attributes.get("scope") in {"col", "row", "rowgroup", "colgroup"}, attributes


def test_each_chart_is_an_inline_svg_named_by_its_caption_with_a_table_beside_it(context, html):
    page = outline(html)
    for section in context.sections:
        part = section_html(html, section.anchor)
        caption_id = f"{section.anchor}-chart-caption"
        assert "<figure>" in part
        assert f'<svg role="img" aria-labelledby="{caption_id}"' in part
        caption = f"{section.chart.alt_text} {chart_key(section.chart)}"
        assert page.text_by_id[caption_id] == " ".join(caption.split())
        assert "Values and targets" in part
        for row in section.history:
            assert escape(row.value) in part


def test_it_refers_to_nothing_outside_itself(context, html, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(CHARTS.png(trend_spec(context.sections[0].chart), scale=1))
    with_logo = render_html(seed_context(logo=logo), CHARTS)
    for page in (html, with_logo):
        assert 'src="http' not in page
        assert "<link" not in page
        assert "<script" not in page
        assert "@import" not in page
        assert "url(" not in page
        assert 'src="file' not in page and str(tmp_path) not in page
    assert '<img class="header__logo" src="data:image/png;base64,' in with_logo


def test_a_missing_logo_file_is_left_out(imported_example, tmp_path):
    page = render_html(seed_context(logo=tmp_path / "nowhere.png"), CHARTS)
    assert "<img" not in page


def test_text_and_tag_colours_have_at_least_4_5_to_1_contrast(html):
    for text, background in TAG_COLOURS.values():
        assert contrast(text, background) >= 4.5, (text, background)
        assert f"color: {text}; background-color: {background};" in html
    css = html[html.index("<style>") : html.index("</style>")]
    colours = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6});", css))
    for name in ("text", "secondary", "link", "link-visited", "link-hover"):
        assert contrast(colours[name], "#ffffff") >= 4.5, name
    assert contrast(colours["text"], colours["focus"]) >= 4.5  # focused links


def test_print_styles_break_pages_show_links_and_set_a4(html):
    css = html[html.index("<style>") : html.index("</style>")]
    assert "@page { size: A4;" in css
    printing = css[css.index("@media print") :]
    assert ".indicator { break-before: page;" in printing
    assert 'a[href^="http"]::after { content: " (" attr(href) ")"' in printing
    assert ":focus" in css


def test_everything_from_the_data_is_escaped(context):
    first = context.sections[0]
    hostile = dataclasses.replace(
        first,
        title='<script>alert("title")</script>',
        commentary=("<img src=x onerror=alert(1)>", "line one\nline two"),
        links=(("Bad link", "javascript:alert(1)"), ("Good link", "https://example.org/?a=1&b=2")),
        source="Source & <b>bold</b>",
    )
    page = render_html(
        dataclasses.replace(context, sections=(hostile, *context.sections[1:])), CHARTS
    )
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert 'href="https://example.org/?a=1&amp;b=2"' in page
    assert "line one<br>line two" in page
    assert "Source &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_an_indicator_without_values_still_renders(context):
    first = context.sections[0]
    empty = dataclasses.replace(
        first,
        current="No value",
        current_period="",
        previous="No value",
        previous_period="",
        change=None,
        rating=None,
        stated_rating=None,
        rating_differs=False,
        explanation="",
        chart=dataclasses.replace(first.chart, points=(), latest_rating=None),
        history=(),
        description=(),
        commentary=(),
        actions=(),
        links=(),
    )
    page = render_html(dataclasses.replace(context, sections=(empty,)), CHARTS)
    part = section_html(page, first.anchor)
    assert "No value" in part
    assert "No values to chart" in part
    assert "<figure>" not in part
    assert "Not rated" in part
    assert "No earlier value" in part


def test_the_sections_follow_the_settings_order(imported_example):
    page = render_html(seed_context(sections=("cover", "key", "summary")), CHARTS)
    assert page.index('id="key"') < page.index('id="summary"')
    assert 'class="indicator"' not in page
    assert outline(page).headings.count(1) == 1


# -- in a browser ------------------------------------------------------------


@pytest.mark.slow
def test_chromium_opens_it_without_errors_and_prints_a_page_per_indicator(context, html, tmp_path):
    assert CHROMIUM.exists(), (
        f"no Chromium at {CHROMIUM}: `make install` installs Debian's chromium"
    )
    import pypdf

    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    problems: list[str] = []
    # The session's Chromium (tests/web/browser.py); each new page has a context of its own.
    with session_browser() as browser:
        page = None
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.on(
                    "console",
                    lambda message: (
                        problems.append(message.text) if message.type == "error" else None
                    ),
                )
                page.on("pageerror", lambda error: problems.append(str(error)))
                page.on(
                    "request",
                    lambda request: (
                        None
                        if request.url.startswith(("file:", "data:"))
                        else problems.append(f"fetched {request.url}")
                    ),
                )
                page.goto(path.as_uri())
                shot = page.screenshot(full_page=True)
                assert shot.startswith(b"\x89PNG") and len(shot) > 50_000
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                    f"the page scrolls sideways at {width} px"
                )
                # one trend chart per indicator; the SPC icons are images too, outside figures
                assert (
                    page.evaluate("document.querySelectorAll('figure svg[role=img]').length") == 17
                )
                page.close()
            page = browser.new_page()
            page.goto(path.as_uri())
            pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            if page is not None:
                page.close()
    assert problems == []

    pages = [p.extract_text() or "" for p in pypdf.PdfReader(BytesIO(pdf)).pages]
    assert len(pages) >= 18
    width, height = (float(x) for x in pypdf.PdfReader(BytesIO(pdf)).pages[0].mediabox[2:])
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    headings = [f"Indicator {s.ref}:" for s in context.sections]
    for heading in headings:
        own = [
            p for p in pages if heading in p and not any(h in p for h in headings if h != heading)
        ]
        assert own, f"{heading} does not start a page of its own"
    assert any(
        "(https://www.gov.uk/government/publications/single-data-list)" in p.replace("\n", "")
        for p in pages
    )
