"""Planted faults of relief payments: approval, authority, tier, notice, splits, payee, PII.

Each function plants one fault of its code in a slot and records the findings it must raise.
Every fault is a clean case but for the one thing its code is about, so it raises that code
only: e.g. the split payment is two township-approved payments of 300 ten days apart (each
within the 500 ceiling, together over it, so not OVER-AUTHORITY), the duplicate case pays
200 twice forty days apart with no approval record (so neither SPLIT-PAYMENT nor
PAID-OVER-APPROVED).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ledger import recipients
from ledger.demo import context as cx
from ledger.demo import county
from ledger.demo import fault_kit as kit
from ledger.demo.context import Context
from ledger.demo.fault_kit import Slot


def approval_missing(ctx: Context, slot: Slot, k: int) -> None:
    """A small payment without `approver`."""
    case = kit.new_case(ctx, slot, "300.00")
    kit.pay_small(
        ctx, slot, case, kit.date(ctx, slot), drop=("approver",), mark=case.number
    )
    kit.expect(ctx, "APPROVAL-MISSING", slot, case.number, case.number)


def wrong_level(ctx: Context, slot: Slot, k: int) -> None:
    """Small relief approved by the county."""
    case = kit.new_case(ctx, slot, "300.00", approval="county")
    kit.pay_small(ctx, slot, case, kit.date(ctx, slot), mark=case.number)
    kit.expect(ctx, "WRONG-LEVEL", slot, case.number, case.number)


def over_authority(ctx: Context, slot: Slot, k: int) -> None:
    """A small case 0.01 over the township ceiling of 500."""
    case = kit.new_case(ctx, slot, "500.01")
    kit.pay_small(ctx, slot, case, kit.date(ctx, slot), mark=case.number)
    kit.expect(ctx, "OVER-AUTHORITY", slot, case.number, case.number)


def tier_mismatch(ctx: Context, slot: Slot, k: int) -> None:
    """General relief of 3,500 with ratio 1.50 (band 0-3,000)."""
    case = kit.new_case(ctx, slot, "3500.00", "general", "county")
    case.ratio = Decimal("1.50")
    kit.pay_general(ctx, slot, case, kit.date(ctx, slot), mark=case.number)
    kit.expect(ctx, "TIER-MISMATCH", slot, case.number, case.number)


def paid_before_approval(ctx: Context, slot: Slot, k: int) -> None:
    """A small payment three days before its approval."""
    case = kit.new_case(ctx, slot, "300.00")
    paid = kit.date(ctx, slot)
    kit.pay_small(ctx, slot, case, paid, approved=paid + cx.days(3), mark=case.number)
    kit.expect(ctx, "PAID-BEFORE-APPROVAL", slot, case.number, case.number)


def notice_missing(ctx: Context, slot: Slot, k: int) -> None:
    """General relief approved 3 days after notice (even k) or with no notice (odd k)."""
    case = kit.new_case(ctx, slot, "2000.00", "general", "county")
    case.ratio = Decimal("1.50")
    kit.pay_general(
        ctx,
        slot,
        case,
        kit.date(ctx, slot),
        notice_days=None if k % 2 else 3,
        mark=case.number,
    )
    kit.expect(ctx, "NOTICE-MISSING", slot, case.number, case.number)


def paid_over_approved(ctx: Context, slot: Slot, k: int) -> None:
    """A small payment of 300 on an approval record of 250."""
    case = kit.new_case(ctx, slot, "300.00")
    kit.pay_small(
        ctx, slot, case, kit.date(ctx, slot), record=Decimal("250.00"), mark=case.number
    )
    kit.expect(ctx, "PAID-OVER-APPROVED", slot, case.number, case.number)


def split_payment(ctx: Context, slot: Slot, k: int) -> None:
    """Two small cases of 300 to one recipient ten days apart (together over 500)."""
    first = kit.new_case(ctx, slot, "300.00")
    second = kit.new_case(ctx, slot, "300.00")
    second.person = first.person
    day = kit.date(ctx, slot)
    kit.pay_small(ctx, slot, first, day)
    kit.pay_small(ctx, slot, second, day + cx.days(10), mark=second.number)
    kit.expect(ctx, "SPLIT-PAYMENT", slot, second.number, second.number)


def duplicate_case(ctx: Context, slot: Slot, k: int) -> None:
    """One case paid 200 twice, forty days apart, with no approval record."""
    case = kit.new_case(ctx, slot, "200.00")
    day = kit.date(ctx, slot, 60)
    kit.pay_small(ctx, slot, case, day, record=Decimal(0))
    kit.pay_small(ctx, slot, case, day + cx.days(40), record=Decimal(0))
    # Which of the two entries carries the finding is the check's choice: no line.
    kit.expect(ctx, "DUPLICATE-CASE", slot, case.number)


def payee_mismatch(ctx: Context, slot: Slot, k: int) -> None:
    """An imported paid row whose account holder is someone else, with no `agent`."""
    case = kit.new_case(ctx, slot, "300.00")
    assert case.person is not None
    holder = ctx.people.stranger(slot.county.region).name
    while holder.replace(" ", "") == case.person.name:
        holder = ctx.people.stranger(slot.county.region).name
    batch = f"{slot.county.abbr}{slot.township.abbr}-F{k + 1:02d}"
    bank = county.bank_meta(batch, 1, ctx.sha(batch), case.person, "paid")
    kit.pay_small(
        ctx,
        slot,
        case,
        kit.date(ctx, slot),
        extra=[*bank, ("holder", holder)],
        mark=case.number,
    )
    kit.expect(ctx, "PAYEE-MISMATCH", slot, case.number, case.number)


def recipient_repeat(ctx: Context, slot: Slot, k: int) -> None:
    """One recipient paid 200 by a township and 250 by another ten days later."""
    townships = [(c, t) for c in ctx.city for t in c.townships]
    index = townships.index((slot.county, slot.township))
    other_county, other = townships[(index + 1) % len(townships)]
    later = Slot(other_county, other, slot.year)
    first = kit.new_case(ctx, slot, "200.00")
    second = kit.new_case(ctx, later, "250.00")
    second.person = first.person
    day = kit.date(ctx, slot)
    kit.pay_small(ctx, slot, first, day)
    kit.pay_small(ctx, later, second, day + cx.days(10), mark=second.number)
    kit.expect(ctx, "RECIPIENT-REPEAT", later, second.number, second.number)


def pii_exposed(ctx: Context, slot: Slot, k: int) -> None:
    """A full card (even k) or ID number (odd k) typed into a narration."""
    case = kit.new_case(ctx, slot, "300.00")
    if k % 2:
        number = recipients.make_id(slot.county.region, datetime.date(1961, 5, 4), 100 + k)
        narration = f"小额临时救助 身份证号{number}"
    else:
        number = recipients.make_card("621799", 900_000 + k, 19)
        narration = f"小额临时救助 转入卡号{number}"
    kit.pay_small(
        ctx, slot, case, kit.date(ctx, slot), narration=narration, mark=case.number
    )
    kit.expect(ctx, "PII-EXPOSED", slot, case.number, case.number, place=False)
