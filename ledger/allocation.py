"""Planning a year's reserve allocations (SPEC §1, §3, §4): `reserve allocate`.

One transaction per township (or per township and quarter) moves money from
`Assets:Treasury:<C>` to `Assets:Reserve:<C>:<T>`, tagged `#allocation`, with `period:
"2025"` or `"2025Q2"`. Amounts are a fixed sum, a population share of a total (rounded to the
fen, clamped to the `reserve-allocation` range in force on 31 December of the year, the
remainder reported), or by default the range's minimum. A plan is refused (`AllocationError`)
when a selected township already has an allocation of that year, the date is on or before
the latest seal, or an account is not open yet. The entries are text; the command writes
them with `ledger.bookfile`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import ROUND_DOWN
from decimal import ROUND_HALF_UP
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from ledger import accounts
from ledger import reports
from ledger import seal as seal_mod
from ledger.books import Books
from ledger.directory import Township

CENT = Decimal("0.01")
QUARTER_MONTHS = (1, 4, 7, 10)


class AllocationError(Exception):
    """The allocation cannot be planned: the message says why and where."""


@dataclasses.dataclass(frozen=True)
class Allocation:
    """One transfer from a county treasury to a township reserve."""

    township: Township
    county_name: str
    period: str
    date: datetime.date
    amount: Decimal
    currency: str

    def text(self) -> str:
        """Return the transaction as Beancount text."""
        year, _, quarter = self.period.partition("Q")
        when = f"{year}年第{quarter}季度" if quarter else f"{year}年"
        t = self.township
        return "\n".join(
            [
                f'{self.date.isoformat()} * "{_clean(self.county_name)}" '
                f'"{when}备用金拨付 {_clean(t.name)}" #allocation',
                f'  period: "{self.period}"',
                f"  {accounts.account_for('treasury', t.county)}  "
                f"-{self.amount:.2f} {self.currency}",
                f"  {t.reserve}  {self.amount:.2f} {self.currency}",
            ]
        ) + "\n"


@dataclasses.dataclass(frozen=True)
class Plan:
    """The allocations of one run, and what the population split left over."""

    year: int
    allocations: tuple[Allocation, ...]
    total: Decimal | None
    remainder: Decimal | None

    @property
    def path(self) -> Path:
        """Return the per-year file, relative to the main file's folder."""
        return Path(str(self.year)) / "allocations.beancount"

    def text(self) -> str:
        """Return every allocation as Beancount text, one blank line apart."""
        return "\n".join(a.text() for a in self.allocations)

    @property
    def allocated(self) -> Decimal:
        """Return the sum of the allocations."""
        return sum((a.amount for a in self.allocations), Decimal(0))


def _clean(text: str) -> str:
    return text.replace("\\", "").replace('"', "")


def _year_of(entry: data.Transaction) -> int:
    return reports.allocation_date(entry).year


def _existing(books: Books, year: int, townships: Sequence[Township]) -> str | None:
    """Return "file:line (period)" of an allocation of the year to a selected township."""
    reserves = {t.reserve for t in townships}
    for entry in books.entries:
        if not isinstance(entry, data.Transaction) or "allocation" not in (entry.tags or ()):
            continue
        if _year_of(entry) != year:
            continue
        if any(p.account in reserves for p in entry.postings):
            period = entry.meta.get("period", entry.date.isoformat())
            return f"{entry.meta.get('filename')}:{entry.meta.get('lineno')} (period {period})"
    return None


def _check_open(books: Books, township: Township, first: datetime.date) -> None:
    opens = books.directory.opens
    for account in (accounts.account_for("treasury", township.county), township.reserve):
        entry = opens.get(account)
        if entry is None:
            raise AllocationError(f"{account} is not opened in the books")
        if entry.date > first:
            raise AllocationError(
                f"{account} is opened on {entry.date}, after the allocation date {first}"
            )


def select(books: Books, counties: Sequence[str]) -> list[Township]:
    """Return the townships of the chosen counties (all when none is chosen)."""
    directory = books.directory
    unknown = [c for c in counties if c not in directory.counties]
    if unknown:
        known = ", ".join(sorted(directory.counties)) or "none"
        raise AllocationError(f"--county {unknown[0]}: not a county of the books ({known})")
    chosen = [t for _, t in sorted(directory.townships.items())]
    if counties:
        chosen = [t for t in chosen if t.county in counties]
    if not chosen:
        raise AllocationError("the books have no township (no Assets:Reserve account)")
    return chosen


def _amounts(
    books: Books,
    year: int,
    townships: Sequence[Township],
    amount: Decimal | None,
    by_population: Decimal | None,
) -> tuple[list[Decimal], Decimal | None]:
    """Return each township's amount for the year and the population remainder."""
    policy_day = datetime.date(year, 12, 31)
    ranges = []
    for t in townships:
        setting = books.policy.setting("reserve-allocation", t.county, policy_day)
        ranges.append((Decimal(setting.values[0]), Decimal(setting.values[1]), setting.origin))
    if by_population is not None:
        missing = [t for t in townships if not t.population]
        if missing:
            raise AllocationError(
                f"{missing[0].reserve} ({missing[0].name}) has no population in its open entry"
            )
        people = sum(t.population or 0 for t in townships)
        shares = []
        for t, (low, high, _) in zip(townships, ranges, strict=True):
            share = (by_population * (t.population or 0) / people).quantize(CENT, ROUND_HALF_UP)
            shares.append(min(max(share, low), high))
        return shares, by_population - sum(shares, Decimal(0))
    if amount is None:
        return [low for low, _, _ in ranges], None
    for t, (low, high, origin) in zip(townships, ranges, strict=True):
        if not low <= amount <= high:
            raise AllocationError(
                f"--amount {amount:.2f} is outside the range {low:.2f}-{high:.2f} for "
                f"{t.county} ({origin})"
            )
    return [amount for _ in townships], None


def _quarters(year: int, total: Decimal) -> list[tuple[str, datetime.date, Decimal]]:
    part = (total / 4).quantize(CENT, ROUND_DOWN)
    amounts = [part, part, part, total - 3 * part]
    return [
        (f"{year}Q{i + 1}", datetime.date(year, month, 1), amounts[i])
        for i, month in enumerate(QUARTER_MONTHS)
    ]


def plan(
    books: Books,
    year: int,
    *,
    amount: Decimal | None = None,
    by_population: Decimal | None = None,
    quarterly: bool = False,
    on: datetime.date | None = None,
    counties: Sequence[str] = (),
) -> Plan:
    """Return the allocations of a year, or raise `AllocationError` saying why not.

    Args:
      books: the loaded books.
      year: the calendar year allocated.
      amount: the same yearly amount for every township.
      by_population: a yearly total split by the townships' population.
      quarterly: four transfers per township, on each quarter's first day.
      on: the date of a yearly allocation (default 1 January).
      counties: only these counties' townships (default every county).
    """
    if amount is not None and by_population is not None:
        raise AllocationError("give --amount or --by-population, not both")
    if quarterly and on is not None:
        raise AllocationError("--date does not apply to --quarterly (each quarter's first day)")
    for name, value in (("--amount", amount), ("--by-population", by_population)):
        if value is not None and (value <= 0 or value != value.quantize(CENT)):
            raise AllocationError(f"{name} {value}: not a positive amount with 2 decimals")
    townships = select(books, counties)
    first = on or datetime.date(year, 1, 1)
    if first.year != year:
        raise AllocationError(f"--date {first}: not in the year {year}")
    latest = seal_mod.latest_seal(books.entries)
    if latest is not None and first <= latest[0]:
        raise AllocationError(
            f"the books are sealed through {latest[0]}: no entry dated {first} may be added"
        )
    found = _existing(books, year, townships)
    if found is not None:
        raise AllocationError(f"{year} is already allocated: {found}")
    for t in townships:
        _check_open(books, t, first)
    yearly, remainder = _amounts(books, year, townships, amount, by_population)
    currency = (books.options.get("operating_currency") or ["CNY"])[0]
    made = []
    for t, total in zip(townships, yearly, strict=True):
        county_name = books.directory.county_name(t.county)
        parts = _quarters(year, total) if quarterly else [(str(year), first, total)]
        for period, day, value in parts:
            made.append(Allocation(t, county_name, period, day, value, currency))
    made.sort(key=lambda a: (a.date, a.township.county, a.township.township))
    return Plan(year, tuple(made), by_population, remainder)
