"""The date money left the paying account, for a payment (SPEC §3 "Bank round trip", §5).

A payment booked straight from a paying account (a township's reserve or cash, a county's
treasury) left on its own date. A paid row of a bank round trip moves money out of
`Assets:InTransit`: the money left on the date of the request (报盘) entry that moved the same
(`batch`, `case`) from the paying account into `Assets:InTransit`, the latest one dated on or
before the paid row. Without such an entry the payment's own date is used.
"""

from __future__ import annotations

import bisect
import datetime
import weakref
from collections import defaultdict

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.index import Disbursement

PAYING_ROLES: frozenset[str] = frozenset({"reserve", "cash", "treasury"})


def _roles(entry: data.Transaction) -> tuple[set[str], set[str]]:
    """Return the roles a transaction posts positive amounts to, and negative ones."""
    into: set[str] = set()
    out: set[str] = set()
    for posting in entry.postings:
        info = accounts.parse(posting.account)
        if info is None or posting.units is None or posting.units.number is None:
            continue
        if posting.units.number > 0:
            into.add(info.role)
        elif posting.units.number < 0:
            out.add(info.role)
    return into, out


class PaidDates:
    """Request dates by (batch, case), to date the paid rows of a bank round trip."""

    def __init__(self, books: Books) -> None:
        """Index every entry moving money from a paying account into transit."""
        found: dict[tuple[str, str], list[datetime.date]] = defaultdict(list)
        for entry in books.index.transactions:
            if "reversal" in (entry.tags or ()):
                continue
            batch = entry.meta.get("batch")
            case = entry.meta.get("case")
            if not isinstance(batch, str) or not isinstance(case, str):
                continue
            into, out = _roles(entry)
            if "intransit" in into and out & PAYING_ROLES:
                found[(batch, case)].append(entry.date)
        self._requests = {key: sorted(dates) for key, dates in found.items()}

    def left_on(self, d: Disbursement) -> datetime.date:
        """Return the date the money of a payment left its paying account."""
        _, out = _roles(d.entry)
        if out & PAYING_ROLES or "intransit" not in out:
            return d.date
        batch = d.meta.get("batch")
        case = d.meta.get("case")
        known = isinstance(batch, str) and isinstance(case, str)
        dates = self._requests.get((str(batch), str(case)), []) if known else []
        i = bisect.bisect_right(dates, d.date)
        return dates[i - 1] if i else d.date


_CACHE: weakref.WeakKeyDictionary[Books, PaidDates] = weakref.WeakKeyDictionary()


def paid_dates(books: Books) -> PaidDates:
    """Return the request-date index of the books (computed once per `Books`)."""
    found = _CACHE.get(books)
    if found is None:
        found = _CACHE[books] = PaidDates(books)
    return found
