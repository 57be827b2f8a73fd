"""A township reserve's fixed flows: allocations, cash drawn, bank fees and interest.

The allocation is 30,000-50,000 a year by population (SPEC §1), paid on 1 January, or by
quarter on each quarter's first day in every other county. Bank fees are charged on 20 June
and 20 December, interest credited on the 21st of each quarter's last month.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import names
from ledger.demo import text
from ledger.demo.context import Context


def allocation(ctx: Context, township: names.Township, year: int) -> Decimal:
    """Return a township's allocation for a year: 30,000-50,000 by population."""
    key = (township.county, township.township, year)
    if key in ctx.allocation_override:
        return ctx.allocation_override[key]
    share = Decimal(township.population - 8_000) / Decimal(82_000)
    amount = cx.ALLOCATION_MIN + (share * Decimal(200)).quantize(Decimal(1)) * 100
    return min(max(amount, cx.ALLOCATION_MIN), cx.ALLOCATION_MAX)


def quarterly(county: names.County) -> bool:
    """Return True for counties that allocate by quarter (every other county)."""
    return int(county.region[-2:]) % 2 == 1


def allocate(
    ctx: Context, county: names.County, township: names.Township, year: int
) -> list[tuple[datetime.date, Decimal]]:
    """Book the year's allocation(s) and return them as (date, amount)."""
    total = allocation(ctx, township, year)
    reserve = cx.account("reserve", township)
    treasury = f"Assets:Treasury:{county.county}"
    if quarterly(county):
        part = (total / 4).quantize(text.CENT)
        parts = [
            (f"{year}Q{q}", datetime.date(year, 3 * q - 2, 1), part) for q in (1, 2, 3)
        ]
        parts.append((f"{year}Q4", datetime.date(year, 10, 1), total - 3 * part))
    else:
        parts = [(str(year), datetime.date(year, 1, 1), total)]
    for period, date, amount in parts:
        ctx.add(
            text.txn(
                date,
                cx.tx_file(county, year),
                township.name,
                f"{period} 临时救助备用金拨付",
                [(reserve, amount), (treasury, -amount)],
                meta=[("period", period)],
                tags=["allocation"],
            )
        )
    return [(date, amount) for _, date, amount in parts]


def cash_withdrawals(
    ctx: Context,
    county: names.County,
    township: names.Township,
    year: int,
    cash_days: dict[datetime.date, Decimal],
) -> None:
    """Book one withdrawal into the cash box on each day it pays, of that day's total."""
    for date, amount in sorted(cash_days.items()):
        ctx.add(
            text.txn(
                date,
                cx.tx_file(county, year),
                None,
                "备用金提取现金，用于现金发放小额救助",
                [
                    (cx.account("cash", township), amount),
                    (cx.account("reserve", township), -amount),
                ],
            )
        )


def fees_and_interest(
    ctx: Context,
    county: names.County,
    township: names.Township,
    year: int,
    inflows: list[tuple[datetime.date, Decimal]],
) -> None:
    """Book the year's bank fees and quarterly interest on the reserve."""
    file = cx.tx_file(county, year)
    reserve = cx.account("reserve", township)
    for month in (6, 12):
        fee = Decimal(ctx.rng.randrange(10, 31)).quantize(text.CENT)
        ctx.add(
            text.txn(
                datetime.date(year, month, 20),
                file,
                None,
                "账户管理费及代发手续费",
                [(cx.account("bankfees", township), fee), (reserve, -fee)],
            )
        )
    yearly = sum((a for _, a in inflows), Decimal(0))
    for month in (3, 6, 9, 12):
        interest = (
            yearly * Decimal("0.0035") / 4 * Decimal(ctx.rng.randrange(40, 100)) / 100
        )
        interest = interest.quantize(text.CENT)
        ctx.add(
            text.txn(
                datetime.date(year, month, 21),
                file,
                None,
                "活期存款结息",
                [(reserve, interest), (cx.account("interest", township), -interest)],
            )
        )
