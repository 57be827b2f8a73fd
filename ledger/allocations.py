"""Reserve allocations and returns per township and year, and the years an audit counts.

An allocation (`#allocation`, treasury → reserve) or a year-end return (`#reserve-return`,
reserve → treasury) belongs to the year of its `period` ("2018", "2018Q2"), else of its date
(SPEC §3). The allocated total of a year is gross: returns do not reduce it; a `#reversal`
that keeps the `#allocation` tag does. The years counted (SPEC §5 `ALLOCATION-RANGE`) run
from a township's first allocation through the last year both completed by the audit date and
holding any transaction of the books; the audit date's own year is looked at separately.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger.books import Books

ZERO = Decimal(0)
_PERIOD = re.compile(r"^(\d{4})(?:Q[1-4])?$")


def period_year(entry: data.Transaction) -> int:
    """Return the year an allocation or return belongs to: its `period`'s, else its date's."""
    period = entry.meta.get("period")
    if isinstance(period, str | int):
        found = _PERIOD.match(str(period).strip())
        if found:
            return int(found.group(1))
    return int(entry.date.year)


def year_end(year: int, as_of: datetime.date) -> datetime.date:
    """Return the date a year's range and idle share are read on: 31 December, or as_of."""
    return min(datetime.date(year, 12, 31), as_of)


def last_completed_year(books: Books) -> int | None:
    """Return the last year completed by the audit date that holds any transaction."""
    as_of = books.as_of
    completed = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    for entry in reversed(books.postings.transactions):
        if entry.date.year <= completed:
            return int(entry.date.year)
    return None


@dataclasses.dataclass
class TownshipYears:
    """Allocations and returns of one township's reserve, by allocation year.

    Attributes:
      county, township: the township's account components.
      account: its reserve account.
      allocated: gross `#allocation` total per year.
      returned: `#reserve-return` total per year (a positive number).
      returned_later: the part of each year's returns dated after that year
        (negative, as posted to the reserve).
      currency: the currency of its allocations.
      first_entry: its first allocation (to locate findings if the reserve has no `open`).

    """

    county: str
    township: str
    account: str
    allocated: dict[int, Decimal] = dataclasses.field(
        default_factory=lambda: defaultdict(Decimal)
    )
    returned: dict[int, Decimal] = dataclasses.field(
        default_factory=lambda: defaultdict(Decimal)
    )
    returned_later: dict[int, Decimal] = dataclasses.field(
        default_factory=lambda: defaultdict(Decimal)
    )
    currency: str = "CNY"
    first_entry: Any = None

    @property
    def first_year(self) -> int | None:
        """Return the year of the township's first allocation."""
        return min(self.allocated) if self.allocated else None

    def counted(self, last_year: int | None) -> range:
        """Return the years counted: first allocation through the last completed year."""
        first = self.first_year
        if first is None or last_year is None:
            return range(0)
        return range(first, last_year + 1)


def collect(books: Books) -> dict[tuple[str, str], TownshipYears]:
    """Return the allocations and returns of every township, by (county, township)."""
    found: dict[tuple[str, str], TownshipYears] = {}
    view = books.postings
    # Only transactions posting to a reserve count: found from the reserves' own postings.
    positions = [
        position
        for account in view.accounts(_is_reserve)
        for position, entry, *_ in view.by_account[account]
        if entry.tags and ("allocation" in entry.tags or "reserve-return" in entry.tags)
    ]
    for entry in view.touching(positions):
        allocation = "allocation" in entry.tags
        year = period_year(entry)
        for posting in entry.postings:
            info = accounts.parse(posting.account)
            units = posting.units
            if (
                info is None
                or info.role != "reserve"
                or units is None
                or units.number is None
            ):
                continue
            place = found.get((info.county, info.township))
            if place is None:
                place = TownshipYears(info.county, info.township, posting.account)
                place.currency = units.currency
                found[(info.county, info.township)] = place
            if allocation:
                place.allocated[year] += units.number
                if place.first_entry is None:
                    place.first_entry = entry
            else:
                place.returned[year] -= units.number
                if entry.date.year > year:
                    place.returned_later[year] += units.number
    return found


def _is_reserve(account: str) -> bool:
    info = accounts.parse(account)
    return info is not None and info.role == "reserve"
