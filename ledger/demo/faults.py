"""Planting faults: K of every finding code a ledger alone can show (SPEC §5).

Not planted: BANK-UNMATCHED (needs bank files), EXPORT-MISMATCH (needs a database),
BEANCOUNT (the books would not be valid Beancount) and SEAL-BROKEN (the books hold no seal).

Case-level faults go round the township-years in a shuffled order; the year-level ones
(ALLOCATION-RANGE, RESERVE-IDLE) each take a township-year of their own. `resolve` turns the
recorded marks into file and line once the files are written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ledger.demo import faults_advances as advances
from ledger.demo import faults_money as money
from ledger.demo import faults_relief as relief
from ledger.demo.context import Context
from ledger.demo.fault_kit import Slot

Plant = Callable[[Context, Slot, int], None]

#: Every plantable code with the function that plants one fault of it.
CASE_FAULTS: dict[str, Plant] = {
    "APPROVAL-MISSING": relief.approval_missing,
    "WRONG-LEVEL": relief.wrong_level,
    "OVER-AUTHORITY": relief.over_authority,
    "TIER-MISMATCH": relief.tier_mismatch,
    "PAID-BEFORE-APPROVAL": relief.paid_before_approval,
    "NOTICE-MISSING": relief.notice_missing,
    "PAID-OVER-APPROVED": relief.paid_over_approved,
    "SPLIT-PAYMENT": relief.split_payment,
    "DUPLICATE-CASE": relief.duplicate_case,
    "PAYEE-MISMATCH": relief.payee_mismatch,
    "ADVANCE-OVERDUE": advances.advance_overdue,
    "ADVANCE-LATE": advances.advance_late,
    "ADVANCE-UNLINKED": advances.advance_unlinked,
    "ADVANCE-OVERSETTLED": advances.advance_oversettled,
    "RESERVE-OVERDRAWN": money.reserve_overdrawn,
    "RESERVE-MISUSE": money.reserve_misuse,
    "SUSPENSE-OPEN": money.suspense_open,
    "TRANSIT-OVERDUE": money.transit_overdue,
    "REISSUE-OVERDUE": money.reissue_overdue,
    "RECIPIENT-REPEAT": relief.recipient_repeat,
    "PII-EXPOSED": relief.pii_exposed,
    "ACCOUNT-INVALID": money.account_invalid,
    "POLICY-INVALID": money.policy_invalid,
}
YEAR_FAULTS: dict[str, Plant] = {
    "ALLOCATION-RANGE": money.allocation_range,
    "RESERVE-IDLE": money.reserve_idle,
}
#: Codes found once per account: their faults go to distinct townships.
ONE_PER_ACCOUNT: tuple[str, ...] = ("SUSPENSE-OPEN", "RESERVE-OVERDRAWN")
PLANTABLE: tuple[str, ...] = tuple(sorted({*CASE_FAULTS, *YEAR_FAULTS}))


def slots(ctx: Context) -> list[Slot]:
    """Return every township-year, townships before years, in the city's order."""
    return [
        Slot(county, township, year)
        for year in sorted(ctx.profile.years)
        for county in ctx.city
        for township in county.townships
    ]


def plant(ctx: Context) -> None:
    """Plant `profile.faults` faults of every plantable code."""
    count = ctx.profile.faults
    if not count:
        return
    every = slots(ctx)
    # Year-level faults take distinct township-years, spread over townships first.
    by_township = sorted(
        every, key=lambda s: (s.year != min(ctx.profile.years), every.index(s))
    )
    year_slots = iter(by_township)
    shuffled = list(every)
    ctx.rng.shuffle(shuffled)
    cycle = itertools.cycle(shuffled)
    used: dict[str, set[tuple[str, str]]] = {code: set() for code in ONE_PER_ACCOUNT}
    for k in range(count):
        for _code, fault in YEAR_FAULTS.items():
            fault(ctx, next(year_slots), k)
        for code, fault in CASE_FAULTS.items():
            slot = next(cycle)
            if code in ONE_PER_ACCOUNT:
                # One finding per account: each fault of these codes needs its own township.
                slot = next(s for s in shuffled if s.key[:2] not in used[code])
                used[code].add(slot.key[:2])
            fault(ctx, slot, k)


def resolve(ctx: Context, marks: dict[str, dict[str, int]]) -> list[dict[str, object]]:
    """Return the manifest's findings with `line` resolved from each file's marks."""
    findings: list[dict[str, object]] = []
    for entry in ctx.manifest:
        file = str(entry["file"])
        mark = str(entry["mark"])
        line = marks.get(file, {}).get(mark) if mark else None
        if mark and line is None:
            raise AssertionError(f"fault mark {mark} not found in {file}")
        findings.append(
            {
                "code": entry["code"],
                "case": entry["case"],
                "county": entry["county"],
                "township": entry["township"],
                "file": file,
                "line": line,
            }
        )
    return findings
