"""The rows of `ledger.advances` from the records `ledger.advance_match` keeps per link.

While matching reads the transactions, each `^adv-` link has a record (below). The usual
advance (paid one day, cleared by one settlement or recovery later) gets its row as soon as it
is cleared; at the end, `Rows.all` turns every other record into an `AdvanceRow`: a lone
advance directly, anything else through its events, read day by day. Places, Chinese names
and deadlines are looked up once per account and day (advances share both).
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
from ledger.disbursement import case_of

ZERO = Decimal(0)

#: An event of one link: (date, kind, amount, transaction, is a reversal).
Event = tuple[datetime.date, str, Decimal, data.Transaction, bool]

#: Where and when an advance was paid, fields 3 to 10 of its row: county, township, township
#: name, currency, date, due, deadline, policy (`Rows.where`).
Where = tuple[str, str, str, str, datetime.date, datetime.date, int, str]

# A link's record while the transactions are read, told apart by its class:
#   tuple: one plain advance so far, `(case, where, advanced, entry)` (`Where`, amount and
#          transaction of the advance);
#   AdvanceRow: that advance and one later settlement or recovery that clears it: its row;
#   list: anything else, as events: `[events, place]` (the account and currency of the
#          link's first advances posting, or None).


class Rows:
    """Builds rows, caching places, names and deadlines (advances share days and places)."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.places: dict[str, tuple[str, str, str]] = {}
        self.deadlines: dict[tuple[str, datetime.date], tuple[int, str, datetime.date]] = {}
        #: (advances account, currency, date) -> `Where`, for the usual advance.
        self.known: dict[tuple[str, str, datetime.date], Where] = {}

    def where(self, key: tuple[str, str, datetime.date]) -> Where:
        """Return (and keep) the `Where` of an advance paid into an account on a day."""
        account, currency, date = key
        county, township, name = self.place(account)
        deadline, policy, due = self.deadline(county, date)
        found = self.known[key] = (county, township, name, currency, date, due, deadline, policy)
        return found

    def deadline(self, county: str, date: datetime.date) -> tuple[int, str, datetime.date]:
        """Return the `advance-deadline` days, its origin and the due date of an advance."""
        key = (county, date)
        found = self.deadlines.get(key)
        if found is None:
            setting = self.books.policy.setting("advance-deadline", county, date)
            days = int(setting.value)
            due = date + datetime.timedelta(days=days)
            found = self.deadlines[key] = (days, setting.origin, due)
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

    def all(self, records: dict[str, Any]) -> list[AdvanceRow]:
        """Return the row of every link with events, in the order the links were met.

        Most records are rows already (the usual advance, made while matching): the values
        are taken as one list and the classes found in C, so that only the other records
        are looked at in Python (a Python loop over ten thousand records cost 1.4 ms more).
        """
        rows: list[Any] = list(records.values())
        kinds = list(map(type, rows))
        if kinds.count(AdvanceRow) == len(rows):
            return rows
        as_of = self.books.as_of
        empty = False
        for i, (link, kind) in enumerate(zip(records, kinds, strict=True)):
            if kind is tuple:  # A lone advance, outstanding: as `make` would build it.
                case, where, advanced, entry = rows[i]
                rows[i] = tuple.__new__(AdvanceRow, (link, case, *where, advanced, ZERO, ZERO,
                                                     None, entry, None, None, as_of))
            elif kind is list:
                events, place = rows[i]
                if events:
                    rows[i] = self.row(link, events, place or ("", ""))
                else:  # A link whose transactions moved nothing: no row.
                    rows[i] = None
                    empty = True
        return [row for row in rows if row is not None] if empty else rows

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
