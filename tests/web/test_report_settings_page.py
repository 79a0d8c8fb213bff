"""The Report settings page: a BI administrator sets the home organisation's
name, the reports' cover (title, team, contact, logo), the address emails
come from and the open data's licence; each change is in the audit trail, and
a report made afterwards carries the uploaded logo."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from browser import PASSWORD, axe_violations, browser_page, sign_in
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from perfreport.accounts.permissions import grant
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Organisation

URL = "/settings/report/"
# A logo of a size no chart has, to find it in the report.
LOGO_SIZE = (97, 31)


def picture(kind: str = "PNG", size: tuple[int, int] = LOGO_SIZE) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 94, 165)).save(buffer, kind)
    return buffer.getvalue()


FORM = {
    "name": "Anyshire County Council",
    "report_title": "Quarterly performance",
    "report_team": "Performance and Insight",
    "report_contact": "performance@anyshire.example",
    "email_from": "performance@anyshire.example",
    "licence_name": "Open Government Licence v3.0",
    "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "plan_rule": "worst",
    "plan_green_share": "75",
    "plan_amber_share": "50",
    "action_due_soon_days": "30",
}


@pytest.fixture(autouse=True)
def _own_media_folder(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def admin(db: None) -> Any:
    from django.contrib.auth.models import User

    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(user, "admin")
    return user


@pytest.fixture
def admin_client(client: Client, admin: Any) -> Client:
    client.force_login(admin)
    return client


def home() -> Organisation:
    return Organisation.objects.get(is_home=True)


@pytest.mark.django_db
def test_a_member_of_staff_who_is_not_an_administrator_is_refused(staff_client, imported_example):
    before = home().name
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, {**FORM}).status_code == 403
    assert home().name == before


@pytest.mark.django_db
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    answer = client.get(URL)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_form_shows_the_home_organisations_settings(admin_client, imported_example):
    text = admin_client.get(URL).content.decode()
    assert f'value="{home().name}"' in text
    assert 'href="/settings/report/" aria-current="page"' in text


@pytest.mark.django_db
def test_saving_changes_the_settings_and_records_each_change_in_the_audit_trail(
    admin_client, imported_example
):
    old_name = home().name
    answer = admin_client.post(URL, {**FORM, "logo": ContentFile(picture(), name="crest.png")})

    assert answer.status_code == 302
    saved = home()
    assert (saved.name, saved.report_title, saved.email_from) == (
        FORM["name"], FORM["report_title"], FORM["email_from"],
    )  # fmt: skip
    assert saved.licence_url == FORM["licence_url"]
    assert saved.report_logo.name.startswith("logos/")
    assert Path(saved.report_logo.path).read_bytes() == picture()
    event = AuditEvent.objects.filter(object_type="organisation").latest("pk")
    assert event.actor == "bi.admin"
    assert event.before["name"] == old_name
    assert event.after["name"] == FORM["name"]
    assert event.after["report_logo"] == saved.report_logo.name
    assert "The report settings are saved" in admin_client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_plan_rule_is_saved_and_each_change_recorded(admin_client, imported_example):
    from decimal import Decimal

    admin_client.post(URL, FORM)
    rule = {"plan_rule": "share", "plan_green_share": "80", "plan_amber_share": "40.5",
            "action_due_soon_days": "45"}  # fmt: skip
    answer = admin_client.post(URL, {**FORM, **rule})

    assert answer.status_code == 302
    saved = home()
    assert (saved.plan_rule, saved.plan_green_share, saved.plan_amber_share) == (
        "share", Decimal(80), Decimal("40.5"),
    )  # fmt: skip
    assert saved.action_due_soon_days == 45
    event = AuditEvent.objects.filter(object_type="organisation").latest("pk")
    assert set(event.before) == set(event.after) == set(rule)  # each field that changed
    assert (event.before["plan_rule"], event.after["plan_rule"]) == ("worst", "share")
    assert (event.before["action_due_soon_days"], event.after["action_due_soon_days"]) == (30, 45)
    page = admin_client.get(URL).content.decode()
    assert 'value="40.5"' in page
    assert '<option value="share" selected>' in page


@pytest.mark.django_db
def test_saving_the_same_settings_again_records_nothing(admin_client, imported_example):
    admin_client.post(URL, FORM)
    events = AuditEvent.objects.count()
    admin_client.post(URL, FORM)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_new_logo_replaces_the_old_file_and_remove_takes_it_away(
    admin_client, imported_example, django_capture_on_commit_callbacks
):
    """The replaced file is removed once the change is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(URL, {**FORM, "logo": ContentFile(picture(), name="one.png")})
    first = Path(home().report_logo.path)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(URL, {**FORM, "logo": ContentFile(picture("JPEG"), name="two.jpg")})
    second = home().report_logo
    assert second.name.endswith(".jpg")
    assert not first.exists()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(URL, {**FORM, "remove_logo": "on"})
    assert not home().report_logo
    assert not Path(second.path).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "said", "field_id"),
    [
        pytest.param({"name": ""}, "Enter the organisation name", "id_name", id="no_name"),
        pytest.param(
            {"email_from": "not an address"}, "as an email address", "id_email_from", id="email"
        ),
        pytest.param(
            {"licence_url": "ftp://x y"}, "as a full address", "id_licence_url", id="licence_url"
        ),
        pytest.param(
            {"report_team": "Team\x07"},
            "holds a control character",
            "id_report_team",
            id="text_rule",
        ),
        pytest.param(
            {"report_title": "x" * 201}, "at most 200 characters", "id_report_title", id="long"
        ),
        pytest.param(
            {"logo": ContentFile(b"GIF89a" + b"\0" * 50, name="logo.png")},
            "must be a PNG or JPEG picture",
            "id_logo",
            id="logo_not_a_picture",
        ),
        pytest.param(
            {"logo": ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, name="logo.png")},
            "cannot be read as a picture",
            "id_logo",
            id="logo_damaged",
        ),
        pytest.param(
            {"plan_green_share": "60", "plan_amber_share": "70.5"},
            "Amber share (70.5%) must not be above the Green share (60%)",
            "id_plan_amber_share",
            id="amber_above_green",
        ),
        pytest.param(
            {"plan_green_share": "101"},
            "Green share must be a percentage from 0 to 100",
            "id_plan_green_share",
            id="share_over_100",
        ),
        pytest.param(
            {"action_due_soon_days": "a month"},
            "Enter the days an action is due soon as a whole number",
            "id_action_due_soon_days",
            id="days_not_a_number",
        ),
        pytest.param(
            {"plan_rule": "best"},
            "Choose the plan roll-up rule from the list",
            "id_plan_rule",
            id="unknown_rule",
        ),
    ],
)
def test_a_refused_field_is_named_and_what_was_typed_is_kept(
    admin_client, imported_example, fields, said, field_id
):
    before = home().name
    answer = admin_client.post(URL, {**FORM, **fields})
    text = answer.content.decode()
    assert answer.status_code == 400
    assert said in text
    assert f'href="#{field_id}"' in text
    assert 'value="Performance and Insight"' in text or "report_team" in fields
    assert home().name == before
    assert not home().report_logo


@pytest.mark.django_db
def test_a_logo_over_2_mb_is_refused_before_it_is_kept_and_the_typed_text_stays(
    admin_client, imported_example
):
    big = ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 2_100_000, name="logo.png")
    answer = admin_client.post(URL, {**FORM, "logo": big})
    text = answer.content.decode()
    assert answer.status_code == 413
    assert "a logo may be at most 2 MB" in text
    assert 'href="#id_logo"' in text
    assert f'value="{FORM["licence_name"]}"' in text
    assert not home().report_logo
    assert home().name != FORM["name"]


@pytest.mark.django_db
def test_without_a_home_organisation_the_page_says_to_import_one(admin_client):
    text = admin_client.get(URL).content.decode()
    assert "There is no home organisation yet" in text
    assert 'name="report_title"' not in text


# -- the logo in the reports --------------------------------------------------------------


@pytest.mark.django_db
def test_a_pdf_made_after_the_upload_carries_the_logo(admin_client, imported_example, tmp_path):
    def logos_in(content: bytes) -> int:
        path = tmp_path / "report.pdf"
        path.write_bytes(content)
        listed = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
        ).stdout.splitlines()[2:]
        return sum(1 for line in listed if line.split()[3:5] == ["97", "31"])

    params = {"period": "2020/21 Q2", "format": "pdf"}
    before = admin_client.get("/reports/download", params)
    admin_client.post(URL, {**FORM, "logo": ContentFile(picture(), name="crest.png")})
    after = admin_client.get("/reports/download", params)

    assert before.status_code == after.status_code == 200
    assert logos_in(before.content) == 0
    assert logos_in(after.content) == 1


@pytest.mark.django_db
def test_a_docx_made_after_the_upload_carries_the_logo(admin_client, imported_example):
    from docx import Document

    admin_client.post(URL, {**FORM, "logo": ContentFile(picture(), name="crest.png")})
    answer = admin_client.get("/reports/download", {"period": "2020/21 Q2", "format": "docx"})
    document = Document(io.BytesIO(answer.content))
    blobs = [
        shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        for shape in document.inline_shapes
    ]
    pictures = [document.part.related_parts[rid].blob for rid in blobs]

    assert answer.status_code == 200
    assert picture() in pictures


@pytest.mark.django_db
def test_report_toml_logo_still_wins(imported_example, tmp_path):
    from perfreport.registry.periods import read_period
    from perfreport.reports.context import ReportSettings
    from perfreport.reports.service import report_context

    organisation = home()
    organisation.report_logo.save("x.png", ContentFile(picture()))
    own = tmp_path / "own.png"
    own.write_bytes(picture(size=(10, 10)))

    stored = report_context(read_period("2020/21 Q2"), ReportSettings()).cover.logo
    given = report_context(read_period("2020/21 Q2"), ReportSettings(logo=own)).cover.logo

    assert stored == Path(organisation.report_logo.path)
    assert given == own


# -- in a browser -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_page_passes_axe_with_and_without_errors(
    live_server: Any, imported_example: None, admin: Any, width: int
) -> None:
    with browser_page(width) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.get_by_role("link", name="Report settings").click()
        page.wait_for_load_state()
        clean = axe_violations(page)
        page.get_by_label("Emails come from").fill("not an address")
        page.get_by_label("Amber share (%)").fill("90")
        page.get_by_role("button", name="Save the settings").click()
        page.wait_for_load_state()
        page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        refused = axe_violations(page)
        page.screenshot(path=f"/tmp/perfreport-report-settings-error-{width}.png", full_page=True)
        amber = page.locator("#plan_amber_share-error").inner_text()
        typed = page.get_by_label("Amber share (%)").input_value()

    assert clean == []
    assert refused == []
    assert "Amber share (90%) must not be above the Green share (75%)" in amber
    assert typed == "90"
