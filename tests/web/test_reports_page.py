"""The reports pages: staff (/reports/) and public (/public/reports/), and
their downloads in every format."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest

from perfreport.data.models import Observation
from perfreport.data.versions import bump_data_version
from perfreport.registry.models import Directorate, Indicator, Service
from perfreport.registry.periods import read_period

pytestmark = pytest.mark.django_db

Q2 = "2020/21 Q2"
Q3 = "2020/21 Q3"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the data version starts again in each test's database


def download(client, url="/reports/download", **params):
    return client.get(url, {"period": Q2, "format": "pdf", **params})


def make_draft(ref="180", period=Q2, value="42.42"):
    """GIVEN a value changed and marked as a draft, as an import with draft=yes leaves it."""
    Observation.objects.filter(indicator__ref=ref, period=period).update(
        is_draft=True, value=Decimal(value)
    )
    bump_data_version()


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


# -- who may see what ----------------------------------------------------------


@pytest.mark.parametrize("url", ["/reports/", "/reports/download"])
def test_the_staff_reports_ask_an_anonymous_reader_to_sign_in(client, imported_example, url):
    response = client.get(url, {"period": Q2, "format": "pdf"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reports/")


def test_the_public_reports_need_no_sign_in(client, imported_example):
    page = client.get("/public/reports/")
    document = download(client, "/public/reports/download")

    assert page.status_code == 200
    assert document.status_code == 200
    assert document.content.startswith(b"%PDF")


# -- the page ------------------------------------------------------------------


def test_the_form_offers_the_latest_quarter_and_every_format(staff_client, imported_example):
    response = staff_client.get("/reports/")

    html = response.content.decode()
    assert response.status_code == 200
    # Sent to be made in the background when big (test_report_runs.py), else downloaded.
    assert '<form method="post" action="/reports/make"' in html
    assert f'name="period" type="text" value="{Q2}"' in html
    assert 'value="pdf" aria-describedby="format-pdf-hint" checked' in html
    for name in ("PDF", "HTML", "Word", "Excel"):
        assert f">{name}</label>" in html
    assert "<option>Corporate Services</option>" in html
    assert '<optgroup label="Corporate Services">' in html
    assert "<option>Digital Infrastructure</option>" in html


def test_it_lists_the_published_reports_with_a_link_for_each_format(staff_client, imported_example):
    html = staff_client.get("/reports/").content.decode()

    published = html.split("<h2>Published reports</h2>", 1)[1]
    assert "Quarter 2 2020/21" in published
    for fmt in ("pdf", "html", "docx", "xlsx"):
        assert f"/public/reports/download?period=2020%2F21+Q2&amp;format={fmt}" in published
    assert published.index("Quarter 2 2020/21") < published.index("Quarter 1 2020/21")


def test_a_quarter_with_only_drafts_is_not_a_published_report(staff_client, imported_example):
    quarter = read_period(Q2)
    Observation.objects.filter(last_month__gte=quarter.first_month).update(is_draft=True)
    bump_data_version()

    html = staff_client.get("/reports/").content.decode()
    public = staff_client.get("/public/reports/").content.decode()

    assert f'value="{Q2}"' in html  # staff start from the latest value, draft or not
    assert 'value="2020/21 Q1"' in public  # the public from the latest published one
    for page in (html, public):
        assert "Quarter 2 2020/21</th>" not in page
        assert "Quarter 1 2020/21</th>" in page


def test_with_no_values_the_page_says_nothing_is_published(staff_client, db):
    response = staff_client.get("/reports/")

    assert response.status_code == 200
    assert "Nothing is published yet." in response.content.decode()


# -- the downloads -------------------------------------------------------------


def test_the_download_is_named_after_the_organisations_report_title(staff_client, imported_example):
    from perfreport.registry.models import Organisation

    Organisation.objects.filter(is_home=True).update(report_title="Quarterly Performance Report")

    response = download(staff_client, format="xlsx")

    assert response["Content-Disposition"] == (
        'attachment; filename="quarterly-performance-report-2020-21-q2.xlsx"'
    )


def test_the_pdf_is_a_pdf_that_pypdf_reads(staff_client, imported_example):
    from pypdf import PdfReader

    response = download(staff_client, format="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="performance-report-2020-21-q2.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 5
    assert "Premises with access to superfast broadband" in pdf_text(response.content)


def test_the_word_file_opens_in_python_docx(staff_client, imported_example):
    from docx import Document

    response = download(staff_client, format="docx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].endswith('filename="performance-report-2020-21-q2.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    # The seed's organisations.csv sets no cover: the neutral title (its report.toml is
    # for `perfreport report --config`).
    assert "Performance report" in text
    assert "Corporate Performance Report" not in text


def test_the_reports_cover_is_the_home_organisations(client, imported_example):
    """GIVEN the home organisation's report title, team and contact set in the admin
    WHEN the public report is downloaded THEN its cover shows them."""
    from perfreport.registry.models import Organisation

    home = Organisation.objects.get(is_home=True)
    home.report_title, home.report_team = "Quarterly Performance Digest", "Insight Team"
    home.report_contact = "insight@example.org"
    home.save()  # as the admin saves it: the data version moves on

    response = download(client, url="/public/reports/download", format="html")

    html = response.content.decode()
    assert "<h1>Quarterly Performance Digest</h1>" in html
    assert "Insight Team" in html and "insight@example.org" in html


def test_the_spreadsheet_opens_in_openpyxl(staff_client, imported_example):
    from openpyxl import load_workbook

    response = download(staff_client, format="xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('filename="performance-report-2020-21-q2.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Premises with access to superfast broadband" in cells


def test_the_html_report_is_a_web_page_to_save(staff_client, imported_example):
    response = download(staff_client, format="html")

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.lstrip().lower().startswith(b"<!doctype html")


def test_a_service_report_holds_that_service_and_says_so_in_its_name(
    staff_client, imported_example
):
    response = download(
        staff_client,
        format="html",
        directorate="corporate services",
        service="Digital Infrastructure",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'filename="performance-report-2020-21-q2-corporate-services-digital-infrastructure.html"'
    )
    assert "Premises with access to superfast broadband" in html
    assert "Subject Access Request" not in html


def test_a_new_value_shows_in_the_next_download(staff_client, imported_example):
    """The documents are kept in the cache only until the data change."""
    before = download(staff_client, format="html").content.decode()
    value = Observation.objects.get(indicator__ref="180", period=Q2)
    value.value = Decimal("98.76")
    value.save()

    after = download(staff_client, format="html").content.decode()

    assert "98.76" not in before
    assert "98.76" in after


# -- bad input -----------------------------------------------------------------


def test_a_bad_period_shows_the_form_again_with_the_error_and_the_input_kept(
    staff_client, imported_example
):
    response = download(staff_client, period="2020/21 Q9", format="docx")

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Reports" in html
    assert 'class="error-summary"' in html
    assert (
        '<a href="#id_period">&#x27;2020/21 Q9&#x27; has quarter 9; quarters run Q1 to Q4</a>'
        in html
    )
    assert 'id="period-error"' in html
    assert 'value="2020/21 Q9"' in html
    assert 'aria-describedby="period-hint period-error"' in html
    assert 'value="docx" aria-describedby="format-docx-hint" checked' in html


def test_a_bad_format_is_named_and_linked_to_the_first_choice(staff_client, imported_example):
    response = download(staff_client, format="odt")

    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_format_0">Choose a format: PDF, HTML, Word or Excel</a>' in html
    assert f'value="{Q2}"' in html


def test_a_period_before_any_value_names_the_periods_that_can_be_reported(
    staff_client, imported_example
):
    response = download(staff_client, period="2010/11 Q1")

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "There are no values for Quarter 1 2010/11 or before; reports can be made for 2020/21 Q2"
        in html
    )


def test_an_unknown_directorate_is_an_error_on_that_field(staff_client, imported_example):
    response = download(staff_client, directorate="Ministry of Magic")

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        '<a href="#id_directorate">There is no directorate called &#x27;Ministry of Magic&#x27;'
        in html
    )


def test_a_service_of_another_directorate_is_an_error_on_the_service(
    staff_client, imported_example
):
    place = Directorate.objects.create(name="Place and Economy")
    Indicator.objects.filter(ref="190").update(directorate=place)

    response = download(
        staff_client, directorate="Place and Economy", service="Digital Infrastructure"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        '<a href="#id_service">The Digital Infrastructure service is not in Place and Economy'
        in html
    )
    assert Service.objects.filter(name="Digital Infrastructure").exists()


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"period": ""}, id="empty_period"),
        pytest.param({"period": "x" * 5000}, id="long_period"),
        pytest.param({"period": "2020/21 Q2\x00"}, id="nul_in_period"),
        pytest.param({"format": ""}, id="empty_format"),
        pytest.param({"directorate": "<script>alert(1)</script>"}, id="markup_in_directorate"),
        pytest.param({"service": "Nothing"}, id="unknown_service"),
    ],
)
def test_odd_input_is_a_400_with_the_form_never_a_500(staff_client, imported_example, params):
    response = download(staff_client, **params)

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "<script>alert" not in html


# -- drafts --------------------------------------------------------------------


def test_the_public_report_leaves_out_draft_values(client, staff_client, imported_example):
    make_draft()

    staff = download(staff_client, format="html").content.decode()
    public = download(client, "/public/reports/download", format="html").content.decode()

    assert "42.42%" in staff
    assert "42.42" not in public
    assert "97.78%" in public  # the latest published value, Quarter 1's


def test_the_public_pdf_leaves_out_draft_values(client, imported_example):
    make_draft()

    text = pdf_text(download(client, "/public/reports/download").content)

    assert "Premises with access to superfast broadband" in text
    assert "42.42" not in text
    assert "97.78%" in text


def test_a_draft_figure_revised_before_publishing_never_reaches_the_public(
    client, imported_example, tmp_path
):
    """GIVEN a draft imported, then revised and published WHEN the public
    report is made THEN the draft's figure is nowhere, not even as a restatement."""
    from perfreport.imports.service import import_path

    for value, draft in (("42.42", "yes"), ("97.9", "no")):
        (tmp_path / "values.csv").write_text(f"ref,period,value,draft\n180,{Q3},{value},{draft}\n")
        import_path(tmp_path)

    text = pdf_text(download(client, "/public/reports/download", period=Q3).content)

    assert "97.90%" in text
    assert "42.42" not in text


def test_with_every_value_a_draft_the_public_form_names_no_period(client, imported_example):
    Observation.objects.update(is_draft=True)
    bump_data_version()

    response = download(client, "/public/reports/download")

    html = response.content.decode()
    assert response.status_code == 400
    assert "There are no published values for Quarter 2 2020/21 or before" in html
    assert "reports can be made for" not in html
    assert "Nothing is published yet." in html
