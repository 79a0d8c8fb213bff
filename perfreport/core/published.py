"""Periods as published benchmarking data label them.

National data label periods in many ways: ``2019/20`` (a financial or an
academic year), ``2019-20``, ``2019`` (a calendar year, or a count taken each
January or September), ``2014-16`` (three calendar years pooled),
``2013/14-15/16`` (three years pooled), with notes such as ``(Rev)``,
``(prov)`` or ``(OT)``. Benchmarks compare organisations within one label, so
the label is kept as published; what is worked out here is the period's last
month, to order the labels and to find the latest one at a report date.

The last month follows from the kind of year (LAIT's ``Year_Type``):

>>> published_last_month("2019/20", "Financial Year") == 2020 * 12 + 2  # March 2020
True
>>> published_last_month("2019/20", "Academic Year") == 2020 * 12 + 7  # August 2020
True
>>> published_last_month("2014-16") == 2016 * 12 + 11  # December 2016
True
"""

from __future__ import annotations

import re

__all__ = ["YEAR_END_MONTHS", "published_last_month", "revision_rank"]

# The month (1-12) in which each kind of year ends; a split year ("2019/20")
# ends in its second calendar year, a single year ("2019") in that year.
YEAR_END_MONTHS = {
    "financial year": 3,
    "academic year": 8,
    "calendar year": 12,
    "annual (end of sept)": 9,
    "annual - january": 1,
    "annual": 12,
}
_SPLIT_DEFAULT = 3  # a split year of unknown kind is taken as a financial year
_SINGLE_DEFAULT = 12  # a single year of unknown kind, as a calendar year

_NOTE = re.compile(r"\s*\(([^)]*)\)\s*$")
_SPLIT = re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})")
_SINGLE = re.compile(r"\d{4}")
_POOLED_SPLIT = re.compile(r"\d{4}/\d{2}\s*-\s*(\d{2})/(\d{2})")


def published_last_month(label: str, year_type: str = "") -> int | None:
    """The last month of the period ``label`` names (``year * 12 + month - 1``,
    as :attr:`Period.last_month`), or None when the label names no year."""
    text = _NOTE.sub("", label).strip()
    kind = year_type.strip().lower()
    pooled = _POOLED_SPLIT.fullmatch(text)
    if pooled:
        century = int(text[:2]) * 100
        end_year = century + int(pooled.group(2))
        return _month(end_year, YEAR_END_MONTHS.get(kind, _SPLIT_DEFAULT))
    split = _SPLIT.fullmatch(text)
    if split:
        first = int(split.group(1))
        second = int(split.group(2))
        if second < 100:
            second += first // 100 * 100
            if second < first:
                second += 100
        if second == first + 1 and kind not in ("calendar year", "annual"):
            # "2019/20": a financial or academic year ending in 2020.
            return _month(second, YEAR_END_MONTHS.get(kind, _SPLIT_DEFAULT))
        if second <= first:
            return None
        # "2014-16": calendar years pooled, ending with the last.
        return _month(second, YEAR_END_MONTHS.get(kind, _SINGLE_DEFAULT))
    if _SINGLE.fullmatch(text):
        return _month(int(text), YEAR_END_MONTHS.get(kind, _SINGLE_DEFAULT))
    return None


def revision_rank(label: str) -> int:
    """Of two labels for the same period, the later version ranks higher:
    provisional (0), as first published (1), revised (2)."""
    note = _NOTE.search(label)
    if note is None:
        return 1
    word = note.group(1).strip().lower()
    if word.startswith("prov"):
        return 0
    if word.startswith("rev"):
        return 2
    return 1


def _month(year: int, month: int) -> int:
    return year * 12 + month - 1
