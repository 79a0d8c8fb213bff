"""The data version: bumped by every write, read by every cached page."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from perfreport.data.models import DataVersion
from perfreport.data.signals import figures_changed
from perfreport.registry.models import SchemeBook

_request = threading.local()


def current_data_version() -> str:
    """The version as text: its number and the token of its latest change.
    Read once per web request (``VersionPerRequest``), else every time."""
    known = getattr(_request, "version", None)
    if known is not None:
        return str(known)
    found = DataVersion.objects.filter(pk=1).values_list("number", "token").first()
    version = f"{found[0]}-{found[1]}" if found else "0"
    if getattr(_request, "active", False):
        _request.version = version
    return version


class VersionPerRequest:
    """Middleware: a request reads the data version once, however many kept
    things it looks up; a write during the request forgets it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _request.active, _request.version = True, None
        try:
            return self.get_response(request)
        finally:
            _request.active, _request.version = False, None


def bump_data_version() -> None:
    """Count one more change (inside the caller's transaction, so a rolled-back
    import changes nothing), and tell the apps above (``figures_changed``)."""
    _request.version = None
    token = uuid.uuid4().hex
    updated = DataVersion.objects.filter(pk=1).update(
        number=F("number") + 1, token=token, changed_at=timezone.now()
    )
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "token": token})
    figures_changed.send(sender=DataVersion)


def _on_change(sender: Any, **kwargs: Any) -> None:
    if not getattr(_request, "as_one", False):
        bump_data_version()


@contextmanager
def one_change() -> Iterator[None]:
    """Count the saves inside as one change: a round entry's value and its
    commentary are one edit, and the version row is every writer's hot spot.
    Bumped once at the end, and not at all if the block fails."""
    outer = getattr(_request, "as_one", False)
    with saves_uncounted():
        yield
    if not outer:
        bump_data_version()


@contextmanager
def saves_uncounted() -> Iterator[None]:
    """Saves inside do not change the data version: the caller bumps it once
    itself if anything changed (an import, whose thousands of saves are one
    change, and which changes nothing when its rows are all as stored)."""
    outer = getattr(_request, "as_one", False)
    _request.as_one = True
    try:
        yield
    finally:
        _request.as_one = outer


def connect_signals() -> None:
    """Saves and deletions one object at a time (the admin, the pages, the
    API); imports write in bulk and bump the version themselves."""
    from perfreport.data.models import ActionUpdate, BenchmarkValue, Commentary, Observation
    from perfreport.registry.models import (
        ComparatorGroup,
        Directorate,
        GroupMember,
        Indicator,
        Link,
        Measure,
        Milestone,
        Organisation,
        PlanAction,
        PlanItem,
        PlanLink,
        RatingScheme,
        SchemeBand,
        Service,
        Target,
    )

    for model in (
        Observation, Commentary, BenchmarkValue, Indicator, Target, Link, Organisation,
        Directorate, Service, ComparatorGroup, GroupMember, Measure, RatingScheme, SchemeBand,
        PlanItem, PlanLink, PlanAction, Milestone, ActionUpdate,
    ):  # fmt: skip
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"data-version-save-{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"data-version-delete-{model.__name__}"
        )
    # An action's outcomes and indicators change without a save of either.
    for relation in (PlanAction.outcomes, PlanAction.indicators):
        m2m_changed.connect(
            _on_change,
            sender=relation.through,
            dispatch_uid=f"data-version-m2m-{relation.field.name}",
        )


_book: tuple[str, SchemeBook] | None = None


def scheme_book() -> SchemeBook:
    """The rating schemes in force, read again only when the data change
    (a scheme, an organisation's or an indicator's, is data like any other)."""
    global _book
    version = current_data_version()
    kept = _book
    if kept is not None and kept[0] == version:
        return kept[1]
    book = SchemeBook.load()
    _book = (version, book)
    return book


def forget_scheme_book() -> None:
    global _book
    _book = None
