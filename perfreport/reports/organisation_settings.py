"""The home organisation's settings a BI administrator changes in the browser:
its name, the reports' cover (title, team, contact, logo), the address
emails come from, the open data's licence and the plan's roll-up rule. One write, audited: every
field that changed, before and after, in the trail (the logo by its stored
name), in the same transaction as the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.registry.models import Organisation

# The fields the form changes, with the model's own limits.
FIELDS = (
    "name",
    "report_title",
    "report_team",
    "report_contact",
    "email_from",
    "licence_name",
    "licence_url",
    # The plan's roll-up rule and when an action behind schedule is at risk.
    "plan_rule",
    "plan_green_share",
    "plan_amber_share",
    "action_due_soon_days",
    # Welsh and English (issue 17): the mode, and the cover's words in Welsh.
    "bilingual",
    "report_title_cy",
    "report_team_cy",
    "report_contact_cy",
)
LOGO_MAX_BYTES = 2_000_000
# A picture's first bytes: what it is, whatever its name says.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


class LogoRefused(ValueError):
    """A logo that is not a PNG or JPEG picture, or too big; the message says which."""


@dataclass(frozen=True)
class Logo:
    content: IO[bytes]
    suffix: str  # ".png" or ".jpg", from its signature


def logo_too_big(size: int) -> str:
    return (
        f"The logo is {size / 1_000_000:.1f} MB: a logo may be at most "
        f"{LOGO_MAX_BYTES / 1_000_000:.0f} MB"
    )


def checked_logo(content: IO[bytes], size: int) -> Logo:
    """``content`` as a logo: at most 2 MB, a PNG or JPEG by its first bytes,
    and a picture Pillow can read (a renamed or damaged file is refused here,
    not when a report is made)."""
    if size > LOGO_MAX_BYTES:
        raise LogoRefused(logo_too_big(size))
    content.seek(0)
    head = content.read(8)
    suffix = next((s for sig, s in SIGNATURES.items() if head.startswith(sig)), None)
    if suffix is None:
        raise LogoRefused("The logo must be a PNG or JPEG picture: this file is neither")
    content.seek(0)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(content) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise LogoRefused(
            "The logo cannot be read as a picture: it may be damaged. Save it again as PNG or JPEG"
        ) from None
    content.seek(0)
    return Logo(content, suffix)


def organisation_settings_save(
    actor: Actor,
    organisation: Organisation,
    values: dict[str, object],
    *,
    logo: Logo | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """Save ``values`` (some of :data:`FIELDS`) and the logo; record what
    changed. The replaced logo's file is removed once the change is saved."""
    actor.require_admin(gettext_noop("change the report settings"))
    replaced = ""
    with transaction.atomic():
        stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = _settings_of(stored)
        for name in FIELDS:
            if name in values:
                setattr(stored, name, values[name])
        stored.clean()  # ValidationError: Amber's share above Green's
        if logo is not None or remove_logo:
            replaced = stored.report_logo.name or ""
            stored.report_logo = ""
        if logo is not None:
            name = f"{secrets.token_hex(8)}{logo.suffix}"
            stored.report_logo.save(name, File(logo.content), save=False)
        stored.save()
        old, new = audit.changed(before, _settings_of(stored))
        if new:
            audit.record(
                actor, "update", "organisation", stored.pk, before=old, after=new,
                reason="report settings",
            )  # fmt: skip
        if replaced and replaced != stored.report_logo.name:
            transaction.on_commit(lambda: default_storage.delete(replaced))
    return stored


def _settings_of(organisation: Organisation) -> dict[str, object]:
    return {
        **audit.fields_of(organisation, FIELDS),
        "report_logo": organisation.report_logo.name or "",
    }
