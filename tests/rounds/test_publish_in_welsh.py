"""Publishing in Welsh and English (issue 17): with the organisation's
bilingual mode on, a round is refused, on its page and on the command line,
while a text it would make public has English and no Welsh; the refusal
lists each text with a link to where its Welsh is added, and publishes
nothing. With every Welsh text written, or with bilingual mode off, the
round publishes, and the Welsh goes with the English."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from round_helpers import ROUND_PERIOD, entry_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import run

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Commentary, Entry
from perfreport.registry.models import Indicator, Organisation, PlanAction, PlanItem
from perfreport.rounds.services import EntryInput, approve_entry, save_entry

pytestmark = pytest.mark.django_db


def page_of(found: Any) -> str:
    return f"/rounds/{found.pk}/publish"


def form(found: Any, reason: str = "") -> dict[str, str]:
    versions = " ".join(f"{pk}:{v}" for pk, v in found.entries.values_list("pk", "version"))
    return {"seen": versions, "reason": reason}


def bilingual(on: bool = True) -> None:
    Organisation.objects.filter(is_home=True).update(bilingual=on)


@pytest.fixture
def ready(open_round: Any, actors: dict[str, Any]) -> Any:
    """191's December approved with commentary and actions in English (the
    Welsh commentary written, the Welsh actions not); every other entry
    never started."""
    entry = entry_of(open_round, "191")
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="72.5", commentary="Calls answered faster", actions="Four advisers"),
        version=entry.version,
        submit=True,
    )
    Entry.objects.filter(pk=entry.pk).update(commentary_cy="Galwadau wedi'u hateb yn gynt")
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    return open_round


def all_welsh_written(found: Any) -> None:
    """The Welsh of every public text written (as the admin or an import would)."""
    for model in (Indicator, PlanItem, PlanAction):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(title_cy=f"Teitl {row.ref}")
    Organisation.objects.filter(is_home=True).update(report_title_cy="Adroddiad perfformiad")
    Entry.objects.filter(pk=entry_of(found, "191").pk).update(actions_cy="Pedwar cynghorydd")


def test_the_page_lists_what_lacks_its_welsh_and_refuses_to_publish(client, personas, ready):
    bilingual()
    Organisation.objects.filter(is_home=True).update(report_title="Quarterly performance")
    client.force_login(personas.admin)

    page = client.get(page_of(ready))
    assert page.status_code == 200
    assert "Missing in Welsh: the round cannot be published until these are written" in (
        page.content.decode()
    )

    refused = client.post(page_of(ready), form(ready, reason="Others report next quarter"))

    assert refused.status_code == 409
    html = refused.content.decode()
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    entry = entry_of(ready, "191")
    indicator = Indicator.objects.get(ref="191")
    untranslated = Indicator.objects.get(ref="180")  # the example translates 191's title, not 180's
    assert "Your organisation publishes in Welsh and English" in summary
    assert "Nothing was published" in summary
    assert (
        f'<a href="/admin/registry/indicator/{untranslated.pk}/change/">'
        "Indicator 180: its title has no Welsh</a>"
    ) in summary
    assert "Indicator 191: its title has no Welsh" not in summary
    assert (
        f'<a href="/work/entries/{entry.pk}/">'
        "Indicator 191, December 2020: the actions have no Welsh</a>"
    ) in summary
    assert "the commentary has no Welsh" not in summary  # written in Welsh
    assert '<a href="/settings/report/">The reports&#x27; title has no Welsh</a>' in summary
    assert "Plan item P1: its title has no Welsh" in summary
    assert "Action or project A1: its title has no Welsh" in summary
    ready.refresh_from_db()
    assert not ready.is_published
    assert not AuditEvent.objects.filter(action="publish").exists()
    assert Entry.objects.get(pk=entry.pk).state == "approved"
    draft = Commentary.objects.get(indicator=indicator, first_month=entry.first_month)
    assert draft.is_draft  # still a draft, never public


def test_the_welsh_page_lists_them_in_welsh_words_with_welsh_links(client, personas, ready):
    bilingual()
    client.force_login(personas.admin)

    refused = client.post(f"/cy{page_of(ready)}", form(ready, reason="Eraill y chwarter nesaf"))

    assert refused.status_code == 409
    html = refused.content.decode()
    entry = entry_of(ready, "191")
    assert f'<a href="/cy/work/entries/{entry.pk}/">' in html


def test_with_every_welsh_text_written_the_round_publishes_with_its_welsh(client, personas, ready):
    bilingual()
    all_welsh_written(ready)
    client.force_login(personas.admin)

    page = client.get(page_of(ready))
    assert "Missing in Welsh" not in page.content.decode()
    done = client.post(page_of(ready), form(ready, reason="Others report next quarter"))

    assert done.status_code == 302
    ready.refresh_from_db()
    assert ready.is_published
    published = Commentary.objects.get(
        indicator__ref="191", first_month=entry_of(ready, "191").first_month
    )
    assert not published.is_draft
    assert published.text_cy == "Galwadau wedi'u hateb yn gynt"
    assert published.actions_cy == "Pedwar cynghorydd"
    frozen = ready.snapshot["entries"]
    assert any(e.get("commentary_cy") == "Galwadau wedi'u hateb yn gynt" for e in frozen)


def test_with_bilingual_mode_off_nothing_welsh_is_asked_for(client, personas, ready):
    bilingual(False)
    client.force_login(personas.admin)

    page = client.get(page_of(ready))
    assert "Missing in Welsh" not in page.content.decode()
    done = client.post(page_of(ready), form(ready, reason="Others report next quarter"))

    assert done.status_code == 302
    ready.refresh_from_db()
    assert ready.is_published


def test_the_command_line_refuses_with_the_list_and_exit_status_1(ready):
    bilingual()
    ready.entries.exclude(state="approved").update(state="approved")  # nothing else in the way

    result = run("round", "publish", "--period", ROUND_PERIOD)

    assert result.returncode == 1
    assert "cannot be published in Welsh and English yet" in result.stderr
    assert "- Indicator 180: its title has no Welsh (/admin/registry/indicator/" in result.stderr
    assert "Indicator 191, December 2020: the actions have no Welsh" in result.stderr
    assert "Traceback" not in result.stderr
    ready.refresh_from_db()
    assert not ready.is_published
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_the_command_line_publishes_once_the_welsh_is_written(ready):
    bilingual()
    ready.entries.exclude(state="approved").update(state="approved")
    all_welsh_written(ready)

    result = run("round", "publish", "--period", ROUND_PERIOD)

    assert result.returncode == 0, result.stderr
    ready.refresh_from_db()
    assert ready.is_published
