"""Benchmarks: how the home organisation compares with others.

Every evaluation can carry four benchmarks, worked out here from plain values:

* the comparator group's **mean** and **median** (statistical neighbours, a
  family group, a region), as the group's average is published: of the
  members only for statistical neighbours (LAIT's "Statistical Neighbours"
  average is the mean of the neighbours with a figure, and the seed's
  "Statistical Neighbours Mean" is "based on the most recently available data
  from identified statistical neighbours"), the home organisation included
  where the published average includes it (Scotland's LGBF family groups,
  LAIT's regional and England figures): ``includes_home``;
* the home organisation's **rank** among the members and itself (1 is the best,
  by polarity; ties share the best rank: 1, 2, 2, 4), whether or not the
  average includes it: a rank always places the home organisation among the
  others;
* its **quartile** among them (1 is the best quarter), or a note when fewer
  than 4 organisations have a figure;
* the **national value**, with the basis it was found on: as published, the
  sum of numerators over the sum of denominators, a mean of councils' rates
  (labelled as such: it is not a national rate) or entered by hand.

Published cells such as ``c``, ``[x]`` or ``..`` are read as missing and
counted, never as zero (:func:`parse_published_number`).

>>> group = {"E10000002": Decimal("96.1"), "E10000003": Decimal("97.9"),
...          "E10000006": Decimal("95.0"), "E10000007": None}
>>> c = compare_with_group(Decimal("97.82"), group, Polarity.HIGHER, 1)
>>> (c.rank, c.group_size, c.quartile, c.missing, c.mean_as_shown)
(2, 4, 2, 1, Decimal('96.3'))
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from perfreport.core.i18n import N_, _, ngettext
from perfreport.core.numbers import LIMIT, TOO_LARGE
from perfreport.core.rating import Polarity
from perfreport.core.units import round_to
from perfreport.core.withheld import WITHHELD_MARKERS, withheld_text

__all__ = [
    "MIN_FOR_QUARTILES",
    "SUPPRESSION_MARKERS",
    "GroupComparison",
    "GroupMean",
    "GroupMeanBasis",
    "NationalBasis",
    "NationalValue",
    "compare_with_group",
    "group_mean",
    "national_value",
    "parse_published_number",
    "quartile_of",
]

MIN_FOR_QUARTILES = 4


# -- comparator group ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupComparison:
    """The home organisation against a comparator group.

    ``mean`` and ``median`` are exact (of the members' values as given, and
    the home organisation's too when ``includes_home``); round them only to
    show them (``mean_as_shown``). ``rank`` and ``quartile`` are judged on the
    figures as published, rounded to ``decimals``. With no polarity (no
    direction for improvement) ``rank`` is the position from the highest value
    down and there is no quartile.
    """

    polarity: Polarity | None
    decimals: int
    mean: Decimal | None
    median: Decimal | None
    members: int  # organisations in the group, the home organisation not counted
    missing: int  # members with no usable value
    rank: int | None  # 1 is the best; None when the home organisation has no value
    group_size: int  # organisations ranked: members with a value, and the home one
    quartile: int | None  # 1 is the best quarter
    quartile_note: str | None  # why there is no quartile
    includes_home: bool = False  # the mean and median count the home organisation's value
    # The best quarter's threshold of the organisations ranked (the 75th
    # percentile, or the 25th where lower is better): a top-quartile target.
    best_quarter_from: Decimal | None = None

    @property
    def members_with_data(self) -> int:
        return self.members - self.missing

    @property
    def averaged(self) -> int:
        """How many values the mean and median are of: the members with a value,
        and the home organisation when they include it and it has one."""
        return self.members_with_data + (1 if self.includes_home and self.rank is not None else 0)

    @property
    def average_words(self) -> str:
        """Whose values the mean and median are of, for the explanation:
        "this council included, 12 councils"; "this council not included,
        10 councils"; "this council has no figure, 11 councils"."""
        words = {"count": self.averaged}
        if not self.includes_home:
            return (
                ngettext(
                    "this council not included, %(count)s council",
                    "this council not included, %(count)s councils",
                    self.averaged,
                )
                % words
            )
        if self.rank is None:
            return (
                ngettext(
                    "this council has no figure, %(count)s council",
                    "this council has no figure, %(count)s councils",
                    self.averaged,
                )
                % words
            )
        return (
            ngettext(
                "this council included, %(count)s council",
                "this council included, %(count)s councils",
                self.averaged,
            )
            % words
        )

    @property
    def has_direction(self) -> bool:
        return self.polarity in (Polarity.HIGHER, Polarity.LOWER)

    @property
    def mean_as_shown(self) -> Decimal | None:
        return None if self.mean is None else round_to(self.mean, self.decimals)

    @property
    def median_as_shown(self) -> Decimal | None:
        return None if self.median is None else round_to(self.median, self.decimals)


def compare_with_group(
    home: Decimal | None,
    group: Mapping[str, Decimal | None],
    polarity: Polarity | None,
    decimals: int,
    *,
    home_code: str | None = None,
    includes_home: bool = False,
) -> GroupComparison:
    """Compare ``home`` with the values of ``group`` (organisation code → value).

    * ``mean`` and ``median``: of the members with a value, and of ``home``
      too when ``includes_home`` (as a family group's or a region's published
      average includes the council itself) and it has a value; otherwise the
      home organisation excluded (as statistical neighbours' means leave it
      out). It is dropped from ``group`` if ``home_code`` is in it, as in a
      region, so never counted twice. The median of an even number is the
      mean of the middle two.
    * ``rank``: 1 + the number of members whose value, rounded to ``decimals``,
      is better than the home organisation's (competition ranking: ties share
      the best rank, 1, 2, 2, 4). Better follows ``polarity``; with none, rank
      is the position from the highest. The ranking is of the members with a
      value and the home organisation, whether the average includes it or
      not: n members, the home one among them, when it does; the n members
      and the home one (n + 1) when it does not.
    * ``quartile``: see :func:`quartile_of`; None, with a note, when fewer than
      4 organisations are ranked, or when there is no polarity.
    * ``missing``: members whose value is None or not a finite number.

    >>> c = compare_with_group(Decimal("10"), {"A": Decimal("8"), "B": Decimal("12")},
    ...                        Polarity.LOWER, 0)
    >>> (c.rank, c.group_size, c.quartile, c.quartile_note, c.mean)
    (2, 3, None, 'too few organisations (3) for quartiles', Decimal('10'))
    >>> compare_with_group(Decimal("14"), {"A": Decimal("8"), "B": Decimal("12")},
    ...                    Polarity.LOWER, 0, includes_home=True).mean
    Decimal('11.33333333333333333333333333')
    """
    values = [
        value
        for code, value in group.items()
        if code != home_code and value is not None and value.is_finite()
    ]
    members = len(group) - (1 if home_code is not None and home_code in group else 0)
    home_value = home if home is not None and home.is_finite() else None
    averaged = [*values, home_value] if includes_home and home_value is not None else values
    mean, median = _mean_and_median(averaged)
    rank: int | None = None
    size = len(values)
    quartile: int | None = None
    if home_value is not None:
        rank, size = _rank(home_value, values, polarity, decimals), size + 1
        quartile, note = _quartile_and_note(rank, size, polarity)
    else:  # translated only when said: gettext is not free, and this runs per indicator
        note = _("no value for this organisation, so no rank or quartile")
    return GroupComparison(
        polarity=polarity,
        decimals=decimals,
        mean=mean,
        median=median,
        members=members,
        missing=members - len(values),
        rank=rank,
        group_size=size,
        quartile=quartile,
        quartile_note=note,
        includes_home=includes_home,
        best_quarter_from=best_quarter_threshold(
            [*values, home_value] if home_value is not None else values, polarity
        ),
    )


def _mean_and_median(values: Sequence[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    if not values:
        return None, None
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return sum(ordered, Decimal(0)) / len(ordered), median


def _rank(
    home: Decimal, values: Sequence[Decimal], polarity: Polarity | None, decimals: int
) -> int:
    shown = round_to(home, decimals)
    if polarity is Polarity.LOWER:
        return 1 + sum(1 for v in values if round_to(v, decimals) < shown)
    # Higher is better, or no direction: position from the highest value down.
    return 1 + sum(1 for v in values if round_to(v, decimals) > shown)


def _quartile_and_note(
    rank: int, size: int, polarity: Polarity | None
) -> tuple[int | None, str | None]:
    if polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return None, _("no direction for improvement, so no quartile")
    if size < MIN_FOR_QUARTILES:
        return None, _("too few organisations (%(count)s) for quartiles") % {"count": size}
    return quartile_of(rank, size), None


def best_quarter_threshold(values: Sequence[Decimal], polarity: Polarity | None) -> Decimal | None:
    """The value an organisation must reach to be in the best quarter: the
    75th percentile where higher is better, the 25th where lower is, worked
    out as Excel's PERCENTILE.INC (the thresholds :func:`quartile_of` ranks
    against). None with no direction or fewer than 4 values.

    >>> best_quarter_threshold([Decimal(v) for v in (10, 20, 30, 40, 50)], Polarity.HIGHER)
    Decimal('40')
    >>> best_quarter_threshold([Decimal(v) for v in (1, 2, 3, 4)], Polarity.LOWER)
    Decimal('1.75')
    """
    if polarity not in (Polarity.HIGHER, Polarity.LOWER) or len(values) < MIN_FOR_QUARTILES:
        return None
    ordered = sorted(values)
    share = Decimal("0.75") if polarity is Polarity.HIGHER else Decimal("0.25")
    position = (len(ordered) - 1) * share
    below = int(position)
    fraction = position - below
    if fraction == 0:
        return ordered[below]
    return ordered[below] + (ordered[below + 1] - ordered[below]) * fraction


def quartile_of(rank: int, size: int) -> int:
    """The quartile (1 best, 4 worst) of ``rank`` among ``size`` organisations.

    quartile = max(1, ⌈4 × (rank − 1) ÷ (size − 1)⌉)

    That is: first quartile when the organisation is at least as good as the
    group's best-quarter threshold, the 75th percentile (higher is better) or
    the 25th (lower is better), with percentiles as Excel's PERCENTILE.INC and
    R's ``quantile()`` work them out. DfE's LAIT bands authorities A to D
    against those same thresholds; here an organisation exactly on a threshold
    always takes the better band, whatever the polarity. Needs size ≥ 4.

    >>> [quartile_of(rank, 11) for rank in range(1, 12)]
    [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4]
    """
    if size < MIN_FOR_QUARTILES:
        raise ValueError(f"quartiles need {MIN_FOR_QUARTILES} or more organisations, not {size}")
    if not 1 <= rank <= size:
        raise ValueError(f"rank {rank} is not between 1 and {size}")
    # Integer ceiling of 4(r-1)/(n-1): exact, no rounding at the boundaries.
    return max(1, -(-4 * (rank - 1) // (size - 1)))


# -- group mean: computed or entered by hand --------------------------------------------


class GroupMeanBasis(StrEnum):
    COMPUTED = "computed"
    ENTERED = "entered"

    @property
    def label(self) -> str:
        return _(_GROUP_MEAN_LABELS[self])


_GROUP_MEAN_LABELS = {
    GroupMeanBasis.COMPUTED: N_("computed from the members' values"),
    GroupMeanBasis.ENTERED: N_("entered by hand"),
}


@dataclass(frozen=True, slots=True)
class GroupMean:
    """The comparator group's mean as shown, and where it came from.

    ``entered`` keeps a hand-entered mean beside a computed one, so that a
    difference can be reported, never silently replaced.
    """

    value: Decimal
    basis: GroupMeanBasis
    entered: Decimal | None = None


def group_mean(comparison: GroupComparison | None, entered: Decimal | None) -> GroupMean | None:
    """The group mean to show: computed from the members' values when any has
    one, otherwise the one entered by hand (the seed's typed-in
    "Statistical Neighbours Mean"), otherwise none.

    >>> group_mean(None, Decimal("96.1"))
    GroupMean(value=Decimal('96.1'), basis=<GroupMeanBasis.ENTERED: 'entered'>, entered=Decimal('96.1'))
    """
    if comparison is not None and comparison.mean is not None:
        return GroupMean(comparison.mean, GroupMeanBasis.COMPUTED, entered)
    if entered is not None:
        return GroupMean(entered, GroupMeanBasis.ENTERED, entered)
    return None


# -- national value ----------------------------------------------------------------------


class NationalBasis(StrEnum):
    PUBLISHED = "published"
    RATIO_OF_SUMS = "ratio_of_sums"
    MEAN_OF_COUNCILS = "mean_of_councils"
    ENTERED = "entered"

    @property
    def label(self) -> str:
        """How the figure was found, in words for the report: "England: 96.8% (as published)"."""
        return _(_NATIONAL_LABELS[self])


_NATIONAL_LABELS = {
    NationalBasis.PUBLISHED: N_("as published"),
    NationalBasis.RATIO_OF_SUMS: N_("sum of numerators over sum of denominators"),
    NationalBasis.MEAN_OF_COUNCILS: N_("mean of councils' rates — not a national rate"),
    NationalBasis.ENTERED: N_("entered by hand"),
}


@dataclass(frozen=True, slots=True)
class NationalValue:
    """The national figure and its basis.

    ``counted`` is how many organisations a computed figure is made from and
    ``missing`` how many had no usable figure (both 0 for a published or an
    entered one); ``entered`` keeps a hand-entered figure beside another one.
    """

    value: Decimal
    basis: NationalBasis
    counted: int = 0
    missing: int = 0
    entered: Decimal | None = None


def national_value(
    published: Decimal | None = None,
    numerators: Sequence[Decimal | None] = (),
    denominators: Sequence[Decimal | None] = (),
    rates: Sequence[Decimal | None] = (),
    entered: Decimal | None = None,
    scale: Decimal = Decimal(100),
) -> NationalValue | None:
    """The national value, from the best basis available, in this order:

    1. ``published``: the national figure as published, used as it is.
    2. Ratio of sums: Σ numerators ÷ Σ denominators × ``scale``, when every
       organisation with any figure has both a numerator and a denominator and
       the denominators add up to more than 0. A national rate is never the
       mean of councils' rates: 1 of 10 and 90 of 100 is 91 of 110 (82.7%),
       not the mean of 10% and 90% (50%).
    3. ``entered``: a national figure entered by hand (the seed's England
       mean): someone has looked it up, and it beats an approximation.
    4. Mean of councils' rates: each organisation's rate (or its numerator ÷
       denominator × ``scale`` when its rate is missing), labelled as not a
       national rate. Used when only rates exist, or when some organisations
       lack a numerator or a denominator (a ratio of the rest would not be
       national either).

    The sequences hold one entry per organisation, in the same order; an
    empty one was not supplied. None and non-finite entries are missing.

    >>> national_value(None, [Decimal(1), Decimal(90)], [Decimal(10), Decimal(100)]).value
    Decimal('82.72727272727272727272727273')
    """
    size = _common_length(numerators, denominators, rates)
    if published is not None and published.is_finite():
        return NationalValue(published, NationalBasis.PUBLISHED, entered=entered)
    rows = [(_at(numerators, i), _at(denominators, i), _at(rates, i)) for i in range(size)]
    ratio = _ratio_of_sums(rows, scale)
    if ratio is not None:
        value, counted = ratio
        return NationalValue(value, NationalBasis.RATIO_OF_SUMS, counted, size - counted, entered)
    if entered is not None and entered.is_finite():
        return NationalValue(entered, NationalBasis.ENTERED, entered=entered)
    council_rates = [r for r in (_rate(row, scale) for row in rows) if r is not None]
    if council_rates:
        mean = sum(council_rates, Decimal(0)) / len(council_rates)
        counted = len(council_rates)
        return NationalValue(mean, NationalBasis.MEAN_OF_COUNCILS, counted, size - counted)
    return None


_Row = tuple[Decimal | None, Decimal | None, Decimal | None]


def _common_length(*sequences: Sequence[Decimal | None]) -> int:
    lengths = {len(s) for s in sequences if len(s)}
    if len(lengths) > 1:
        shown = ", ".join(str(len(s)) for s in sequences)
        raise ValueError(
            f"numerators, denominators and rates need one entry per organisation; "
            f"their lengths differ ({shown})"
        )
    return lengths.pop() if lengths else 0


def _at(sequence: Sequence[Decimal | None], index: int) -> Decimal | None:
    if not sequence:
        return None
    value = sequence[index]
    return value if value is not None and value.is_finite() else None


def _ratio_of_sums(rows: Sequence[_Row], scale: Decimal) -> tuple[Decimal, int] | None:
    with_data = [row for row in rows if row != (None, None, None)]
    pairs = [(n, d) for n, d, _ in with_data if n is not None and d is not None]
    if not pairs or len(pairs) < len(with_data):
        return None
    denominator = sum((d for _, d in pairs), Decimal(0))
    if denominator <= 0:
        return None
    return sum((n for n, _ in pairs), Decimal(0)) / denominator * scale, len(pairs)


def _rate(row: _Row, scale: Decimal) -> Decimal | None:
    numerator, denominator, rate = row
    if rate is not None:
        return rate
    if numerator is not None and denominator:
        return numerator / denominator * scale
    return None


# -- published cells --------------------------------------------------------------------

# Read as missing (compared case-insensitively, spaces trimmed): the marks of a
# withheld figure (``core.withheld``: c, x, *, .., [c], "fewer than 10", "<5")
# and GSS and StatsWales shorthand for no figure: z not applicable, u low
# reliability, w none recorded, k a low figure; "..." and ":" (not available,
# ONS and Eurostat), "-" (not available in older tables; read as missing,
# never as zero), spreadsheet errors and "NA".
SUPPRESSION_MARKERS: frozenset[str] = WITHHELD_MARKERS | frozenset(
    {
        "", "-", "–", "—", "z", "u", "w", "k", "...", "…", ":", "~", "#",
        "na", "n/a", "n.a.", "#n/a", "nan", "null", "[z]", "[u]", "[w]", "[k]", "[na]",
    }
)  # fmt: skip

# Flags published after a value that leave the value standing: "12.3 [p]".
_STATUS_FLAG = re.compile(r"\s*\[(?:a|b|e|f|p|r|t|u|ns|s{1,3})\]$", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# A spreadsheet shows 15 significant digits; more than that in a cell is a
# binary float written out in full ("7.0000000000000007E-2"), not a figure
# anyone published.
_SPREADSHEET_DIGITS = 15


def parse_published_number(text: str) -> Decimal | None:
    """A number from a cell of published data, or None for a suppressed or
    missing one (any of :data:`SUPPRESSION_MARKERS`).

    Accepts thousands separators (``1,234``), a trailing ``%`` (the number is
    kept in percent: ``"97.8%"`` is 97.8), a leading ``£``, a Unicode minus,
    status flags such as ``[p]`` or ``[r]`` after the number, and scientific
    notation. A fraction with more than 15 significant digits is float noise
    from a spreadsheet and is read to 15, as the spreadsheet shows it:
    ``"7.0000000000000007E-2"`` is 0.07. Anything else raises ValueError
    naming the text.

    >>> parse_published_number("1,234.5"), parse_published_number("[c]")
    (Decimal('1234.5'), None)
    """
    cleaned = text.strip()
    if cleaned.casefold() in SUPPRESSION_MARKERS or withheld_text(cleaned) is not None:
        return None
    cleaned = _STATUS_FLAG.sub("", cleaned).replace("−", "-")
    cleaned = cleaned.removesuffix("%").strip()
    if cleaned.startswith(("£", "-£")):
        cleaned = cleaned.replace("£", "", 1)
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(
            f"{text!r} is not a number: expected a figure such as 1,234.5, 12.5% or "
            f"7.0E-2, or a suppression marker such as c, x, z, .., :, - or [c]"
        )
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{text!r} is not a number") from None
    if abs(number) >= LIMIT:  # before rounding, which a number of 23+ digits overflows
        raise ValueError(f"{text!r} {TOO_LARGE}")
    shape = number.as_tuple()
    exponent = shape.exponent if isinstance(shape.exponent, int) else 0
    if exponent < 0 and len(shape.digits) > _SPREADSHEET_DIGITS:
        # Float noise: show it to 15 significant digits, as a spreadsheet would.
        rounded = round_to(number, _SPREADSHEET_DIGITS - 1 - number.adjusted())
        return Decimal(format(rounded.normalize(), "f"))
    if exponent > 0:
        return Decimal(format(number, "f"))  # "1e3" is 1000, not 1E+3
    return number
