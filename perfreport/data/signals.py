"""Signals the data layer sends to the apps above it, which it may not import.

``figures_changed`` is sent with every counted change to the data (the data
version moving on: an import, a round's entry saved, a round published, an
edit in the admin), inside the change's transaction. A receiver that starts
work about the new figures (the reports app draws the report's charts ahead)
does it with ``transaction.on_commit``, so a change rolled back starts
nothing and the work sees what was committed.
"""

from __future__ import annotations

from django.dispatch import Signal

figures_changed = Signal()
