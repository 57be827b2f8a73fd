"""Matching advances by their `^adv-` link: the computation behind `ledger.advances`.

Per link the transactions touching `Assets:Advances` are classified by the sign of their net
advances posting: positive is an advance, negative a settlement (up to the relief expense the
transaction books) and a recovery (the rest). A `#reversal` undoes the kind it reverses. The
state is read at the end of each day, so the order of entries within one day (several files)
does not matter. One pass over the transactions and a dict keyed by link: 10,000 advances of
the same round amount cost no more than 10,000 different ones.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger.advances import ADVANCES
from ledger.advances import LINK_PREFIX
from ledger.advances import AdvanceRow
from ledger.books import Books
from ledger.index import case_of

ZERO = Decimal(0)
_UNDER = ADVANCES + ":"

# An event of one link: (date, kind, amount, transaction, is a reversal).
_Event = tuple[datetime.date, str, Decimal, data.Transaction, bool]


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
        #: (advances account, date) -> its place and deadline, for the usual advance.
        self.where: dict[tuple[str, datetime.date], tuple[str, str, str, int, str, Any]] = {}

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

    def all(self, records: dict[str, list[Any]]) -> list[AdvanceRow]:
        """Return the row of every link with events, in the order the links were met.

        The usual advance (paid one day, settled or recovered later: a `_PAIR` record) is
        built here, in place, as `make` would build it: most advances are this one, and at
        ten thousand advances each call saved per row counts.
        """
        rows: list[AdvanceRow] = []
        where = self.where
        as_of = self.books.as_of
        new_row = tuple.__new__  # Skips the named-argument constructor of the NamedTuple.
        for link, record in records.items():
            state = record[0]
            if state != _PAIR:
                if state == _PAID:
                    events = _events(record)
                    place = (record[3], record[4])
                else:
                    events, place = record[1], record[2] or ("", "")
                if events:
                    rows.append(self.row(link, events, place))
                continue
            _, entry, advanced, account, currency, paid_on, closer, settled, number, day = record
            key = (account, paid_on)
            known = where.get(key)
            if known is None:
                county, township, name = self.place(account)
                known = where[key] = (county, township, name, *self.deadline(county, paid_on))
            county, township, name, deadline, policy, due = known
            left = advanced - number
            cleared = left <= ZERO
            case = entry.meta.get("case")
            if case.__class__ is not str or not case:  # Else as `make`: the first case found.
                case = case_of(entry) or case_of(closer) or link[len(LINK_PREFIX) :]
            rows.append(new_row(AdvanceRow, (
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
                number if settled else ZERO,
                ZERO if settled else number,
                day if cleared else None,
                entry,
                closer if cleared else None,
                closer if left < ZERO else None,
                as_of,
            )))
        return rows

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


def _role(account: str) -> int:
    """Return 1 for an advances account, 2 for a relief expense, 0 for any other."""
    if account.startswith(_UNDER) or account == ADVANCES:
        return 1
    return 2 if account.startswith("Expenses:Relief:") else 0


# A link's record while the transactions are read, by its first item:
#   _PAID: one plain advance so far: [_PAID, entry, number, account, currency, date];
#   _PAIR: that advance and one later settlement or recovery: the same, then
#          closer, is a settlement, amount, date;
#   _ANY: anything else, as events: [_ANY, events, place (first advances posting) or None].
_ANY, _PAID, _PAIR = 0, 1, 2


def _events(record: list[Any]) -> list[_Event]:
    """Return the events of a `_PAID` or `_PAIR` record."""
    events: list[_Event] = [(record[5], "advance", record[2], record[1], False)]
    if record[0] == _PAIR:
        kind = "settle" if record[7] else "recover"
        events.append((record[9], kind, record[8], record[6], False))
    return events


def _general(records: dict[str, list[Any]], link: str, record: list[Any]) -> list[Any]:
    """Return the link's record as an `_ANY` record, turning a `_PAID` or `_PAIR` one."""
    if record[0] == _ANY:
        return record
    general = records[link] = [_ANY, _events(record), (record[3], record[4])]
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
                        records[link] = [_PAID, entry, number, first.account, units.currency,
                                         date]
                        continue
                    record = records[link] = [_ANY, [], (first.account, units.currency)]
                elif record[0] == _PAID and number < ZERO and record[5] < date:
                    record += (entry, other_role == 2, -number, date)
                    record[0] = _PAIR
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
            record = records[link] = [_ANY, [], None]
        else:
            record = _general(records, link, record)
        _classify(entry, record[1])
        if record[2] is None:
            record[2] = _advance_posting(entry)
    return _Rows(books).all(records)
