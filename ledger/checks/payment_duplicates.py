"""DUPLICATE-CASE: one case of one county paid more than once (SPEC §5).

Among the payments in effect of a (county, case), in book order: a reversed or returned payment
no longer counts (`cases`); a settlement of an advance of the case is not a second payment, the
advance already paid; instalments (`instalment: "k/n"`) of the case are one approval, so only
a repeated instalment number, or an instalment beside a payment that is none, is a duplicate.
Every payment after the first that is not one with it is a finding (one per entry). A payment
whose `instalment` is ill-typed is skipped here; APPROVAL-MISSING reports it.
"""

from __future__ import annotations

import os

from ledger.books import Books
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.payment_finding import finding
from ledger.checks.payment_finding import money
from ledger.disbursement import Disbursement
from ledger.findings import Finding
from ledger.findings import location


def duplicate_cases(books: Books) -> list[Finding]:
    """Return DUPLICATE-CASE at every payment of a case already paid and still in effect."""
    view = cases.view(books)
    findings: list[Finding] = []
    for group in view.repeated():
        first: Disbursement | None = None
        whole = False  # A payment that is no instalment was seen.
        stages: set[int] = set()
        for d in group:
            if id(d.entry) in view.advance_of:
                continue  # A settlement: its advance was the payment.
            if "instalment" in d.meta:
                stage = approval_meta.instalment(d.meta)
                if stage is None:
                    continue
                duplicate = whole or stage[0] in stages
                stages.add(stage[0])
            else:
                duplicate = whole or bool(stages)
                whole = True
            if duplicate and first is not None:
                findings.append(_finding(books, d, first))
            first = first or d
    return findings


def _finding(books: Books, d: Disbursement, first: Disbursement) -> Finding:
    file, line = location(first.meta)
    stage = d.meta.get("instalment")
    what = f"instalment {stage}" if isinstance(stage, str) else "a payment"
    text = (
        f"{money(d.amount, d.currency)} is {what} of a case already paid "
        f"{money(first.amount, first.currency)} on {first.date.isoformat()} "
        f"({os.path.basename(file)}:{line}), still in effect"
    )
    return finding(books, "DUPLICATE-CASE", d, text)
