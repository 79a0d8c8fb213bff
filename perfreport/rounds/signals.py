"""What the round's workflow tells the apps above it, which it may not import
(report distribution sends a round's report when it is published)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from perfreport.data.models import Round

# Sent once the transaction that published a round has committed, with
# ``round`` (the Round): a receiver that fails never undoes the publication.
round_published = Signal()


def announce_published(found: Round) -> None:
    """Send ``round_published`` for ``found`` when the caller's transaction
    commits (at once outside one). Receivers' errors are theirs: each is
    called, and one that raises is left to log its own failure."""
    transaction.on_commit(lambda: round_published.send_robust(sender=Round, round=found))
