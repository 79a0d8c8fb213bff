"""Publishing a round goes through a confirmation page: it lists what is
missing or not approved, with owners, and asks why the round is published
with figures missing; the reason is kept in the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from round_helpers import ROUND_PERIOD, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import EntryInput, approve_entry, save_entry

pytestmark = pytest.mark.django_db


def page_of(found: Any) -> str:
    return f"/rounds/{found.pk}/publish"


def form(found: Any, reason: str = "") -> dict[str, str]:
    versions = " ".join(f"{pk}:{v}" for pk, v in found.entries.values_list("pk", "version"))
    return {"seen": versions, "reason": reason}


def approve(round_: Any, actors: dict[str, Any], ref: str, value: str = "72.5") -> Any:
    entry = entry_of(round_, ref)
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value=value, actions="Recruiting four advisers"),
        version=entry.version,
        submit=True,
    )
    return approve_entry(actors["approver"], entry.pk)


@pytest.fixture
def ready(open_round: Any, actors: dict[str, Any]) -> Any:
    """191's December approved, every other entry never started (the round's
    44: 16 indicators, 14 of them monthly, asked for October and November
    too): publishable, with gaps."""
    approved = approve(open_round, actors, "191")
    open_round.entries.exclude(pk=approved.pk).update(state="not_started")
    return open_round


def test_the_page_lists_the_missing_figures_with_their_owners_and_publishes_nothing(
    client, personas, ready
):
    client.force_login(personas.admin)

    page = client.get(page_of(ready))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Publish the round for Quarter 3 2020/21" in html
    assert "1 of 44 figures" in html
    missing = html[html.index('id="missing"') :]
    assert "Missing: these will be published as missing" in missing
    for ref in ("190", "192", "194"):
        assert f"<td>{ref}</td>" in missing
    row_194 = missing[missing.index("<td>194</td>") :]
    assert "it.owner" in row_194[: row_194.index("</tr>")]
    assert "No owner" in missing  # the seed has indicators nobody owns
    assert "<td>191</td>" in missing  # October and November
    assert "October 2020" in missing and "November 2020" in missing
    assert 'name="reason"' in html and "Why are you publishing with 43 figures missing" in html
    ready.refresh_from_db()
    assert not ready.is_published


def test_publishing_with_gaps_and_no_reason_is_refused_and_keeps_nothing_typed_lost(
    client, personas, ready
):
    client.force_login(personas.admin)

    refused = client.post(page_of(ready), form(ready, reason="   "))

    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_reason">Reason is required: 43 of 44 figures are missing' in html
    assert 'aria-invalid="true"' in html
    ready.refresh_from_db()
    assert not ready.is_published
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_a_reason_the_text_rule_refuses_is_sent_back_as_typed(client, personas, ready):
    client.force_login(personas.admin)

    refused = client.post(page_of(ready), form(ready, reason="late\x1b[31m figures"))

    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_reason"' in html
    assert "late\x1b[31m figures" in html or "late&#x1b;" in html or "late\x1b" in html
    ready.refresh_from_db()
    assert not ready.is_published


def test_publishing_with_a_reason_publishes_and_keeps_the_reason_in_the_audit_trail(
    client, personas, ready
):
    client.force_login(personas.admin)

    done = client.post(page_of(ready), form(ready, reason="Other services report next quarter"))

    assert done.status_code == 302 and done["Location"] == f"/rounds/{ready.pk}/"
    ready.refresh_from_db()
    assert ready.is_published and ready.published_by == personas.admin
    event = AuditEvent.objects.get(action="publish", object_id=str(ready.pk))
    assert event.reason == "Other services report next quarter"
    assert event.after["missing"] == 43 and event.after["published"] == 1
    assert client.get(page_of(ready))["Location"] == f"/rounds/{ready.pk}/"


def test_a_round_with_nothing_missing_publishes_without_a_reason(
    client, personas, open_round, actors
):
    for ref in ("190", "191", "192"):
        approve(open_round, actors, ref, "90")
    open_round.entries.exclude(state="approved").update(state="approved")
    client.force_login(personas.admin)

    page = client.get(page_of(open_round))
    assert 'name="reason"' not in page.content.decode()
    done = client.post(page_of(open_round), form(open_round))

    assert done.status_code == 302
    open_round.refresh_from_db()
    assert open_round.is_published
    assert AuditEvent.objects.get(action="publish").reason == ""


def test_figures_not_approved_are_listed_with_owners_and_left_out_with_a_reason(
    client, personas, open_round, actors
):
    """GIVEN 191 approved and 190 still a draft WHEN the administrator
    publishes THEN the page lists 190 with its owner and approver as left
    out, asks why, and with a reason publishes 191 alone: 190's figure stays
    a draft, never public, and its entry keeps its state."""
    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Observation

    approve(open_round, actors, "191")
    draft = entry_of(open_round, "190")
    save_entry(actors["lead"], draft.pk, EntryInput(value="80"), version=draft.version)
    client.force_login(personas.admin)

    page = client.get(page_of(open_round))

    html = page.content.decode()
    waiting = html[html.index('id="not-approved"') :]
    row = waiting[waiting.index("<td>190</td>") :]
    row = row[: row.index("</tr>")]
    assert "Draft" in row and "cs.lead" in row and "cs.director" in row
    assert "Not approved: these will not be published" in html
    assert "Publish round 2020/21 Q3</button>" in html
    refused = client.post(page_of(open_round), form(open_round))
    assert refused.status_code == 400
    assert "missing or not approved" in refused.content.decode()
    open_round.refresh_from_db()
    assert not open_round.is_published

    done = client.post(page_of(open_round), form(open_round, reason="Cabinet meets on Thursday"))

    assert done.status_code == 302
    open_round.refresh_from_db()
    assert open_round.is_published
    draft.refresh_from_db()
    assert draft.state == "draft"
    held = Observation.objects.home().get(indicator__ref="190", first_month=draft.first_month)
    assert held.is_draft
    event = AuditEvent.objects.get(action="publish")
    assert event.after["not approved"] == 1 and event.reason == "Cabinet meets on Thursday"


def test_the_command_line_still_waits_for_figures_not_approved(open_round, actors):
    from perfreport.rounds.services import RoundError, publish_round

    draft = entry_of(open_round, "190")
    save_entry(actors["lead"], draft.pk, EntryInput(value="80"), version=draft.version)

    with pytest.raises(RoundError, match="190 \\(draft\\)"):
        publish_round(actors["admin"], open_round.pk)


def test_a_figure_changed_after_the_page_was_shown_stops_publishing(
    client, personas, ready, actors
):
    client.force_login(personas.admin)
    shown = form(ready, reason="Other services report next quarter")
    approve(ready, actors, "192", "90")  # approved meanwhile: still publishable

    refused = client.post(page_of(ready), shown)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "changed after you opened it" in html
    assert "Other services report next quarter</textarea>" in html
    ready.refresh_from_db()
    assert not ready.is_published


@pytest.mark.parametrize("who", ["lead", "approver", "viewer"])
def test_only_an_administrator_sees_the_confirmation_or_publishes(client, personas, ready, who):
    client.force_login(getattr(personas, who))

    assert client.get(page_of(ready)).status_code == 403
    assert client.post(page_of(ready), form(ready, reason="x")).status_code == 403
    ready.refresh_from_db()
    assert not ready.is_published


def test_the_command_line_publishes_without_a_reason(personas, ready, actors):
    from perfreport.rounds.services import publish_round

    published = publish_round(actors["admin"], ready.pk)

    assert published.is_published
    assert AuditEvent.objects.get(action="publish").reason == ""


# -- in a browser ------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
SHOTS = "/tmp"  # copied to docs/gallery by hand when the pages change


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_administrator_confirms_publishing_in_a_browser_at_two_widths(
    live_server, personas, actors
):
    """GIVEN a round with 191 approved and the rest never started
    WHEN the administrator presses Publish on the round page, submits the
    confirmation without a reason, then with one
    THEN the error summary names the reason, and then the round is
    published; every page passes axe at 1280 and 390 px."""
    from browser import axe_violations, browser_page, sign_in
    from round_helpers import DEADLINE, TODAY

    from perfreport.data.models import Round
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round as open_

    found = open_(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)
    approved = approve(found, actors, "191")
    found.entries.exclude(pk=approved.pk).update(state="not_started")

    with browser_page(390) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/rounds/{found.pk}/publish")
        assert "Missing: these will be published as missing" in page.content()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()
        assert "Reason is required" in page.get_by_role("alert").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/web-round-publish-refused-phone.png")

    with browser_page(1280) as page:
        sign_in(page, live_server.url, "bi.admin")
        page.goto(f"{live_server.url}/rounds/{found.pk}/")
        assert "entries have no owner" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/web-round-owners.png")
        page.get_by_role("link", name="Give an owner to 180").click()
        page.wait_for_load_state()
        assert axe_violations(page) == []
        page.get_by_role("link", name="Back to the round").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()
        assert axe_violations(page) == []
        page.screenshot(path=f"{SHOTS}/web-round-publish.png")
        page.get_by_role("button", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()
        assert "Reason is required" in page.get_by_role("alert").inner_text()
        assert axe_violations(page) == []
        page.get_by_label("Why are you publishing with 43 figures missing").fill(
            "Other services report next quarter"
        )
        page.get_by_role("button", name="Publish round 2020/21 Q3").click()
        page.wait_for_load_state()
        assert "is published" in page.get_by_role("status").first.inner_text()

    assert Round.objects.get(pk=found.pk).is_published
