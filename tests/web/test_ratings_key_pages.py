"""What the ratings mean, on the pages a resident reads: the organisation's
Key in its own words, from its scheme, on the public scorecard and indicator
pages; the counts and filters offer only the ratings that Key can give."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOLERANCE = Path(__file__).resolve().parents[2] / "examples" / "tolerance-scheme"


@pytest.fixture
def westmoor(db: None) -> None:
    from perfreport.imports.service import import_path

    import_path(TOLERANCE)


def text_of(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_public_scorecard_explains_the_councils_own_key(westmoor: None) -> None:
    page = Client().get("/public/?period=2024/25+Q2").content.decode()

    key = text_of(page, '<details class="ratings-key"', "</details>")
    assert "What the ratings mean" in key
    assert "On target or better, or up to 5% off it" in key  # the tolerance scheme's Green
    assert "Off target by more than 5% and up to 10%" in key
    assert "Blue" not in key and "exceeds" not in key  # a band the scheme does not have
    assert "Data only" in key and "Monitoring" in key  # the council's words
    assert "WM07 (Council tax collected): rated by the met scheme" in key
    counts = text_of(page, '<ul class="counts scorecard-counts">', "</ul>")
    assert "Blue" not in counts and "Baseline" not in counts
    assert "Data only" in counts and "Monitoring" in counts
    rag_filter = text_of(page, 'id="f-rag"', "</select>")
    assert "Blue" not in rag_filter and "Data only" in rag_filter


def test_an_indicator_rated_by_another_scheme_says_so_on_its_page(westmoor: None) -> None:
    page = Client().get("/public/indicators/WM07/?period=2024/25+Q2").content.decode()

    key = text_of(page, '<details class="ratings-key"', "</details>")
    assert "rated by the met scheme, not by the organisation&#x27;s usual Key" in key
    assert "On target or better" in key and "Off target" in key
    assert "Amber" not in key


def test_the_seeds_pages_keep_the_seeds_key(imported_example: None) -> None:
    page = Client().get("/public/?period=2020/21+Q2").content.decode()

    key = text_of(page, '<details class="ratings-key"', "</details>")
    for words in (
        "Exceeds target by more than 5%",
        "On target, up to 5% over",
        "Off target by 10% or less",
        "Off target by more than 10%",
    ):
        assert words in key
    assert "Rated by another scheme" not in key
