"""The date money left the paying account, for a payment (SPEC §3 "Bank round trip", §5).

A payment booked straight from a paying account (a township's reserve or cash, a county's
treasury) left on its own date. A paid row of a bank round trip moves money out of
`Assets:InTransit`: the money left on the date of the request (报盘) entry that moved the same
(`batch`, `case`) from the paying account into `Assets:InTransit`, the latest one dated on or
before the paid row. A payment cleared out of `Assets:Suspense` (a paid row booked before its
approval was known) left when the bank row went into suspense, found by (`batch`, `bank-row`);
an in-transit row without a case is found the same way. Without such an entry the payment's
own date is used.
"""

from __future__ import annotations

import bisect
import datetime
import weakref
from collections import defaultdict
from typing import Any

from ledger.books import Books
from ledger.money import Disbursement

_Key = tuple[str, str, str]


def _keys(meta: dict[str, Any]) -> list[_Key]:
    """Return the keys a bank row is known by: (batch, "case", case), (batch, "row", row)."""
    batch = meta.get("batch")
    if not isinstance(batch, str) or not batch:
        return []
    keys = []
    case = meta.get("case")
    if isinstance(case, str) and case:
        keys.append((batch, "case", case))
    row = meta.get("bank-row")
    if row is not None and not isinstance(row, bool):
        keys.append((batch, "row", str(row)))
    return keys


class PaidDates:
    """Dates bank rows left a paying account, to date the payments that resolve them."""

    def __init__(self, books: Books) -> None:
        """Index every entry moving money from a paying account into transit or suspense."""
        found: dict[_Key, list[datetime.date]] = defaultdict(list)
        for entry in books.index.money.into_holding:
            for key in _keys(entry.meta):
                found[key].append(entry.date)
        for dates in found.values():
            dates.sort()  # In place: a sorted copy of every list would double the peak.
        self._left: dict[_Key, list[datetime.date]] = found

    def left_on(self, d: Disbursement) -> datetime.date:
        """Return the date the money of a payment left its paying account."""
        if d.pays_out or not d.holds_out:
            return d.date
        for key in _keys(d.meta):
            dates = self._left.get(key, [])
            i = bisect.bisect_right(dates, d.date)
            if i:
                return dates[i - 1]
        return d.date


_CACHE: weakref.WeakKeyDictionary[Books, PaidDates] = weakref.WeakKeyDictionary()


def paid_dates(books: Books) -> PaidDates:
    """Return the paid-date index of the books (computed once per `Books`)."""
    found = _CACHE.get(books)
    if found is None:
        found = _CACHE[books] = PaidDates(books)
    return found
