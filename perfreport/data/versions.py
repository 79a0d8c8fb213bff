"""The data version: bumped by every write, read by every cached page."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from perfreport.data.models import DataVersion


def current_data_version() -> str:
    """The version as text: its number and the token of its latest change."""
    found = DataVersion.objects.filter(pk=1).values_list("number", "token").first()
    return f"{found[0]}-{found[1]}" if found else "0"


def bump_data_version() -> None:
    """Count one more change (inside the caller's transaction, so a rolled-back
    import changes nothing)."""
    token = uuid.uuid4().hex
    updated = DataVersion.objects.filter(pk=1).update(
        number=F("number") + 1, token=token, changed_at=timezone.now()
    )
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "token": token})


def _on_change(sender: Any, **kwargs: Any) -> None:
    bump_data_version()


def connect_signals() -> None:
    """Saves and deletions one object at a time (the admin, the pages, the
    API); imports write in bulk and bump the version themselves."""
    from perfreport.data.models import BenchmarkValue, Commentary, Observation
    from perfreport.registry.models import (
        ComparatorGroup,
        Directorate,
        GroupMember,
        Indicator,
        Link,
        Measure,
        Organisation,
        Service,
        Target,
    )

    for model in (
        Observation, Commentary, BenchmarkValue, Indicator, Target, Link, Organisation,
        Directorate, Service, ComparatorGroup, GroupMember, Measure,
    ):  # fmt: skip
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"data-version-save-{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"data-version-delete-{model.__name__}"
        )
