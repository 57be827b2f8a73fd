"""Shared pieces of the planted faults: where a fault goes, its case and its manifest entry.

A fault lives in a `Slot` (county, township, year). Its case numbers run from 9001 in the
township-year, its recipient is a `stranger` (never paid anything else), its entries are dated
July to October, and whatever it takes from the township's reserve is counted in
`Context.fault_outflow` before the township's ordinary cases are planned, so that a fault never
overdraws a reserve unless that is the fault.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import names
from ledger.demo import text
from ledger.demo.context import Case
from ledger.demo.context import Context


@dataclasses.dataclass(frozen=True)
class Slot:
    """Where a fault is planted."""

    county: names.County
    township: names.Township
    year: int

    @property
    def key(self) -> tuple[str, str, int]:
        """Return (county, township, year)."""
        return (self.county.county, self.township.township, self.year)

    @property
    def file(self) -> str:
        """Return the slot's transactions file."""
        return cx.tx_file(self.county, self.year)


def date(ctx: Context, slot: Slot, span: int = 90) -> datetime.date:
    """Return a date from 1 July of the slot's year, within `span` days."""
    return datetime.date(slot.year, 7, 1) + cx.days(ctx.rng.randrange(span))


def new_case(
    ctx: Context,
    slot: Slot,
    amount: str,
    procedure: str = "small",
    approval: str = "township",
) -> Case:
    """Return a fault case (number 9001 on, a stranger as recipient)."""
    key = (slot.county.county, slot.township.township + "#fault", slot.year)
    ctx.case_seq[key] += 1
    number = f"{slot.county.abbr}-{slot.township.abbr}-{slot.year}-{9000 + ctx.case_seq[key]:04d}"
    case = Case(
        slot.county,
        slot.township,
        number,
        procedure,
        approval,
        text.money(amount),
        category=ctx.rng.choice(cx.CATEGORIES),
    )
    case.person = ctx.people.stranger(slot.county.region)
    return case


def expect(
    ctx: Context,
    code: str,
    slot: Slot | None,
    case: str = "",
    mark: str = "",
    file: str = "",
    *,
    place: bool = True,
) -> None:
    """Record a finding the fault must raise.

    Args:
      case: the case the finding names ("" for findings about an account or a year).
      mark: the block whose line the finding carries ("" when SPEC leaves the entry open).
      file: the file, when it is not the slot's transactions file.
      place: False for findings not tied to a township (PII in a text, a malformed account
        name): their county and township are left blank.
    """
    ctx.manifest.append(
        {
            "code": code,
            "case": case,
            "county": slot.county.county if slot and place else "",
            "township": slot.township.township if slot and place else "",
            "file": file or (slot.file if slot else ""),
            "mark": mark,
        }
    )


def pay_small(
    ctx: Context,
    slot: Slot,
    case: Case,
    paid: datetime.date,
    *,
    approved: datetime.date | None = None,
    record: Decimal | None = None,
    narration: str = "小额临时救助",
    drop: tuple[str, ...] = (),
    extra: text.Meta = (),
    source: str = "reserve",
    mark: str = "",
) -> text.Block:
    """Book a township-approved (or as `case.approval` says) small payment of a fault case.

    Args:
      approved: approval date (default: the payment date).
      record: amount of the `custom "approval"` record (None: the case amount; zero: none).
      drop: metadata keys to leave out.
      extra: metadata to add.
      source: the paying role (reserve or cash).
    """
    assert case.person is not None
    case.approved = approved or paid
    case.applied = case.approved - cx.days(3)
    if record is None or record:
        amount = case.amount
        case.amount = record if record is not None else amount
        cx.approval_record(ctx, case, slot.year)
        case.amount = amount
    meta = [(k, v) for k, v in cx.disbursement_meta(case) if k not in drop]
    meta += list(extra)
    ctx.fault_outflow[slot.key] += case.amount
    relief = cx.account("relief", slot.township, case.procedure)
    return ctx.add(
        text.txn(
            paid,
            slot.file,
            case.person.name,
            narration,
            [(relief, case.amount), (cx.account(source, slot.township), -case.amount)],
            meta,
            mark=mark,
        )
    )


def pay_general(
    ctx: Context,
    slot: Slot,
    case: Case,
    paid: datetime.date,
    *,
    notice_days: int | None = 10,
    mark: str = "",
) -> text.Block:
    """Book a general case paid by the treasury (notice `notice_days` before approval)."""
    assert case.person is not None
    case.procedure = "general"
    case.approved = paid - cx.days(2)
    case.notice = case.approved - cx.days(notice_days) if notice_days is not None else None
    case.applied = case.approved - cx.days(20)
    cx.approval_record(ctx, case, slot.year)
    return ctx.add(
        text.txn(
            paid,
            slot.file,
            case.person.name,
            "临时救助（一般程序）",
            [
                (cx.account("relief", slot.township, "general"), case.amount),
                (f"Assets:Treasury:{slot.county.county}", -case.amount),
            ],
            cx.disbursement_meta(case),
            mark=mark,
        )
    )
