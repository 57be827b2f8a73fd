"""The rule families: each module exposes `check(books) -> list[Finding]`.

A family is run by its Beancount plugin (`plugins/<family>.py`), by `reserve audit` and by the
Fava extension, so all three show the same findings.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ledger.books import Books
from ledger.findings import Finding

Check = Callable[[Books], list[Finding]]

#: Family name -> the codes it raises (SPEC §5).
FAMILIES: dict[str, tuple[str, ...]] = {
    "approval": (
        "APPROVAL-MISSING",
        "WRONG-LEVEL",
        "OVER-AUTHORITY",
        "TIER-MISMATCH",
        "PAID-BEFORE-APPROVAL",
        "NOTICE-MISSING",
        "PAID-OVER-APPROVED",
    ),
    "payments": ("SPLIT-PAYMENT", "DUPLICATE-CASE", "PAYEE-MISMATCH", "RECIPIENT-REPEAT"),
    "integrity": ("PII-EXPOSED", "ACCOUNT-INVALID", "POLICY-INVALID"),
    "advances": ("ADVANCE-OVERDUE", "ADVANCE-LATE", "ADVANCE-UNLINKED", "ADVANCE-OVERSETTLED"),
    "reserve": (
        "ALLOCATION-RANGE",
        "RESERVE-OVERDRAWN",
        "RESERVE-MISUSE",
        "SUSPENSE-OPEN",
        "RESERVE-IDLE",
    ),
    "transit": ("TRANSIT-OVERDUE", "REISSUE-OVERDUE"),
    "seal": ("SEAL-BROKEN",),
}


def family_check(family: str) -> Check:
    """Return the check function of a family."""
    module = importlib.import_module(f"ledger.checks.{family}")
    check: Check = module.check
    return check


def available() -> list[str]:
    """Return the families whose modules exist (all of them in a complete install)."""
    found = []
    for family in FAMILIES:
        try:
            importlib.import_module(f"ledger.checks.{family}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ledger.checks.{family}":
                raise
            continue
        found.append(family)
    return found
