"""Planted faults of emergency advances: overdue, late, unlinked, oversettled.

Where SPEC §5 leaves open which entry carries a finding (the late settlement or its advance,
the recovery that oversettles or the advance), the manifest gives the file but no line.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import fault_kit as kit
from ledger.demo import text
from ledger.demo.context import Case
from ledger.demo.context import Context
from ledger.demo.fault_kit import Slot


def _advance(
    ctx: Context,
    slot: Slot,
    case: Case,
    day: datetime.date,
    *,
    link: bool = True,
    mark: str = "",
) -> None:
    assert case.person is not None
    ctx.fault_outflow[slot.key] += case.amount
    ctx.add(
        text.txn(
            day,
            slot.file,
            case.person.name,
            "先行救助（紧急程序）",
            [
                (cx.account("advances", slot.township), case.amount),
                (cx.account("reserve", slot.township), -case.amount),
            ],
            [("case", case.number), ("recipient", case.person.recipient)],
            links=[f"adv-{case.number}"] if link else [],
            mark=mark,
        )
    )


def _settle(
    ctx: Context,
    slot: Slot,
    case: Case,
    day: datetime.date,
    *,
    link: bool = True,
    mark: str = "",
) -> None:
    assert case.person is not None
    case.approved, case.applied = day, day - cx.days(30)
    cx.approval_record(ctx, case, slot.year)
    ctx.add(
        text.txn(
            day,
            slot.file,
            case.person.name,
            "先行救助补办审批，转列紧急救助支出",
            [
                (cx.account("relief", slot.township, "emergency"), case.amount),
                (cx.account("advances", slot.township), -case.amount),
            ],
            cx.disbursement_meta(case),
            links=[f"adv-{case.number}"] if link else [],
            mark=mark,
        )
    )


def advance_overdue(ctx: Context, slot: Slot, k: int) -> None:
    """An advance of 400 never settled."""
    case = kit.new_case(ctx, slot, "400.00", "emergency")
    _advance(ctx, slot, case, kit.date(ctx, slot), mark=case.number)
    kit.expect(ctx, "ADVANCE-OVERDUE", slot, case.number, case.number)


def advance_late(ctx: Context, slot: Slot, k: int) -> None:
    """An advance of 300 settled 45 days after it was paid (due after 30)."""
    case = kit.new_case(ctx, slot, "300.00", "emergency")
    day = kit.date(ctx, slot, 60)
    _advance(ctx, slot, case, day)
    _settle(ctx, slot, case, day + cx.days(45))
    kit.expect(ctx, "ADVANCE-LATE", slot, case.number)


def advance_unlinked(ctx: Context, slot: Slot, k: int) -> None:
    """An advance of 250 and its settlement, neither with an `^adv-` link."""
    case = kit.new_case(ctx, slot, "250.00", "emergency")
    day = kit.date(ctx, slot)
    _advance(ctx, slot, case, day, link=False, mark=case.number + "/a")
    _settle(ctx, slot, case, day + cx.days(10), link=False, mark=case.number + "/s")
    kit.expect(ctx, "ADVANCE-UNLINKED", slot, case.number, case.number + "/a")
    kit.expect(ctx, "ADVANCE-UNLINKED", slot, case.number, case.number + "/s")


def advance_oversettled(ctx: Context, slot: Slot, k: int) -> None:
    """An advance of 450 settled in full, then 50 of it 'recovered' as well."""
    case = kit.new_case(ctx, slot, "450.00", "emergency")
    assert case.person is not None
    day = kit.date(ctx, slot)
    _advance(ctx, slot, case, day)
    _settle(ctx, slot, case, day + cx.days(8))
    ctx.add(
        text.txn(
            day + cx.days(10),
            slot.file,
            case.person.name,
            "追回先行救助款",
            [
                (cx.account("reserve", slot.township), Decimal(50)),
                (cx.account("advances", slot.township), Decimal(-50)),
            ],
            [("case", case.number), ("recipient", case.person.recipient)],
            links=[f"adv-{case.number}"],
        )
    )
    kit.expect(ctx, "ADVANCE-OVERSETTLED", slot, case.number)
