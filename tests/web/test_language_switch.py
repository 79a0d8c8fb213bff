"""The language switch: every page, Welsh or English, links to the same page
in the other language (its query string kept), says so to search engines
(<link rel="alternate" hreflang>), and the language read last is remembered:
a reader who comes back to the site's home page from elsewhere lands on the
home page in that language; one who follows a link within the site does not.
Every page of the application has its Welsh address under /cy/.

GIVEN the example imported and a member of the public, or a BI administrator
WHEN they read every page in Welsh (tests/web/welsh_pages.py walks them, one
of each kind) and a sample of pages in English, with query strings
THEN each page's switch and alternate link name the same page in the other
language, with the same query string, and the cookie keeps the language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from lxml import html as lxml_html
from test_public_never_shows_drafts import (  # noqa: F401 (fixtures)
    PUBLIC_PAGES,
    STAFF_PAGES,
    Data,
    People,
    people,
    planted,
    published_round,
)
from welsh_pages import read_welsh_pages

pytestmark = pytest.mark.django_db

COOKIE = "perfreport_language"
PERIOD = quote("2020/21 Q2", safe="")
ENGLISH_PAGES = [
    f"/public/?period={PERIOD}&rag=red",
    f"/public/indicators/180/?period={PERIOD}",
    "/public/plan/",
    "/public/plan/actions/A1/",
    "/public/reports/",
    "/open-data/",
    "/accounts/login/?next=/scorecard/",
    "/public/indicators/NOPE/",  # the page that is not there
]
STAFF_ENGLISH_PAGES = [
    "/scorecard/?directorate=Corporate+Services",
    "/indicators/180/",
    "/reports/",
    "/plan/",
    "/rounds/",
    "/work/",
    "/people/",
]


def switch_of(response: Any) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """([(the switch's href, hreflang, lang)], [(alternate link's href, hreflang)])."""
    tree = lxml_html.document_fromstring(response.content.decode())
    links = [
        (a.get("href"), a.get("hreflang"), a.get("lang")) for a in tree.xpath("//a[@hreflang]")
    ]
    alternates = [
        (link.get("href"), link.get("hreflang"))
        for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")
    ]
    return links, alternates


def english_of(welsh_url: str) -> str:
    assert welsh_url.startswith("/cy/")
    return welsh_url[len("/cy") :]


def _problems(response: Any, url: str, other: str, other_lang: str) -> list[str]:
    links, alternates = switch_of(response)
    problems = []
    if links != [(other, other_lang.lower(), other_lang)]:
        problems.append(f"{url}: the switch is {links}, not [({other!r}, {other_lang.lower()!r})]")
    if alternates != [(other, other_lang.lower())]:
        problems.append(f"{url}: the alternate link is {alternates}, not {other!r}")
    return problems


def test_every_welsh_page_links_to_the_same_page_in_english(
    client: Any,
    people: People,  # noqa: F811 (the fixture)
) -> None:
    from django.utils import translation

    data = Data.read()
    with translation.override("cy"):
        seeds = [u for name, (urls, _) in PUBLIC_PAGES.items() for u in urls(name, data)]
    problems = []
    for who in (None, people.admin):
        if who is not None:
            client.force_login(who)
        pages = read_welsh_pages(client, ["/cy/", *seeds, "/cy/scorecard/"], per_kind=1)
        assert len(pages) > 10
        for page in pages:
            if page.name.endswith("report_download"):
                continue  # the report itself, in HTML: a document, not a page of the site
            response = client.get(page.url)
            problems += _problems(response, page.url, english_of(page.url), "en-GB")

    assert problems == []


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_an_english_page_links_to_the_same_page_in_welsh(client, imported_example, url) -> None:
    response = client.get(url)

    assert response.status_code in (200, 404)
    assert _problems(response, url, f"/cy{url}", "cy") == []


@pytest.mark.parametrize("url", STAFF_ENGLISH_PAGES)
def test_a_staff_page_links_to_the_same_page_in_welsh(
    client,
    people,  # noqa: F811 (the fixture)
    url,
) -> None:
    client.force_login(people.admin)
    response = client.get(url)
    welsh = client.get(f"/cy{url}")

    assert response.status_code == 200 and welsh.status_code == 200
    assert _problems(response, url, f"/cy{url}", "cy") == []
    assert _problems(welsh, f"/cy{url}", url, "en-GB") == []


def test_an_address_no_page_has_links_to_the_same_address_in_the_other_language(
    client, imported_example
) -> None:
    english, welsh = client.get("/no-such-page/"), client.get("/cy/no-such-page/")

    assert english.status_code == welsh.status_code == 404
    assert _problems(english, "/no-such-page/", "/cy/no-such-page/", "cy") == []
    assert _problems(welsh, "/cy/no-such-page/", "/no-such-page/", "en-GB") == []


def test_the_page_says_its_language(client, imported_example) -> None:
    welsh = lxml_html.document_fromstring(client.get("/cy/public/").content.decode())
    english = lxml_html.document_fromstring(client.get("/public/").content.decode())

    assert welsh.get("lang") == "cy" and english.get("lang") == "en-GB"


# -- remembered ----------------------------------------------------------------------


def test_reading_a_welsh_page_remembers_welsh_for_a_year(client, imported_example) -> None:
    response = client.get("/cy/public/")

    cookie = response.cookies[COOKIE]
    assert cookie.value == "cy"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax" and cookie["httponly"]


def test_reading_an_english_page_after_a_welsh_one_remembers_english(
    client, imported_example
) -> None:
    client.get("/cy/public/")
    response = client.get("/public/")

    assert response.cookies[COOKIE].value == "en-gb"
    assert client.cookies[COOKIE].value == "en-gb"


def test_a_file_or_a_missing_page_does_not_change_the_language(client, imported_example) -> None:
    client.get("/cy/public/")

    missing = client.get("/public/indicators/NOPE/")
    data = client.get("/public/indicators/180.json")

    assert COOKIE not in missing.cookies and COOKIE not in data.cookies
    assert client.cookies[COOKIE].value == "cy"


@pytest.mark.parametrize(
    "referer", ["", "https://www.example.gov.wales/", "https://www.google.com/search?q=perfreport"]
)
def test_coming_back_from_elsewhere_lands_on_the_welsh_home(
    client, imported_example, referer
) -> None:
    client.get("/cy/public/")
    headers = {"HTTP_REFERER": referer} if referer else {}

    response = client.get("/", **headers)

    assert response.status_code == 302 and response["Location"] == "/cy/"
    assert client.get("/cy/").status_code == 302  # and on to the Welsh published scorecard
    assert client.get("/cy/")["Location"].startswith("/cy/")


def test_the_home_is_not_redirected_without_a_remembered_welsh(client, imported_example) -> None:
    response = client.get("/")

    assert response.status_code == 302 and not response["Location"].startswith("/cy/")


def test_following_a_link_within_the_site_to_the_home_is_not_redirected(
    client, imported_example
) -> None:
    client.get("/cy/public/")

    response = client.get("/", HTTP_REFERER="http://testserver/cy/public/indicators/180/")

    # From within the site, the address says the language: "/" is English.
    assert response.status_code == 302 and not response["Location"].startswith("/cy/")


# -- every page has a Welsh address -------------------------------------------------


def test_every_page_has_its_welsh_address_under_cy(
    client,
    planted,  # noqa: F811 (the fixture: entries, rounds and audit events to address)
) -> None:
    from django.urls import resolve, reverse
    from django.utils import translation

    data = Data.read()
    unresolved = []
    with translation.override("cy"):
        urls = [
            (name, u)
            for name, (addresses, _) in PUBLIC_PAGES.items()
            if name.startswith("web:")
            for u in addresses(name, data)[:3]
        ]
        urls += [
            (name, reverse(name, kwargs=kwargs))
            for name, values in STAFF_PAGES.items()
            if name.startswith("web:")
            for kwargs in values(data)
        ]
        for name, url in urls:
            path = url.split("?")[0]
            match = resolve(path)
            if not path.startswith("/cy/") or f"web:{match.url_name}" != name:
                unresolved.append(f"{name}: {url}")

    assert len(urls) > 80
    assert unresolved == []


@pytest.mark.parametrize(
    ("cookie", "welsh"),
    [("en-GB", False), ("EN", False), ("en", False), ("cy-GB", True), ("CY", True),
     ("xx", False), ("<script>", False), ("cy" * 50, False)],
)  # fmt: skip
def test_a_remembered_language_however_written_never_loops(
    client, imported_example, cookie, welsh
) -> None:
    client.cookies[COOKIE] = cookie

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] != "/"  # before: "en-GB" sent / to itself, for ever
    assert response["Location"].startswith("/cy/") is welsh
    assert client.get(response["Location"], follow=True).status_code == 200
