"""One township's year: allocation, small relief, emergency advances, cash, fees, interest.

Everything here is paid out of the township's reserve (or its cash box, filled from the
reserve on the day it pays). Before a payment is booked its cost is checked against what the
reserve has received so far, less what was already spent, what the year's planted faults will
take and a floor of 500: a case the reserve cannot afford goes to the county as general
relief instead. So no reserve, cash box or treasury ever closes a day below zero.

Advances are settled (or recovered) 3-25 days after they were paid, always within the year
and the 30-day deadline; the first advance of each county's first township is recovered in
full, the first of its second township is partly settled and partly recovered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import names
from ledger.demo import reserve
from ledger.demo import text
from ledger.demo.context import Case
from ledger.demo.context import Context

_FLOOR = Decimal("500.00")


def _small_amount(ctx: Context) -> Decimal:
    return Decimal(ctx.rng.randrange(10, 51) * 10).quantize(text.CENT)


def _emergency(ctx: Context, case: Case) -> None:
    """Draw an emergency case's amount, level and ratio (within its band)."""
    ceiling = ctx.township_ceiling(case.county, "emergency")
    if ctx.rng.random() < 0.55:
        case.amount = Decimal(ctx.rng.randrange(20, int(ceiling) // 10 + 1) * 10).quantize(
            text.CENT
        )
        case.approval = "township"
        return
    case.approval = "county"
    case.amount = Decimal(ctx.rng.randrange(int(ceiling) // 10 + 1, 600) * 10).quantize(
        text.CENT
    )
    case.ratio = ratio_for(ctx, case.amount)


def ratio_for(ctx: Context, amount: Decimal) -> Decimal:
    """Return a ratio whose tier band holds `amount` (strictly inside the ratio range)."""
    for low, high, _least, most in cx.TIERS:
        if amount <= most:
            cents = ctx.rng.randrange(int(low * 100) + 5, int(high * 100) - 4)
            return Decimal(cents) / 100
    raise AssertionError(f"no tier holds {amount}")


def plan(
    ctx: Context, county: names.County, township: names.Township, year: int, n: int
) -> list[Case]:
    """Book a township-year's reserve side; return its cases left for the county to pay."""
    key = (township.county, township.township, year)
    inflows = reserve.allocate(ctx, county, township, year)
    carry = ctx.carry.get((township.county, township.township), Decimal(0))
    spend = ctx.fault_outflow[key] + _FLOOR + Decimal(60)  # faults, floor, bank fees
    cases: list[tuple[datetime.date, Case]] = []
    general: list[Case] = []
    for _ in range(n):
        draw = ctx.rng.random()
        procedure = "small" if draw < 0.42 else "emergency" if draw < 0.50 else "general"
        case = Case(
            county,
            township,
            ctx.next_case(township, year, county),
            procedure,
            "township",
            Decimal(0),
            category=ctx.rng.choice(cx.CATEGORIES),
        )
        if procedure == "general" or key in ctx.idle:
            case.procedure = "general"
            general.append(case)
            continue
        if procedure == "small":
            case.amount = _small_amount(ctx)
            date = ctx.day(year, (1, 2), (12, 30))
        else:
            _emergency(ctx, case)
            date = ctx.day(year, (1, 2), (11, 25))
        cases.append((date, case))
    cases.sort(key=lambda item: item[0])
    cash_days: dict[datetime.date, Decimal] = {}
    for date, case in cases:
        received = carry + sum((a for d, a in inflows if d <= date), Decimal(0))
        if received - spend < case.amount:
            case.procedure, case.approval, case.ratio = "general", "township", None
            general.append(case)
            continue
        spend += case.amount
        case.person = ctx.people.pick(township, county.region, date)
        if case.procedure == "small":
            _small(ctx, case, date, year, cash_days)
        else:
            _advance(ctx, case, date, year)
    reserve.cash_withdrawals(ctx, county, township, year, cash_days)
    reserve.fees_and_interest(ctx, county, township, year, inflows)
    return general


def _small(
    ctx: Context,
    case: Case,
    date: datetime.date,
    year: int,
    cash_days: dict[datetime.date, Decimal],
) -> None:
    township = case.township
    case.approved = max(date - cx.days(ctx.rng.randrange(4)), datetime.date(year, 1, 1))
    case.applied = case.approved - cx.days(ctx.rng.randrange(1, 10))
    cx.approval_record(ctx, case, year)
    use_cash = (
        township.index == 0
        and ctx.rng.random() < 0.5
        and (township.county, township.township, date) not in ctx.cash_blocked
    )
    source = cx.account("cash" if use_cash else "reserve", township)
    if use_cash:
        cash_days[date] = cash_days.get(date, Decimal(0)) + case.amount
    meta = cx.disbursement_meta(case)
    meta.append(("voucher", f"记{date:%m}-{ctx.rng.randrange(1, 300):03d}"))
    ctx.add(
        text.txn(
            date,
            cx.tx_file(case.county, year),
            case.person.name if case.person else None,
            "小额临时救助（现金）" if use_cash else "小额临时救助",
            [
                (cx.account("relief", township, "small"), case.amount),
                (source, -case.amount),
            ],
            meta,
        )
    )


def _advance(ctx: Context, case: Case, date: datetime.date, year: int) -> None:
    township, county = case.township, case.county
    assert case.person is not None
    link = f"adv-{case.number}"
    file = cx.tx_file(county, year)
    advances = cx.account("advances", township)
    reserve = cx.account("reserve", township)
    case.applied = date - cx.days(ctx.rng.randrange(3))
    ctx.add(
        text.txn(
            date,
            file,
            case.person.name,
            "先行救助（紧急程序）",
            [(advances, case.amount), (reserve, -case.amount)],
            [
                ("case", case.number),
                ("recipient", case.person.recipient),
                ("category", case.category),
                ("applied", case.applied),
                ("id-masked", case.person.id_masked),
            ],
            links=[link],
        )
    )
    settle = date + cx.days(ctx.rng.randrange(3, 26))
    first = ctx.first_advance.setdefault(
        (township.county, township.township, year), case.number
    )
    recovered = Decimal(0)
    if first == case.number and township.index in (0, 1):
        recovered = case.amount if township.index == 0 else (case.amount * Decimal("0.4"))
        recovered = recovered.quantize(text.CENT)
        ctx.add(
            text.txn(
                settle,
                file,
                case.person.name,
                "追回先行救助款（核查后不符合救助条件）",
                [(reserve, recovered), (advances, -recovered)],
                [("case", case.number), ("recipient", case.person.recipient)],
                links=[link],
            )
        )
    settled = case.amount - recovered
    if not settled:
        return
    case.amount = settled
    if case.approval == "county" and settled <= ctx.township_ceiling(county, "emergency"):
        case.approval, case.ratio = "township", None
    elif case.approval == "county":
        case.ratio = ratio_for(ctx, settled)
    case.approved = settle
    cx.approval_record(ctx, case, year)
    ctx.add(
        text.txn(
            settle,
            file,
            case.person.name,
            "先行救助补办审批，转列紧急救助支出",
            [(cx.account("relief", township, "emergency"), settled), (advances, -settled)],
            cx.disbursement_meta(case),
            links=[link],
        )
    )
