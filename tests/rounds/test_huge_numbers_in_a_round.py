"""A number of 23 or more integer digits typed into a round's entry form or
its preview is refused with the digit limit, never a server error."""

from __future__ import annotations

import pytest
from round_helpers import entry_of

pytestmark = pytest.mark.django_db

HUGE = ["1" * 23, "9" * 40 + ".25", "1,000,000,000,000,000,000,000"]
LIMIT = "is too large: at most 14 digits before the decimal point are kept"


def signed_in_lead(client, personas):
    client.force_login(personas.lead)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", HUGE)
def test_the_entry_form_refuses_a_number_of_23_digits_and_keeps_it(
    client, personas, open_round, value
):
    entry = entry_of(open_round, "191")

    response = signed_in_lead(client, personas).post(
        f"/work/entries/{entry.pk}/", {"action": "save", "version": entry.version, "value": value}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert LIMIT in page and 'href="#id_value"' in page
    assert f'value="{value}"' in page
    entry.refresh_from_db()
    assert entry.value is None and entry.version == 1


@pytest.mark.parametrize("value", HUGE)
def test_the_preview_says_a_number_of_23_digits_is_too_large(client, personas, open_round, value):
    entry = entry_of(open_round, "191")

    response = signed_in_lead(client, personas).get(
        f"/work/entries/{entry.pk}/preview", {"value": value}
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["rating"] is None
    assert LIMIT in answer["errors"]["value"]
