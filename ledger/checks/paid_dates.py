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
from typing import Final

from beancount.core import data

from ledger.books import Books
from ledger.disbursement import Disbursement

_Key = tuple[str, str]  # (batch, case) or (batch, bank-row)
_Dates = dict[_Key, list[datetime.date]]


def _index(entries: list[data.Transaction], by: str) -> _Dates:
    """Return the sorted dates of the entries per (batch, case) or (batch, bank-row).

    One loop with no call per entry but the dicts' own (50,000 bank requests at 100,000
    payments, each entry and its metadata a cache miss); only the lists of more than one
    date are sorted, in place (a sorted copy of every list would double the peak).
    """
    found: _Dates = {}
    many: list[list[datetime.date]] = []
    for entry in entries:
        meta = entry.meta
        batch = meta.get("batch")
        if not isinstance(batch, str) or not batch:
            continue
        value = meta.get(by)
        if by == "case":
            if not isinstance(value, str) or not value:
                continue
        elif value is None or isinstance(value, bool):
            continue
        else:
            value = str(value)
        key = (batch, value)
        dates = found.get(key)
        if dates is None:
            found[key] = [entry.date]
        else:
            if len(dates) == 1:
                many.append(dates)
            dates.append(entry.date)
    for dates in many:
        dates.sort()
    return found


class PaidDates:
    """Dates bank rows left a paying account, to date the payments that resolve them.

    The rows are indexed on the first question, not before: the approval family asks only
    of a payment out of transit or suspense that may have been paid before its approval,
    and clean books have none (at 100,000 payments, 50,000 bank requests are then never
    read). A row is looked for by (batch, case) first; the index by (batch, bank-row), for
    a payment without a case or whose case finds no row, is made only when first needed.
    """

    def __init__(self, books: Books) -> None:
        """Keep the entries moving money from a paying account into transit or suspense."""
        # Not `books`: the value of a WeakKeyDictionary keyed by the books must not refer
        # to them (both would stay alive forever).
        self._entries = books.index.money.into_holding
        self._first = books.index.money.first_of_batch
        self._by_case: _Dates | None = None
        self._by_row: _Dates | None = None

    def surely_left_by(self, d: Disbursement, on: datetime.date) -> bool:
        """Return True if a payment booked on or after `on` surely left on or after it too.

        `left_on` answers the payment's own date or that of a row of its batch: when the
        earliest row of the batch left on or after `on`, so did the payment, and its row
        need not be searched for (one date per batch, not an index of every row).
        """
        batch = d.meta.get("batch")
        if not isinstance(batch, str) or not batch:
            return True  # No row to find: it left on its own date.
        first = self._first.get(batch)
        return first is None or first >= on

    def left_on(self, d: Disbursement) -> datetime.date:
        """Return the date the money of a payment left its paying account."""
        if d.pays_out or not d.holds_out:
            return d.date
        meta = d.meta
        batch = meta.get("batch")
        if not isinstance(batch, str) or not batch:
            return d.date
        case = meta.get("case")
        if isinstance(case, str) and case:
            if self._by_case is None:
                self._by_case = _index(self._entries, "case")
            found = _latest(self._by_case.get((batch, case)), d.date)
            if found is not None:
                return found
        row = meta.get("bank-row")
        if row is not None and not isinstance(row, bool):
            if self._by_row is None:
                self._by_row = _index(self._entries, "bank-row")
            found = _latest(self._by_row.get((batch, str(row))), d.date)
            if found is not None:
                return found
        return d.date


def _latest(dates: list[datetime.date] | None, on: datetime.date) -> datetime.date | None:
    """Return the latest of the (sorted) dates on or before `on`, if any."""
    i = bisect.bisect_right(dates, on) if dates else 0
    return dates[i - 1] if dates and i else None


_CACHE: Final[weakref.WeakKeyDictionary[Books, PaidDates]] = weakref.WeakKeyDictionary()


def paid_dates(books: Books) -> PaidDates:
    """Return the paid-date index of the books (computed once per `Books`)."""
    found = _CACHE.get(books)
    if found is None:
        found = _CACHE[books] = PaidDates(books)
    return found
