"""Adding, changing and removing feeds: BI administrators only, each change
checked field by field (``Invalid`` names the field) and audited in its own
transaction. The database URL's password is kept but never written to the
trail: the trail holds the URL as pages show it, with ***."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid
from perfreport.core.text import TextError, checked_text
from perfreport.feeds.models import NAME_LIMIT, Feed, FeedKind
from perfreport.feeds.sources import check_query, check_url, dropped_files, test_connection
from perfreport.jobs.models import Schedule
from perfreport.jobs.schedules import schedule_delete
from perfreport.registry.models import Indicator

FEED = "feed"  # what the audit trail calls a feed
MAX_TIMEOUT = 3600
HIDDEN = "***"


@dataclass
class FeedInput:
    """A feed as typed on its page (or given by a program)."""

    name: str = ""
    kind: str = FeedKind.DATABASE.value
    database_url: str = ""
    password: str = ""  # typed apart from the URL; empty keeps the stored one
    query: str = ""
    folder: str = ""
    timeout_seconds: str = "60"
    indicators: list[str] = field(default_factory=list)  # refs

    @classmethod
    def of(cls, feed: Feed) -> FeedInput:
        """The stored feed as its form shows it: the password never."""
        return cls(
            name=feed.name,
            kind=feed.kind,
            database_url=feed.safe_url(),
            query=feed.query,
            folder=feed.folder,
            timeout_seconds=str(feed.timeout_seconds),
            indicators=sorted(feed.indicators.values_list("ref", flat=True)),
        )


def feed_save(actor: Actor, feed: Feed | None, typed: FeedInput) -> Feed:
    """Create a feed (``feed`` None) or change it; ``Invalid`` with every field's problem."""
    actor.require_admin(gettext_noop("set up feeds"))
    errors: dict[str, str] = {}
    name = _text(typed.name, "name", errors)
    kind = typed.kind if typed.kind in FeedKind.values else ""
    if not kind:
        errors["kind"] = _("Choose where the figures come from: a database query or a folder")
    url = _url(typed, feed, errors) if kind == FeedKind.DATABASE else ""
    query = typed.query.strip() if kind == FeedKind.DATABASE else ""
    if kind == FeedKind.DATABASE and (problem := check_query(query)):
        errors["query"] = _("The query %(problem)s") % {"problem": problem}
    folder = _folder(typed.folder, errors) if kind == FeedKind.FOLDER else ""
    timeout = _timeout(typed.timeout_seconds, errors)
    indicators = _indicators(typed.indicators, errors)
    if name and not errors.get("name"):
        taken = Feed.objects.filter(name__iexact=name)
        if (taken.exclude(pk=feed.pk) if feed else taken).exists():
            said = _("Another feed is called %(name)s: give this one another name")
            errors["name"] = said % {"name": name}
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        before = _audited(feed) if feed is not None else None
        saved = feed or Feed()
        saved.name, saved.kind, saved.database_url = name, kind, url
        saved.query, saved.folder, saved.timeout_seconds = query, folder, timeout
        saved.save()
        saved.indicators.set(indicators)
        after = _audited(saved)
        if before is None:
            audit.record(actor, "create", FEED, saved.pk, after=after)
        else:
            old, new = audit.changed(before, after)
            if new:
                audit.record(actor, "update", FEED, saved.pk, before=old, after=new)
    return saved


def schedules_of(feed: Feed) -> list[Schedule]:
    """The schedules that run ``feed`` by name (not those of every feed)."""
    return [
        s for s in Schedule.objects.filter(job="feed").order_by("pk") if s.target == str(feed.pk)
    ]


@transaction.atomic
def feed_delete(actor: Actor, feed: Feed) -> list[Schedule]:
    """Remove a feed, and the schedules that run it (each deleted and audited
    as the Schedules page deletes one: left, they would fail every time);
    the figures it wrote stay in their entries, unmarked. The schedules deleted."""
    actor.require_admin(gettext_noop("remove feeds"))
    aimed = schedules_of(feed)
    for schedule in aimed:
        schedule_delete(actor, schedule)
    audit.record(actor, "delete", FEED, feed.pk, before=_audited(feed))
    feed.delete()
    return aimed


def _audited(feed: Feed) -> dict[str, Any]:
    return {
        "name": feed.name,
        "kind": feed.kind,
        "database_url": feed.safe_url(),
        "query": feed.query,
        "folder": feed.folder,
        "timeout_seconds": feed.timeout_seconds,
        "indicators": sorted(feed.indicators.values_list("ref", flat=True)),
    }


def _text(typed: str, name: str, errors: dict[str, str]) -> str:
    if len(typed.strip()) > NAME_LIMIT:
        errors[name] = _(
            "The name is %(length)s characters long: use at most %(most)s characters"
        ) % {"length": len(typed.strip()), "most": NAME_LIMIT}
        return ""
    try:
        text = checked_text(typed.strip(), limit=NAME_LIMIT)
    except TextError as error:
        errors[name] = _("The name %(problem)s") % {"problem": error}
        return ""
    if not text:
        errors[name] = _("Enter a name for the feed, such as Housing repairs from the case system")
    return text


def _url(typed: FeedInput, feed: Feed | None, errors: dict[str, str]) -> str:
    """The URL to keep, with its password: typed in the password field, typed
    in the URL itself, or (the URL showing *** or none) the stored one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = typed.database_url.strip()
    if not text:
        errors["database_url"] = _(
            "Enter the database URL, such as postgresql://reader@db.example.org/cases"
        )
        return ""
    if problem := check_url(text):
        errors["database_url"] = _("The database URL %(problem)s") % {"problem": problem}
        return ""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        errors["database_url"] = _("The database URL is not one SQLAlchemy reads")
        return ""
    if typed.password:
        url = url.set(password=typed.password)
    elif url.password in (None, HIDDEN) and feed is not None and feed.database_url:
        stored = make_url(feed.database_url).password
        url = url.set(password=stored)
    if url.password == HIDDEN:
        errors["password"] = _("Type the database account's password (the URL shows *** for it)")
        return ""
    return url.render_as_string(hide_password=False)


def _folder(typed: str, errors: dict[str, str]) -> str:
    text = typed.strip()
    if not text:
        errors["folder"] = _("Enter the folder on the server the files are dropped in")
        return ""
    path = Path(text)
    if not path.is_absolute():
        said = _("%(folder)s is not a full path: write it like /srv/perfreport/drop/housing")
        errors["folder"] = said % {"folder": text}
    elif not path.is_dir():
        said = _("There is no folder %(folder)s on the server: create it first")
        errors["folder"] = said % {"folder": text}
    return text


def _timeout(typed: str, errors: dict[str, str]) -> int:
    text = typed.strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_TIMEOUT:
        errors["timeout_seconds"] = _(
            "Enter the timeout as a whole number of seconds from 1 to %(most)s, such as 60"
        ) % {"most": f"{MAX_TIMEOUT:,}"}
        return 60
    return int(text)


def connection_test(typed: FeedInput, feed: Feed | None) -> str:
    """What a run of the feed as typed would find, in a sentence: a query's
    rows and columns, a folder's files waiting. ``Invalid`` (by field) when
    the settings cannot be tried; ``SourceFailed`` when the source cannot be read."""
    errors: dict[str, str] = {}
    timeout = _timeout(typed.timeout_seconds, errors)
    if typed.kind == FeedKind.FOLDER:
        folder = _folder(typed.folder, errors)
        if errors:
            raise Invalid(errors)
        files = dropped_files(Path(folder))
        names = ", ".join(p.name for p in files[:10]) + (" …" if len(files) > 10 else "")
        if not files:
            return _("The folder %(folder)s is there, with no files waiting.") % {"folder": folder}
        return ngettext(
            "The folder %(folder)s holds %(count)s file waiting: %(names)s.",
            "The folder %(folder)s holds %(count)s files waiting: %(names)s.",
            len(files),
        ) % {"folder": folder, "count": len(files), "names": names}
    url = _url(typed, feed, errors)
    if problem := check_query(typed.query.strip()):
        errors["query"] = _("The query %(problem)s") % {"problem": problem}
    if errors:
        raise Invalid(errors)
    return test_connection(url, typed.query.strip(), timeout)


def _indicators(refs: list[str], errors: dict[str, str]) -> list[Indicator]:
    wanted = [ref.strip() for ref in refs if ref.strip()]
    found = list(Indicator.objects.filter(ref__in=wanted))
    missing = sorted(set(wanted) - {i.ref for i in found})
    if missing:
        said = _("There is no indicator %(refs)s: choose from the list")
        errors["indicators"] = said % {"refs": ", ".join(missing)}
    elif not found:
        errors["indicators"] = _("Choose the indicators this feed may fill: at least one")
    return found
