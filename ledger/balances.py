"""End-of-day balances of the project's money accounts, in one sorted pass (SPEC §5).

Beancount sorts the entries of one day by line number, whatever their file, so the order of
entries within a day says nothing about when the money moved. The checks therefore look only
at the balance at the end of each day: `DayBalance` holds it, with the last entry of that day
(in the books' order) to locate a finding. Only transactions dated on or before the audit date
count. The postings come from the shared view `books.postings` (filed by account, so an
account's balance reads only its own postings), and each account's records are summed once
per `Books`, when first asked for.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import operator
import weakref
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.postings import Item
from ledger.postings import Postings

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
    """End-of-day balances per (account, currency), one record per day with postings.

    An account's records are computed the first time it is asked for, from its postings
    in `books.postings`: a check pays only for the accounts it reads (the in-transit
    accounts, a third of all postings, are kept but seldom read).
    """

    def __init__(self, postings: Postings, roles: frozenset[str] = ROLES) -> None:
        """Keep the postings view; the records are built on first use, per account."""
        self._postings = postings
        self._roles = roles
        self._series: dict[str, dict[str, list[DayBalance]]] = {}
        self._dates: dict[tuple[str, str], list[datetime.date]] = {}

    def _account(self, account: str) -> dict[str, list[DayBalance]]:
        found = self._series.get(account)
        if found is None:
            info = accounts.parse(account)
            kept = info is not None and info.role in self._roles
            items = self._postings.by_account.get(account, []) if kept else []
            found = self._series[account] = _days(items)
        return found

    @property
    def days(self) -> dict[tuple[str, str], list[DayBalance]]:
        """Return the records of every kept (account, currency), in key order."""
        return {
            (account, currency): self.series(account, currency)
            for account, currency in sorted(
                (account, currency)
                for account in self._postings.by_account
                for currency in self._account(account)
            )
        }

    def series(self, account: str, currency: str) -> list[DayBalance]:
        """Return the day records of one account and currency (empty if none)."""
        return self._account(account).get(currency, [])

    def keys(self, role: str) -> list[tuple[str, str]]:
        """Return the (account, currency) pairs of one role, sorted."""
        if role not in self._roles:
            return []
        return sorted(
            (account, currency)
            for account in self._postings.by_account
            if (info := accounts.parse(account)) and info.role == role
            for currency in self._account(account)
        )

    def on(self, account: str, currency: str, date: datetime.date) -> Decimal:
        """Return the balance at the end of a day (zero before the first posting)."""
        days = self.series(account, currency)
        if not days:
            return ZERO
        key = (account, currency)
        dates = self._dates.get(key)
        if dates is None:
            dates = self._dates[key] = [d.date for d in days]
        i = bisect.bisect_right(dates, date)
        return days[i - 1].balance if i else ZERO

    def final(self, account: str, currency: str) -> DayBalance | None:
        """Return the last day record of an account (its balance on the audit date)."""
        days = self.series(account, currency)
        return days[-1] if days else None

    def since(self, account: str, currency: str) -> DayBalance | None:
        """Return the first day of the current run of non-zero end-of-day balances."""
        days = self.series(account, currency)
        start = None
        for day in reversed(days):
            if not day.balance:
                break
            start = day
        return start


_is_none = functools.partial(operator.is_, None)
# The fields of a `postings.Item` read here, by whole lists.
_NUMBER, _CURRENCY, _DATE = operator.itemgetter(3), operator.itemgetter(4), operator.itemgetter(5)


def _days(items: list[Item]) -> dict[str, list[DayBalance]]:
    """Return one account's end-of-day records per currency, from its postings."""
    if not items:
        return {}
    numbers = list(map(_NUMBER, items))
    currencies = set(map(_CURRENCY, items))
    # By identity: `None in numbers` would ask each Decimal (through `numbers.Number`).
    if len(currencies) == 1 and None not in currencies and not any(map(_is_none, numbers)):
        return {str(currencies.pop()): _one_currency(items, numbers)}
    return _mixed(items)


def _one_currency(items: list[Item], numbers: list[Decimal]) -> list[DayBalance]:
    """Return the records of postings all in one currency (the usual account).

    The same sums, in the same order, as `_mixed`; done by whole lists because the checks
    read every reserve and treasury posting of the books.
    """
    dates = list(map(_DATE, items))
    running = list(itertools.accumulate(numbers))
    # A day ends where the next posting has another date (and at the last posting).
    ends = [i for i, (day, following) in enumerate(itertools.pairwise(dates)) if day != following]
    ends.append(len(dates) - 1)
    return [DayBalance(dates[i], running[i], items[i][1]) for i in ends]


def _mixed(items: list[Item]) -> dict[str, list[DayBalance]]:
    """Return the records per currency of any postings (several currencies, missing units)."""
    # Plain lists while summing (one per day); DayBalance tuples at the end.
    running: dict[str, list[list[Any]]] = {}
    for _, entry, _, number, currency, date in items:
        if number is None:  # No units, or no number.
            continue
        records = running.get(currency)  # type: ignore[arg-type]
        if records is None:
            running[currency] = [[date, number, entry]]  # type: ignore[index]
            continue
        last = records[-1]
        if last[0] == date:
            last[1] += number
            last[2] = entry
        else:
            records.append([date, last[1] + number, entry])
    make = DayBalance._make
    return {currency: list(map(make, records)) for currency, records in running.items()}


def compute(books: Books, roles: frozenset[str] = ROLES) -> Balances:
    """Return the end-of-day balances of the accounts of the given roles (uncached)."""
    return Balances(books.postings, roles)


_CACHE: weakref.WeakKeyDictionary[Books, Balances] = weakref.WeakKeyDictionary()


def of(books: Books) -> Balances:
    """Return the end-of-day balances of the books' money accounts (cached per books)."""
    found = _CACHE.get(books)
    if found is None:
        found = _CACHE[books] = compute(books)
    return found
