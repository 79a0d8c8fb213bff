"""Colours every report format shares.

The RAG tags: (text, background), as the scorecard page uses them (GOV.UK
Design System tag colours). A tag shows the rating's shape and label too,
never colour alone; the tests check every pair is at least 4.5:1 (WCAG 1.4.3).
"""

from __future__ import annotations

TAG_COLOURS = {
    "red": ("#2a0b06", "#f4cdc6"),
    "amber": ("#594d00", "#fff7bf"),
    "green": ("#005a30", "#cce2d8"),
    "blue": ("#0c2d4a", "#bbd4ea"),
    "baseline": ("#383f43", "#eeefef"),
    "contextual": ("#383f43", "#eeefef"),
    "none": ("#383f43", "#ffffff"),
}
