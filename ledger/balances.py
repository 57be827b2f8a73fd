"""End-of-day balances of the project's money accounts, in one sorted pass (SPEC §5).

Beancount sorts the entries of one day by line number, whatever their file, so the order of
entries within a day says nothing about when the money moved. The checks therefore look only
at the balance at the end of each day: `DayBalance` holds it, with the last entry of that day
(in the books' order) to locate a finding. Only transactions dated on or before the audit date
count. The result is computed once per `Books` and shared (reserve checks, reports, Fava).
"""

from __future__ import annotations

import bisect
import datetime
import weakref
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data

from ledger import accounts
from ledger.books import Books

ZERO = Decimal(0)

#: Roles whose balances are kept: the money accounts of SPEC §2 that the checks read.
ROLES: frozenset[str] = frozenset({"treasury", "reserve", "cash", "suspense", "intransit"})


class DayBalance(NamedTuple):
    """The balance of one account in one currency at the end of a day with postings.

    Attributes:
      date: the day.
      balance: the balance at the end of that day.
      entry: the last transaction of that day posting to the account.

    """

    date: datetime.date
    balance: Decimal
    entry: data.Transaction


class Balances:
    """End-of-day balances per (account, currency), one record per day with postings."""

    def __init__(self, days: dict[tuple[str, str], list[DayBalance]]) -> None:
        """Keep the records; the date lists for look-ups are built on first use."""
        self.days = days
        self._dates: dict[tuple[str, str], list[datetime.date]] = {}

    def keys(self, role: str) -> list[tuple[str, str]]:
        """Return the (account, currency) pairs of one role, sorted."""
        return sorted(
            key
            for key in self.days
            if (info := accounts.parse(key[0])) and info.role == role
        )

    def on(self, account: str, currency: str, date: datetime.date) -> Decimal:
        """Return the balance at the end of a day (zero before the first posting)."""
        key = (account, currency)
        days = self.days.get(key)
        if not days:
            return ZERO
        dates = self._dates.get(key)
        if dates is None:
            dates = self._dates[key] = [d.date for d in days]
        i = bisect.bisect_right(dates, date)
        return days[i - 1].balance if i else ZERO

    def final(self, account: str, currency: str) -> DayBalance | None:
        """Return the last day record of an account (its balance on the audit date)."""
        days = self.days.get((account, currency))
        return days[-1] if days else None

    def since(self, account: str, currency: str) -> DayBalance | None:
        """Return the first day of the current run of non-zero end-of-day balances."""
        days = self.days.get((account, currency)) or []
        start = None
        for day in reversed(days):
            if not day.balance:
                break
            start = day
        return start


def compute(books: Books, roles: frozenset[str] = ROLES) -> Balances:
    """Return the end-of-day balances of the accounts of the given roles (uncached)."""
    wanted: dict[str, bool] = {}
    # Plain lists while summing (one per account and day); DayBalance tuples at the end.
    running: dict[tuple[str, str], list[list[Any]]] = {}
    for entry in books.index.transactions:
        date = entry.date
        for posting in entry.postings:
            account = posting.account
            keep = wanted.get(account)
            if keep is None:
                info = accounts.parse(account)
                keep = wanted[account] = info is not None and info.role in roles
            units = posting.units
            if not keep or units is None or units.number is None:
                continue
            key = (account, units.currency)
            records = running.get(key)
            if records is None:
                running[key] = [[date, units.number, entry]]
                continue
            last = records[-1]
            if last[0] == date:
                last[1] += units.number
                last[2] = entry
            else:
                records.append([date, last[1] + units.number, entry])
    days = {key: [DayBalance(*day) for day in records] for key, records in running.items()}
    return Balances(days)


_CACHE: weakref.WeakKeyDictionary[Books, Balances] = weakref.WeakKeyDictionary()


def of(books: Books) -> Balances:
    """Return the end-of-day balances of the books' money accounts (cached per books)."""
    found = _CACHE.get(books)
    if found is None:
        found = _CACHE[books] = compute(books)
    return found
