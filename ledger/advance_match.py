"""Matching advances by their `^adv-` link: the computation behind `ledger.advances`.

Per link the transactions touching `Assets:Advances` are classified by the sign of their net
advances posting: positive is an advance, negative a settlement (up to the relief expense the
transaction books) and a recovery (the rest). A `#reversal` undoes the kind it reverses. The
state is read at the end of each day, so the order of entries within one day (several files)
does not matter. One pass over the transactions and a dict keyed by link: 10,000 advances of
the same round amount cost no more than 10,000 different ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger.advance_rows import ANY
from ledger.advance_rows import PAID
from ledger.advance_rows import PAIR
from ledger.advance_rows import Event
from ledger.advance_rows import Rows
from ledger.advance_rows import events_of
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


def _role(account: str) -> int:
    """Return 1 for an advances account, 2 for a relief expense, 0 for any other."""
    if account.startswith(_UNDER) or account == ADVANCES:
        return 1
    return 2 if account.startswith("Expenses:Relief:") else 0


def _general(records: dict[str, list[Any]], link: str, record: list[Any]) -> list[Any]:
    """Return the link's record as an `ANY` record, turning a `PAID` or `PAIR` one."""
    if record[0] == ANY:
        return record
    general = records[link] = [ANY, events_of(record), (record[3], record[4])]
    return general


def compute(books: Books) -> list[AdvanceRow]:
    """Return every advance of the books, uncached (see `all_advances`)."""
    records: dict[str, list[Any]] = {}
    prefix = LINK_PREFIX
    roles: dict[str, int] = {}  # Accounts are few and repeat: each is classified once.
    # The linked transactions of the shared postings view (`books.postings`), not
    # `books.index`: matching must not wait for the full index.
    for entry in books.postings.linked:
        links = entry.links
        if len(links) == 1:
            (link,) = links
            if not link.startswith(prefix):
                continue
        else:
            found_links = [name for name in links if name.startswith(prefix)]
            if len(found_links) != 1:
                continue
            link = found_links[0]
        record = records.get(link)
        postings = entry.postings
        # The common cases, two postings and no tag, are read inline (speed matters on books
        # of many thousand advances); anything else goes through `_classify`.
        if len(postings) == 2 and not entry.tags:
            first, other = postings
            first_role = roles.get(first.account)
            if first_role is None:
                first_role = roles[first.account] = _role(first.account)
            other_role = roles.get(other.account)
            if other_role is None:
                other_role = roles[other.account] = _role(other.account)
            if other_role == 1:
                first, other = other, first
                first_role, other_role = other_role, first_role
            units = first.units
            if first_role == 1 and other_role != 1 and units is not None and units.number:
                number = units.number
                date = entry.date
                if record is None:
                    if number > ZERO:
                        records[link] = [PAID, entry, number, first.account, units.currency,
                                         date]
                        continue
                    record = records[link] = [ANY, [], (first.account, units.currency)]
                elif record[0] == PAID and number < ZERO and record[5] < date:
                    record += (entry, other_role == 2, -number, date)
                    record[0] = PAIR
                    continue
                else:
                    record = _general(records, link, record)
                    if record[2] is None:  # A link's place is its first advances posting.
                        record[2] = (first.account, units.currency)
                if number > ZERO:
                    record[1].append((date, "advance", number, entry, False))
                elif other_role == 2:
                    record[1].append((date, "settle", -number, entry, False))
                else:
                    record[1].append((date, "recover", -number, entry, False))
                continue
        if record is None:
            record = records[link] = [ANY, [], None]
        else:
            record = _general(records, link, record)
        _classify(entry, record[1])
        if record[2] is None:
            record[2] = _advance_posting(entry)
    return Rows(books).all(records)
