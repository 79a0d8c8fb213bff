"""No input makes a server error: a period in year 10000 on every public
page, its JSON and the report downloads is refused with a notice or a 4xx
that says why; arbitrary text in every page's query parameters and every API
GET's is answered with no 5xx (a property test). A server error that does
happen is logged with a request id that its 500 page shows."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.usefixtures("imported_example")

RANGE = "a period&#x27;s year must be 1900 to 2999"
YEAR_10000 = ["9999/00 Q4", "9999/00", "9999-12"]


@pytest.mark.parametrize("period", YEAR_10000)
@pytest.mark.parametrize("path", ["/public/", "/scorecard/"])
def test_a_scorecard_for_year_10000_shows_the_default_with_a_notice(staff_client, path, period):
    response = staff_client.get(path, {"period": period})

    assert response.status_code == 200
    assert RANGE in response.content.decode()


@pytest.mark.parametrize("period", YEAR_10000)
@pytest.mark.parametrize("path", ["/public.json", "/scorecard.json"])
def test_a_scorecard_s_json_for_year_10000_says_why_in_its_notices(staff_client, path, period):
    response = staff_client.get(path, {"period": period})

    assert response.status_code == 200
    assert "a period's year must be 1900 to 2999" in " ".join(response.json()["notices"])


@pytest.mark.parametrize("period", YEAR_10000)
@pytest.mark.parametrize(
    "path",
    [
        "/public/indicators/180/",
        "/public/indicators/180.json",
        "/indicators/180/",
        "/indicators/180.json",
        "/indicators/180/data.csv",
        "/indicators/180/data.xlsx",
    ],
)
def test_an_indicator_for_year_10000_is_a_404_that_says_why(staff_client, path, period):
    response = staff_client.get(path, {"period": period})

    assert response.status_code == 404
    assert "year must be 1900 to 2999" in response.content.decode()


@pytest.mark.parametrize("period", YEAR_10000)
@pytest.mark.parametrize("fmt", ["pdf", "html", "docx", "xlsx"])
@pytest.mark.parametrize("path", ["/public/reports/download", "/reports/download"])
def test_a_report_for_year_10000_is_refused_on_the_form(staff_client, path, fmt, period):
    response = staff_client.get(path, {"period": period, "format": fmt})

    assert response.status_code == 400
    assert RANGE in response.content.decode()


# -- Any text in any parameter ---------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "9999/00 Q4",
        "10000-01",
        "0000-01",
        "Q4 9999/10000",
        "1" * 25,
        "-" + "9" * 40 + ".5",
        "1e999999",
        "NaN",
        "\x00",
        "\x0b\x01",
        "2020/21 Q2",
        "2020-09",
        "pdf",
        "xlsx",
        "csv",
        "red",
        "yes",
        "Children's Services",
        "%",
        "<script>",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=30), st.integers().map(str))
# A period is half the time one that ends beyond the dates a computer holds.
PERIOD = st.one_of(st.sampled_from(["9999/00 Q4", "9999/00", "9999-12"]), TEXT)
# Every other query parameter a page or the API reads.
PARAMETERS = [
    "rag",
    "directorate",
    "service",
    "change",
    "frequency",
    "sort",
    "attention",
    "format",
    "page",
    "limit",
    "state",
    "from",
    "to",
    "ref",
]
PAGES = [
    "/",
    "/public/",
    "/public.json",
    "/public/indicators/{ref}/",
    "/public/indicators/{ref}.json",
    "/public/reports/",
    "/public/reports/download",
    "/open-data/",
    "/scorecard/",
    "/scorecard.json",
    "/indicators/{ref}/",
    "/indicators/{ref}.json",
    "/indicators/{ref}/data.csv",
    "/indicators/{ref}/history/",
    "/reports/",
    "/reports/download",
    "/work/",
    "/rounds/",
    "/api/indicators",
    "/api/indicators/{ref}",
    "/api/indicators/{ref}/observations",
    "/api/indicators/{ref}/commentary/{period}",
    "/api/evaluations",
    "/api/evaluations/{ref}",
    "/api/reports",
]
REF = st.one_of(st.just("180"), st.text(min_size=1, max_size=20))


@pytest.mark.parametrize("page", PAGES)
def test_no_query_gives_a_server_error(staff_client, page):
    """GIVEN a signed-in viewer, WHEN any text is sent in the page's path and
    every parameter, THEN the answer is never a 5xx."""
    staff_client.raise_request_exception = False

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(ref=REF, period=PERIOD, query=st.dictionaries(st.sampled_from(PARAMETERS), TEXT))
    def ask(ref, period, query):
        path = page.format(ref=quote(ref, safe=""), period=quote(period, safe=""))
        response = staff_client.get(path, {"period": period, **query})
        assert response.status_code < 500, (path, query, response.content[:500])

    ask()


# -- A server error -----------------------------------------------------------------


def test_a_server_error_shows_its_request_id_and_logs_it(client, monkeypatch, caplog, settings):
    """GIVEN a public page that fails unexpectedly, with DEBUG off, WHEN it is
    asked for, THEN the 500 page shows the request id, and the log record of
    the error (with its traceback) carries the same id."""

    def fail(*args, **kwargs):
        raise RuntimeError("the scorecard broke")

    settings.DEBUG = False
    monkeypatch.setattr("perfreport.web.scorecard.scorecard_view", fail)
    client.raise_request_exception = False

    response = client.get("/public/")

    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert len(request_id) == 12
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert f"<code>{request_id}</code>" in page
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "ERROR" and record.request_id == request_id
    assert record.exc_info is not None and "the scorecard broke" in caplog.text


def test_each_request_has_its_own_id(client):
    first, second = client.get("/public/"), client.get("/public/")

    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_log_line_of_a_server_error_shows_its_request_id():
    """The handler in LOGGING writes the id in each line it writes to stderr."""
    import io
    import logging

    from django.test import RequestFactory

    request = RequestFactory().get("/public/")
    request.request_id = "0123456789ab"
    logger = logging.getLogger("django.request")
    [configured] = logger.handlers
    # A handler of the same format on a stream of the test's own: the
    # configured one's stream is whatever stderr was when logging was set up
    # (in this process, perhaps a command's captured output, closed since).
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(configured.formatter)
    logger.addHandler(handler)
    try:
        logger.error("Internal Server Error: /public/", extra={"request": request})
    finally:
        logger.removeHandler(handler)

    line = written.getvalue()
    assert line.endswith("ERROR [0123456789ab] django.request: Internal Server Error: /public/\n")
