"""Which round entries hold a figure a feed wrote: what the entry page, the
grid and My work show as "Automated from <feed>"."""

from __future__ import annotations

from collections.abc import Iterable

from perfreport.data.models import Entry
from perfreport.feeds.models import FeedFigure


def automated_from(entries: Iterable[Entry]) -> dict[int, str]:
    """The feed's name by entry id, for each entry that still holds the
    figure its feed wrote (an owner who changed it made it their own)."""
    by_id = {entry.pk: entry for entry in entries}
    marks = FeedFigure.objects.filter(entry_id__in=by_id).select_related("feed")
    return {m.entry_id: m.feed.name for m in marks if m.holds(by_id[m.entry_id])}
