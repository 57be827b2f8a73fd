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

import dataclasses
import datetime
import weakref
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.findings import format_amount
from ledger.index import case_of

ZERO = Decimal(0)
LINK_PREFIX = "adv-"
ADVANCES = "Assets:Advances"


@dataclasses.dataclass(frozen=True)
class AdvanceRow:
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
    entry: data.Transaction = dataclasses.field(compare=False, repr=False)
    cleared_by: data.Transaction | None = dataclasses.field(compare=False, repr=False)
    oversettled_by: data.Transaction | None = dataclasses.field(compare=False, repr=False)
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


@dataclasses.dataclass
class _Event:
    date: datetime.date
    kind: str  # advance, settle, recover
    amount: Decimal
    entry: data.Transaction
    reversal: bool


def adv_links(entry: data.Transaction) -> list[str]:
    """Return the transaction's `^adv-` links."""
    return [link for link in entry.links or () if link.startswith(LINK_PREFIX)]


def is_advances_account(account: str) -> bool:
    """Return True for `Assets:Advances` or any account under it (well formed or not)."""
    return account == ADVANCES or account.startswith(ADVANCES + ":")


def _classify(entry: data.Transaction) -> tuple[list[_Event], accounts.AccountInfo | None]:
    """Return the advance events of one linked transaction and its advances account."""
    net = ZERO
    relief_in = ZERO
    relief_out = ZERO
    info: accounts.AccountInfo | None = None
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None:
            continue
        if is_advances_account(posting.account):
            net += units.number
            if info is None:
                info = accounts.parse(posting.account)
        elif posting.account.startswith("Expenses:Relief:"):
            if units.number > 0:
                relief_in += units.number
            else:
                relief_out -= units.number
    reversal = "reversal" in (entry.tags or ())
    events: list[_Event] = []
    date = entry.date
    if net > 0 and not reversal:
        events.append(_Event(date, "advance", net, entry, False))
    elif net < 0 and reversal and relief_in == 0:
        events.append(_Event(date, "advance", net, entry, True))
    elif net < 0:
        settled = min(relief_in, -net)
        if settled:
            events.append(_Event(date, "settle", settled, entry, reversal))
        if -net - settled:
            events.append(_Event(date, "recover", -net - settled, entry, reversal))
    elif net > 0:  # A reversal of a settlement or recovery puts the money back.
        settled = min(relief_out, net)
        if settled:
            events.append(_Event(date, "settle", -settled, entry, True))
        if net - settled:
            events.append(_Event(date, "recover", -(net - settled), entry, True))
    return events, info


def _linked(books: Books) -> Iterator[tuple[str, data.Transaction]]:
    """Yield (link, transaction) for every transaction with exactly one `^adv-` link."""
    for entry in books.index.transactions:
        if not entry.links:
            continue
        links = adv_links(entry)
        if len(links) == 1:
            yield links[0], entry


def _row(
    books: Books, link: str, events: list[_Event], place: accounts.AccountInfo | None
) -> AdvanceRow:
    advanced = settled = recovered = ZERO
    settled_on: datetime.date | None = None
    cleared_by = oversettled_by = None
    advance_entry: data.Transaction | None = None
    closer: data.Transaction | None = None
    for i, event in enumerate(events):
        if i == 0 or events[i - 1].date != event.date:
            closer = None
        if event.kind == "advance":
            advanced += event.amount
            if advance_entry is None and not event.reversal:
                advance_entry = event.entry
        elif event.kind == "settle":
            settled += event.amount
        else:
            recovered += event.amount
        if event.kind != "advance":
            closer = event.entry
        if i + 1 < len(events) and events[i + 1].date == event.date:
            continue  # Read the state at the end of the day only.
        left = advanced - settled - recovered
        if advanced > 0 and left <= 0:
            if settled_on is None:
                settled_on, cleared_by = event.date, closer or event.entry
        else:
            settled_on, cleared_by = None, None
        if left < 0:
            if oversettled_by is None:
                oversettled_by = closer or event.entry
        else:
            oversettled_by = None
    first = advance_entry or events[0].entry
    case = case_of(first) or next((c for e in events if (c := case_of(e.entry))), "")
    county = place.county if place else ""
    township = place.township if place else ""
    currency = _currency(first)
    date = advance_entry.date if advance_entry is not None else None
    due = None
    deadline = 0
    policy = ""
    if date is not None:
        setting = books.policy.setting("advance-deadline", county, date)
        deadline = int(setting.value)
        policy = setting.origin
        due = date + datetime.timedelta(days=deadline)
    return AdvanceRow(
        link=link,
        case=case or link[len(LINK_PREFIX) :],
        county=county,
        township=township,
        township_name=books.directory.township_name(county, township) if county else township,
        currency=currency,
        date=date,
        due=due,
        deadline=deadline,
        policy=policy,
        advanced=advanced,
        settled=settled,
        recovered=recovered,
        settled_on=settled_on,
        entry=first,
        cleared_by=cleared_by,
        oversettled_by=oversettled_by,
        as_of=books.as_of,
    )


def _currency(entry: data.Transaction) -> str:
    for posting in entry.postings:
        if is_advances_account(posting.account) and posting.units is not None:
            return str(posting.units.currency)
    return ""


def compute(books: Books) -> list[AdvanceRow]:
    """Return every advance of the books, uncached (see `all_advances`)."""
    events: dict[str, list[_Event]] = {}
    places: dict[str, accounts.AccountInfo | None] = {}
    for link, entry in _linked(books):
        found, info = _classify(entry)
        if not found:
            continue
        events.setdefault(link, []).extend(found)
        if places.get(link) is None:
            places[link] = info
    return [_row(books, link, found, places.get(link)) for link, found in events.items()]


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
