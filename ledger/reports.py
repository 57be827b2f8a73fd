"""Per-township reports over a date range (SPEC §8), for `reserve report` and Fava.

`township_report(books, start, end)` walks the transactions dated on or before `end` once:
balances (reserve and cash, advances, in transit) run from the beginning; flows (allocations,
returns, relief expense, use) and disbursements count inside the range. A disbursement is in
effect unless a `#reversal` or a bank return (`bank-status: "returned"`) dated on or before
`end` cancels it, so a closed year's report does not change. Definitions: docs/reports.md.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger import advances
from ledger import books as books_mod
from ledger.disbursement import Disbursement
from ledger.report_rows import ZERO
from ledger.report_rows import Report
from ledger.report_rows import Row
from ledger.report_rows import Tally

CITY_NAME = "全市"
_Key = tuple[str, str]


def year_report(books: books_mod.Books, year: int) -> Report:
    """Return the report of a calendar year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return township_report(books, start, end, label=str(year))


def period_bounds(period: str) -> tuple[datetime.date, datetime.date] | None:
    """Return the first and last day of a `period` ("2025" or "2025Q2"), None if malformed."""
    year_text, _, quarter_text = period.partition("Q")
    if not (year_text.isdigit() and len(year_text) == 4):
        return None
    year = int(year_text)
    if not quarter_text:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if quarter_text not in ("1", "2", "3", "4"):
        return None
    last_month = 3 * int(quarter_text)
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, last_month - 2, 1), datetime.date(year, last_month, last_day)


def allocation_date(entry: data.Transaction) -> datetime.date:
    """Return the date an allocation or return counts on: its date, clamped into its period.

    A return booked in January for the year before counts on that year's last day; an
    allocation booked in December for the next year on that year's first day.
    """
    period = entry.meta.get("period")
    bounds = period_bounds(str(period)) if period is not None else None
    if bounds is None:
        return entry.date
    return min(max(entry.date, bounds[0]), bounds[1])


class _Walk:
    """One pass over the transactions, filling a tally per township."""

    def __init__(self, books: books_mod.Books, start: datetime.date, end: datetime.date):
        self.start, self.end = start, end
        self.currency = (books.options.get("operating_currency") or ["CNY"])[0]
        self.tallies: dict[_Key, Tally] = defaultdict(Tally)
        for key in books.directory.townships:
            self.tallies[key] = Tally()
        # (batch, case) of money sent to the bank -> True if it left a township's own money.
        self.transit_origin: dict[tuple[str, str], bool] = {}

    def transaction(self, entry: data.Transaction) -> None:
        inside = self.start <= entry.date <= self.end
        tags = entry.tags or frozenset()
        moves = "allocation" in tags or "reserve-return" in tags
        flow_inside = self.start <= allocation_date(entry) <= self.end if moves else inside
        own: set[_Key] = set()
        transit_from: set[_Key] = set()
        relief: dict[_Key, Decimal] = defaultdict(Decimal)
        for posting in entry.postings:
            info = accounts.parse(posting.account)
            units = posting.units
            if info is None or units is None or units.number is None:
                continue
            if units.currency != self.currency or not info.township:
                continue
            key, number = (info.county, info.township), units.number
            tally = self.tallies[key]
            if info.role in ("reserve", "cash"):
                tally.balance += number
                own.add(key)
                if info.role == "reserve" and flow_inside and moves:
                    if "allocation" in tags:
                        tally.allocated += number
                    else:
                        tally.returned -= number
            elif info.role == "advances":
                tally.advances += number
                relief[key] += number
            elif info.role == "intransit":
                tally.in_transit += number
                if number < 0:
                    transit_from.add(key)
            elif info.role == "relief":
                relief[key] += number
                if inside:
                    tally.add_relief(info.procedure, number)
        self._record_transit(entry, own)
        if inside:
            for key, number in relief.items():
                if key in own or (key in transit_from and self._own_transit(entry)):
                    self.tallies[key].used += number

    def late_move(self, entry: data.Transaction) -> None:
        """Count an allocation or return booked after the range for a period inside it."""
        tags = entry.tags or frozenset()
        if not ("allocation" in tags or "reserve-return" in tags):
            return
        if not self.start <= allocation_date(entry) <= self.end:
            return
        for posting in entry.postings:
            info = accounts.parse(posting.account)
            units = posting.units
            if info is None or info.role != "reserve" or units is None or units.number is None:
                continue
            if units.currency != self.currency:
                continue
            tally = self.tallies[(info.county, info.township)]
            if "allocation" in tags:
                tally.allocated += units.number
            else:
                tally.returned -= units.number

    def _transit_key(self, entry: data.Transaction) -> tuple[str, str]:
        return (str(entry.meta.get("batch", "")), str(entry.meta.get("case", "")))

    def _record_transit(self, entry: data.Transaction, own: set[_Key]) -> None:
        for posting in entry.postings:
            number = posting.units.number if posting.units is not None else None
            if posting.account.startswith("Assets:InTransit:") and number and number > 0:
                self.transit_origin[self._transit_key(entry)] = bool(own)
                return

    def _own_transit(self, entry: data.Transaction) -> bool:
        found = self.transit_origin.get(self._transit_key(entry))
        if found is not None:
            return found
        # Unknown origin: general relief is paid by the county (SPEC §1), the rest by the
        # township.
        return not any(p.account.startswith("Expenses:Relief:") and
                       p.account.endswith(":General") for p in entry.postings)


def _cancelled(view: books_mod.Books) -> set[int]:
    """Return the ids of the disbursements reversed or returned by entries up to the end."""
    index = view.index
    gone: set[int] = set()
    for d in index.disbursements:
        if (d.date.isoformat(), d.case) in index.reversed:
            gone.add(id(d))
    by_case: dict[tuple[str, str], list[Disbursement]] = defaultdict(list)
    for d in index.disbursements:
        by_case[(d.county, d.case)].append(d)
    for entry in index.transactions:
        if entry.meta.get("bank-status") != "returned":
            continue
        batch = str(entry.meta.get("batch", ""))
        for county in _counties_returned(entry):
            candidates = [
                d
                for d in by_case.get((county, str(entry.meta.get("case", ""))), [])
                if d.date <= entry.date
                and id(d) not in gone
                and not d.settlement
                and (not batch or str(d.meta.get("batch", batch)) == batch)
            ]
            if candidates:
                gone.add(id(candidates[-1]))
    return gone


def _counties_returned(entry: data.Transaction) -> set[str]:
    found = set()
    for posting in entry.postings:
        info = accounts.parse(posting.account)
        number = posting.units.number if posting.units is not None else None
        if info and info.role in ("relief", "advances") and number is not None and number < 0:
            found.add(info.county)
    return found


def _count_disbursements(walk: _Walk, view: books_mod.Books) -> None:
    gone = _cancelled(view)
    # What was recovered of each advance by the end of the period (its first transaction).
    recovered = {id(row.entry): row.recovered for row in advances.all_advances(view)}
    for d in view.index.disbursements:
        if not walk.start <= d.date <= walk.end or d.settlement or id(d) in gone:
            continue
        if "reversal" in (d.entry.tags or ()) or d.currency != walk.currency:
            continue
        tally = walk.tallies[(d.county, d.township)]
        tally.person_times += 1
        # An advance counts net of what was recovered of it: the money that stayed given.
        back = recovered.pop(id(d.entry), ZERO) if d.is_advance else ZERO
        tally.disbursed += max(d.amount - back, ZERO)
        if d.recipient:
            tally.recipients.add(d.recipient)
        applied = _applied(d)
        if applied is not None and applied <= d.date:
            tally.days.append((d.date - applied).days)


def _applied(d: Disbursement) -> datetime.date | None:
    """Return a payment's `applied` date; an advance's may be on its settlement.

    An advance and its settlement are one payment, made on the advance's date; the approval
    keys, `applied` among them, are often written only when the paperwork is completed.
    """
    applied: Any = d.meta.get("applied")
    if isinstance(applied, datetime.date):
        return applied
    if d.is_advance and d.group is not None:
        for later in d.group.payments:
            written: Any = later.meta.get("applied")
            if later.settlement and isinstance(written, datetime.date):
                return written
    return None


def township_report(
    books: books_mod.Books,
    start: datetime.date,
    end: datetime.date,
    label: str | None = None,
) -> Report:
    """Return the per-township report of the range start..end (both included).

    Args:
      books: loaded books (their audit date does not matter: the range decides).
      start: the first day of the range.
      end: the last day of the range (Fava passes its selected time range).
      label: how the range is named ("2025"); by default "start..end".

    """
    view = books_mod.Books(books.entries, books.options, end, books.main_file)
    walk = _Walk(view, start, end)
    for entry in books.entries:
        if not isinstance(entry, data.Transaction):
            continue
        if entry.date <= end:
            walk.transaction(entry)
        else:
            walk.late_move(entry)
    _count_disbursements(walk, view)
    directory = view.directory
    townships = tuple(
        Row.of(c, t, directory.township_name(c, t), walk.tallies[(c, t)])
        for c, t in sorted(walk.tallies)
    )
    counties = []
    city = Tally()
    for county in sorted({c for c, _ in walk.tallies}):
        total = Tally()
        for (c, _), tally in sorted(walk.tallies.items()):
            if c == county:
                total.merge(tally)
        city.merge(total)
        counties.append(Row.of(county, "", directory.county_name(county), total))
    return Report(
        start=start,
        end=end,
        label=label or f"{start.isoformat()}..{end.isoformat()}",
        currency=walk.currency,
        townships=townships,
        counties=tuple(counties),
        city=Row.of("", "", CITY_NAME, city),
    )
