"""Planted faults of money movements: reserves, bank transit, accounts, policy.

Like `faults_relief`, each function plants one fault and records the findings it must raise.
The year-level faults (ALLOCATION-RANGE, RESERVE-IDLE) are located, as SPEC §5 says, at the
township's reserve `open`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import county
from ledger.demo import fault_kit as kit
from ledger.demo import text
from ledger.demo.context import Case
from ledger.demo.context import Context
from ledger.demo.fault_kit import Slot

ADMIN_ACCOUNT = "Expenses:Admin:Office"


def reserve_overdrawn(ctx: Context, slot: Slot, k: int) -> None:
    """Cash relief of 300 paid from an empty cash box, the cash drawn only the next day."""
    case = kit.new_case(ctx, slot, "300.00")
    day = datetime.date(slot.year, 8, 3) + cx.days(7 * k)
    for blocked in (day, day + cx.days(1)):
        ctx.cash_blocked.add((slot.county.county, slot.township.township, blocked))
    cash = cx.account("cash", slot.township)
    ctx.overdraft_ok.add(cash)
    kit.pay_small(
        ctx,
        slot,
        case,
        day,
        narration="小额临时救助（现金）",
        source="cash",
        mark=case.number,
    )
    ctx.add(
        text.txn(
            day + cx.days(1),
            slot.file,
            None,
            "备用金提取现金（补提前一日现金发放）",
            [(cash, case.amount), (cx.account("reserve", slot.township), -case.amount)],
        )
    )
    kit.expect(ctx, "RESERVE-OVERDRAWN", slot, "", case.number)


def reserve_misuse(ctx: Context, slot: Slot, k: int) -> None:
    """350 of the reserve spent on office supplies."""
    mark = f"misuse-{slot.key}-{k}"
    ctx.fault_outflow[slot.key] += Decimal(350)
    ctx.add(
        text.txn(
            kit.date(ctx, slot),
            slot.file,
            None,
            "购买办公用品",
            [
                (ADMIN_ACCOUNT, Decimal(350)),
                (cx.account("reserve", slot.township), Decimal(-350)),
            ],
            mark=mark,
        )
    )
    kit.expect(ctx, "RESERVE-MISUSE", slot, "", mark)


def suspense_open(ctx: Context, slot: Slot, k: int) -> None:
    """An imported paid row of 280 with no approval, left in suspense."""
    case = kit.new_case(ctx, slot, "280.00")
    assert case.person is not None
    batch = f"{slot.county.abbr}{slot.township.abbr}-S{k + 1:02d}"
    ctx.fault_outflow[slot.key] += case.amount
    ctx.add(
        text.txn(
            kit.date(ctx, slot),
            slot.file,
            case.person.name,
            "代发回盘：成功（未匹配审批）",
            [
                (cx.account("suspense", slot.township), case.amount),
                (cx.account("reserve", slot.township), -case.amount),
            ],
            [
                ("case", case.number),
                ("recipient", case.person.recipient),
                *county.bank_meta(batch, 1, ctx.sha(batch), case.person, "paid"),
            ],
            mark=case.number,
        )
    )
    kit.expect(ctx, "SUSPENSE-OPEN", slot, "", case.number)


def _request(ctx: Context, slot: Slot, case: Case, batch: str, day: datetime.date) -> None:
    assert case.person is not None
    ctx.add(
        text.txn(
            day,
            slot.file,
            case.person.name,
            f"代发报盘 {batch}",
            [
                (cx.account("intransit", slot.township), case.amount),
                (f"Assets:Treasury:{slot.county.county}", -case.amount),
            ],
            [
                ("case", case.number),
                ("recipient", case.person.recipient),
                *county.bank_meta(batch, 1, ctx.sha(batch + "|request"), case.person),
            ],
            mark=case.number + "/r",
        )
    )


def transit_overdue(ctx: Context, slot: Slot, k: int) -> None:
    """A bank request of 1,200 whose result never came."""
    case = kit.new_case(ctx, slot, "1200.00", "general", "county")
    batch = f"{slot.county.abbr}{slot.township.abbr}-T{k + 1:02d}"
    _request(ctx, slot, case, batch, kit.date(ctx, slot))
    kit.expect(ctx, "TRANSIT-OVERDUE", slot, case.number, case.number + "/r")


def reissue_overdue(ctx: Context, slot: Slot, k: int) -> None:
    """A bank payment of 1,300 that failed and was never paid again."""
    case = kit.new_case(ctx, slot, "1300.00", "general", "county")
    assert case.person is not None
    batch = f"{slot.county.abbr}{slot.township.abbr}-R{k + 1:02d}"
    day = kit.date(ctx, slot)
    _request(ctx, slot, case, batch, day)
    ctx.add(
        text.txn(
            day + cx.days(2),
            slot.file,
            case.person.name,
            f"代发回盘 {batch}：失败退回",
            [
                (f"Assets:Treasury:{slot.county.county}", case.amount),
                (cx.account("intransit", slot.township), -case.amount),
            ],
            [
                ("case", case.number),
                ("recipient", case.person.recipient),
                *county.bank_meta(
                    batch, 1, ctx.sha(batch + "|result"), case.person, "failed"
                ),
                ("fail-reason", "账户已销户"),
            ],
            mark=case.number + "/f",
        )
    )
    kit.expect(ctx, "REISSUE-OVERDUE", slot, case.number, case.number + "/f")


def account_invalid(ctx: Context, slot: Slot, k: int) -> None:
    """A bank-fee account with a component too many."""
    account = cx.account("bankfees", slot.township) + f":Sms{k + 1}"
    mark = "open:" + account
    first = datetime.date(min(ctx.profile.years), 1, 1)
    ctx.add(
        text.Block(first, "accounts.beancount", f"{first} open {account} CNY\n", 0, mark)
    )
    kit.expect(ctx, "ACCOUNT-INVALID", slot, "", mark, "accounts.beancount", place=False)


def policy_invalid(ctx: Context, slot: Slot, k: int) -> None:
    """A `relief-authority` for the conference level (even k), or an unknown scope key."""
    day = datetime.date(2016, 1 + k % 12, 1 + k // 12)
    mark = f"policy-invalid-{k}"
    if k % 2:
        block = text.custom(
            day,
            "policy.beancount",
            "split-window",
            "30",
            [("township", slot.township.township)],
            order=1,
            mark=mark,
        )
    else:
        block = text.custom(
            day,
            "policy.beancount",
            "relief-authority",
            f'"conference" 20000.00 {text.CURRENCY}',
            order=1,
            mark=mark,
        )
    ctx.add(block)
    kit.expect(ctx, "POLICY-INVALID", None, "", mark, "policy.beancount")


def allocation_range(ctx: Context, slot: Slot, k: int) -> None:
    """A year's allocation of 29,999.99, one cent under the minimum."""
    ctx.allocation_override[slot.key] = Decimal("29999.99")
    mark = "open:" + cx.account("reserve", slot.township)
    kit.expect(ctx, "ALLOCATION-RANGE", slot, "", mark, "accounts.beancount")


def reserve_idle(ctx: Context, slot: Slot, k: int) -> None:
    """A township that pays nothing from its reserve in a year and returns nothing."""
    ctx.idle.add(slot.key)
    mark = "open:" + cx.account("reserve", slot.township)
    kit.expect(ctx, "RESERVE-IDLE", slot, "", mark, "accounts.beancount")
