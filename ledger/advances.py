"""Emergency advances (先行救助) matched by their `^adv-` link (SPEC §3, §5).

An advance posts to `Assets:Advances:<C>:<T>` with exactly one link `^adv-…`; its settlement
moves the amount into `Expenses:Relief:…:Emergency` and a recovery moves it back to the paying
account, both with the same link. Matching is by link only, never by amount: round amounts
collide all the time. Only entries dated on or before the audit date count. The matching
itself is `ledger.advance_match`.

`all_advances(books)` and `outstanding(books)` are the public API shared by the `advances`
check, `reserve advances` and the Fava extension; the result is computed once per `Books`.
"""

from __future__ import annotations

import datetime
import weakref
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data

from ledger.books import Books
from ledger.findings import format_amount

ZERO = Decimal(0)
LINK_PREFIX = "adv-"
ADVANCES = "Assets:Advances"


class AdvanceRow(NamedTuple):
    """One advance (one `^adv-` link) as of the audit date.

    Attributes:
      link: the link without `^`, e.g. "adv-YZ-A-002".
      case: the case of the advance (its `case` metadata, else the link's tail).
      county, township: of the advances account first posted to.
      township_name: the township's Chinese name.
      currency: the currency of the advance.
      date: date of the advance (the first one in effect), None if only settled.
      due: date + `advance-deadline` in force on that date, None without an advance.
      deadline: the `advance-deadline` in days (0 without an advance).
      policy: where the deadline comes from ("policy of 2015-06-01").
      advanced, settled, recovered: totals of each kind.
      settled_on: the day the amount outstanding fell to zero (None while outstanding).
      entry: the advance transaction (else the first transaction of the link).
      cleared_by: the transaction that brought the outstanding amount to zero.
      oversettled_by: the transaction from which settlements exceed the advance.
      as_of: the audit date.

    """

    link: str
    case: str
    county: str
    township: str
    township_name: str
    currency: str
    date: datetime.date | None
    due: datetime.date | None
    deadline: int
    policy: str
    advanced: Decimal
    settled: Decimal
    recovered: Decimal
    settled_on: datetime.date | None
    entry: data.Transaction
    cleared_by: data.Transaction | None
    oversettled_by: data.Transaction | None
    as_of: datetime.date = datetime.date.min

    @property
    def outstanding(self) -> Decimal:
        """Return advanced − settled − recovered."""
        return self.advanced - self.settled - self.recovered

    @property
    def excess(self) -> Decimal:
        """Return how much settlements and recoveries exceed the advance (0 if not)."""
        return max(ZERO, -self.outstanding)

    @property
    def days_overdue(self) -> int:
        """Return the days past the due date with an amount outstanding (0 if none)."""
        if self.due is None or self.outstanding <= 0 or self.as_of <= self.due:
            return 0
        return (self.as_of - self.due).days

    @property
    def age_days(self) -> int | None:
        """Return the whole days from the advance's date to the audit date (None without one)."""
        return None if self.date is None else (self.as_of - self.date).days

    @property
    def days_late(self) -> int:
        """Return the days a cleared advance was settled after its due date (0 if in time)."""
        if self.due is None or self.settled_on is None or self.settled_on <= self.due:
            return 0
        return (self.settled_on - self.due).days


_CUT = len(ADVANCES)


def adv_links(entry: data.Transaction) -> list[str]:
    """Return the transaction's `^adv-` links."""
    return [link for link in entry.links or () if link.startswith(LINK_PREFIX)]


def is_advances_account(account: str) -> bool:
    """Return True for `Assets:Advances` or any account under it (well formed or not)."""
    return account.startswith(ADVANCES) and account[_CUT : _CUT + 1] in ("", ":")


_CACHE: weakref.WeakKeyDictionary[Books, list[AdvanceRow]] = weakref.WeakKeyDictionary()


def all_advances(books: Books) -> list[AdvanceRow]:
    """Return every advance (one row per `^adv-` link) in the order first booked."""
    rows = _CACHE.get(books)
    if rows is None:
        from ledger import advance_match  # It builds AdvanceRow: imported here, not above.

        rows = advance_match.compute(books)
        _CACHE[books] = rows
    return list(rows)


def outstanding(books: Books) -> list[AdvanceRow]:
    """Return the advances with an amount outstanding on the audit date."""
    return [row for row in all_advances(books) if row.outstanding > 0]


#: The keys of `to_dict`, in order (JSON objects, CSV columns). New keys go last, so that the
#: CSV columns already there keep their places.
FIELDS: tuple[str, ...] = (
    "county",
    "township",
    "township_name",
    "case",
    "link",
    "date",
    "advanced",
    "settled",
    "recovered",
    "outstanding",
    "currency",
    "due",
    "days_overdue",
    "age_days",
)


def to_dict(row: AdvanceRow) -> dict[str, Any]:
    """Return a row as plain values (JSON, CSV, SQL): amounts and dates as strings."""
    return {
        "county": row.county,
        "township": row.township,
        "township_name": row.township_name,
        "case": row.case,
        "link": row.link,
        "date": row.date.isoformat() if row.date else "",
        "advanced": format_amount(row.advanced),
        "settled": format_amount(row.settled),
        "recovered": format_amount(row.recovered),
        "outstanding": format_amount(row.outstanding),
        "currency": row.currency,
        "due": row.due.isoformat() if row.due else "",
        "days_overdue": row.days_overdue,
        "age_days": row.age_days,
    }
