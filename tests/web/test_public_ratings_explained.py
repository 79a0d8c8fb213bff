"""What the ratings and the SPC icons mean, in words, on the pages a resident
reads: every rating of the council's Key (its own scheme, whichever it is)
including Baseline and Contextual under the council's labels, and each SPC
icon's meaning as text beside it, not only in a tooltip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from perfreport.core.rating import UNTARGETED_MEANINGS, Rating

pytestmark = pytest.mark.django_db

TOLERANCE = Path(__file__).resolve().parents[2] / "examples" / "tolerance-scheme"


@pytest.fixture
def westmoor(db: None) -> None:
    from perfreport.imports.service import import_path

    import_path(TOLERANCE)


def panel(url: str, **query: str) -> list[tuple[str, str]]:
    """The "What the ratings mean" panel: (label, meaning) for each rating."""
    response = Client().get(url, query)
    assert response.status_code == 200
    html = response.content.decode()
    key = html.split('<details class="ratings-key"', 1)[1].split("</details>", 1)[0]
    assert "<summary>What the ratings mean</summary>" in key
    return re.findall(r"</span> ([^<]+)</strong></dt><dd>([^<]+)</dd>", key)


def meaning(rating: Rating) -> str:
    text = UNTARGETED_MEANINGS[rating]
    return text[0].upper() + text[1:]


@pytest.mark.parametrize("url", ["/public/", "/public/indicators/180/"])
def test_the_seeds_pages_explain_every_rating_with_baseline_and_contextual(
    imported_example: None, url: str
) -> None:
    lines = dict(panel(url))

    assert list(lines) == ["Red", "Amber", "Green", "Blue", "Baseline", "Contextual"]
    assert lines["Red"] == "Off target by more than 10%"
    assert lines["Baseline"] == meaning(Rating.BASELINE)
    assert lines["Contextual"] == meaning(Rating.CONTEXTUAL)


@pytest.mark.parametrize("url", ["/public/", "/public/indicators/WM01/"])
def test_a_tolerance_councils_pages_explain_its_own_ratings_under_its_labels(
    westmoor: None, url: str
) -> None:
    lines = dict(panel(url, period="2024/25 Q2"))

    assert "Blue" not in lines  # a band the tolerance scheme does not have
    assert lines["Green"] == "On target or better, or up to 5% off it"
    assert lines["Data only"] == meaning(Rating.BASELINE)  # the council's word for Baseline
    assert lines["Monitoring"] == meaning(Rating.CONTEXTUAL)


def test_each_spc_icon_on_the_scorecard_is_explained_in_words_beside_it(
    imported_example: None,
) -> None:
    html = Client().get("/public/").content.decode()

    cells = re.findall(r'<td class="scorecard__spc">(.*?)</td>', html, re.S)
    icons = [c for c in cells if "<svg" in c]
    assert icons, "the seed has SPC icons"
    for cell in icons:
        assert cell.count("<svg") == cell.count('<span class="spc-words">')
        assert 'aria-hidden="true"' in cell  # the words are read, not the picture
    assert '<span class="spc-words">Common cause</span>' in html
