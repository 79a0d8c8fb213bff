"""A whole quarter in Chromium, with no command line and no Django admin
(issue 14): a BI administrator invites an owner and an approver and gives
them their roles, uploads last quarter's figures and opens the round; the
owner, by keyboard only, fills a grid of four figures (one Red, with
actions) and uploads the Excel template for the other two, then submits
them; the approver returns one (the owner is emailed through a real SMTP
server) and approves the rest at once; the administrator sees what is not
approved on the confirmation page and publishes with a reason; the public
page shows the figures with the ratings explained. Every page on the way
meets WCAG 2.2 A/AA by axe-core, at 1280 and at 390 px wide."""

from __future__ import annotations

import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser import PASSWORD, axe_violations, browser_page, sign_in, tab_to
from builders import write_csv
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROUND = "2024/25 Q3"
SHOTS = Path("/tmp/quarter")
TITLES = {
    "CS1": "Calls answered within 60 seconds",
    "CS2": "Complaints answered within 10 working days",
    "CS3": "Council tax collected in the year",
    "CS4": "Business rates collected in the year",
    "CS5": "Benefit claims processed within 20 days",
    "CS6": "Forms completed online",
}
GRID = {"CS1": "90", "CS2": "70", "CS3": "88", "CS4": "86"}  # CS2: Red (target 85)
TEMPLATE = {"CS5": "84", "CS6": "91"}


def last_quarters_figures(folder: Path) -> Path:
    """The register and four quarters of figures up to last quarter, zipped."""
    folder.mkdir()
    write_csv(
        folder / "organisations.csv",
        ["code", "name", "home", "report_contact"],
        [["E07000999", "Westmoor District Council", "yes", "performance@westmoor.example"]],
    )
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
         "directorate", "service"],
        [[ref, title, "percent", "higher", "quarterly", "targeted", "1", "Resources",
          "Customer Services"] for ref, title in TITLES.items()],
    )  # fmt: skip
    quarters = ["2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2"]
    write_csv(
        folder / "values.csv",
        ["ref", "period", "value", "target"],
        [[ref, q, f"{80 + n}.0", "85"] for ref in TITLES for n, q in enumerate(quarters)],
    )
    write_csv(
        folder / "targets.csv", ["ref", "period", "target"], [[r, ROUND, "85"] for r in TITLES]
    )
    archive = folder.parent / "last-quarter.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.iterdir()):
            zipped.write(path, f"last-quarter/{path.name}")
    return archive


class Visits:
    """Each page a person saw, checked by axe-core where it stands and kept
    to be seen again at 390 px wide."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = {}

    def check(self, page: Any, who: str, shot: str = "") -> None:
        page.wait_for_load_state()
        assert axe_violations(page) == [], page.url
        self.seen.setdefault(who, [])
        if page.url not in self.seen[who]:
            self.seen[who].append(page.url)
        if shot:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def press(page: Any, target: Any) -> None:
    """Reach the element with Tab and press Enter, as a keyboard user would."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def invite(page: Any, site: str, visits: Visits, name: str, email: str, role: str, scope: str):
    page.goto(f"{site}/people/")
    visits.check(page, "admin")
    # The invitation's own form: the page also maps sign-on groups to roles.
    form = page.get_by_role("region", name="Invite someone")
    form.get_by_label("Full name").fill(name)
    form.get_by_label("Email address").fill(email)
    form.get_by_label("First role (optional)").select_option(role)
    option = form.locator("#id_scope option", has_text=scope).first
    form.get_by_label("Scope").select_option(option.get_attribute("value"))
    form.get_by_role("button", name="Send the invitation").click()
    visits.check(page, "admin", f"person-{role}")
    assert f"Invitation sent to {email}." in page.content()


def set_password(page: Any, link: str, visits: Visits, who: str) -> None:
    page.goto(link)
    visits.check(page, who)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the new password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    visits.check(page, who)


def link_in(smtp: Any, to: str, pattern: str) -> str:
    for message in smtp.parsed():
        if message["To"] == to:
            text = message.get_body(preferencelist=("plain",)).get_content()
            return re.search(pattern, text).group()
    raise AssertionError(f"no email to {to}")


def entry_ids() -> dict[str, int]:
    from perfreport.data.models import Entry

    return dict(Entry.objects.filter(round__period=ROUND).values_list("indicator__ref", "pk"))


def test_a_quarter_from_invitation_to_publication_in_the_browser(
    live_server, settings, smtp, tmp_path
):
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant
    from perfreport.data.models import Entry, Observation

    settings.PERFREPORT_SITE_URL = site = live_server.url
    grant(User.objects.create_user("bi.admin", "bi@westmoor.example", PASSWORD), "admin")
    visits = Visits()
    archive = last_quarters_figures(tmp_path / "last-quarter")

    # The BI administrator: figures, people, the round.
    with browser_page() as page:
        sign_in(page, site, "bi.admin")
        page.goto(f"{site}/imports/")
        visits.check(page, "admin")
        page.get_by_label("File to import").set_input_files(str(archive))
        page.get_by_role("button", name="Upload and check").click()
        visits.check(page, "admin", "import-preview")
        page.get_by_role("button", name="Confirm and import").click()
        visits.check(page, "admin")
        invite(
            page, site, visits, "Olu Owens", "olu@westmoor.example", "owner", "Customer Services"
        )
        invite(page, site, visits, "Ada Aziz", "ada@westmoor.example", "approver", "Resources")
        page.goto(f"{site}/rounds/")
        visits.check(page, "admin")
        page.get_by_label("Period").fill(ROUND)
        page.get_by_label("Deadline").fill((timezone.localdate() + timedelta(days=14)).isoformat())
        page.get_by_role("button", name="Open the round").click()
        visits.check(page, "admin", "round-opened")
        assert page.locator("table.round-entries tbody tr").count() == 6
    assert Observation.objects.filter(period="2024/25 Q2").count() == 6
    welcome = rf"{re.escape(site)}/accounts/welcome/\S+"

    # The owner, by keyboard: a grid of four, the template for two, submitted.
    ids = entry_ids()
    with browser_page() as page:
        set_password(page, link_in(smtp, "olu@westmoor.example", welcome), visits, "owner")
        sign_in(page, site, "olu@westmoor.example")
        page.goto(f"{site}/work/figures/")
        visits.check(page, "owner")
        for ref, value in GRID.items():
            tab_to(page, f"id_e{ids[ref]}-value")
            page.keyboard.type(value)
        page.wait_for_selector(f"#id_e{ids['CS2']}-actions", state="visible")
        tab_to(page, f"id_e{ids['CS2']}-actions")
        page.keyboard.type("Two advisers recruited; the call-back service starts in January.")
        press(page, f"id_e{ids['CS1']}-value")  # Enter saves the grid
        visits.check(page, "owner", "grid-saved")
        assert "Saved 4 figures as drafts" in page.get_by_role("status").inner_text()

        page.goto(f"{site}/work/figures/upload")
        visits.check(page, "owner")
        with page.expect_download() as download:
            tab_to(page, page.get_by_role("link", name="Download the template of your figures"))
            page.keyboard.press("Enter")
        template = tmp_path / download.value.suggested_filename
        download.value.save_as(template)
        workbook = load_workbook(template)
        sheet = workbook.active
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            ref = row[header.index("Reference")].value
            if ref in TEMPLATE:
                row[header.index("Value")].value = float(TEMPLATE[ref])
        filled = tmp_path / "my-figures.xlsx"
        workbook.save(filled)
        page.get_by_label("The filled-in template").set_input_files(str(filled))
        press(page, page.get_by_role("button", name="Upload and save as drafts"))
        visits.check(page, "owner")
        assert "2 figures" in page.get_by_role("status").inner_text()

        for ref in TITLES:
            page.goto(f"{site}/work/entries/{ids[ref]}/")
            visits.check(page, "owner")
            press(page, page.get_by_role("button", name="Submit for approval"))
            assert "submitted" in page.get_by_role("status").inner_text().lower()
    assert {e.state for e in Entry.objects.filter(round__period=ROUND)} == {"submitted"}

    # The approver: one returned with a reason, the rest approved at once.
    with browser_page() as page:
        set_password(page, link_in(smtp, "ada@westmoor.example", welcome), visits, "approver")
        sign_in(page, site, "ada@westmoor.example")
        page.goto(f"{site}/work/")
        visits.check(page, "approver", "approvals")
        approvals = page.locator("table", has_text="Approve selected").first
        assert "70.0%" in page.content() and "Red" in page.content()
        page.goto(f"{site}/work/entries/{ids['CS2']}/")
        page.get_by_label("Reason for returning it").fill("Say when the call-back service starts.")
        page.get_by_role("button", name="Return to the owner").click()
        visits.check(page, "approver")
        page.goto(f"{site}/work/")
        for ref in TITLES:
            if ref != "CS2":
                page.locator(f"#approve-{ids[ref]}").check()
        page.get_by_role("button", name="Approve selected").click()
        visits.check(page, "approver")
        del approvals
    states = dict(Entry.objects.filter(round__period=ROUND).values_list("indicator__ref", "state"))
    assert states == {**{r: "approved" for r in TITLES}, "CS2": "returned"}
    returned = [m for m in smtp.parsed() if "returned" in m["Subject"]]
    assert [m["To"] for m in returned] == ["olu@westmoor.example"]
    assert (
        "Say when the call-back service starts."
        in returned[0].get_body(preferencelist=("plain",)).get_content()
    )

    # The administrator publishes, seeing what is not approved, with a reason.
    round_pk = Entry.objects.get(pk=ids["CS1"]).round_id
    with browser_page() as page:
        sign_in(page, site, "bi.admin")
        page.goto(f"{site}/rounds/{round_pk}/publish")
        visits.check(page, "admin", "publish-confirm")
        assert "Olu Owens" in page.content() and TITLES["CS2"] in page.content()
        page.get_by_role("button", name=re.compile("Publish")).click()
        visits.check(page, "admin")
        assert page.get_by_role("alert").count() == 1  # a reason is asked for
        page.get_by_label(re.compile("^Why are you publishing")).fill(
            "The cabinet meets on Thursday; complaints follow next quarter."
        )
        page.get_by_role("button", name=re.compile("Publish")).click()
        visits.check(page, "admin", "round-published")
    published = Observation.objects.filter(period=ROUND, is_draft=False)
    assert sorted(published.values_list("indicator__ref", flat=True)) == [
        "CS1", "CS3", "CS4", "CS5", "CS6"
    ]  # fmt: skip

    # A resident: the figures, and what the ratings mean.
    with browser_page() as page:
        page.goto(f"{site}/public/?period={ROUND}")
        visits.check(page, "public", "public-scorecard")
        text = page.locator("main").inner_text()
        assert "Quarter 3 2024/25" in text
        assert "What the ratings mean" in text
        assert "90.0%" in text and "70.0%" not in text
        page.goto(f"{site}/public/indicators/CS1/")
        visits.check(page, "public", "public-indicator")

    # Every page again at 390 px, as each person saw it.
    usernames = {"admin": "bi.admin", "owner": "olu@westmoor.example",
                 "approver": "ada@westmoor.example", "public": ""}  # fmt: skip
    for who, urls in visits.seen.items():
        with browser_page(390) as page:
            if usernames[who]:
                sign_in(page, site, usernames[who])
            for url in urls:
                if "/accounts/welcome/" in url or "/accounts/reset/" in url:
                    continue  # a link used once
                page.goto(url)
                page.wait_for_load_state()
                assert axe_violations(page) == [], f"{url} at 390 px"
