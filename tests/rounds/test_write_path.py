"""The one write path, through the interfaces people use: the import
command, the pages (with CSRF checked, as a browser sends them) and the API.
Nothing unapproved reaches the public, and a step taken on a stale page is
refused with what changed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from round_helpers import DEADLINE, TODAY, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Commentary, Observation
from perfreport.registry.periods import read_period
from perfreport.rounds.revert import latest_event_id
from perfreport.rounds.services import (
    EntryInput,
    approve_entry,
    open_round,
    publish_round,
    save_entry,
)

pytestmark = pytest.mark.django_db

DRAFT_NOTE = "Draft note 5b1e: not yet signed off"


def browser(user) -> Client:
    """A client that checks CSRF as the site does for a browser, signed in."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def form_post(client: Client, page: str, action: str, data: dict[str, str]):
    """Post the form at ``action`` as a browser would: with the CSRF token and
    the hidden fields the page put in that form."""
    html = client.get(page).content.decode()
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert form is not None, f"no form posting to {action} on {page}"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    return client.post(action, {**hidden, **data})


def public_views() -> str:
    """What the public can see of indicator 191 (September 2020): the
    scorecard's JSON, the indicator page and the API without a token."""
    anyone = Client()
    parts = [
        anyone.get("/public.json?period=2020/21+Q2").content.decode(),
        anyone.get("/public/indicators/191/?period=2020/21+Q2").content.decode(),
        anyone.get("/api/indicators/191/observations").content.decode(),
        anyone.get("/api/indicators/191/commentary/2020-09").content.decode(),
    ]
    return "\n".join(parts)


@pytest.fixture
def q2_round(actors):
    """A round for 2020/21 Q2, whose values (191: 87% for September 2020) are
    already published."""
    return open_round(actors["admin"], read_period("2020/21 Q2"), DEADLINE, today=TODAY)


def test_an_owners_draft_over_a_published_value_leaves_the_public_figure(personas, q2_round):
    """GIVEN 191's September value 87%, published, and a round collecting it
    WHEN its lead saves 64.2% with new commentary as a draft on the entry page
    THEN the public pages and the API still show 87% and the published
    commentary; staff see the draft; publishing the round makes it public,
    as a restatement of the published figure."""
    entry = entry_of(q2_round, "191")
    lead = browser(personas.lead)
    page = f"/work/entries/{entry.pk}/"

    saved = form_post(
        lead, page, page, {"action": "save", "value": "64.2", "commentary": DRAFT_NOTE}
    )

    assert saved.status_code == 303
    public = public_views()
    assert "64.2" not in public and DRAFT_NOTE not in public
    assert "87" in public
    stored = Observation.objects.home().get(indicator__ref="191", period="2020-09")
    assert stored.value == Decimal(87) and not stored.is_draft
    assert not Commentary.objects.get(indicator__ref="191", period="2020-09").is_draft
    staff = browser(personas.viewer).get("/scorecard.json?period=2020/21+Q2").content.decode()
    assert "64.2" in staff

    entry.refresh_from_db()
    save_entry(
        actors_of(personas)["lead"], entry.pk, EntryInput(value="64.2", commentary=DRAFT_NOTE,
        actions="Recruiting"), version=entry.version, submit=True,
    )  # fmt: skip
    approve_entry(actors_of(personas)["approver"], entry.pk)
    q2_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors_of(personas)["admin"], q2_round.pk)

    public = public_views()
    assert "64.2" in public and DRAFT_NOTE in public
    stored.refresh_from_db()
    assert stored.value == Decimal("64.2") and stored.first_value == Decimal(87)
    assert stored.restated_at is not None


def actors_of(personas):
    from perfreport.accounts.permissions import Actor

    return {name: Actor.of(user) for name, user in personas.all().items()}


def write_values(folder, rows: str) -> None:
    folder.mkdir(exist_ok=True)
    header = (
        "ref,period,organisation,value,numerator,denominator,target,stated_rag,commentary,actions\n"
    )
    (folder / "values.csv").write_text(header + rows, encoding="utf-8")


def test_an_administrators_import_into_an_open_round_waits_for_publication(
    tmp_path, capsys, personas, q2_round
):
    """GIVEN a round open for 2020/21 Q2
    WHEN a BI administrator imports 191 = 61.5% for September 2020
    THEN the import says the value went into the round as a draft, the
    round's entry holds it (Draft), and the public pages and API still show
    87% until the round is published."""
    write_values(tmp_path / "in", f'191,2020-09,,61.5,,,,,"{DRAFT_NOTE}",\n')

    call_command("import_data", str(tmp_path / "in"))

    said = capsys.readouterr().out
    assert "saved as drafts" in said and "open round for 2020/21 Q2" in said
    entry = entry_of(q2_round, "191")
    assert entry.value == Decimal("61.5") and entry.state == "draft"
    assert entry.commentary == DRAFT_NOTE
    public = public_views()
    assert "61.5" not in public and DRAFT_NOTE not in public
    assert Observation.objects.home().get(indicator__ref="191", period="2020-09").value == 87
    assert AuditEvent.objects.filter(
        object_type="entry", object_id=str(entry.pk), reason="imported from in"
    ).exists()


def test_an_import_forced_past_the_round_is_published_and_audited(
    tmp_path, capsys, personas, q2_round
):
    """GIVEN a round open for 2020/21 Q2
    WHEN a BI administrator imports 191 = 61.5% with --force
    THEN the published value is 61.5% (a restatement) and the import's audit
    event says it was forced past the round."""
    write_values(tmp_path / "in", "191,2020-09,,61.5,,,,,,\n")

    call_command("import_data", str(tmp_path / "in"), force=True)

    stored = Observation.objects.home().get(indicator__ref="191", period="2020-09")
    assert stored.value == Decimal("61.5") and stored.restated_at is not None
    assert "61.5" in public_views()
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert "forced past open rounds" in event.reason


def test_an_import_may_not_change_a_submitted_entry(tmp_path, capsys, personas, q2_round):
    """GIVEN 191 submitted in the open round
    WHEN an import brings a September value for it
    THEN the import is refused, naming the file, row and column, and nothing changes."""
    entry = entry_of(q2_round, "191")
    save_entry(
        actors_of(personas)["lead"], entry.pk, EntryInput(value="88"), version=entry.version,
        submit=True,
    )  # fmt: skip
    write_values(tmp_path / "in", "191,2020-09,,61.5,,,,,,\n")

    with pytest.raises(CommandError):
        call_command("import_data", str(tmp_path / "in"))

    said = capsys.readouterr().err
    assert "values.csv" in said and "row 2" in said and "submitted" in said, said
    entry.refresh_from_db()
    assert entry.value == Decimal(88) and entry.state == "submitted"


def test_a_stale_restatement_is_refused_with_what_changed(personas, actors, open_round):
    """GIVEN 191 published at 72.5% and two people on its Restate page
    WHEN the first restates it to 74% and the second, on the page they
    opened before, restates it to 75%
    THEN the second gets 409 with the saved 74% beside their 75%, and 74% stands."""
    entry = _published_191(actors, open_round)
    first, second = browser(personas.lead), browser(personas.admin)
    page = f"/work/entries/{entry.pk}/restate"
    stale_form = second.get(page).content.decode()
    version = re.search(r'name="version" value="(\d+)"', stale_form)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', stale_form)[1]

    done = form_post(first, page, page, {"value": "74", "reason": "Late calls counted"})
    refused = second.post(
        page,
        {"csrfmiddlewaretoken": token, "version": version, "value": "75", "reason": "Recount"},
    )

    assert done.status_code == 303
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "74.0%" in html and "75.0%" in html and 'value="75"' in html
    entry.refresh_from_db()
    assert entry.value == Decimal(74)


def test_an_approval_of_an_entry_changed_since_is_refused(personas, actors, open_round):
    """GIVEN 191 submitted at 70%, and the approver's page open on it
    WHEN the lead's submission is returned and resubmitted at 71% by
    the time the approver presses Approve on the old page
    THEN the approval is refused (409), showing the entry as it now reads."""
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="70", actions="Recruiting"),
               version=entry.version, submit=True)  # fmt: skip
    approver = browser(personas.approver)
    page = f"/work/entries/{entry.pk}/"
    html = approver.get(page).content.decode()
    approve_form = re.search(r'<form[^>]*action="[^"]*/approve".*?</form>', html, re.S)[0]
    hidden = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', approve_form))
    from perfreport.rounds.services import return_entry

    entry.refresh_from_db()
    return_entry(actors["admin"], entry.pk, "Check it", version=entry.version)
    entry.refresh_from_db()
    save_entry(actors["lead"], entry.pk, EntryInput(value="71", actions="Recruiting"),
               version=entry.version, submit=True)  # fmt: skip

    refused = approver.post(f"/work/entries/{entry.pk}/approve", hidden)

    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Nothing was approved" in text and "71.0%" in text
    entry.refresh_from_db()
    assert entry.state == "submitted"


def test_publishing_a_round_changed_since_the_page_was_opened_is_refused(
    personas, actors, open_round
):
    """GIVEN the publish confirmation open for the administrator, with 191
    approved and every other entry untouched
    WHEN 190 is submitted and approved after the page was opened, and Publish
    is pressed on the old page
    THEN publishing is refused (409), naming 190, and the round stays open."""
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="72.5", actions="Recruiting"),
               version=entry.version, submit=True)  # fmt: skip
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    admin = browser(personas.admin)
    page = f"/rounds/{open_round.pk}/publish"
    html = admin.get(page).content.decode()
    form = re.search(r'<form[^>]*action="[^"]*/publish".*?</form>', html, re.S)[0]
    hidden = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    late = entry_of(open_round, "190")
    save_entry(actors["lead"], late.pk, EntryInput(value="90"), version=late.version, submit=True)
    approve_entry(actors["approver"], late.pk)

    refused = admin.post(page, {**hidden, "reason": "The rest report next quarter"})

    assert refused.status_code == 409
    assert "190 (approved, by cs.lead)" in refused.content.decode()
    open_round.refresh_from_db()
    assert not open_round.is_published


def test_a_revert_of_a_value_changed_since_is_refused(personas, actors, open_round):
    """GIVEN two saves of 191's entry (70%, then 71%) and the history page open
    WHEN a third save (72%) is made, then the administrator reverts the second
    from the old page
    THEN the revert is refused (409), saying the value is now 72.0%."""
    entry = entry_of(open_round, "191")
    for value in ("70", "71"):
        entry.refresh_from_db()
        save_entry(actors["lead"], entry.pk, EntryInput(value=value), version=entry.version)
    admin = browser(personas.admin)
    html = admin.get("/indicators/191/history/").content.decode()
    second = AuditEvent.objects.filter(object_type="entry", action="save").latest("pk")
    form = re.search(rf'<form[^>]*action="/history/{second.pk}/revert".*?</form>', html, re.S)[0]
    hidden = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    entry.refresh_from_db()
    save_entry(actors["lead"], entry.pk, EntryInput(value="72"), version=entry.version)

    refused = admin.post(f"/history/{second.pk}/revert", {**hidden, "reason": "Wrong"})

    assert refused.status_code == 409
    assert "72.0%" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.value == Decimal(72)


def test_reverting_an_approved_entrys_figure_sends_it_back_to_draft(actors, open_round):
    """GIVEN 191 saved at 70%, then 72.5%, submitted and approved
    WHEN the administrator reverts the save of 72.5%
    THEN the entry holds 70% again and is a draft, to be signed off again."""
    from perfreport.rounds.revert import revert_event

    entry = entry_of(open_round, "191")
    for value, submit in (("70", False), ("72.5", True)):
        entry.refresh_from_db()
        save_entry(actors["lead"], entry.pk, EntryInput(value=value, actions="Recruiting"),
                   version=entry.version, submit=submit)  # fmt: skip
    approve_entry(actors["approver"], entry.pk)
    change = AuditEvent.objects.filter(object_type="entry", action="submit").latest("pk")

    revert_event(
        actors["admin"], change.pk, "Wrong month", latest=latest_event_id("entry", entry.pk)
    )

    entry.refresh_from_db()
    assert entry.value == Decimal(70) and entry.state == "draft" and entry.approved_by is None


def test_the_api_without_a_token_never_shows_draft_commentary(personas, actors, open_round):
    """GIVEN draft commentary on 191's December entry in an open round
    WHEN anyone asks the API for it without a token
    THEN it is not there (404), while a staff token sees it."""
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="70", commentary=DRAFT_NOTE),
               version=entry.version)  # fmt: skip

    anonymous = Client().get("/api/indicators/191/commentary/2020-12")

    assert anonymous.status_code == 404 and DRAFT_NOTE not in anonymous.content.decode()


def _published_191(actors, found):
    entry = entry_of(found, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="72.5", actions="Recruiting"),
               version=entry.version, submit=True)  # fmt: skip
    approve_entry(actors["approver"], entry.pk)
    found.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], found.pk)
    entry.refresh_from_db()
    return entry


def test_the_api_writes_into_an_open_round_as_a_draft(personas, actors, q2_round):
    """GIVEN a round open for 2020/21 Q2 and the lead's token
    WHEN the lead PUTs 58.3% for 191's September value
    THEN the entry holds it as a draft and the public still see 87%."""
    from perfreport.api.models import ApiToken

    _, secret = ApiToken.objects.issue(personas.lead, "test")
    response = Client().put(
        "/api/indicators/191/observations/2020-09",
        data={"value": 58.3},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert response.status_code in (200, 201), response.content
    assert entry_of(q2_round, "191").value == Decimal("58.3")
    public = Client().get("/api/indicators/191/observations").json()
    assert all(item["value"] not in (58.3, "58.3") for item in public["items"]), public
    assert "58.3%" not in public_views()
    assert Observation.objects.home().get(indicator__ref="191", period="2020-09").value == 87


def test_the_admin_obeys_the_round_rule_too(personas, q2_round):
    """GIVEN a round collecting 191's September 2020 value (87%, published)
    WHEN a BI administrator changes it to 12 in the admin
    THEN the form is refused saying the round collects it, what was typed
    stays in the form, and the published figure is unchanged."""
    from django.urls import reverse

    personas.admin.is_staff = True  # the admin site's own door (createsuperuser opens it)
    personas.admin.save(update_fields=["is_staff"])
    admin = Client()
    admin.force_login(personas.admin)
    stored = Observation.objects.home().get(indicator__ref="191", period="2020-09")
    url = reverse("admin:data_observation_change", args=[stored.pk])
    opened = admin.get(url)
    assert opened.status_code == 200, opened.status_code
    form = opened.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(indicator=stored.indicator_id, organisation=stored.organisation_id, value="12")
    data.pop("is_draft", None)

    response = admin.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "is collected by the open round for 2020/21 Q2" in page
    assert 'value="12"' in page
    stored.refresh_from_db()
    assert stored.value == Decimal(87)
