"""A figure withheld as published goes through a round like any other: typed
as "c" on the entry (or imported into the round's period), not rated, frozen
in the snapshot as printed, published as withheld, and never replaced by the
figure before it (issue 12, item 7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from round_helpers import entry_of

from perfreport.data.models import Observation
from perfreport.data.selectors import evaluate_period
from perfreport.data.snapshots import snapshot_of
from perfreport.registry.periods import read_period
from perfreport.rounds.services import (
    EntryInput,
    approve_entry,
    publish_round,
    restate_entry,
    save_entry,
)

pytestmark = pytest.mark.django_db


def publish_only_191(open_round, actors) -> None:
    """Publish the round with 191 approved and every other entry left unstarted."""
    open_round.entries.exclude(indicator__ref="191").update(state="not_started")
    publish_round(actors["admin"], open_round.pk)


def test_a_withheld_figure_is_entered_signed_off_and_published_as_printed(open_round, actors):
    """GIVEN the round for 2020/21 Q3
    WHEN the lead enters "fewer than 10" for 191 and it is approved and published
    THEN the entry, the stored value and the snapshot keep the text, no rating
    is given, and the public see it as printed for December 2020."""
    entry = entry_of(open_round, "191")

    saved = save_entry(
        actors["lead"], entry.pk, EntryInput(value="fewer than 10"), version=1, submit=True
    )
    approve_entry(actors["approver"], saved.pk)
    publish_only_191(open_round, actors)

    assert (saved.value, saved.withheld_as) == (None, "fewer than 10")
    stored = Observation.objects.get(indicator__ref="191", period="2020-12")
    assert (stored.value, stored.withheld_as, stored.is_draft) == (None, "fewer than 10", False)
    frozen = snapshot_of(open_round.__class__.objects.get(pk=open_round.pk)).entry_for(
        entry.indicator_id, entry.frequency, entry.first_month
    )
    assert frozen is not None
    assert (frozen.value, frozen.withheld_as, frozen.rating) == (None, "fewer than 10", None)
    public = evaluate_period(read_period("2020/21 Q3"), published_only=True)
    row = next(r for r in public.rows if r.indicator.ref == "191")
    assert row.evaluation.shown(row.evaluation.current) == "fewer than 10"
    assert row.evaluation.rating is None
    html = Client().get("/public/indicators/191/?period=2020/21+Q3").content.decode()
    assert '<dd class="headline__figure">fewer than 10</dd>' in html


def test_a_withheld_figure_restated_as_a_number_is_a_restatement(open_round, actors):
    entry = entry_of(open_round, "191")
    saved = save_entry(actors["lead"], entry.pk, EntryInput(value="c"), version=1, submit=True)
    approve_entry(actors["approver"], saved.pk)
    publish_only_191(open_round, actors)

    restate_entry(actors["lead"], entry.pk, EntryInput(value="12"), reason="now publishable")

    stored = Observation.objects.get(indicator__ref="191", period="2020-12")
    assert (stored.value, stored.withheld_as) == (Decimal(12), "")
    assert stored.restated_at is not None


def test_an_import_of_a_withheld_figure_into_the_round_waits_in_the_entry(
    tmp_path, capsys, open_round
):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "values.csv").write_text("ref,period,value\n191,2020-12,[c]\n", encoding="utf-8")

    call_command("import_data", str(folder))

    assert "saved as drafts" in capsys.readouterr().out
    entry = entry_of(open_round, "191")
    assert (entry.value, entry.withheld_as, entry.state) == (None, "[c]", "draft")
    draft = Observation.objects.get(indicator__ref="191", period="2020-12")
    assert (draft.value, draft.withheld_as, draft.is_draft) == (None, "[c]", True)
