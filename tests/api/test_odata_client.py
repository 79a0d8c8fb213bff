"""An independent OData client reads the feed over real HTTP: python-odata
(``ODataService(url, reflect_entities=True)``) builds its entity classes
from ``$metadata``, then filters, sorts and pages through the entities, as
any program that speaks OData v4 would.

GIVEN the seed's report served by a live server (and a draft value of
indicator 180 for 2020/21 Q3), WHEN python-odata reads the public feed and,
with an administrator's token sent as HTTP Basic, the staff feed, THEN it
finds the entity sets with typed properties, exact decimals and every value
across pages, and the draft only in the staff feed."""

from __future__ import annotations

from decimal import Decimal

from odata import ODataService
from requests.auth import HTTPBasicAuth

from perfreport.api import odata_views
from perfreport.data.models import Observation
from perfreport.registry.models import Indicator, Organisation

DRAFT = Decimal("12.3456")


def _draft() -> None:
    from perfreport.registry.periods import read_period

    period = read_period("2020/21 Q3")
    Observation.objects.create(
        indicator=Indicator.objects.get(ref="180"),
        organisation=Organisation.objects.get(is_home=True),
        frequency=period.frequency.value,
        first_month=period.first_month,
        last_month=period.last_month,
        period=period.label,
        value=DRAFT,
        is_draft=True,
    )


def test_python_odata_reads_filters_and_pages_the_public_feed(
    live_server, imported_example, monkeypatch
):
    _draft()
    monkeypatch.setattr(odata_views, "PAGE_SIZE", 7)  # 36 values: six pages
    service = ODataService(f"{live_server.url}/odata/public/", reflect_entities=True)

    assert set(service.entities) == {"Indicators", "Values", "Benchmarks"}
    Values, Indicators = service.entities["Values"], service.entities["Indicators"]

    every = list(service.query(Values))  # follows @odata.nextLink page after page
    published = Observation.objects.home().published().order_by("pk")
    assert [v.Id for v in every] == list(published.values_list("pk", flat=True))
    assert DRAFT not in [v.Value for v in every]

    broadband = list(service.query(Values).filter(Values.IndicatorRef == "180"))
    assert [(v.Period, v.Value, v.Target, v.Rating) for v in broadband] == [
        ("2019/20 Q4", Decimal("97.66"), Decimal("97.5"), "green"),
        ("2020/21 Q1", Decimal("97.78"), Decimal("98"), "amber"),
        ("2020/21 Q2", Decimal("97.83"), Decimal("99"), "amber"),
    ]
    assert broadband[2].Change == "improving" and broadband[2].IsDraft is False

    refs = [i.Ref for i in service.query(Indicators).order_by(Indicators.Ref.desc()).limit(3)]
    assert refs == ["196", "195", "194"]
    over = service.query(Values).filter(Values.Value > Decimal("400000"))
    assert [(v.IndicatorRef, v.Value) for v in over] == [("189", Decimal("432584"))]


def test_python_odata_reads_the_staff_feed_with_a_token_as_basic_password(
    live_server, imported_example, secret
):
    _draft()
    service = ODataService(
        f"{live_server.url}/odata/",
        reflect_entities=True,
        auth=HTTPBasicAuth("token", secret),
    )
    Values = service.entities["Values"]

    found = list(service.query(Values).filter(Values.IndicatorRef == "180"))

    assert [(v.Period, v.Value, v.IsDraft) for v in found][-1] == ("2020/21 Q3", DRAFT, True)
