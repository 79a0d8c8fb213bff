"""The entry page's context while typing: the value worked out from its
numerator and denominator (or refused when it disagrees with them), the
same period last year and the last six values, and the drafted commentary
offered as a starting text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from round_helpers import entry_of

from perfreport.rounds.services import EntryInput, parse_entry, save_entry

pytestmark = pytest.mark.django_db


def entry_url(entry, suffix=""):
    return f"/work/entries/{entry.pk}/{suffix}"


def post(client, entry, action="save", **fields):
    return client.post(entry_url(entry), {"action": action, "version": entry.version, **fields})


# -- Numerator and denominator -------------------------------------------------------


def test_an_empty_value_is_worked_out_from_the_numerator_and_denominator(
    client, personas, open_round
):
    """GIVEN 191 (a percentage shown to 1 decimal place) due
    WHEN its lead saves no value but 870 of 1,000
    THEN the draft holds 87.0, 870 and 1000."""
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = post(client, entry, value="", numerator="870", denominator="1,000")

    assert response.status_code == 303
    entry.refresh_from_db()
    assert (entry.value, entry.numerator, entry.denominator) == (
        Decimal("87.0"),
        Decimal(870),
        Decimal(1000),
    )
    assert entry.state == "draft"


def test_a_value_that_disagrees_with_its_numerator_and_denominator_is_refused(
    client, personas, open_round
):
    """GIVEN 191 due
    WHEN its lead saves 80 beside 870 of 1,000
    THEN nothing is saved, and the page names the value, the numerator and
    the denominator, and what they give, keeping what was typed."""
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = post(client, entry, value="80", numerator="870", denominator="1000")

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Value is 80.0%, but the numerator and denominator give 87.0% (870 ÷ 1000 × 100): "
        "correct the value, the numerator or the denominator, or leave the value empty to "
        "have it worked out" in page
    )
    assert 'href="#id_value"' in page
    assert 'value="80"' in page and 'value="870"' in page
    entry.refresh_from_db()
    assert entry.value is None and entry.numerator is None and entry.version == 1


def test_a_value_within_the_printed_place_of_its_counts_is_saved(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = post(client, entry, value="87.04", numerator="870", denominator="1000")

    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.value == Decimal("87.04")


def test_counts_that_make_a_percentage_over_100_are_refused_naming_the_numerator(
    personas, open_round
):
    parsed = parse_entry(
        entry_of(open_round, "191").indicator,
        EntryInput(value="", numerator="1100", denominator="1000"),
    )

    assert parsed.errors == {
        "numerator": "is 1100 of 1000, which gives 110.0% (1100 ÷ 1000 × 100): outside 0 to 100, "
        "the range of a percentage"
    }


def test_a_value_withheld_as_published_is_not_checked_against_its_counts(personas, open_round):
    parsed = parse_entry(
        entry_of(open_round, "191").indicator,
        EntryInput(value="c", numerator="870", denominator="1000"),
    )

    assert parsed.errors == {}
    assert parsed.value is None and parsed.withheld_as == "c"


# -- Same period last year, and the last six values ---------------------------------


def held_values(entry, values):
    """GIVEN published values for 191 at these months (first_month: value),
    copied from the seed's September 2020 value."""
    from perfreport.data.models import Observation

    seed = Observation.objects.get(indicator=entry.indicator, first_month=24248)
    for month, value in values.items():
        seed.pk, seed.first_month, seed.last_month, seed.value = None, month, month, Decimal(value)
        seed.save()


def test_the_page_shows_the_same_period_last_year_and_the_last_six_published_values(
    client, personas, open_round
):
    """GIVEN 191 due for December 2020, with values published for every month
    from December 2019 to September 2020
    WHEN its lead opens the entry
    THEN the page shows December 2019's value with its unit, and the six
    values before December 2020, latest first, with their units."""
    from perfreport.web.entry_page import last_year_value, recent_values

    entry = entry_of(open_round, "191")
    december_2019 = entry.first_month - 12
    held_values(
        entry, {december_2019: "82.34", **{m: "80" for m in range(december_2019 + 1, 24247)}}
    )
    client.force_login(personas.lead)

    response = client.get(entry_url(entry))

    page = response.content.decode()
    assert response.status_code == 200
    assert last_year_value(entry).period == "December 2019"
    assert last_year_value(entry).value == "82.3%"
    assert "Same period last year" in page
    assert "<dt>December 2019</dt>\n    <dd>82.3%" in page
    recent = recent_values(entry)
    assert [row.period for row in recent] == [
        "September 2020",
        "August 2020",
        "July 2020",
        "June 2020",
        "May 2020",
        "April 2020",
    ]
    assert [row.value for row in recent[:3]] == ["87.0%", "87.5%", "80.0%"]
    for row in recent:
        assert f'<th scope="row">{row.period}</th>' in page
    assert "March 2020" not in page


def test_a_draft_value_is_not_shown_as_an_earlier_published_value(personas, open_round):
    """GIVEN September 2020's value for 191 turned into a draft
    THEN the entry's reference table no longer lists September 2020."""
    from perfreport.data.models import Observation
    from perfreport.web.entry_page import recent_values

    entry = entry_of(open_round, "191")
    Observation.objects.filter(indicator=entry.indicator, first_month=24248).update(is_draft=True)

    periods = [row.period for row in recent_values(entry)]

    assert periods == ["August 2020"]


def test_no_value_a_year_earlier_says_so(client, personas, open_round):
    from perfreport.web.entry_page import last_year_value

    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    page = client.get(entry_url(entry)).content.decode()

    assert last_year_value(entry).value == ""
    assert "<dt>December 2019</dt>\n    <dd>No published value</dd>" in page


# -- The drafted commentary ----------------------------------------------------------


def test_the_page_offers_the_drafted_commentary_without_writing_it_until_asked(
    client, personas, actors, open_round
):
    """GIVEN 191 saved as a draft at 70% (target 85%)
    WHEN its lead opens it
    THEN the page offers "Use the drafted commentary" (the draft itself is
    written when asked for, so as not to slow every page), and the draft the
    report writes for 70% speaks of the value, its change and its rating."""
    from perfreport.web.entry_page import drafted_commentary

    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="70"), version=entry.version)
    entry.refresh_from_db()
    client.force_login(personas.lead)

    page = client.get(entry_url(entry)).content.decode()

    assert 'name="action" value="draft"' in page and "Use the drafted commentary" in page
    assert "data-drafted-text hidden></blockquote>" in page
    draft = drafted_commentary(entry, Decimal(70))
    assert draft.startswith(
        "In December 2020 the value was 70.0%, down from 87.0% in September 2020"
    )
    assert "Red" in draft


def test_without_javascript_the_button_puts_the_draft_after_what_was_written(
    client, personas, open_round
):
    """GIVEN 191 with nothing saved
    WHEN its lead types 70 and a sentence, and presses "Use the drafted commentary"
    THEN the page comes back with the sentence, then the draft, in the field,
    and the value still typed; nothing is saved."""
    from perfreport.web.entry_page import drafted_commentary

    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = post(client, entry, action="draft", value="70", commentary="Staff were ill.")

    page = response.content.decode()
    draft = drafted_commentary(entry, Decimal(70))
    assert response.status_code == 200
    assert f"Staff were ill.\n\n{draft}</textarea>" in page
    assert f"data-drafted-text>{draft}</blockquote>" in page
    assert 'value="70"' in page
    entry.refresh_from_db()
    assert entry.value is None and entry.commentary == "" and entry.version == 1


def test_the_preview_endpoint_answers_the_draft_when_asked(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    asked = client.get(entry_url(entry, "preview"), {"value": "70", "draft": "1"}).json()
    plain = client.get(entry_url(entry, "preview"), {"value": "70"}).json()
    empty = client.get(entry_url(entry, "preview"), {"value": "", "draft": "1"}).json()

    assert asked["drafted"].startswith("In December 2020 the value was 70.0%")
    assert "drafted" not in plain
    assert empty["drafted"] == ""


def test_the_preview_works_out_the_value_from_the_counts_and_says_when_they_disagree(
    client, personas, open_round
):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    worked = client.get(
        entry_url(entry, "preview"), {"value": "", "numerator": "870", "denominator": "1000"}
    ).json()
    disagreeing = client.get(
        entry_url(entry, "preview"), {"value": "80", "numerator": "870", "denominator": "1000"}
    ).json()

    assert worked["value"] == "87.0%" and worked["rating"] is not None
    assert disagreeing["rating"] is None
    assert disagreeing["errors"]["value"].startswith(
        "Value is 80.0%, but the numerator and denominator give 87.0% (870 ÷ 1000 × 100)"
    )
