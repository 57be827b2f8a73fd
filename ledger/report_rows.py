"""The figures of a report (SPEC §8): one typed row per township, county and the city.

`ledger.reports` fills a `Tally` per township while it walks the books, merges the tallies
into county and city totals, and turns each into a frozen `Row`. Distinct recipients and
median days are computed from the merged sets and lists, so a total is never a sum of
medians. Definitions: docs/reports.md.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from decimal import ROUND_HALF_UP
from decimal import Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
TEN_THOUSAND = Decimal(10000)

#: The money figures of a row, in display order.
MONEY_FIELDS: tuple[str, ...] = (
    "allocated",
    "returned",
    "small",
    "general",
    "emergency",
    "paid",
    "advances",
    "in_transit",
    "balance",
    "used",
    "disbursed",
)


@dataclasses.dataclass
class Tally:
    """What one township (or a total) adds up while the books are walked."""

    allocated: Decimal = ZERO
    returned: Decimal = ZERO
    small: Decimal = ZERO
    general: Decimal = ZERO
    emergency: Decimal = ZERO
    advances: Decimal = ZERO
    in_transit: Decimal = ZERO
    balance: Decimal = ZERO
    used: Decimal = ZERO
    disbursed: Decimal = ZERO
    person_times: int = 0
    recipients: set[str] = dataclasses.field(default_factory=set)
    days: list[int] = dataclasses.field(default_factory=list)

    def add_relief(self, procedure: str, number: Decimal) -> None:
        """Add a relief-expense posting to its procedure's column."""
        setattr(self, procedure, getattr(self, procedure) + number)

    def merge(self, other: Tally) -> None:
        """Add another tally into this one (for county and city totals)."""
        for field in dataclasses.fields(self):
            mine = getattr(self, field.name)
            theirs = getattr(other, field.name)
            if isinstance(mine, set):
                mine |= theirs
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, field.name, mine + theirs)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a report: a township, a county total (township "") or the city ("", "").

    Attributes:
      county, township: account components ("" on totals).
      name: Chinese name of the township, of the county, or "全市".
      allocated: gross `#allocation` transfers into the reserve in the period.
      returned: `#reserve-return` transfers out of the reserve in the period.
      small, general, emergency: net relief expense by procedure in the period.
      advances: advances outstanding (balance of `Assets:Advances`) at the period's end.
      in_transit: money at the bank, result not final, at the period's end.
      balance: reserve plus cash at the period's end.
      used: relief expense plus net advances paid from the township's reserve and cash.
      disbursed: the amount of the disbursements in effect (the `X 万元`).
      person_times: disbursements in effect (人次).
      recipients: distinct recipients of those disbursements.
      median_days: median days from `applied` to payment, None without `applied`.
      median_count: how many disbursements the median is over.

    """

    county: str
    township: str
    name: str
    allocated: Decimal
    returned: Decimal
    small: Decimal
    general: Decimal
    emergency: Decimal
    advances: Decimal
    in_transit: Decimal
    balance: Decimal
    used: Decimal
    disbursed: Decimal
    person_times: int
    recipients: int
    median_days: Decimal | None
    median_count: int

    @classmethod
    def of(cls, county: str, township: str, name: str, tally: Tally) -> Row:
        """Return the row of a tally."""
        median = None
        if tally.days:
            median = Decimal(str(statistics.median(sorted(tally.days)))).quantize(TENTH)
        return cls(
            county=county,
            township=township,
            name=name,
            allocated=tally.allocated,
            returned=tally.returned,
            small=tally.small,
            general=tally.general,
            emergency=tally.emergency,
            advances=tally.advances,
            in_transit=tally.in_transit,
            balance=tally.balance,
            used=tally.used,
            disbursed=tally.disbursed,
            person_times=tally.person_times,
            recipients=len(tally.recipients),
            median_days=median,
            median_count=len(tally.days),
        )

    @property
    def paid(self) -> Decimal:
        """Return the relief expense of every procedure."""
        return self.small + self.general + self.emergency

    @property
    def use_percent(self) -> Decimal | None:
        """Return used ÷ allocated in per cent to one decimal, None with nothing allocated."""
        if self.allocated <= 0:
            return None
        return (self.used * 100 / self.allocated).quantize(TENTH, ROUND_HALF_UP)

    @property
    def wan(self) -> Decimal:
        """Return the amount disbursed in 万元, to two decimals."""
        return (self.disbursed / TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP)

    @property
    def level(self) -> str:
        """Return "township", "county" or "city"."""
        if self.township:
            return "township"
        return "county" if self.county else "city"

    def summary(self) -> str:
        """Return the seed report's form: "N 人次，X 万元"."""
        return f"{self.person_times} 人次，{self.wan} 万元"


@dataclasses.dataclass(frozen=True)
class Report:
    """A report over a date range (both ends included).

    Attributes:
      start, end: the range.
      label: "2025" for a calendar year, else "2025-01-01..2025-03-31".
      currency: the currency of the figures.
      townships: one row per township, by county and township.
      counties: one total per county.
      city: the total of every township.

    """

    start: datetime.date
    end: datetime.date
    label: str
    currency: str
    townships: tuple[Row, ...]
    counties: tuple[Row, ...]
    city: Row

    def rows(self) -> list[Row]:
        """Return every row in display order: a county's townships, its total; the city."""
        ordered: list[Row] = []
        for county in self.counties:
            ordered.extend(r for r in self.townships if r.county == county.county)
            ordered.append(county)
        ordered.append(self.city)
        return ordered
