"""The rows of `ledger.advances` from the records `ledger.advance_match` keeps per link.

While matching reads the transactions, each `^adv-` link has a record (below). At the end,
`Rows.all` turns every record into an `AdvanceRow`: the usual advance (paid one day, settled
or recovered later) directly, any other through its events, read day by day. Places, Chinese
names and deadlines are looked up once per account and day (advances share both).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger.advances import LINK_PREFIX
from ledger.advances import AdvanceRow
from ledger.books import Books
from ledger.index import case_of

ZERO = Decimal(0)

#: An event of one link: (date, kind, amount, transaction, is a reversal).
Event = tuple[datetime.date, str, Decimal, data.Transaction, bool]

# A link's record while the transactions are read, by its first item:
#   PAID: one plain advance so far: [PAID, entry, number, account, currency, date];
#   PAIR: that advance and one later settlement or recovery: the same, then
#          closer, is a settlement, amount, date;
#   ANY: anything else, as events: [ANY, events, place (first advances posting) or None].
ANY, PAID, PAIR = 0, 1, 2


def events_of(record: list[Any]) -> list[Event]:
    """Return the events of a `PAID` or `PAIR` record."""
    events: list[Event] = [(record[5], "advance", record[2], record[1], False)]
    if record[0] == PAIR:
        kind = "settle" if record[7] else "recover"
        events.append((record[9], kind, record[8], record[6], False))
    return events


class Rows:
    """Builds rows, caching places, names and deadlines (advances share days and places)."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.places: dict[str, tuple[str, str, str]] = {}
        self.deadlines: dict[tuple[str, datetime.date], tuple[int, str, datetime.date]] = {}
        #: (advances account, date) -> its place and deadline, for the usual advance.
        self.where: dict[tuple[str, datetime.date], tuple[str, str, str, int, str, Any]] = {}

    def deadline(self, county: str, date: datetime.date) -> tuple[int, str, datetime.date]:
        """Return the `advance-deadline` days, its origin and the due date of an advance."""
        key = (county, date)
        found = self.deadlines.get(key)
        if found is None:
            setting = self.books.policy.setting("advance-deadline", county, date)
            days = int(setting.value)
            found = (days, setting.origin, date + datetime.timedelta(days=days))
            self.deadlines[key] = found
        return found

    def place(self, account: str) -> tuple[str, str, str]:
        """Return the county, township and Chinese name of an advances account."""
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

    def row(self, link: str, events: list[Event], place: tuple[str, str]) -> AdvanceRow:
        """Return the row of a link from its events, read day by day."""
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

        The usual advance (paid one day, settled or recovered later: a `PAIR` record) is
        built here, in place, as `make` would build it: most advances are this one, and at
        ten thousand advances each call saved per row counts.
        """
        rows: list[AdvanceRow] = []
        where = self.where
        as_of = self.books.as_of
        new_row = tuple.__new__  # Skips the named-argument constructor of the NamedTuple.
        for link, record in records.items():
            state = record[0]
            if state != PAIR:
                if state == PAID:
                    events = events_of(record)
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
        events: list[Event],
        place: tuple[str, str],
        advance_entry: data.Transaction | None,
        totals: tuple[Decimal, Decimal, Decimal],
        cleared: tuple[Any, Any, Any] = (None, None, None),
    ) -> AdvanceRow:
        """Return a row from its totals and (settled on, cleared by, oversettled by)."""
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
