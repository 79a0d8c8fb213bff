"""GIVEN the seed's Q2 2020/21 report as data, THEN the PDF is a tagged A4
document whose text, page breaks, links and metadata are those of the report;
odd data (long commentary, no value, markup characters) still gives good pages.

The PDF is read back with poppler (pdfinfo, pdftotext) and pypdf, never with
the code that wrote it.
"""

from __future__ import annotations

import functools
import json
import re
import struct
import subprocess
import zlib
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from report_helpers import contrast, seed_settings

from perfreport.core.periods import parse_period
from perfreport.core.rating import Rating
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ChartData, ReportContext, build_context
from perfreport.reports.pdf import render_pdf, report_data
from perfreport.reports.style import TAG_COLOURS

# poppler-utils (pdftotext, pdfinfo) is installed by `make install`; without it these fail.
pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cambridgeshire-2020-21-q2"
HEADER = "Corporate Performance Report Quarter 2 2020/21"  # the running header
SEED_TITLES = {
    "180": "Premises with access to superfast broadband",
    "181": "Take-up of superfast broadband",
    "182": "Freedom of Information requests completed on time",
    "183": "Subject Access Requests completed within statutory timescales",
    "184": "Statutory returns completed on time",
    "185": "Statutory inspection datasets completed on time",
    "186": "Resident survey result",
    "187": "Staff engagement",
    "188": "Better Connected website rating",
    "189": "Unique web sessions",
    "190": "Information and advice enquiries resolved by Customer Services",
    "191": "Calls answered by Customer Services",
    "192": "Avoidable contacts",
    "193": "Services with up-to-date business continuity plans",
    "194": "IT incidents resolved on time",
    "195": "IT requests fulfilled on time",
    "196": "Universal Business System availability",
}


# -- helpers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def charts() -> ChartRenderer:
    return ChartRenderer(None)  # in memory: shared by the module's tests, so warm after one


def seed_context() -> ReportContext:
    settings = seed_settings(produced_on=date(2020, 12, 16))
    return build_context(evaluate_period(parse_period("2020/21 Q2")), settings)


@pytest.fixture
def context(imported_example: None) -> ReportContext:
    return seed_context()


@pytest.fixture(scope="module")
def seed_pdf(
    charts: ChartRenderer,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: Any,
) -> Path:
    """The seed's report as a PDF, made once for the module (the tests only
    read it): the example is imported in a transaction of its own, which is
    rolled back as soon as the PDF is made."""
    from django.db import transaction

    from perfreport.imports.service import import_path

    with django_db_blocker.unblock(), transaction.atomic():
        import_path(EXAMPLE)
        pdf = render_pdf(seed_context(), charts)
        transaction.set_rollback(True)
    path = tmp_path_factory.mktemp("seed-pdf") / "seed.pdf"
    path.write_bytes(pdf)
    return path


def write(tmp_path: Path, pdf: bytes, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    )


def pdftotext(path: Path, *, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Text with every run of white space as one space: lines wrap where they will."""
    return re.sub(r"\s+", " ", text)


def page_texts(path: Path) -> list[str]:
    stat = path.stat()  # the same file unchanged: its pages read once
    return list(_page_texts(path, stat.st_mtime_ns, stat.st_size))


@functools.cache
def _page_texts(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(squash(page.extract_text() or "").strip() for page in PdfReader(path).pages)


def pages_starting(path: Path) -> dict[str, int]:
    """Indicator ref -> the page (from 0) whose body starts with its heading."""
    found = {}
    for number, text in enumerate(page_texts(path)):
        match = re.match(rf"{HEADER} Indicator (\d+):", text)
        if match:
            found[match.group(1)] = number
    return found


def structure(path: Path) -> tuple[Counter[str], list[str]]:
    """The PDF's structure tree: how many of each tag, and the figures' alt texts."""
    tags: Counter[str] = Counter()
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return  # a marked-content id
        tag = node.get("/S")
        if tag:
            tags[str(tag)] += 1
        if tag == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return tags, alts


def tiny_png(path: Path) -> Path:
    """A 2×2 red PNG, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


def section(context: ReportContext, ref: str):
    return next(s for s in context.sections if s.ref == ref)


def with_section(context: ReportContext, ref: str, **changes) -> ReportContext:
    sections = tuple(replace(s, **changes) if s.ref == ref else s for s in context.sections)
    return replace(context, sections=sections)


# -- the seed -------------------------------------------------------------------


def test_the_seed_is_a_tagged_a4_pdf_with_its_title_author_and_language(seed_pdf):
    assert seed_pdf.read_bytes().startswith(b"%PDF")
    info = pdfinfo(seed_pdf)

    assert info["Tagged"] == "yes"
    assert "(A4)" in info["Page size"]
    assert info["Title"] == "Corporate Performance Report: Quarter 2 2020/21"
    assert info["Author"] == "Cambridgeshire County Council"
    catalog = PdfReader(seed_pdf).trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "pdfuaid:part" in catalog["/Metadata"].get_object().get_data().decode()


def test_every_indicator_and_the_figures_the_report_prints_are_in_the_text(seed_pdf):
    text = squash(pdftotext(seed_pdf))

    for ref, title in SEED_TITLES.items():
        assert f"Indicator {ref}: {title}" in text
    for figure in ("97.83%", "99.00%", "432,584", "96.8%", "10.4%"):
        assert figure in text
    assert "83.4% is 6.6 percentage points (7.3%) below the 90.0% target" in text
    assert "Produced on: 16 December 2020" in text
    assert "business.intelligence@cambridgeshire.gov.uk" in text
    assert "Red – off target by more than 10%" not in text  # the Key is a table, not a line
    assert "off target by more than 10%" in text
    assert "Data Item" in text and "Explanation" in text
    assert "Page 3 of " in text


def test_rag_symbols_are_drawn_in_an_embedded_font(seed_pdf):
    text = pdftotext(seed_pdf)
    for symbol in "✖▲✔★◇○▼▶↑":
        assert symbol in text, symbol
    fonts = subprocess.run(
        ["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    families = {row[0].split("+")[-1] for row in rows}
    # DejaVu Sans for the text and symbols; Liberation Sans, shipped with the
    # package, for the charts (the font vl-convert measured their labels in).
    assert families == {"DejaVuSans", "DejaVuSans-Bold", "LiberationSans", "LiberationSans-Bold"}
    assert all(row[-5] == "yes" for row in rows)  # emb


def test_each_indicator_starts_a_new_page_in_report_order(seed_pdf):
    starts = pages_starting(seed_pdf)

    assert list(starts) == list(SEED_TITLES)
    assert len(set(starts.values())) == len(starts)
    assert list(starts.values()) == sorted(starts.values())
    texts = page_texts(seed_pdf)
    for text in texts[starts["180"] :]:  # no page holds two indicators
        assert len(re.findall(r"Indicator \d+: ", text)) <= 1


def test_pages_are_numbered_page_n_of_m(seed_pdf):
    texts = page_texts(seed_pdf)
    total = len(texts)
    for number, text in enumerate(texts[1:], start=2):  # the cover has no footer
        assert f"Page {number} of {total}" in text


def test_the_cover_comes_first_then_contents_summary_and_key(seed_pdf):
    texts = page_texts(seed_pdf)

    assert "Corporate Performance Report" in texts[0] and "Quarter 2" in texts[0]
    assert "2020/21 financial year" in texts[0] and "Corporate Services" in texts[0]
    assert "Business Intelligence" in texts[0]
    assert "Contents" in texts[1]
    summary = next(i for i, t in enumerate(texts) if t.startswith(f"{HEADER} Summary 17 "))
    key = next(i for i, t in enumerate(texts) if t.startswith(f"{HEADER} Key Data Item"))
    assert 1 < summary < key < pages_starting(seed_pdf)["180"]


def test_the_summary_counts_exceptions_and_table(seed_pdf):
    text = squash(pdftotext(seed_pdf, layout=False))

    assert "17 indicators are reported for Quarter 2 2020/21" in text
    for label, count in (("Red", 3), ("Amber", 2), ("Green", 5), ("Blue", 3), ("Baseline", 1)):
        assert re.search(rf"{label} {count}\b", text), label
    assert "Rated Red with no actions" in text
    exceptions = text[text.index("Why it is listed") : text.index("All indicators")]
    order = [exceptions.index(f"Indicator {ref}:") for ref in ("182", "183", "188", "187", "190")]
    assert order == sorted(order)  # Red first, then what the checks found
    assert "Corporate Services – Digital Infrastructure" in text


def test_actions_missing_and_printed_ratings_are_shown(context, seed_pdf):
    texts = page_texts(seed_pdf)
    starts = pages_starting(seed_pdf)

    page_188 = texts[starts["188"]]
    assert "Actions missing: the Key expects actions for every Red indicator" in page_188
    assert "Printed: Amber" in page_188
    assert "Printed: Amber" in texts[starts["187"]]
    assert "Actions missing" not in texts[starts["182"]]  # Red, with actions
    assert "Printed:" not in texts[starts["180"]]
    assert "The data checks found" in page_188
    assert section(context, "188").actions_missing


def test_the_rating_shows_its_symbol_label_and_explanation(seed_pdf):
    texts = page_texts(seed_pdf)
    starts = pages_starting(seed_pdf)

    page_194 = texts[starts["194"]]
    assert "▲ Amber" in page_194
    assert "83.4% is 6.6 percentage points (7.3%) below the 90.0% target: Amber" in page_194
    assert "✖ Red" in texts[starts["182"]]
    assert "Direction for Improvement" in page_194 and "Current Month" in page_194
    assert "Statistical Neighbours Mean" in page_194 and "England Mean" in page_194


def test_the_contents_bookmarks_and_cross_references_are_links(seed_pdf):
    reader = PdfReader(seed_pdf)
    bookmarks = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert bookmarks[:2] == ["Summary", "Key"]
    assert [b for b in bookmarks if b.startswith("Indicator ")] == [
        f"Indicator {ref}: {title}" for ref, title in SEED_TITLES.items()
    ]

    links = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object()["/Subtype"] == "/Link"
    ]
    contents_links = [
        a for a in reader.pages[1].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"
    ]
    assert len(contents_links) >= 2 + len(SEED_TITLES)
    named = {str(a["/Dest"]) for a in links if isinstance(a.get("/Dest"), str)}
    assert {f"indicator-{ref}" for ref in SEED_TITLES} <= named  # summary -> sections
    uris = {a["/A"]["/URI"] for a in links if "/A" in a}
    assert "https://socitm.net/" in uris
    assert "mailto:business.intelligence@cambridgeshire.gov.uk" in uris


def test_the_structure_is_tagged_headings_tables_and_figures_with_alt_text(context, seed_pdf):
    tags, alts = structure(seed_pdf)

    # each indicator: its trend chart, then its SPC icons (the seed's series are too short for SPC charts)
    expected = []
    for s in context.sections:
        expected.append(s.chart.alt_text)
        if s.spc is not None:
            expected += [s.spc.variation.description] if s.spc.variation else []
            expected += [s.spc.assurance.description] if s.spc.assurance else []
    assert alts == expected
    assert tags["/Title"] == 1  # the cover's title
    assert tags["/H1"] == 1 + 2 + len(SEED_TITLES)  # contents, summary, key, indicators
    assert tags["/H2"] >= 5 * len(SEED_TITLES)
    # every table has a tagged header row: 2 on each indicator page, 1 for the
    # history; the summary's counts (2), exceptions (1) and one per group; the Key's 2
    groups = len(context.summary.groups)
    assert tags["/Table"] == tags["/THead"] == 3 * len(SEED_TITLES) + 3 + groups + 2
    assert tags["/TH"] > 0 and tags["/TOCI"] == 2 + len(SEED_TITLES)
    assert tags["/Link"] >= 2 * len(SEED_TITLES)


def test_rag_tags_have_at_least_4_5_to_1_contrast():
    for key, (text, background) in TAG_COLOURS.items():
        assert contrast(text, background) >= 4.5, key
    assert set(TAG_COLOURS) == {r.value for r in Rating} | {"none"}


def test_very_long_commentary_flows_over_pages_and_the_next_indicator_starts_fresh(
    context, charts, tmp_path
):
    paragraph = "The service reviewed its backlog and recorded every step of it. " * 12
    commentary = (*(f"Paragraph {n}. {paragraph}" for n in range(1, 41)), "THE VERY END.")
    long = with_section(context, "182", commentary=commentary)
    path = write(tmp_path, render_pdf(long, charts))

    starts = pages_starting(path)
    assert list(starts) == list(SEED_TITLES)
    assert starts["183"] - starts["182"] >= 3
    text = squash(pdftotext(path))
    assert "Paragraph 40." in text and "THE VERY END." in text
    assert pdfinfo(path)["Tagged"] == "yes"


def test_an_indicator_with_no_value_no_history_and_no_description_still_has_its_page(
    context, charts, tmp_path
):
    s = section(context, "186")
    empty_chart = ChartData(
        title=s.title,
        unit=s.chart.unit,
        decimals=s.chart.decimals,
        points=(),
        latest_rating=None,
        neighbours=None,
        england=None,
        higher_is_better=True,
    )
    bare = with_section(
        context,
        "186",
        current="No value",
        current_period="",
        previous="No value",
        previous_period="",
        change=None,
        rating=None,
        stated_rating=None,
        rating_differs=False,
        explanation="",
        description=(),
        source="",
        commentary=(),
        actions=(),
        links=(),
        chart=empty_chart,
        history=(),
        findings=(),
    )
    path = write(tmp_path, render_pdf(bare, charts))

    starts = pages_starting(path)
    page = page_texts(path)[starts["186"]]
    assert "Indicator 186: Resident survey result" in page
    assert "No value" in page and "Not rated" in page and "No earlier value" in page
    assert "No values to chart for Resident survey result." in page
    assert "No description has been recorded" in page
    assert "No commentary has been given" in page
    assert starts["187"] == starts["186"] + 1


def test_markup_characters_in_the_data_are_printed_as_they_are(context, charts, tmp_path):
    nasty = r"Cost #1 *of* _all_ $x$ [y] <z> @ref ~ `code` = - + / \ // <!-- #let x = 1"
    odd = with_section(
        context,
        "189",
        title=nasty,
        commentary=(nasty, "= Not a heading", "- not a list", "#pagebreak()"),
    )
    path = write(tmp_path, render_pdf(odd, charts))

    text = squash(pdftotext(path, layout=False))
    assert f"Indicator 189: {nasty}" in text
    assert "= Not a heading" in text and "- not a list" in text and "#pagebreak()" in text
    assert len(PdfReader(path).pages) == len(
        PdfReader(write(tmp_path, render_pdf(context, charts), "seed.pdf")).pages
    )


def test_sections_follow_the_settings_order_and_can_be_left_out(context, charts, tmp_path):
    settings = replace(context.settings, sections=("key", "summary"))
    path = write(tmp_path, render_pdf(replace(context, settings=settings), charts))

    texts = page_texts(path)
    text = " ".join(texts)
    assert "Produced on" not in text
    assert "180 Premises with access" in text  # in the summary table, not as a page
    assert pages_starting(path) == {}
    assert "Contents" in texts[0]
    assert text.index("Data Item") < text.index("17 indicators are reported")
    reader = PdfReader(path)
    named = [
        a.get_object().get("/Dest")
        for page in reader.pages
        for a in page.get("/Annots", [])
        if isinstance(a.get_object().get("/Dest"), str)
    ]
    assert named == []  # no links to pages that are not there


def test_the_logo_is_shown_on_the_cover_when_the_file_exists(context, charts, tmp_path):
    logo = tiny_png(tmp_path / "logo.png")
    with_logo = replace(context, cover=replace(context.cover, logo=logo))
    path = write(tmp_path, render_pdf(with_logo, charts))
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(images.splitlines()) == 3  # two header lines and the logo
    assert structure(path)[1][0] == "Cambridgeshire County Council logo"

    missing = replace(context, cover=replace(context.cover, logo=tmp_path / "gone.png"))
    path = write(tmp_path, render_pdf(missing, charts), "missing.pdf")
    assert pdfinfo(path)["Tagged"] == "yes"


def test_the_report_data_is_plain_json_with_the_context_text_as_is(context, charts):
    data = report_data(context, charts)
    again = json.loads(json.dumps(data))

    assert again == data
    row = next(r for g in data["summary"]["groups"] for r in g["rows"] if r["ref"] == "189")
    assert row["current"] == "432,584"
    assert data["sections"] == ["cover", "summary", "key", "indicators"]


def test_useful_links_are_links_and_odd_addresses_are_printed_not_linked(context, charts, tmp_path):
    links = (
        ("Guidance", "https://www.gov.uk/guidance"),
        ("No scheme", "www.example.org/data"),
        ("Script", "javascript:alert(1)"),
        ("Nothing", ""),
    )
    path = write(tmp_path, render_pdf(with_section(context, "181", links=links), charts))

    reader = PdfReader(path)
    page = reader.pages[pages_starting(path)["181"]]
    uris = {a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()}
    assert uris == {"https://www.gov.uk/guidance", "https://www.example.org/data"}
    text = squash(page.extract_text())
    for title in ("Guidance", "No scheme", "Script", "Nothing", "javascript:alert(1)"):
        assert title in text


def test_a_contact_that_is_not_an_address_is_printed_without_a_link(context, charts, tmp_path):
    phone = replace(context, cover=replace(context.cover, contact="Telephone 0345 045 5200"))
    path = write(tmp_path, render_pdf(phone, charts))

    cover = PdfReader(path).pages[0]
    assert "Telephone 0345 045 5200" in squash(cover.extract_text())
    assert not cover.get("/Annots")
