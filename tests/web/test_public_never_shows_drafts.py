"""Public means published: no public page, file or API answer without a token
or with a viewer's token ever shows a value, commentary or actions that are
still drafts.

GIVEN the example imported, a published round (2020/21 Q3), and then, planted
on top, unpublished material with figures and words that appear nowhere else:

1. a draft value for a period no one has published: indicator 180's value for
   2020/21 Q4, saved as a draft by its owner in the open round for 2020/21 Q4;
2. a draft value over a published one: indicator 191's value for 2020-09
   (published as 87.0% by the example's import), changed as a draft by its
   owner in the round for 2020/21 Q2, opened after those values were imported;
3. draft commentary and actions: in both of those entries, and alone (the
   published value kept as it is) in indicator 190's entry for 2020-09;
4. a value an administrator imported into a period an open round collects:
   indicator 189's value for 2021-03, which the round for 2020/21 Q4 collects;
5. an action's draft update: a progress note and a percentage complete for
   2020/21 Q4 on the plan's first action (one is made if the example has none);
6. the Welsh beside the English (issue 17): draft Welsh commentary and actions
   in the entries of (1) and (2), and a draft Welsh progress note in (5);

WHEN every address a member of the public can reach is fetched, in English
and again in Welsh (under /cy/): every URL pattern Django's resolver knows, filled from the data (every indicator, every
period with data, every filter, every `.json` twin, every open-data file, the
public report in every format, read back with pypdf, python-docx and openpyxl),
and every API operation that answers GET (from the OpenAPI schema), without a
token and again with the token of a viewer (who reads, but neither writes nor
signs off: docs/api.md, "Who sees what");

THEN no answer holds any planted draft, in any of the ways a figure is printed;
the viewer's token is answered exactly what the public are;
every page that needs a sign-in sends the public to sign in (302) or refuses
them (403), whether they ask or post, and every API write answers 401; and
nothing was left out: a URL pattern, a filter, a query or path parameter the
crawl does not know how to fill fails the test, so that a new page or
operation is covered from the day it is added.

A figure found is checked once more: the drafts are planted inside a savepoint,
and each address where one was found is fetched again after rolling them
back. A figure printed there anyway is reported as a poor choice of figure,
not as a leak; chart coordinates (SVG geometry) are not searched at all.

The control (test_those_entitled_to_drafts_see_every_planted_one) proves the
search would see a leak: every planted item is found, read back the same way,
where it may be shown. The API's calls are made again there with a BI
administrator's token, which sees drafts by design (docs/api.md, "Who sees
what"): those answers alone must show every planted draft, so that the same
calls with a viewer's token showing none of them means the drafts were hidden,
not that the search is blind.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from builders import write_csv

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
TODAY = date(2021, 4, 1)
DEADLINE = date(2021, 4, 30)
PUBLISHED_ROUND = "2020/21 Q3"
NEW_ROUND = "2020/21 Q4"  # collects periods no one has published
OLD_ROUND = "2020/21 Q2"  # collects periods whose values are already published

# The planted drafts. No rendering of the figures (exact, or rounded to 1 to 4
# places, with or without thousands separators and the unit) is printed
# anywhere in the public output without them: every address where one is found
# is fetched again with the drafts rolled back, and a figure found there too
# fails the test as a poor choice of figure, not as a leak.
NEW_VALUE = Decimal("12.3456")  # 180 (percent, 2 places), 2020/21 Q4: "12.35%"
OVER_VALUE = Decimal("76.5432")  # 191 (percent, 1 place), 2020-09, was 87.0%: "76.5%"
IMPORTED_VALUE = Decimal("8765432")  # 189 (count), 2021-03: "8,765,432"
NEW_COMMENTARY = "DRAFTCOMMENTARY-1a7e"
NEW_ACTIONS = "DRAFTACTIONS-1c4d"
OVER_COMMENTARY = "DRAFTCOMMENTARY-7f3a"
OVER_ACTIONS = "DRAFTACTIONS-9c1e"
ALONE_COMMENTARY = "DRAFTCOMMENTARY-3d5b"
ALONE_ACTIONS = "DRAFTACTIONS-3e6a"
ACTION_NOTE = "DRAFTPROGRESS-4b8d"
ACTION_PERCENT = Decimal("37.25")  # an action's draft percentage complete: "37.25%"
NEW_COMMENTARY_CY = "DRAFTSYLWEBAETH-2b9f"  # (6): the Welsh beside the English
NEW_ACTIONS_CY = "DRAFTCAMAU-5e1a"
OVER_COMMENTARY_CY = "DRAFTSYLWEBAETH-8d2c"
ACTION_NOTE_CY = "DRAFTCYNNYDD-6a3f"


# -- what to look for -----------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """One planted draft and every way an output might print it."""

    label: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (rendering, regex)
    refused: str = ""  # why it could not be planted: then there is nothing to see
    # Whether the API shows it to those who see drafts. It answers a period's
    # stored commentary: a draft over published commentary stays in the round's
    # entry until the round is published, seen on the entry's page only.
    in_api: bool = True

    def found_in(self, text: str) -> list[tuple[str, re.Pattern[str], str]]:
        """(rendering, pattern, excerpt) for each rendering found in ``text``."""
        hits = []
        for rendering, pattern in self.patterns:
            if rendering not in text:  # every match holds the rendering itself: quick to rule out
                continue
            match = pattern.search(text)
            if match:
                start, end = max(0, match.start() - 60), match.end() + 60
                hits.append((rendering, pattern, " ".join(text[start:end].split())))
        return hits


BEFORE = r"(?<![\d.])"  # not the end of a longer number: 112.35
AFTER = r"(?!\d|\.\d)"  # nor the start of one: 12.351, 12.35.7


def _number(text: str) -> re.Pattern[str]:
    """A number, not part of a longer one (not 112.35 nor 12.351), as a
    renderer may write it: trailing zeros allowed after an exact value."""
    return re.compile(BEFORE + re.escape(text) + AFTER)


def renderings(value: Decimal, unit: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every plausible way to print ``value``: exact ("12.3456", "12.345600",
    12.3456 as a float), and rounded to 1 to 4 places (and 0 for a whole
    number) with and without thousands separators and the unit ("12.35%",
    "12.35", "12.3%"; "8,765,432", "8765432.0"). A fraction rounded to a whole
    number ("12") would be found everywhere, so it is not looked for."""
    from perfreport.core.units import Unit, format_number, format_value

    exact = format(value.normalize(), "f")
    found: dict[str, re.Pattern[str]] = {
        exact: re.compile(
            BEFORE + re.escape(exact) + ("0*" if "." in exact else r"(?:\.0+)?") + AFTER
        ),
        repr(float(value)): _number(repr(float(value))),
    }
    places = range(0, 5) if value == value.to_integral_value() else range(1, 5)
    for decimals in places:
        for text in {format_number(value, decimals), format_value(value, Unit(unit), decimals)}:
            found.setdefault(text, _number(text))
            plain = text.replace(",", "")
            found.setdefault(plain, _number(plain))
    return tuple(found.items())


def words(text: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return ((text, re.compile(re.escape(text))),)


def planted_items(import_refused: str = "") -> list[Planted]:
    return [
        Planted("(1) draft value of 180 for 2020/21 Q4", renderings(NEW_VALUE, "percent")),
        Planted("(2) draft value of 191 for 2020-09 over 87.0%", renderings(OVER_VALUE, "percent")),
        Planted("(3) draft commentary of 180 for 2020/21 Q4", words(NEW_COMMENTARY)),
        Planted("(3) draft actions of 180 for 2020/21 Q4", words(NEW_ACTIONS)),
        Planted("(3) draft commentary of 191 for 2020-09", words(OVER_COMMENTARY), in_api=False),
        Planted("(3) draft actions of 191 for 2020-09", words(OVER_ACTIONS), in_api=False),
        Planted(
            "(3) draft commentary alone of 190 for 2020-09", words(ALONE_COMMENTARY), in_api=False
        ),
        Planted("(3) draft actions alone of 190 for 2020-09", words(ALONE_ACTIONS), in_api=False),
        Planted(
            "(4) value of 189 for 2021-03 imported into the open round",
            renderings(IMPORTED_VALUE, "count"),
            import_refused,
        ),
        # The API's answers about actions are not searched for these: shown on
        # the staff plan pages (the control), never on the public ones.
        Planted("(5) draft progress note of an action", words(ACTION_NOTE), in_api=False),
        Planted(
            "(5) draft percentage of an action",
            renderings(ACTION_PERCENT, "percent"),
            in_api=False,
        ),
        # The Welsh: shown to staff on the Welsh pages (the control), never to the public.
        Planted("(6) draft Welsh commentary of 180", words(NEW_COMMENTARY_CY), in_api=False),
        Planted("(6) draft Welsh actions of 180", words(NEW_ACTIONS_CY), in_api=False),
        Planted("(6) draft Welsh commentary of 191", words(OVER_COMMENTARY_CY), in_api=False),
        Planted("(6) draft Welsh progress note of an action", words(ACTION_NOTE_CY), in_api=False),
    ]


# -- reading an answer as text ---------------------------------------------------

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


# Where a chart draws a point, not where it prints a figure: the pixel
# coordinates of SVG shapes ("M110,8.5L330,76.5"), which are left out.
GEOMETRY = re.compile(
    r"\s(?:d|points|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|dx|dy|width|height|transform|viewBox"
    r'|stroke-width|stroke-dasharray|font-size|offset)="[^"]*"'
)


def readable_text(response: Any) -> str:
    """The answer as a person or a program would read it: a PDF's text (pypdf),
    a Word document's paragraphs, tables, headers and footers (python-docx), a
    workbook's cells (openpyxl), and for the Office files also the text of every
    XML part (charts, notes); a page or JSON as it is, less the coordinates of
    its charts' shapes. A document's text is given twice, the second time
    without whitespace, so that a figure or a word broken across lines is found."""
    body = body_of(response)
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == PDF:
        text = _pdf_text(body)
    elif kind == DOCX:
        text = _docx_text(body) + "\n" + _zip_xml_text(body)
    elif kind == XLSX:
        text = _xlsx_text(body) + "\n" + _zip_xml_text(body)
    else:
        text = body.decode("utf-8", errors="replace")
        return GEOMETRY.sub(" ", text) if kind in ("text/html", "image/svg+xml") else text
    return text + "\n" + re.sub(r"\s+", "", text)


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts.append(str(reader.metadata or ""))
    return "\n".join(parts)


def _docx_text(body: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(body))
    parts: list[str] = []

    def tables(items: Iterable[Any]) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    parts.extend(p.text for p in document.paragraphs)
    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
            tables(part.tables)
    return "\n".join(parts)


def _xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body))
    parts = []
    for sheet in workbook.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(
                        repr(cell.value) if isinstance(cell.value, float) else str(cell.value)
                    )
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def _zip_xml_text(body: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                xml = archive.read(name).decode("utf-8", errors="replace")
                parts.append(re.sub(r"<[^>]+>", " ", xml))
    return "\n".join(parts)


# -- the data ----------------------------------------------------------------------


@dataclass
class People:
    admin: Any  # BI administrator
    di_lead: Any  # owner of Digital Infrastructure (180, 181)
    cs_lead: Any  # owner of Customer Services (190, 191, 192)
    approver: Any  # signs off Corporate Services
    viewer: Any


@pytest.fixture
def people(imported_example: None) -> People:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Directorate, Service

    forget_kept_answers()  # the data version starts again in each test
    found = People(
        *(
            User.objects.create_user(name, f"{name}@example.org", PASSWORD)
            for name in ("bi.admin", "di.lead", "cs.lead", "cs.director", "councillor")
        )
    )
    grant(found.admin, "admin")
    grant(found.di_lead, "owner", service=Service.objects.get(name="Digital Infrastructure"))
    grant(found.cs_lead, "owner", service=Service.objects.get(name="Customer Services"))
    grant(
        found.approver, "approver", directorate=Directorate.objects.get(name="Corporate Services")
    )
    grant(found.viewer, "viewer")
    return found


def _actor(user: Any) -> Any:
    from perfreport.accounts.permissions import Actor

    return Actor.of(user)


def _open(people: People, label: str) -> Any:
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round

    return open_round(_actor(people.admin), read_period(label), DEADLINE, today=TODAY)


def _save(
    user: Any, round_: Any, ref: str, *, value: str | None = None, commentary: str = "",
    actions: str = "", submit: bool = False, commentary_cy: str | None = None,
    actions_cy: str | None = None,
) -> Any:  # fmt: skip
    """The owner's save (or submission) of an entry, as the entry's page does it;
    ``value`` None keeps the value the entry holds; the Welsh as the page in
    bilingual mode gives it (None: not given)."""
    from perfreport.rounds.services import EntryInput, save_entry

    entry = round_.entries.filter(indicator__ref=ref).latest("first_month")
    if value is None:
        value = "" if entry.value is None else format(entry.value, "f")
    typed = EntryInput(
        value=value, commentary=commentary, actions=actions, commentary_cy=commentary_cy,
        actions_cy=actions_cy,
    )  # fmt: skip
    return save_entry(_actor(user), entry.pk, typed, version=entry.version, submit=submit)


@pytest.fixture
def published_round(people: People) -> Any:
    """The round for 2020/21 Q3: two values entered, approved and published."""
    from perfreport.rounds.services import approve_entry, publish_round

    round_ = _open(people, PUBLISHED_ROUND)
    for user, ref, value in ((people.di_lead, "180", "98.1"), (people.cs_lead, "191", "88")):
        entry = _save(user, round_, ref, value=value, commentary="Published.", submit=True)
        approve_entry(_actor(people.approver), entry.pk)
    return publish_round(_actor(people.admin), round_.pk)


def plant(people: People, folder: Any) -> list[Planted]:
    """The four kinds of unpublished material (see the module's docstring)."""
    from perfreport.imports.problems import ImportFailed
    from perfreport.imports.service import import_path

    new_round = _open(people, NEW_ROUND)
    _save(
        people.di_lead, new_round, "180", value=format(NEW_VALUE, "f"),
        commentary=f"{NEW_COMMENTARY} coverage fell.", actions=f"{NEW_ACTIONS} call the supplier.",
        commentary_cy=f"{NEW_COMMENTARY_CY} gostyngodd.", actions_cy=f"{NEW_ACTIONS_CY} ffonio.",
    )  # fmt: skip
    write_csv(
        folder / "values.csv", ["ref", "period", "value"], [["189", "2021-03", str(IMPORTED_VALUE)]]
    )
    try:
        import_path(folder, actor=_actor(people.admin))
        refused = ""
    except ImportFailed as error:  # the import may send it to the round instead
        refused = "; ".join(str(problem) for problem in error.problems)

    _plant_action_update(new_round)
    old_round = _open(people, OLD_ROUND)
    _save(
        people.cs_lead, old_round, "191", value=format(OVER_VALUE, "f"),
        commentary=f"{OVER_COMMENTARY} calls fell.", actions=f"{OVER_ACTIONS} more staff.",
        commentary_cy=f"{OVER_COMMENTARY_CY} llai o alwadau.",
    )  # fmt: skip
    _save(
        people.cs_lead, old_round, "190",
        commentary=f"{ALONE_COMMENTARY} as before.", actions=f"{ALONE_ACTIONS} nothing new.",
    )  # fmt: skip
    return planted_items(refused)


def _plant_action_update(round_: Any) -> None:
    """(5): a draft update of the plan's first action in the open round for
    2020/21 Q4 (an action, and an outcome it serves, made if there is none)."""
    from perfreport.core.workflow import EntryState
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import PlanAction, PlanItem
    from perfreport.registry.periods import read_period

    action = PlanAction.objects.order_by("position", "ref").first()
    if action is None:
        priority = PlanItem.objects.create(ref="DP1", title="A planted priority")
        outcome = PlanItem.objects.create(ref="DO1", title="A planted outcome", parent=priority)
        action = PlanAction.objects.create(ref="DA1", title="A planted action")
        action.outcomes.add(outcome)
    period = read_period(NEW_ROUND)
    # The round may have made the action's update for the period already.
    update = ActionUpdate.objects.filter(
        action=action, frequency=period.frequency.value, first_month=period.first_month
    ).first() or ActionUpdate(action=action, round=round_)
    update.set_period(period)
    update.state = EntryState.DRAFT.value
    update.percent_complete, update.note = ACTION_PERCENT, f"{ACTION_NOTE} halfway."
    update.note_cy = f"{ACTION_NOTE_CY} hanner ffordd."
    update.save()


@pytest.fixture
def planted(people: People, published_round: Any, tmp_path: Any) -> list[Planted]:
    return plant(people, tmp_path)


def forget_kept_answers() -> None:
    """Pages, evaluations and reports are kept by data version: forget them
    when the data go back to an earlier version."""
    from django.core.cache import cache

    from perfreport.data.evaluations import forget_evaluations

    cache.clear()
    forget_evaluations()


# -- every address -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A URL pattern, with its namespace and its whole route from the root."""

    name: str  # "web:public_indicator"; "admin:None" for an unnamed pattern
    route: str  # "public/indicators/<str:ref>/"
    pattern: Any

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""


def url_patterns() -> list[Route]:
    """Every URL pattern Django's resolver knows, walked recursively."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Iterable[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                yield Route(name, prefix + str(pattern.pattern), pattern)

    return list(walk(get_resolver().url_patterns, "", ""))


PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(route: Route, values: dict[str, str]) -> str:
    """The route as an address, each parameter from ``values`` (KeyError: one
    the caller does not know how to fill). The address must lead back to the
    same view."""
    from django.urls import resolve

    path = "/" + PLACEHOLDER.sub(lambda m: values[m.group(1) or m.group(2)], route.route)
    path = path.replace("^", "").replace("$", "")
    assert resolve(path).func == route.pattern.callback, f"{path} does not lead to {route.name}"
    return path


def query(url: str, **params: str) -> str:
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


@dataclass
class Data:
    """What the addresses are filled from: the data as stored, drafts included."""

    refs: list[str]
    periods: list[str]  # every period with data, and the quarters and years holding them
    own_periods: dict[str, list[str]]  # each indicator's periods with a value, commentary or entry
    directorates: list[str]
    services: list[str]
    organisations: list[str]
    samples: dict[str, str]  # a real key for each staff page's parameter
    actions: list[str] = field(default_factory=list)  # the plan's actions and projects

    @classmethod
    def read(cls) -> Data:
        from perfreport.audit.models import AuditEvent
        from perfreport.core.periods import Frequency
        from perfreport.data.models import Commentary, Entry, Observation, Round
        from perfreport.registry.models import (
            Directorate,
            Indicator,
            Organisation,
            PlanAction,
            Service,
        )
        from perfreport.registry.periods import read_period

        own: dict[str, set[str]] = defaultdict(set)
        for model in (Observation, Commentary, Entry):
            for ref, label in model.objects.values_list("indicator__ref", "period"):
                own[ref].add(label)
        labels = set().union(*own.values(), Round.objects.values_list("period", flat=True))
        periods = set()
        for label in labels:
            period = read_period(label)
            periods.add(period)
            for frequency in (Frequency.QUARTERLY, Frequency.ANNUAL):
                if frequency.months >= period.frequency.months:
                    periods.add(period.containing(frequency))
        return cls(
            refs=list(Indicator.objects.order_by("position", "ref").values_list("ref", flat=True)),
            periods=[p.label for p in sorted(periods)],
            own_periods={ref: sorted(found, key=read_period) for ref, found in own.items()},
            directorates=list(Directorate.objects.values_list("name", flat=True)),
            services=list(Service.objects.values_list("name", flat=True)),
            organisations=list(Organisation.objects.values_list("code", flat=True)),
            samples={
                "ref": "180",
                "fmt": "csv",
                "pk": str(Entry.objects.values_list("pk", flat=True).first()),
                "round": str(Round.objects.values_list("pk", flat=True).first()),
                "event": str(AuditEvent.objects.values_list("pk", flat=True).first()),
            },
            actions=list(PlanAction.objects.values_list("ref", flat=True)),
        )


# What each public page is asked for. A pattern of the web application that is
# neither here nor in STAFF_PAGES fails the test: add it to one or the other.


def _scorecard(name: str, data: Data) -> list[str]:
    from perfreport.core.periods import Frequency
    from perfreport.web import scorecard_filters as sf

    base = reverse(name)
    choices = {
        "directorate": data.directorates,
        "service": data.services,
        "rag": list(sf.RAG_ORDER),
        "change": [c for c in sf.CHANGE_ORDER if c],
        "frequency": [f.value for f in Frequency],
        "attention": [sf.YES],
        "sort": list(sf.SORTS),
        "group": list(sf.GROUPINGS),
    }
    urls = [base, *(query(base, period=p) for p in data.periods)]
    for name_ in sf.FIELDS:  # KeyError: a filter this test does not know
        urls.extend(query(base, **{name_: value}) for value in choices[name_])
    return urls


def _every_period(name: str, data: Data) -> list[str]:
    base = reverse(name)
    return [base, *(query(base, period=p) for p in data.periods)]


def _plan_action(name: str, data: Data) -> list[str]:
    urls = []
    for ref in data.actions:
        base = reverse(name, kwargs={"ref": ref})
        urls += [base, *(query(base, period=p) for p in data.periods)]
    return urls


def _indicator(name: str, data: Data) -> list[str]:
    urls = []
    for ref in data.refs:
        base = reverse(name, kwargs={"ref": ref})
        urls += [base, *(query(base, period=p) for p in data.periods)]
    return urls


# The public report in every format once, for the period of the open round that
# collects new periods (it shows (1) and (4), and (2) and (3) in its history
# and commentary); the quick formats (HTML, the workbook) for every period, and
# the HTML narrowed to each directorate and each service for both rounds' periods.
QUICK_FORMATS = ("html", "xlsx")


def _report_downloads(name: str, data: Data) -> list[str]:
    from perfreport.web.reports_page import FORMAT_NAMES

    base = reverse(name)
    urls = []
    for fmt in FORMAT_NAMES:
        periods = data.periods if fmt in QUICK_FORMATS else [NEW_ROUND]
        urls += [query(base, period=p, format=fmt) for p in periods]
    for period in (OLD_ROUND, NEW_ROUND):  # narrowed to a directorate or a service
        urls += [
            query(base, period=period, format="html", directorate=d) for d in data.directorates
        ]
        urls += [query(base, period=period, format="html", service=s) for s in data.services]
    return urls


def _open_data_files(name: str, data: Data) -> list[str]:
    from perfreport.web.opendata import FILES, FORMATS

    return [reverse(name, kwargs={"name": n, "fmt": fmt}) for n in FILES for fmt in FORMATS]


def _odata_feed(name: str, data: Data) -> list[str]:
    """The public OData feed: its metadata, every entity set whole, the values
    of each period, each indicator, and every value by its key (drafts too)."""
    from perfreport.data.models import Observation

    def at(rest: str, **options: str) -> str:
        return query(reverse(name, kwargs={"rest": rest}), **options)

    urls = [at("$metadata"), at("Values/$count")]
    urls += [at(s) for s in ("Indicators", "Values", "Benchmarks")]
    urls += [at("Values", **{"$orderby": "Value desc", "$count": "true"})]
    urls += [at("Values", **{"$filter": f"Period eq '{p}'"}) for p in data.periods]
    urls += [at(f"Indicators('{ref}')") for ref in data.refs]
    urls += [at(f"Values({pk})") for pk in Observation.objects.values_list("pk", flat=True)]
    return urls


def _just(name: str, data: Data) -> list[str]:
    return [reverse(name)]


def _link_with_a_token(name: str, data: Data) -> list[str]:
    return [reverse(name, kwargs={"uidb64": "MQ", "token": "not-a-token"})]


def _unsubscribe_link(name: str, data: Data) -> list[str]:
    return [reverse(name, kwargs={"token": "not-a-token"})]


# name: (the addresses, the answers expected)
PUBLIC_PAGES: dict[str, tuple[Callable[[str, Data], list[str]], set[int]]] = {
    "web:home": (_just, {302}),  # to the published scorecard
    "web:login": (_just, {200}),
    "web:logout": (_just, {405}),  # a form's button: POST only
    # Single sign-on: off here (no issuer set), so there is nothing to start.
    "web:oidc_start": (_just, {404}),
    "web:oidc_callback": (_just, {404}),
    "web:public_scorecard": (_scorecard, {200}),
    "web:public_scorecard_json": (_scorecard, {200}),
    "web:public_indicator": (_indicator, {200}),
    "web:public_indicator_json": (_indicator, {200}),
    "web:public_reports": (_just, {200}),
    "web:public_plan": (_every_period, {200}),
    "web:public_plan_action": (_plan_action, {200}),
    "web:public_report_download": (_report_downloads, {200}),
    "web:open_data": (_just, {200}),
    "web:open_data_file": (_open_data_files, {200}),
    "odata:public_root": (_just, {200}),
    "odata:public": (_odata_feed, {200, 404}),  # 404: a draft's own Values(id)
    "admin:login": (_just, {200}),
    # Asking for a password to be set or reset needs no account, and shows no figures.
    "web:password_reset": (_just, {200}),
    "web:password_reset_done": (_just, {200}),
    "web:password_reset_complete": (_just, {200}),
    "web:password_reset_confirm": (_link_with_a_token, {200}),  # not valid: says so
    "web:welcome": (_link_with_a_token, {200}),
    # An email's unsubscribe link: one that is not ours says so, and shows no figures.
    "web:unsubscribe": (_unsubscribe_link, {404}),
}

# Pages that need a signed-in member of staff: the public must be sent to sign
# in (302) or refused (403), whether they ask (GET) or send a form (POST).
STAFF_PAGES: dict[str, Callable[[Data], list[dict[str, str]]]] = {
    "web:scorecard": lambda d: [{}],
    "web:scorecard_json": lambda d: [{}],
    "web:indicator": lambda d: [{"ref": d.samples["ref"]}],
    "web:indicator_json": lambda d: [{"ref": d.samples["ref"]}],
    "web:indicator_data": lambda d: [{"ref": d.samples["ref"], "fmt": f} for f in ("csv", "xlsx")],
    "web:reports": lambda d: [{}],
    "web:plan": lambda d: [{}],
    "web:plan_action": lambda d: [{"ref": d.actions[0]}],
    "web:report_download": lambda d: [{}],
    "web:report_make": lambda d: [{}],
    "web:report_run": lambda d: [{"run_id": "1"}],
    "web:report_run_json": lambda d: [{"run_id": "1"}],
    "web:report_run_file": lambda d: [{"run_id": "1"}],
    "web:my_work": lambda d: [{}],
    "web:entry": lambda d: [{"pk": d.samples["pk"]}],
    "web:entry_preview": lambda d: [{"pk": d.samples["pk"]}],
    "web:entry_approve": lambda d: [{"pk": d.samples["pk"]}],
    "web:entry_return": lambda d: [{"pk": d.samples["pk"]}],
    "web:entry_restate": lambda d: [{"pk": d.samples["pk"]}],
    "web:approve_selected": lambda d: [{}],
    "web:evidence_upload": lambda d: [{"pk": d.samples["pk"]}],
    "web:evidence_download": lambda d: [{"evidence_id": "1"}],
    "web:evidence_remove": lambda d: [{"evidence_id": "1"}],
    "web:rounds": lambda d: [{}],
    "web:round": lambda d: [{"pk": d.samples["round"]}],
    "web:round_publish": lambda d: [{"pk": d.samples["round"]}],
    "web:round_owner": lambda d: [{"pk": d.samples["round"], "entry_pk": d.samples["pk"]}],
    "web:indicator_history": lambda d: [{"ref": d.samples["ref"]}],
    "web:revert": lambda d: [{"pk": d.samples["event"]}],
    "web:imports": lambda d: [{}],
    "web:import_preview": lambda d: [{}],
    "web:import_confirm": lambda d: [{}],
    "web:import_cancel": lambda d: [{}],
    "web:report_settings": lambda d: [{}],
    "web:feeds": lambda d: [{}],
    "web:feed_add": lambda d: [{}],
    "web:feed": lambda d: [{"pk": "1"}],
    "web:feed_edit": lambda d: [{"pk": "1"}],
    "web:feed_try": lambda d: [{"pk": "1"}],
    "web:feed_run_now": lambda d: [{"pk": "1"}],
    "web:feed_remove": lambda d: [{"pk": "1"}],
    "web:feed_run": lambda d: [{"pk": "1", "run_pk": "1"}],
    "web:password_change": lambda d: [{}],
    "web:password_change_done": lambda d: [{}],
    "web:people": lambda d: [{}],
    "web:person": lambda d: [{"pk": "1"}],
    "web:person_active": lambda d: [{"pk": "1"}],
    "web:person_invite": lambda d: [{"pk": "1"}],
    "web:person_language": lambda d: [{"pk": "1"}],
    "web:my_language": lambda d: [{}],
    "web:role_remove": lambda d: [{"pk": "1", "grant_pk": "1"}],
    "web:group_add": lambda d: [{}],
    "web:group_remove": lambda d: [{"pk": "1"}],
    "web:grid": lambda d: [{}],
    "web:grid_template": lambda d: [{}],
    "web:grid_upload": lambda d: [{}],
    "web:action_update": lambda d: [{"pk": "1"}],
    "web:action_approve": lambda d: [{"pk": "1"}],
    "web:action_return": lambda d: [{"pk": "1"}],
    "web:action_restate": lambda d: [{"pk": "1"}],
    # The staff OData feed: without a token or a session, 401 (docs/power-bi.md).
    "odata:staff_root": lambda d: [{}],
    "odata:staff": lambda d: [{"rest": r} for r in ("$metadata", "Values", "Indicators('180')")],
    "web:distribution": lambda d: [{}],
    "web:subscription_new": lambda d: [{}],
    "web:subscription_edit": lambda d: [{"pk": "1"}],
    "web:subscription_delete": lambda d: [{"pk": "1"}],
    "web:subscription_send": lambda d: [{"pk": "1"}],
    "web:sendings": lambda d: [{}],
    "web:my_subscriptions": lambda d: [{}],
    "web:my_subscription_stop": lambda d: [{"pk": "1"}],
    "web:schedules": lambda d: [{}],
    "web:schedule_add": lambda d: [{}],
    "web:schedule": lambda d: [{"pk": "1"}],
    "web:schedule_pause": lambda d: [{"pk": "1"}],
    "web:schedule_resume": lambda d: [{"pk": "1"}],
    "web:schedule_run": lambda d: [{"pk": "1"}],
    "web:schedule_delete": lambda d: [{"pk": "1"}],
    "web:runs": lambda d: [{}],
    "web:run": lambda d: [{"pk": "1"}],
    "web:run_json": lambda d: [{"pk": "1"}],
    "web:run_file": lambda d: [{"pk": "1"}],
}


def _admin_values(route: Route) -> list[dict[str, str]]:
    """The admin site: every page but its sign-in needs a member of staff. Its
    parameters are filled with the first object's key and each app's label."""
    from django.contrib import admin

    labels = sorted({model._meta.app_label for model in admin.site._registry})
    common = {"object_id": "1", "id": "1", "content_type_id": "1", "url": "no-such-page/"}
    if "app_label" in route.route:
        return [{**common, "app_label": label} for label in labels]
    return [common]


def reverse(name: str, **kwargs: Any) -> str:
    from django.urls import reverse as django_reverse

    return django_reverse(name, **kwargs)


# -- the API ---------------------------------------------------------------------

API_NAMESPACE = "api-1.0.0"
API_PAGES = {"openapi-json", "openapi-view", "api-root"}  # the schema, its docs, the root


def _api_query_values(data: Data) -> dict[str, list[str]]:
    """Each query parameter of a GET operation: the values it is asked with,
    one at a time besides none at all. A parameter not here fails the test."""
    from perfreport.core.periods import Frequency

    return {
        "period": data.periods,
        "organisation": data.organisations,
        "directorate": data.directorates,
        "service": data.services,
        "frequency": [f.value for f in Frequency],
        "limit": ["500"],  # every item on one page
        "page": ["1"],
        # Narrowing the list, which is asked for whole already: from the first
        # period, to the last.
        "from": data.periods[:1],
        "to": data.periods[-1:],
    }


def api_get_calls(schema: dict[str, Any], data: Data) -> tuple[list[tuple[str, str]], list[str]]:
    """(operation id, address) for every GET operation in the OpenAPI schema,
    each path parameter filled from the data; and what could not be filled."""
    calls: list[tuple[str, str]] = []
    unfilled: list[str] = []
    query_values = _api_query_values(data)
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        op = operation["operationId"]
        params = operation.get("parameters", [])
        in_path = [p["name"] for p in params if p["in"] == "path"]
        in_query = [p["name"] for p in params if p["in"] == "query"]
        others = [f"{p['in']} {p['name']}" for p in params if p["in"] not in ("path", "query")]
        unknown = [n for n in in_path if n not in ("ref", "period")]
        unknown += [n for n in in_query if n not in query_values] + others
        if unknown:
            unfilled.append(f"{op}: cannot fill {', '.join(unknown)}")
            continue
        paths = [path]
        if "ref" in in_path:
            paths = []
            for ref in data.refs:
                with_ref = path.replace("{ref}", ref)
                if "period" in in_path:
                    own = data.own_periods.get(ref, [])
                    paths += [with_ref.replace("{period}", period) for period in own]
                else:
                    paths.append(with_ref)
        elif "period" in in_path:
            paths = [path.replace("{period}", p) for p in data.periods]
        for base in paths:
            calls.append((op, base))
            for name in in_query:
                calls += [(op, query(base, **{name: value})) for value in query_values[name]]
    return calls, unfilled


# -- the crawl ---------------------------------------------------------------------


@dataclass
class Answer:
    name: str  # the URL pattern's name, or the API operation's id
    method: str
    url: str
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)  # as asked: a token, or none


@dataclass
class Crawl:
    answers: list[Answer] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)  # patterns or operations not covered
    not_refused: list[str] = field(default_factory=list)  # staff pages open to the public
    staff_requests: int = 0  # for staff pages and API writes, which must refuse the public
    unexpected: list[str] = field(default_factory=list)  # public answers of the wrong status
    api_operations: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def fetch(self, client: Any, name: str, url: str, **headers: str) -> Answer:
        response = client.get(url, **headers)
        answer = Answer(name, "GET", url, response.status_code, readable_text(response), headers)
        self.answers.append(answer)
        return answer

    def summary(self) -> str:
        web = sum(1 for a in self.answers if a.name not in self.api_operations)
        return (
            f"{len(self.answers)} answers: {web} web addresses and "
            f"{len(self.answers) - web} calls of {len(self.api_operations)} API GET operations "
            f"(and {self.staff_requests} requests for staff pages and API writes), "
            f"in {self.seconds:.0f} s"
        )


def _refuses_the_public(client: Any, method: str, url: str) -> str | None:
    """None if the public are sent to sign in or refused, else what happened."""
    from django.urls import resolve

    send = client.get if method == "GET" else client.post
    response = send(url)
    if response.status_code in (401, 403):  # 401: the staff OData feed asks for a token
        return None
    hops = 0
    while response.status_code in (301, 302) and hops < 5:
        where = response["Location"]
        if resolve(where.split("?")[0]).url_name == "login":
            return None
        response, hops = client.get(where), hops + 1
    return f"{method} {url}: {response.status_code}"


def in_english() -> Any:
    """English addresses: those of the language by default, with no prefix."""
    from django.conf import settings
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


def in_welsh(url: str) -> str:
    """The page's address in Welsh: under /cy/ (issue 17)."""
    return url if url.startswith("/cy/") else f"/cy{url}"


def crawl_public(client: Any, **headers: str) -> Crawl:
    """Fetch every address a member of the public can reach and call every
    API GET operation, with ``headers`` (none: the public)."""
    started = time.perf_counter()
    crawl = Crawl()
    data = Data.read()
    schema = json.loads(client.get("/api/openapi.json").content)
    api_paths = {path: ops for path, ops in schema["paths"].items()}
    with_token = bool(headers)  # then only the API's GET operations are asked again
    for route in url_patterns():
        if route.namespace == API_NAMESPACE:
            short = route.name.split(":", 1)[1]
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.route)
            operations = api_paths.get(path, {})
            # The operation whose id ends with the pattern's name ("..._commentary",
            # not "..._put_commentary", which has a pattern of its own).
            ids = sorted(
                (len(op["operationId"]), method)
                for method, op in operations.items()
                if op["operationId"].endswith("_" + short)
            )
            methods = [method for _, method in ids[:1]]
            if short in API_PAGES:
                if not with_token:
                    crawl.fetch(client, route.name, fill(route, {}))
            elif methods == ["get"]:
                crawl.api_operations.add(operations["get"]["operationId"])
            elif methods and "get" not in methods:  # a write: refused without a token
                if not with_token:
                    url = path.replace("{ref}", "180").replace("{period}", NEW_ROUND)
                    response = client.generic(methods[0].upper(), url, "{}", "application/json")
                    crawl.staff_requests += 1
                    if response.status_code != 401:
                        crawl.not_refused.append(
                            f"{methods[0].upper()} {url}: {response.status_code}"
                        )
            else:
                crawl.unfilled.append(f"{route.name} ({route.route}): not in the OpenAPI schema")
            continue
        if with_token:
            continue
        if route.name in PUBLIC_PAGES:
            addresses, expected = PUBLIC_PAGES[route.name]
            try:
                with in_english():  # a Welsh page fetched leaves Welsh active
                    urls = addresses(route.name, data)
            except KeyError as missing:
                crawl.unfilled.append(f"{route.name} ({route.route}): cannot fill {missing}")
                continue
            # Every public page in English and in Welsh (/cy/...): the Welsh show
            # the Welsh commentary and progress, and must show no draft of them.
            if route.namespace == "web":
                urls = [*urls, *(in_welsh(url) for url in urls)]
            for url in urls:
                answer = crawl.fetch(client, route.name, url)
                if answer.status not in expected:
                    crawl.unexpected.append(f"{url}: {answer.status}, not {sorted(expected)}")
        elif route.name in STAFF_PAGES or route.namespace == "admin":
            try:
                with in_english():
                    if route.namespace == "admin":
                        urls = [fill(route, values) for values in _admin_values(route)]
                    else:
                        kwargs = STAFF_PAGES[route.name](data)
                        urls = [reverse(route.name, kwargs=k) for k in kwargs]
            except KeyError as missing:
                crawl.unfilled.append(f"{route.name} ({route.route}): cannot fill {missing}")
                continue
            for url in urls:
                for method in ("GET", "POST"):
                    crawl.staff_requests += 1
                    refused = _refuses_the_public(client, method, url)
                    if refused:
                        crawl.not_refused.append(refused)
        else:
            crawl.unfilled.append(f"{route.name} ({route.route}): neither public nor staff")
    calls, unfilled = api_get_calls(schema, data)
    crawl.unfilled += unfilled
    for op, url in calls:
        crawl.fetch(client, op, url, **headers)
    crawl.seconds = time.perf_counter() - started
    return crawl


# -- what was found ------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    planted: str
    rendering: str
    pattern: re.Pattern[str]
    answer: Answer
    excerpt: str


def hits_in(answers: Iterable[Answer], planted: list[Planted]) -> list[Hit]:
    return [
        Hit(item.label, rendering, pattern, answer, excerpt)
        for answer in answers
        for item in planted
        for rendering, pattern, excerpt in item.found_in(answer.text)
    ]


def printed_anyway(client: Any, hits: list[Hit]) -> list[Hit]:
    """The hits whose rendering the same address prints without the drafts
    (the caller has rolled them back), asked as the same caller: a figure that
    is not unique, not a leak."""
    texts: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    found = []
    for hit in hits:
        asked = (hit.answer.url, tuple(sorted(hit.answer.headers.items())))
        if asked not in texts:
            texts[asked] = readable_text(client.get(hit.answer.url, **hit.answer.headers))
        if hit.pattern.search(texts[asked]):
            found.append(hit)
    return found


def answered_otherwise(public: Crawl, other: Crawl) -> list[str]:
    """The API calls of ``other`` (a crawl with a token) answered otherwise than
    the same calls of the public: another status, or another text."""
    theirs = {a.url: a for a in public.answers if a.name in public.api_operations}
    found = []
    for answer in other.answers:
        same = theirs.get(answer.url)
        if same is None:
            found.append(f"{answer.url}: not asked without a token")
        elif (answer.status, answer.text) != (same.status, same.text):
            found.append(f"{answer.url}: {answer.status}, the public {same.status}")
    return found


def describe(hits: list[Hit], limit: int = 10) -> str:
    """Each planted item, the renderings found and where (some addresses of each
    page or operation, then how many more)."""
    by_item: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        by_item[hit.planted][hit.answer.name].append(hit)
    lines = []
    for item, by_name in by_item.items():
        lines.append(f"{item}:")
        for name, found in by_name.items():
            urls = list(dict.fromkeys(h.answer.url for h in found))
            renderings = sorted({h.rendering for h in found})
            shown = ", ".join(urls[:limit]) + (
                f" and {len(urls) - limit} more" if len(urls) > limit else ""
            )
            lines.append(f"  {name} ({len(urls)} addresses, as {' / '.join(renderings)}): {shown}")
            lines.append(f"    e.g. …{found[0].excerpt}…")
    return "\n".join(lines)


# -- the tests ---------------------------------------------------------------------


def _first_action() -> str:
    from perfreport.registry.models import PlanAction

    return PlanAction.objects.order_by("position", "ref").values_list("ref", flat=True)[0]


def token_header(user: Any) -> dict[str, str]:
    """The header that sends a new API token of ``user``'s, as a program does."""
    from perfreport.api.models import ApiToken

    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.issue(user, 'crawl')[1]}"}


def test_the_public_never_see_drafts(
    client: Any, people: People, published_round: Any, tmp_path: Any
) -> None:
    from django.db import transaction

    # GIVEN a viewer's API token (made first, so that it outlives the drafts),
    # and the drafts, planted where they can be rolled back afterwards
    viewer = token_header(people.viewer)
    before = transaction.savepoint()
    planted = plant(people, tmp_path)

    # WHEN the public fetch everything they can reach, and a viewer's token
    # calls every API GET operation
    crawl = crawl_public(client)
    viewers = crawl_public(client, **viewer)
    hits = hits_in([*crawl.answers, *viewers.answers], planted)

    # (and, for each address where a planted figure was found, again without
    # the drafts and as the same caller: a figure printed there anyway is a
    # poor choice, not a leak)
    transaction.savepoint_rollback(before)
    forget_kept_answers()
    anyway = printed_anyway(client, hits)
    leaks = [hit for hit in hits if hit not in anyway]

    # THEN nothing was left out, staff pages refuse them, the viewer's token is
    # answered as the public are, and no draft is shown to either
    names = Counter(answer.name for answer in crawl.answers)
    summary = f"{crawl.summary()}; with a viewer's token {viewers.summary()}"
    print(summary, dict(names))  # shown with -s
    assert not crawl.unfilled, (
        f"Patterns or operations this test cannot fill, so did not fetch ({summary}): "
        + "; ".join(crawl.unfilled)
    )
    assert not crawl.not_refused, (
        f"Staff pages or API writes the public are not refused ({summary}): "
        + "; ".join(crawl.not_refused)
    )
    never = [n for n in (*PUBLIC_PAGES, *crawl.api_operations) if not names[n]]
    assert not never, f"Never fetched ({summary}): {never}"
    assert not crawl.unexpected, f"Unexpected answers ({summary}): " + "; ".join(crawl.unexpected)
    problems = []
    for who, found in (
        ("the public", [hit for hit in leaks if not hit.answer.headers]),
        ("a viewer's token", [hit for hit in leaks if hit.answer.headers]),
    ):
        if found:
            problems.append(
                f"Drafts shown to {who} at {len({h.answer.url for h in found})} addresses:\n"
                + describe(found)
            )
    if anyway:
        problems.append(
            "Planted figures printed even without the drafts, so not unique: choose other "
            "figures for them:\n" + describe(anyway)
        )
    assert not problems, f"Of the public's {summary}:\n" + "\n".join(problems)
    assert viewers.answers, f"No API call with a viewer's token ({summary})"
    unlike = answered_otherwise(crawl, viewers)
    assert not unlike, f"A viewer's token is not answered what the public are ({summary}): " + (
        "; ".join(unlike[:20])
    )


def test_those_entitled_to_drafts_see_every_planted_one(
    client: Any, people: People, published_round: Any, planted: list[Planted]
) -> None:
    """The control: the search finds every planted item where it may be shown,
    read back exactly as in the public crawl: with a BI administrator's token,
    which sees drafts (docs/api.md), in the API GET operations alone (the very
    calls a viewer's token makes in the public crawl); signed in, on the staff
    indicator pages (in English and in Welsh), the entries' pages and in the
    staff report in every format."""
    from django.conf import settings
    from django.utils import translation

    from perfreport.registry.models import Organisation
    from perfreport.web.reports_page import FORMAT_NAMES

    crawl = crawl_public(client, **token_header(people.admin))
    wrong = [f"{a.url}: {a.status}" for a in crawl.answers if a.status not in (200, 404)]
    assert crawl.answers and not wrong, (
        f"With an administrator's token ({crawl.summary()}): {wrong}"
    )
    wanted = [item for item in planted if not item.refused]
    in_api = {hit.planted for hit in hits_in(crawl.answers, planted)}
    unseen = [item.label for item in wanted if item.in_api and item.label not in in_api]
    assert not unseen, (
        f"Not found in the API's answers to an administrator's token ({crawl.summary()}): {unseen}"
    )

    client.force_login(people.admin)
    translation.activate(settings.LANGUAGE_CODE)  # the crawl's last page may have been Welsh
    # The entries' pages show the Welsh beside the English in bilingual mode.
    Organisation.objects.filter(is_home=True).update(bilingual=True)
    refs = ("180", "189", "190", "191")
    for ref in refs:
        for period in (OLD_ROUND, NEW_ROUND):
            for name in ("web:indicator", "web:indicator_json"):
                url = query(reverse(name, kwargs={"ref": ref}), period=period)
                crawl.fetch(client, name, url)
                crawl.fetch(client, name, in_welsh(url))  # the Welsh drafts (6)
    for url in (reverse("web:plan"), reverse("web:plan_action", kwargs={"ref": _first_action()})):
        crawl.fetch(client, "web:plan", query(url, period=NEW_ROUND))
        crawl.fetch(client, "web:plan", query(in_welsh(url), period=NEW_ROUND))
    rounds = type(published_round).objects.filter(period__in=(OLD_ROUND, NEW_ROUND))
    for round_ in rounds:  # the entries' own pages, as typed
        for pk in round_.entries.filter(indicator__ref__in=refs).values_list("pk", flat=True):
            crawl.fetch(client, "web:entry", reverse("web:entry", kwargs={"pk": pk}))
    values = [item for item in wanted if item.label.startswith(("(1)", "(4)"))]
    for fmt in FORMAT_NAMES:
        url = query(reverse("web:report_download"), period=NEW_ROUND, format=fmt)
        report = crawl.fetch(client, "web:report_download", url)
        found = [item.label for item in values if item.found_in(report.text)]
        assert found == [item.label for item in values], (
            f"The staff report as {fmt} shows {found} of the drafts (1) and (4): the search "
            "cannot read it"
        )
    staff = [a for a in crawl.answers if a.name.startswith("web:")]
    assert all(a.status == 200 for a in staff), [(a.url, a.status) for a in staff]

    seen = {hit.planted for hit in hits_in(crawl.answers, planted)}
    unseen = [item.label for item in wanted if item.label not in seen]
    assert not unseen, f"Not found where staff may see them ({crawl.summary()}): {unseen}"
    for item in planted:
        # an import the round refused planted nothing: refused for the round's sake
        assert not item.refused or "round" in item.refused, item.refused
