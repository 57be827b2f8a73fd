"""Matching advances by their `^adv-` link: the computation behind `ledger.advances`.

Per link the transactions touching `Assets:Advances` are classified by the sign of their net
advances posting: positive is an advance, negative a settlement (up to the relief expense the
transaction books) and a recovery (the rest). A `#reversal` undoes the kind it reverses. The
state is read at the end of each day, so the order of entries within one day (several files)
does not matter. One pass over the transactions and a dict keyed by link: 10,000 advances of
the same round amount cost no more than 10,000 different ones.

The usual advance (one transaction of two postings pays it, one later transaction settles or
recovers all of it) is matched inline and gets its row as soon as it is cleared; anything
else goes through its events (`_add`, `ledger.advance_rows`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from typing import cast

from beancount.core import data

from ledger.advance_rows import Event
from ledger.advance_rows import Rows
from ledger.advances import ADVANCES
from ledger.advances import LINK_PREFIX
from ledger.advances import AdvanceRow
from ledger.books import Books

ZERO = Decimal(0)
_UNDER = ADVANCES + ":"


def _classify(entry: data.Transaction, events: list[Event]) -> None:
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


def _shape(first: str, other: str) -> int:
    """Return how a two-posting transaction touches `Assets:Advances`, by its accounts.

    0: not through one advances posting (none, or both); else 1 or 2: the first posting is the
    advances posting and the other a relief expense (1) or any other account (2); 3 or 4: the
    same with the postings the other way round.
    """
    first_in, other_in = _is_advances(first), _is_advances(other)
    if first_in == other_in:
        return 0
    relief = (other if first_in else first).startswith("Expenses:Relief:")
    return (1 if first_in else 3) + (0 if relief else 1)


def _is_advances(account: str) -> bool:
    """Return True for `Assets:Advances` and the accounts under it."""
    return account.startswith(_UNDER) or account == ADVANCES


def _general(records: dict[str, Any], link: str, record: Any) -> list[Any]:
    """Return the link's record as a list of events (a new one for a link not met yet)."""
    if record.__class__ is list:
        return record
    if record is None:
        events: list[Event] = []
    elif record.__class__ is AdvanceRow:  # Made while matching: cleared by its closer.
        entry, closer = record.entry, cast(data.Transaction, record.cleared_by)
        number, settled = record.advanced, record.settled
        kind, amount = ("settle", settled) if settled else ("recover", record.recovered)
        events = [(entry.date, "advance", number, entry, False),
                  (closer.date, kind, amount, closer, False)]
    else:
        _, _, number, entry = record
        events = [(entry.date, "advance", number, entry, False)]
    general = records[link] = [events, None if record is None else _advance_posting(entry)]
    return general


def _add(
    records: dict[str, Any],
    link: str,
    entry: data.Transaction,
    plain: tuple[str, str, Decimal, int] | None = None,
) -> None:
    """Add a transaction's events to its link's record, as anything but the usual advance.

    `plain` is, for a transaction of two postings and no tag that moves a nonzero amount
    through one advances posting, that posting's account, currency and number, and the
    transaction's shape (`_shape`): its one event is that amount.
    """
    record = _general(records, link, records.get(link))
    if plain is None:
        _classify(entry, record[0])
        if record[1] is None:  # A link's place is its first advances posting.
            record[1] = _advance_posting(entry)
        return
    account, currency, number, shape = plain
    if record[1] is None:
        record[1] = (account, currency)
    if number > ZERO:
        record[0].append((entry.date, "advance", number, entry, False))
    else:
        kind = "settle" if shape & 1 else "recover"  # 1 and 3: the other is a relief expense.
        record[0].append((entry.date, kind, -number, entry, False))


def _adv_link(links: frozenset[str]) -> str | None:
    """Return the one `^adv-` link of a transaction, or None (none, or several)."""
    found = [name for name in links if name.startswith(LINK_PREFIX)]
    return found[0] if len(found) == 1 else None


def compute(books: Books) -> list[AdvanceRow]:
    """Return every advance of the books, uncached (see `all_advances`).

    The common transactions (one link, two postings, no tag) are read inline, in as few
    steps as can be: on books of many thousand advances each step counts, and the walk is
    bound by memory too (a transaction's link, postings, amount, date and metadata are each
    a cache miss on first touch). A plain advance is kept as `(case, where, advanced,
    transaction)`; the transaction that clears it makes its row at once, while both are at
    hand (a record read again at the end to make the row cost 9 ms more at 10,000 advances,
    measured).
    """
    records: dict[str, Any] = {}
    rows = Rows(books)
    known = rows.known
    as_of = books.as_of
    row_class = AdvanceRow
    new_row = tuple.__new__  # Skips the named-argument constructor of the NamedTuple.
    prefix = LINK_PREFIX
    shapes: dict[tuple[str, str], int] = {}  # Accounts are few and repeat: each pair once.
    # The transactions of the shared postings view (`books.postings`), not `books.index`:
    # matching must not wait for the full index. Those without a link are skipped here, in
    # this walk, not by a walk of their own (`books.postings.linked`: 2.5 ms more on 20,000
    # transactions, measured).
    for entry in books.postings.transactions:
        links = entry.links
        if not links:
            continue
        try:
            # The link and the two postings in one statement, no sizes asked first: 2 ms
            # less on 20,000 transactions (measured). Any other shape raises, at no cost
            # to the common one.
            (link,), (first, other) = links, entry.postings
        except ValueError:  # Several links, or not two postings.
            found = _adv_link(links)
            if found is None:
                continue
            link = found
            if len(entry.postings) != 2:
                _add(records, link, entry)
                continue
            first, other = entry.postings
        record = records.get(link)
        if record is None and not link.startswith(prefix):  # Records are of `^adv-` links.
            continue
        if entry.tags:
            _add(records, link, entry)
            continue
        accounts = (first.account, other.account)
        shape = shapes.get(accounts)
        if shape is None:
            shape = shapes[accounts] = _shape(*accounts)
        if shape > 2:
            first = other
        units = first.units
        if not shape or units is None or not units.number:
            _add(records, link, entry)
            continue
        number = units.number
        date = entry.date
        if record is None:
            if number > ZERO:
                case = entry.meta.get("case")
                if case.__class__ is str and case:  # Else the case is looked for further.
                    key = (first.account, units.currency, date)
                    where = known.get(key) or rows.where(key)
                    records[link] = (case, where, number, entry)
                    continue
        elif record.__class__ is tuple and number < ZERO:
            case, where, advanced, advance = record
            county, township, name, currency, paid_on, due, deadline, policy = where
            amount = -number
            if paid_on < date and amount >= advanced:  # The usual advance, cleared: its row.
                settle = shape & 1  # 1 and 3: the other posting is a relief expense.
                records[link] = new_row(row_class, (
                    link,
                    case,
                    county,
                    township,
                    name,
                    currency,
                    paid_on,
                    due,
                    deadline,
                    policy,
                    advanced,
                    amount if settle else ZERO,
                    ZERO if settle else amount,
                    date,
                    advance,
                    entry,
                    entry if amount > advanced else None,  # Oversettled.
                    as_of,
                ))
                continue
        _add(records, link, entry, (first.account, units.currency, number, shape))
    return rows.all(records)
