"""The staff Reports page hands a big report to the worker: a page says how
far it has got and links to the file when it is ready, for the person who
asked and administrators only. A small report, or one made already, is
downloaded at once, as before. (tests/web/test_report_runs_browser.py does
the same in Chromium with a real worker.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser import PASSWORD
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from perfreport.accounts.permissions import grant
from perfreport.jobs.models import Outcome, Run
from perfreport.jobs.runs import execute

pytestmark = pytest.mark.django_db
Q2 = "2020/21 Q2"
FORM = {"period": Q2, "format": "pdf", "pack": "", "directorate": "", "service": "",
        "sections_shown": "1",
        "sections": ["cover", "summary", "key", "plan", "indicators"]}  # fmt: skip


@pytest.fixture(autouse=True)
def _seventeen_indicators_is_big(settings, tmp_path, monkeypatch):
    """The seed's 17 indicators count as a big report; files and charts in
    folders of the test's own."""
    settings.PERFREPORT_REPORTS_IN_BACKGROUND_FROM = 10
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", str(tmp_path / "charts"))
    from django.core.cache import cache

    cache.clear()


def person(name: str, role: str) -> Client:
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
    grant(user, role)
    client = Client()
    client.force_login(user)
    return client


def made(run_id: int) -> Run:
    """The run, worked as the worker works it."""
    execute(run_id, worker="test")
    return Run.objects.get(pk=run_id)


def ask(client: Client, **changes) -> tuple[object, Run | None]:
    answer = client.post("/reports/make", {**FORM, **changes})
    return answer, Run.objects.filter(job="report").order_by("-pk").first()


def test_a_big_report_is_handed_to_the_worker_and_its_page_says_it_waits(
    imported_example, staff_client, staff_user
) -> None:
    answer, run = ask(staff_client, directorate="Corporate Services")

    assert run is not None and answer.status_code == 303
    assert answer["Location"] == f"/reports/made/{run.pk}/"
    assert (run.outcome, run.trigger, run.requested_by) == ("queued", "on demand", staff_user)
    assert run.params == {
        "period": Q2, "format": "pdf", "directorate": "Corporate Services", "service": "",
        "pack": "", "sections": ["cover", "summary", "key", "plan", "indicators"],
        "published_only": False,
        "filename": "performance-report-2020-21-q2-corporate-services.pdf",
    }  # fmt: skip
    page = staff_client.get(answer["Location"]).content.decode()
    assert "Full report for 2020/21 Q2, Corporate Services, PDF." in page
    assert "Waiting for the background worker to start the report." in page
    assert 'role="status" aria-live="polite"' in page
    # No timed reload (WCAG 2.2.1, F41): without JavaScript, a link to look again.
    assert 'http-equiv="refresh"' not in page
    assert f'<noscript><p><a href="{answer["Location"]}">Look again</a>' in page
    assert "may not be running" not in page


def test_the_page_follows_the_run_to_a_link_to_its_file(imported_example, staff_client) -> None:
    _, run = ask(staff_client)
    Run.objects.filter(pk=run.pk).update(outcome="running", progress=40,
                                         progress_note="Drawing charts: 7 of 17")  # fmt: skip
    running = staff_client.get(f"/reports/made/{run.pk}/").content.decode()
    assert "Making the report: drawing charts." in running
    assert 'value="40"' in running and "Drawing charts: 7 of 17 (40%)" in running
    Run.objects.filter(pk=run.pk).update(outcome="queued", progress=0, progress_note="")

    finished = made(run.pk)

    assert finished.outcome == Outcome.OK, finished.error
    page = staff_client.get(f"/reports/made/{run.pk}/").content.decode()
    assert "The report is ready." in page and f'href="/reports/made/{run.pk}/file"' in page
    assert "performance-report-2020-21-q2.pdf, PDF," in page
    assert "http-equiv" not in page and "report_run.js" not in page  # no more looking
    file = staff_client.get(f"/reports/made/{run.pk}/file")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert 'attachment; filename="performance-report-2020-21-q2.pdf"' in file["Content-Disposition"]
    pdf = PdfReader(__import__("io").BytesIO(b"".join(file.streaming_content)))
    assert "Superfast broadband" in "".join(p.extract_text() for p in pdf.pages)


def test_the_json_twin_gives_the_state_the_script_shows(imported_example, staff_client) -> None:
    _, run = ask(staff_client)
    Run.objects.filter(pk=run.pk).update(outcome="running", progress=85,
                                         progress_note="Setting the pages")  # fmt: skip

    state = staff_client.get(f"/reports/made/{run.pk}.json").json()

    assert {k: state[k] for k in ("outcome", "finished", "progress", "detail", "file")} == {
        "outcome": "running", "finished": False, "progress": 85,
        "detail": "Setting the pages (85%)", "file": "",
    }  # fmt: skip
    assert state["stage_key"] == "running|setting the pages|False"
    assert "Making the report: setting the pages." in state["html"]


def test_a_report_that_fails_says_why_in_plain_words(imported_example, staff_client) -> None:
    _, run = ask(staff_client)
    Run.objects.filter(pk=run.pk).update(params={**run.params, "period": "2010/11 Q1"})

    failed = made(run.pk)

    page = staff_client.get(f"/reports/made/{run.pk}/").content.decode()
    assert failed.outcome == Outcome.FAILED
    assert "<title>Error: Your report" in page
    assert "The report could not be made.</strong> No indicator has a value at or before" in page
    assert "Traceback" not in page
    assert staff_client.get(f"/reports/made/{run.pk}/file").status_code == 404


def test_a_run_waiting_long_offers_to_make_the_report_at_once(
    imported_example, staff_client
) -> None:
    _, run = ask(staff_client, format="xlsx")
    Run.objects.filter(pk=run.pk).update(queued_at=timezone.now() - timedelta(minutes=2))

    page = staff_client.get(f"/reports/made/{run.pk}/").content.decode()

    assert "the background worker may not be running" in page
    link = page.split('You can <a href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/reports/download?period=2020%2F21+Q2&format=xlsx")
    assert staff_client.get(link)["Content-Type"].startswith("application/vnd.openxmlformats")


# -- what is downloaded at once --------------------------------------------------


def test_a_small_report_goes_straight_to_the_download(imported_example, staff_client) -> None:
    answer, run = ask(staff_client, service="Customer Services", download_token="k2x9a0")

    assert run is None and answer.status_code == 303
    assert answer["Location"].startswith("/reports/download?period=2020%2F21+Q2&format=pdf")
    document = staff_client.get(answer["Location"])
    assert document.content.startswith(b"%PDF")
    assert document.cookies["report_ready"].value == "k2x9a0"  # the form's script still hears


def test_a_report_made_already_is_downloaded_at_once_however_big(
    imported_example, staff_client
) -> None:
    query = {k: v for k, v in FORM.items()}
    staff_client.get("/reports/download", query)  # made, and kept

    answer, run = ask(staff_client)

    assert run is None and answer["Location"].startswith("/reports/download?")


def test_with_the_setting_at_0_every_report_is_made_in_the_request(
    imported_example, staff_client, settings
) -> None:
    settings.PERFREPORT_REPORTS_IN_BACKGROUND_FROM = 0

    answer, run = ask(staff_client)

    assert run is None and answer["Location"].startswith("/reports/download?")


def test_a_bad_form_is_shown_again_with_the_error_and_what_was_typed(
    imported_example, staff_client
) -> None:
    answer, run = ask(staff_client, period="2020/21 Q9")

    html = answer.content.decode()
    assert answer.status_code == 400 and run is None
    assert "quarters run Q1 to Q4" in html and 'value="2020/21 Q9"' in html


def test_the_form_is_posted_with_its_csrf_token(imported_example, staff_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    refused = client.post("/reports/make", FORM)
    page = client.get("/reports/").content.decode()

    assert refused.status_code == 403 and not Run.objects.filter(job="report").exists()
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.get("/reports/make").status_code == 405


# -- who may see a run -------------------------------------------------------------


def test_only_the_person_who_asked_and_administrators_see_a_report(
    imported_example, staff_client
) -> None:
    _, run = ask(staff_client)
    made(run.pk)
    urls = [f"/reports/made/{run.pk}/", f"/reports/made/{run.pk}.json",
            f"/reports/made/{run.pk}/file"]  # fmt: skip

    other_viewer = person("other.viewer", "viewer")
    administrator = person("bi.admin", "admin")
    no_role = Client()
    no_role.force_login(User.objects.create_user("no.role", "", PASSWORD))
    public = Client()

    assert [staff_client.get(url).status_code for url in urls] == [200, 200, 200]
    assert [other_viewer.get(url).status_code for url in urls] == [404, 404, 404]
    assert [administrator.get(url).status_code for url in urls] == [200, 200, 200]
    assert [no_role.get(url).status_code for url in urls] == [403, 403, 403]
    for url in urls:
        answer = public.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_a_run_of_another_job_is_no_report(imported_example, staff_client, staff_user) -> None:
    other = Run.objects.create(job="charts", trigger="event", requested_by=staff_user)

    assert staff_client.get(f"/reports/made/{other.pk}/").status_code == 404
    assert staff_client.get("/reports/made/99999/").status_code == 404


def test_the_reports_page_lists_the_person_s_own_reports_of_the_last_week(
    imported_example, staff_client
) -> None:
    _, mine = ask(staff_client)
    _, old = ask(staff_client, format="xlsx")
    Run.objects.filter(pk=old.pk).update(queued_at=timezone.now() - timedelta(days=8))
    other = person("other.viewer", "viewer")
    ask(other, format="docx")

    page = staff_client.get("/reports/").content.decode()

    listed = page.split("Your reports made in the background")[1].split("Published reports")[0]
    assert f'<a href="/reports/made/{mine.pk}/">Full report for 2020/21 Q2, PDF</a>: waiting' in (
        listed
    )
    assert listed.count("<li>") == 1, listed  # not the old one, nor the other person's
    assert (
        "Your reports made in the background"
        not in Client().get("/public/reports/").content.decode()
    )
