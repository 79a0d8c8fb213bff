"""The public pages in Welsh (/cy/...), as a resident or councillor reads them
without signing in: the published scorecard, an indicator, the plan and an
action, open data and the error pages. Through Django's test client over the
seed's example and the small plan of plan_builders.

Each page answers in Welsh (``<html lang="cy">``, Welsh headings, Welsh period
names), shows the Welsh title, description and commentary where they are
written and the English, marked ``lang="en-GB"``, where they are not; the
English page stays as it was."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from plan_builders import build_plan

pytestmark = pytest.mark.django_db

PERIOD_CY = "Chwarter 2 2020/21"


@pytest.fixture(scope="module")
def plan_for_module(example_for_module: None, django_db_blocker) -> None:
    """The example and the plan, built once for the module."""
    with django_db_blocker.unblock():
        build_plan()


def page(url: str, status: int = 200, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == status, url
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's main content as a reader sees it: tags gone, spaces collapsed."""
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def heading(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, "no h1"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


WELSH_PAGES = [
    pytest.param("/cy/public/", "Perfformiad a gyhoeddwyd", id="scorecard"),
    pytest.param("/cy/public/?group=plan", "Perfformiad a gyhoeddwyd", id="scorecard_by_plan"),
    pytest.param("/cy/public/indicators/182/", "Dangosydd 182:", id="indicator"),
    pytest.param("/cy/public/plan/", "Y cynllun: cynnydd a gyhoeddwyd", id="plan"),
    pytest.param("/cy/public/plan/actions/A1/", "Roll out gigabit vouchers", id="action"),
    pytest.param("/cy/open-data/", "Data agored", id="open_data"),
]


@pytest.mark.parametrize(("url", "h1"), WELSH_PAGES)
def test_each_public_page_answers_in_welsh(plan_for_module: None, url: str, h1: str) -> None:
    html = page(url)

    assert '<html lang="cy">' in html
    assert h1 in heading(html)


# Words of each page's own interface, in English and in Welsh: the Welsh page
# has the Welsh and none of the English.
INTERFACE = [
    pytest.param(
        "/public/",
        ["What the ratings mean", "Apply filters", "Counts by RAG rating", "This view as JSON"],
        ["Beth mae'r sgorau'n ei olygu", "Hidlo", "Cyfrifon yn ôl sgôr RAG", "Y wedd hon fel JSON"],
        id="scorecard",
    ),
    pytest.param(
        "/public/indicators/182/",
        ["Latest value", "Trend and history", "About this indicator", "Commentary and actions"],
        ["Y gwerth diweddaraf", "Tuedd a hanes", "Am y dangosydd hwn", "Sylwebaeth a chamau"],
        id="indicator",
    ),
    pytest.param(
        "/public/plan/",
        ["How the plan's status is worked out", "Actions and projects", "Priorities"],
        ["Sut y cyfrifir statws y cynllun", "Camau gweithredu a phrosiectau", "Blaenoriaethau"],
        id="plan",
    ),
    pytest.param(
        "/public/plan/actions/A1/",
        ["Milestones", "Progress by period", "What it serves", "Not done yet"],
        ["Cerrig milltir", "Cynnydd fesul cyfnod", "Beth mae'n ei wasanaethu", "Heb ei gwneud eto"],
        id="action",
    ),
    pytest.param(
        "/open-data/",
        ["Licence and use", "The JSON files", "Columns of values.csv"],
        ["Trwydded a defnydd", "Y ffeiliau JSON", "Colofnau values.csv"],
        id="open_data",
    ),
]


@pytest.mark.parametrize(("url", "english", "welsh"), INTERFACE)
def test_the_welsh_page_has_the_welsh_words_and_the_english_page_keeps_its_own(
    plan_for_module: None, url: str, english: list[str], welsh: list[str]
) -> None:
    in_welsh, in_english = text_of(page("/cy" + url)), text_of(page(url))

    for words in english:
        assert words in in_english
        assert words not in in_welsh
    for words in welsh:
        assert words in in_welsh
        assert words not in in_english


def test_the_scorecard_names_its_period_and_columns_in_welsh(plan_for_module: None) -> None:
    html = page("/cy/public/")

    assert f"Perfformiad a gyhoeddwyd, {PERIOD_CY}" in html  # the <title>
    picker = html[
        html.index('id="f-period"') : html.index("</select>", html.index('id="f-period"'))
    ]
    assert f'<option value="2020/21 Q2" selected>{PERIOD_CY}</option>' in picker
    assert '<th scope="col">Dangosydd</th><th scope="col">Cyfnod</th>' in html
    assert "Yn dangos 17 o 17 dangosydd." in text_of(html)


def test_a_period_that_cannot_be_read_is_said_in_welsh(plan_for_module: None) -> None:
    text = text_of(page("/cy/public/?period=nonsense&sort=size"))

    assert "Ni allwn ddarllen y cyfnod “nonsense”" in text
    assert f"Yn dangos {PERIOD_CY} yn lle hynny." in text
    assert "Anwybyddwyd yr hidlydd sort “size”" in text


def test_the_indicator_shows_its_welsh_title_description_and_commentary(
    plan_for_module: None,
) -> None:
    from perfreport.data.models import Commentary
    from perfreport.registry.models import Indicator

    Indicator.objects.filter(ref="191").update(
        title_cy="Ymholiadau a ddatryswyd ar y cyswllt cyntaf", description_cy="Y disgrifiad."
    )
    Commentary.objects.filter(indicator__ref="191").update(text_cy="Sylwebaeth yn Gymraeg.")

    html = page("/cy/public/indicators/191/")

    assert heading(html) == "Dangosydd 191: Ymholiadau a ddatryswyd ar y cyswllt cyntaf"
    assert (
        "<title>Dangosydd 191: Ymholiadau a ddatryswyd ar y cyswllt cyntaf, " + PERIOD_CY
    ) in html
    assert "<p>Y disgrifiad.</p>" in html
    assert "<p>Sylwebaeth yn Gymraeg.</p>" in html
    assert 'lang="en-GB"' not in html[html.index("<h1") : html.index("</h1>")]
    # The English page keeps the English.
    english = page("/public/indicators/191/")
    assert "Ymholiadau" not in english and "Sylwebaeth yn Gymraeg" not in english


def test_english_content_without_welsh_is_marked_as_english(plan_for_module: None) -> None:
    html = page("/cy/public/indicators/182/")

    h1 = html[html.index("<h1") : html.index("</h1>")]
    assert '<span lang="en-GB">Freedom of Information requests completed on time</span>' in h1
    about = html[html.index('id="about"') :]
    assert re.search(r'<dd lang="en-GB"><p>', about), "the English description is not marked"
    scorecard = page("/cy/public/")
    assert (
        '<span lang="en-GB">Freedom of Information requests completed on time</span></a>'
        in scorecard
    )
    # Nothing is marked on the English page.
    assert 'lang="en-GB"' not in text_of(page("/public/indicators/182/"))
    assert '<span lang="en-GB">' not in page("/public/indicators/182/")


def test_the_plan_shows_welsh_titles_and_marks_the_english(plan_for_module: None) -> None:
    from perfreport.registry.models import PlanAction, PlanItem

    PlanItem.objects.filter(ref="P1").update(
        title_cy="Sir gysylltiedig", description_cy="Band eang a gwasanaethau i bawb."
    )
    PlanAction.objects.filter(ref="A1").update(title_cy="Cyflwyno talebau gigabit")

    html = page("/cy/public/plan/")

    assert re.search(r'id="item-P1"[^>]*>.*?</span> Sir gysylltiedig</h2>', html)
    assert "<p>Band eang a gwasanaethau i bawb.</p>" in html
    assert '<a href="/cy/public/plan/actions/A1/?period=2020%2F21+Q2">Cyflwyno talebau' in html
    assert '<span lang="en-GB">A well-run council</span>' in html  # P2 has no Welsh
    assert "Sir gysylltiedig" not in page("/public/plan/")


def test_an_actions_progress_note_in_welsh_where_written(plan_for_module: None) -> None:
    from perfreport.data.models import ActionUpdate

    english = text_of(page("/cy/public/plan/actions/A1/"))
    ActionUpdate.objects.filter(action__ref="A1").update(note_cy="Talebau i 300 o adeiladau.")
    welsh = page("/cy/public/plan/actions/A1/")

    assert "40% wedi'i gwblhau." in english
    assert "<p>Talebau i 300 o adeiladau.</p>" in welsh


def test_the_english_public_pages_are_unchanged(plan_for_module: None) -> None:
    scorecard = page("/public/")
    assert '<html lang="en-GB">' in scorecard
    assert "Published performance, Quarter 2 2020/21" in scorecard
    assert "Showing 17 of 17 indicators." in text_of(scorecard)
    indicator = text_of(page("/public/indicators/182/"))
    assert "As at Quarter 2 2020/21, published values only." in indicator
    assert "Value for September 2020" in indicator
    plan = text_of(page("/public/plan/"))
    assert "The plan: published progress" in plan


def test_the_open_data_page_is_welsh_and_its_files_stay_data(plan_for_module: None) -> None:
    html = page("/cy/open-data/")
    assert "Data yw'r ffeiliau" in text_of(html)
    assert 'rel="license" lang="en-GB">Open Government Licence v3.0</a>' in html

    welsh_csv = b"".join(Client().get("/cy/open-data/values.csv").streaming_content).decode()
    english_csv = b"".join(Client().get("/open-data/values.csv").streaming_content).decode()
    assert welsh_csv == english_csv
    assert welsh_csv.startswith("ref,title,period,period_in_words,")
    assert "September 2020" in welsh_csv and "Medi" not in welsh_csv
    package = Client().get("/cy/open-data/datapackage.json").json()
    assert package["resources"][0]["title"] == "Values"


def test_a_missing_page_says_so_in_welsh(plan_for_module: None) -> None:
    html = page("/cy/public/indicators/nope/", status=404)

    assert '<html lang="cy">' in html
    assert heading(html) == "Heb ddod o hyd i'r dudalen"
    assert "Nid oes dangosydd â'r cyfeirnod “nope”." in text_of(html)
    assert '<a href="/cy/public/">Gweld perfformiad pob dangosydd a gyhoeddwyd</a>' in html
    plain = page("/cy/no-such-page/", status=404)
    assert "Os gwnaethoch chi deipio'r cyfeiriad gwe" in text_of(plain)
    action = page("/cy/public/plan/actions/Z9/", status=404)
    assert "Nid oes cam gweithredu na phrosiect â'r cyfeirnod “Z9”" in text_of(action)


def test_a_refusal_says_so_in_welsh(plan_for_module: None, django_user_model) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_user("outsider"))

    html = page("/cy/scorecard/", status=403, client=client)

    assert '<html lang="cy">' in html
    assert heading(html) == "Ni allwch wneud hynny"


def test_a_server_error_page_says_so_in_welsh() -> None:
    from perfreport.web.errors import server_error

    request = RequestFactory().get("/cy/public/")
    with translation.override("cy"):
        html = server_error(request).content.decode()
    with translation.override("en-gb"):
        english = server_error(RequestFactory().get("/public/")).content.decode()

    assert '<html lang="cy">' in html
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in html
    assert '<a href="/cy/public/">' in html
    assert '<html lang="en-GB">' in english
    assert "Sorry, there is a problem with the service" in english
    assert '<a href="/public/">' in english
