"""The Reports pages offer each language: English, Cymraeg and, when the
organisation publishes bilingually, both; a Welsh report downloads in Welsh,
in the request or from the worker."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from perfreport.jobs.models import Outcome, Run
from perfreport.jobs.runs import execute, output_file
from perfreport.registry.models import Organisation

pytestmark = pytest.mark.django_db
Q2 = "2020/21 Q2"


@pytest.fixture(autouse=True)
def _own_folders(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", str(tmp_path / "charts"))
    from django.core.cache import cache

    cache.clear()


def _lang(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


def test_the_reports_page_offers_english_and_welsh_english_first_on_an_english_page(
    staff_client, imported_example
):
    html = staff_client.get("/reports/").content.decode()

    assert '<legend class="fieldset__legend">Language</legend>' in html
    assert 'name="language" type="radio" value="en" checked' in html
    assert 'name="language" type="radio" value="cy"' in html
    assert 'lang="cy">Cymraeg</label>' in html
    assert 'value="both"' not in html  # the organisation is not bilingual


def test_the_welsh_page_chooses_welsh_and_offers_both_when_bilingual(
    staff_client, imported_example
):
    Organisation.objects.filter(is_home=True).update(bilingual=True)

    html = staff_client.get("/cy/reports/").content.decode()

    assert '<legend class="fieldset__legend">Iaith</legend>' in html
    assert 'name="language" type="radio" value="cy" checked' in html
    assert 'value="both"' in html and "Cymraeg a Saesneg" in html


def test_a_welsh_report_downloads_in_welsh(staff_client, imported_example):
    answer = staff_client.get(
        "/reports/download", {"period": Q2, "format": "pdf", "language": "cy"}
    )

    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('-cy.pdf"')
    assert _lang(answer.content) == "cy"
    english = staff_client.get("/reports/download", {"period": Q2, "format": "pdf"})
    assert _lang(english.content) == "en-GB"
    assert english["Content-Disposition"].endswith('2020-21-q2.pdf"')


def test_a_report_asked_for_on_the_welsh_page_is_welsh_by_default(staff_client, imported_example):
    answer = staff_client.get("/cy/reports/download", {"period": Q2, "format": "html"})

    assert answer.status_code == 200
    assert answer.content.startswith(b'<!doctype html>\n<html lang="cy">')
    assert "Crynodeb" in answer.content.decode()


def test_the_public_list_offers_each_language_and_both_when_bilingual(client, imported_example):
    from perfreport.data.models import Observation

    Observation.objects.update(is_draft=False)
    html = client.get("/public/reports/").content.decode()
    assert "language=cy" in html and "language=both" not in html
    assert '<p class="report-list__language" lang="cy">Cymraeg</p>' in html

    Organisation.objects.filter(is_home=True).update(bilingual=True)
    html = client.get("/public/reports/").content.decode()
    assert "language=both" in html

    welsh = client.get("/public/reports/download", {"period": Q2, "format": "pdf",
                                                     "language": "cy"})  # fmt: skip
    assert welsh.status_code == 200 and _lang(welsh.content) == "cy"


def test_a_background_run_keeps_the_language(settings, staff_client, imported_example):
    settings.PERFREPORT_REPORTS_IN_BACKGROUND_FROM = 10
    form = {"period": Q2, "format": "pdf", "pack": "", "directorate": "", "service": "",
            "language": "cy"}  # fmt: skip

    answer = staff_client.post("/reports/make", form)

    assert answer.status_code == 303
    run = Run.objects.filter(job="report").latest("pk")
    assert run.params["language"] == "cy"
    execute(run.pk, worker="test")
    run.refresh_from_db()
    assert run.outcome == Outcome.OK
    path = output_file(run)
    assert path.name.endswith("-cy.pdf")
    assert _lang(path.read_bytes()) == "cy"


def test_the_pack_is_not_made_in_both_languages_and_says_so(staff_client, imported_example):
    Organisation.objects.filter(is_home=True).update(bilingual=True)

    answer = staff_client.get(
        "/reports/download",
        {"period": Q2, "format": "pdf", "pack": "exceptions", "language": "both"},
    )

    assert answer.status_code == 400
    assert "one language at a time" in answer.content.decode()
