"""Relief tiers (SPEC §4): the bands of a general payment by its ratio, and a set of them.

A tier covers ratio_from ≤ ratio < ratio_to (half-open) and pays minimum ≤ amount ≤ maximum
(inclusive). A set is every `relief-tier` of one scope and date (`ledger.policy` resolves which
set is in force); the ratio's tier is found by bisection when the ranges do not overlap.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
from decimal import Decimal


@dataclasses.dataclass(frozen=True)
class Tier:
    """One band: ratio_from ≤ ratio < ratio_to pays minimum ≤ amount ≤ maximum."""

    ratio_from: Decimal
    ratio_to: Decimal
    minimum: Decimal
    maximum: Decimal


@dataclasses.dataclass(frozen=True)
class TierSet:
    """The tiers in force: one date's set in one scope.

    When the tiers are in order of `ratio_from` and none overlaps the next (the seed's, and
    any set without POLICY-INVALID overlaps), `find` bisects their starts: only the last tier
    starting at or below a ratio can hold it. Otherwise it asks each tier in turn.
    """

    tiers: tuple[Tier, ...]
    date: datetime.date
    currency: str
    origin: str
    #: The tiers' `ratio_from`s when they can be bisected (see above), else None.
    starts: list[Decimal] | None = dataclasses.field(
        init=False, repr=False, compare=False, default=None
    )

    def __post_init__(self) -> None:
        """Note the tiers' starts if they are Decimals in order, with no overlap."""
        tiers = self.tiers
        # Set in both cases: compiled (`ledger.native`), a field with `init=False` gets no
        # default of its own.
        object.__setattr__(self, "starts", None)
        if all(
            t.ratio_from.__class__ is Decimal and t.ratio_to.__class__ is Decimal for t in tiers
        ) and all(
            a.ratio_from <= b.ratio_from and a.ratio_to <= b.ratio_from
            for a, b in itertools.pairwise(tiers)
        ):
            object.__setattr__(self, "starts", [t.ratio_from for t in tiers])

    def find(self, ratio: Decimal) -> Tier | None:
        """Return the tier whose half-open range holds the ratio (the first such), or None."""
        starts = self.starts
        if starts is not None and ratio.__class__ is Decimal:
            i = bisect.bisect_right(starts, ratio)
            if i:
                tier = self.tiers[i - 1]
                if ratio < tier.ratio_to:
                    return tier
            return None
        for tier in self.tiers:
            if tier.ratio_from <= ratio < tier.ratio_to:
                return tier
        return None

    @property
    def lowest(self) -> Decimal:
        """Return the lowest ratio a tier covers."""
        return min(t.ratio_from for t in self.tiers)

    @property
    def highest(self) -> Decimal:
        """Return the ratio at and above which only a conference decides."""
        return max(t.ratio_to for t in self.tiers)
