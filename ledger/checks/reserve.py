"""Township reserves: allocation range, overdraft, misuse, open suspense, idle money.

Codes: ALLOCATION-RANGE, RESERVE-OVERDRAWN, RESERVE-MISUSE, SUSPENSE-OPEN, RESERVE-IDLE.
The county pays each township a yearly emergency reserve (备用金) within a range set by
policy; the township pays small and emergency relief out of it (SPEC §1, §3). These checks
make sure the reserve was allocated as the policy says, never ran into the red, paid nothing
but relief, and was not left idle, and that no money sits unexplained in suspense. The years
and their policy date are those of `ledger.allocations`; balances are end-of-day
(`ledger.balances`); outflows are judged by `ledger.outflows`. Account-level findings
(RESERVE-OVERDRAWN, SUSPENSE-OPEN, and RESERVE-MISUSE besides its case) are explained by
naming the account; year-level ones (ALLOCATION-RANGE, RESERVE-IDLE) by the reserve account
(every year) or "<reserve account> <year>" (that year; `Finding.subjects`). Two accounts
overdrawn at one entry, or two townships misusing money in one transaction, are two findings
here; the audit merges them into one naming both (`ledger.findings.unique`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ledger import accounts
from ledger import allocations
from ledger import balances as balances_mod
from ledger import outflows
from ledger.allocations import TownshipYears
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location

ZERO = Decimal(0)


def _money(amount: Decimal, currency: str) -> str:
    return f"{format_amount(amount)} {currency}"


def _year_finding(
    books: Books, place: TownshipYears, code: str, year: int, amount: Decimal, text: str
) -> Finding:
    """Return a township-year finding located at the township's reserve `open`."""
    directory = books.directory
    township = directory.townships.get((place.county, place.township))
    opened = directory.opens.get(place.account)
    meta: Any = (
        opened.meta if opened is not None else getattr(place.first_entry, "meta", None)
    )
    file, line = location(meta)
    name = township.name if township is not None else place.township
    return Finding(
        code=code,
        message=f"{code} {name} {year}: {text}",
        file=file,
        line=line,
        date=allocations.year_end(year, books.as_of).isoformat(),
        county=place.county,
        township=place.township,
        township_name=name,
        amount=amount,
        currency=place.currency,
        entry=opened,
        key=f"{place.account} {year}",
    )


def allocation_range(books: Books, places: list[TownshipYears]) -> list[Finding]:
    """Return ALLOCATION-RANGE for each counted year whose gross allocation is out of range."""
    found = []
    last = allocations.last_completed_year(books)
    current = books.as_of.year
    for place in places:
        years = list(place.counted(last))
        if current not in years:
            years.append(current)  # Judged only once over the maximum (it is not over yet).
        for year in years:
            total = place.allocated.get(year, ZERO)
            setting = books.policy.setting(
                "reserve-allocation", place.county, allocations.year_end(year, books.as_of)
            )
            low, high = setting.values[0], setting.values[-1]
            if year == current and year not in place.counted(last):
                if total <= high:
                    continue
            elif low <= total <= high:
                continue
            side = "above the maximum" if total > high else "below the minimum"
            found.append(
                _year_finding(
                    books,
                    place,
                    "ALLOCATION-RANGE",
                    year,
                    total,
                    f"{_money(total, place.currency)} allocated for {year}, {side} of the range "
                    f"{format_amount(low)}–{_money(high, setting.currency or place.currency)} "
                    f"(reserve-allocation, {setting.origin})",
                )
            )
    return found


def reserve_idle(
    books: Books, places: list[TownshipYears], balances: balances_mod.Balances
) -> list[Finding]:
    """Return RESERVE-IDLE for completed counted years ending with too much in the reserve."""
    found = []
    last = allocations.last_completed_year(books)
    for place in places:
        for year in place.counted(last):
            end = datetime.date(year, 12, 31)
            balance = balances.on(place.account, place.currency, end)
            balance += place.returned_later.get(year, ZERO)
            allocated = place.allocated.get(year, ZERO)
            setting = books.policy.setting("reserve-idle", place.county, end)
            share = Decimal(setting.value)
            limit = (share * max(allocated, ZERO)).quantize(Decimal("0.01"))
            if balance <= limit:
                continue
            if allocated > 0:
                rule = (
                    f"over {share} of the {_money(allocated, place.currency)} allocated = "
                    f"{_money(limit, place.currency)}"
                )
            else:
                rule = "with nothing allocated for the year"
            found.append(
                _year_finding(
                    books,
                    place,
                    "RESERVE-IDLE",
                    year,
                    balance,
                    f"{_money(balance, place.currency)} left in the reserve at the end of {year} "
                    f"(returns for {year} included), {rule} (reserve-idle, {setting.origin})",
                )
            )
    return found


def _account_finding(
    books: Books,
    code: str,
    account: str,
    day: balances_mod.DayBalance,
    amount: Decimal,
    currency: str,
    text: str,
) -> Finding:
    """Return an account-level finding located at an entry; `explained` names the account."""
    info = accounts.parse(account)
    county = info.county if info else ""
    township = info.township if info else ""
    name = books.directory.township_name(county, township) if info else account
    file, line = location(day.entry.meta)
    return Finding(
        code=code,
        message=f"{code} {name} {account}: {text}",
        file=file,
        line=line,
        date=day.date.isoformat(),
        county=county,
        township=township,
        township_name=name,
        amount=amount,
        currency=currency,
        entry=day.entry,
        key=account,
    )


def overdrawn(books: Books, balances: balances_mod.Balances) -> list[Finding]:
    """Return RESERVE-OVERDRAWN for each day a reserve, cash or treasury account ends below 0."""
    found = []
    for role in ("treasury", "reserve", "cash"):
        for account, currency in balances.keys(role):
            for day in balances.series(account, currency):
                if day.balance >= 0:
                    continue
                found.append(
                    _account_finding(
                        books,
                        "RESERVE-OVERDRAWN",
                        account,
                        day,
                        day.balance,
                        currency,
                        f"balance {_money(day.balance, currency)} at the end of "
                        f"{day.date.isoformat()}, below zero",
                    )
                )
    return found


def suspense_open(books: Books, balances: balances_mod.Balances) -> list[Finding]:
    """Return SUSPENSE-OPEN for each suspense account not cleared on the audit date."""
    found = []
    for account, currency in balances.keys("suspense"):
        last = balances.final(account, currency)
        if last is None or not last.balance:
            continue
        since = balances.since(account, currency) or last
        found.append(
            _account_finding(
                books,
                "SUSPENSE-OPEN",
                account,
                last,
                last.balance,
                currency,
                f"{_money(last.balance, currency)} in suspense since {since.date.isoformat()}, "
                f"not cleared on {books.as_of.isoformat()}",
            )
        )
    return found


def check(books: Books) -> list[Finding]:
    """Return the reserve family's findings as of the books' audit date."""
    places = sorted(
        allocations.collect(books).values(), key=lambda p: (p.county, p.township)
    )
    balances = balances_mod.of(books)
    found = allocation_range(books, places)
    found.extend(overdrawn(books, balances))
    found.extend(outflows.misuse(books))
    found.extend(suspense_open(books, balances))
    found.extend(reserve_idle(books, places, balances))
    return found
