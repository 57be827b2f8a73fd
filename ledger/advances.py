"""Emergency advances (先行救助) matched by their `^adv-` link (SPEC §3, §5).

An advance posts to `Assets:Advances:<C>:<T>` with exactly one link `^adv-…`; its settlement
moves the amount into `Expenses:Relief:…:Emergency` and a recovery moves it back to the paying
account, both with the same link. Matching is by link only, never by amount: round amounts
collide all the time. Only entries dated on or before the audit date count.

Per link the transactions touching `Assets:Advances` are classified by the sign of their net
advances posting: positive is an advance, negative a settlement (up to the relief expense the
transaction books) and a recovery (the rest). A `#reversal` undoes the kind it reverses. The
state is read at the end of each day, so the order of entries within one day (several files)
does not matter.

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

from ledger import accounts
from ledger.books import Books
from ledger.findings import format_amount
from ledger.index import case_of

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
      policy: where the deadline comes from ("policy of 2015-06-01", "seed policy").
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
    def days_late(self) -> int:
        """Return the days a cleared advance was settled after its due date (0 if in time)."""
        if self.due is None or self.settled_on is None or self.settled_on <= self.due:
            return 0
        return (self.settled_on - self.due).days


# An event of one link: (date, kind, amount, transaction, is a reversal).
_Event = tuple[datetime.date, str, Decimal, data.Transaction, bool]
_CUT = len(ADVANCES)
_UNDER = ADVANCES + ":"


def adv_links(entry: data.Transaction) -> list[str]:
    """Return the transaction's `^adv-` links."""
    return [link for link in entry.links or () if link.startswith(LINK_PREFIX)]


def is_advances_account(account: str) -> bool:
    """Return True for `Assets:Advances` or any account under it (well formed or not)."""
    return account.startswith(ADVANCES) and account[_CUT : _CUT + 1] in ("", ":")


def _classify(entry: data.Transaction, events: list[_Event]) -> None:
    """Append the events of a linked transaction that moves money in `Assets:Advances`."""
    net = relief_in = relief_out = ZERO
    for posting in entry.postings:
        name = posting.account
        units = posting.units
        if units is None or units.number is None:
            continue
        if name.startswith(_UNDER) or name == ADVANCES:
            net += units.number
        elif name.startswith("Expenses:Relief:"):
            if units.number > 0:
                relief_in += units.number
            else:
                relief_out -= units.number
    if not net:
        return
    reversal = "reversal" in entry.tags if entry.tags else False
    date = entry.date
    if net > 0 and not reversal:
        events.append((date, "advance", net, entry, False))
    elif net < 0 and reversal and not relief_in:
        events.append((date, "advance", net, entry, True))
    elif net < 0:
        settled = min(relief_in, -net)
        if settled:
            events.append((date, "settle", settled, entry, reversal))
        if -net - settled:
            events.append((date, "recover", -net - settled, entry, reversal))
    else:  # A reversal of a settlement or recovery puts the money back.
        settled = min(relief_out, net)
        if settled:
            events.append((date, "settle", -settled, entry, True))
        if net - settled:
            events.append((date, "recover", settled - net, entry, True))


def _advance_posting(entry: data.Transaction) -> tuple[str, str] | None:
    """Return the account and currency of a transaction's first advances posting."""
    for posting in entry.postings:
        name = posting.account
        if (name.startswith(_UNDER) or name == ADVANCES) and posting.units is not None:
            return name, str(posting.units.currency)
    return None


class _Rows:
    """Builds rows, caching places, names and deadlines (advances share days and places)."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.places: dict[str, tuple[str, str, str]] = {}
        self.deadlines: dict[tuple[str, datetime.date], tuple[int, str, datetime.date]] = {}

    def deadline(self, county: str, date: datetime.date) -> tuple[int, str, datetime.date]:
        key = (county, date)
        found = self.deadlines.get(key)
        if found is None:
            setting = self.books.policy.setting("advance-deadline", county, date)
            days = int(setting.value)
            found = (days, setting.origin, date + datetime.timedelta(days=days))
            self.deadlines[key] = found
        return found

    def place(self, account: str) -> tuple[str, str, str]:
        found = self.places.get(account)
        if found is None:
            info = accounts.parse(account) if account else None
            if info is None:
                found = ("", "", "")
            else:
                name = self.books.directory.township_name(info.county, info.township)
                found = (info.county, info.township, name)
            self.places[account] = found
        return found

    def row(self, link: str, events: list[_Event], place: tuple[str, str]) -> AdvanceRow:
        if len(events) == 1 and events[0][1] == "advance" and not events[0][4]:
            return self.make(link, events, place, events[0][3], (events[0][2], ZERO, ZERO))
        advanced = settled = recovered = ZERO
        settled_on: datetime.date | None = None
        cleared_by = oversettled_by = advance_entry = None
        count = len(events)
        i = 0
        while i < count:
            day = events[i][0]
            closer = entry = events[i][3]
            # Every event of the day, then the state at the end of the day.
            while i < count and events[i][0] == day:
                _, kind, number, entry, reversal = events[i]
                i += 1
                if kind == "advance":
                    advanced += number
                    if advance_entry is None and not reversal:
                        advance_entry = entry
                    continue
                closer = entry
                if kind == "settle":
                    settled += number
                else:
                    recovered += number
            left = advanced - settled - recovered
            if advanced <= 0 or left > 0:
                settled_on = cleared_by = None
            elif settled_on is None:
                settled_on, cleared_by = day, closer
            if left >= 0:
                oversettled_by = None
            elif oversettled_by is None:
                oversettled_by = closer
        return self.make(
            link,
            events,
            place,
            advance_entry,
            (advanced, settled, recovered),
            (settled_on, cleared_by, oversettled_by),
        )

    def make(
        self,
        link: str,
        events: list[_Event],
        place: tuple[str, str],
        advance_entry: data.Transaction | None,
        totals: tuple[Decimal, Decimal, Decimal],
        cleared: tuple[Any, Any, Any] = (None, None, None),
    ) -> AdvanceRow:
        first = advance_entry or events[0][3]
        case = case_of(first) or next((c for e in events if (c := case_of(e[3]))), "")
        county, township, name = self.place(place[0])
        due = None
        deadline, policy = 0, ""
        if advance_entry is not None:
            deadline, policy, due = self.deadline(county, advance_entry.date)
        return AdvanceRow(
            link,
            case or link[len(LINK_PREFIX) :],
            county,
            township,
            name,
            place[1],
            advance_entry.date if advance_entry is not None else None,
            due,
            deadline,
            policy,
            *totals,
            cleared[0],
            first,
            cleared[1],
            cleared[2],
            self.books.as_of,
        )


def compute(books: Books) -> list[AdvanceRow]:
    """Return every advance of the books, uncached (see `all_advances`)."""
    events: dict[str, list[_Event]] = {}
    places: dict[str, tuple[str, str]] = {}
    prefix = LINK_PREFIX
    under = _UNDER
    for entry in books.index.transactions:
        links = entry.links
        if not links:
            continue
        if len(links) == 1:
            (link,) = links
            if not link.startswith(prefix):
                continue
        else:
            found_links = [name for name in links if name.startswith(prefix)]
            if len(found_links) != 1:
                continue
            link = found_links[0]
        found = events.get(link)
        if found is None:
            found = events[link] = []
        postings = entry.postings
        # The common case, a plain advance of one posting, is read inline (speed matters
        # on books of many thousand advances).
        if len(postings) == 2 and not entry.tags:
            first, other = postings
            units = first.units
            if (
                first.account.startswith(under)
                and units is not None
                and units.number is not None
                and units.number > 0
                and not other.account.startswith(under)
            ):
                found.append((entry.date, "advance", units.number, entry, False))
                if link not in places:
                    places[link] = (first.account, units.currency)
                continue
        _classify(entry, found)
        if link not in places:
            place = _advance_posting(entry)
            if place is not None:
                places[link] = place
    rows = _Rows(books)
    return [
        rows.row(link, found, places.get(link, ("", "")))
        for link, found in events.items()
        if found
    ]


_CACHE: weakref.WeakKeyDictionary[Books, list[AdvanceRow]] = weakref.WeakKeyDictionary()


def all_advances(books: Books) -> list[AdvanceRow]:
    """Return every advance (one row per `^adv-` link) in the order first booked."""
    rows = _CACHE.get(books)
    if rows is None:
        rows = compute(books)
        _CACHE[books] = rows
    return list(rows)


def outstanding(books: Books) -> list[AdvanceRow]:
    """Return the advances with an amount outstanding on the audit date."""
    return [row for row in all_advances(books) if row.outstanding > 0]


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
    }
