"""A payment's metadata vouched complete, cheaply: the common case of APPROVAL-MISSING.

Most payments carry every key SPEC §3 requires of them, with values in their sets. `vouch`
asks the questions of `ledger.checks.approval_meta.problems` in their fastest form (the keys it
needs fetched together, exact types, no messages) and answers None at the first doubt,
including for the rarer shapes (conference approvals, settlements, instalments, holders,
agents), which `problems` then looks at in full. It never vouches for a payment where
`problems` finds one.

It hands on the values it read, so that the approval rules need not read them again: the
level, the date approved, and a general payment's ratio and notice. (Asking it in the money
pass instead, while some of the metadata is in the processor's cache, was measured slower:
what it reads of the metadata is not what the money pass reads.)
"""

from __future__ import annotations

import datetime
import operator
from decimal import Decimal
from typing import Any
from typing import Final

from ledger import recipients

BANK_STATUSES: Final[tuple[str, ...]] = ("paid", "failed", "pending", "returned")
CATEGORIES: Final[tuple[str, ...]] = ("illness", "disaster", "accident", "education", "other")

# The levels whose payments `vouch` can vouch for; a conference needs its `decision` looked at.
_SIMPLE_LEVELS: Final = ("township", "county")
# The keys needed present, fetched in one call each (a missing one raises KeyError). General
# relief also hands on its `ratio` and `notice` (the tier and notice rules read them).
_PAYEE: Final = operator.itemgetter("case", "recipient")
_EXPENSE: Final = operator.itemgetter("case", "recipient", "approval", "approver", "approved")
_GENERAL: Final = operator.itemgetter(
    "case", "recipient", "approval", "approver", "approved", "ratio", "notice"
)
_IMPORTED: Final = operator.itemgetter("bank-status", "batch", "bank-row", "card")

def one_of(value: Any, choices: tuple[str, ...]) -> bool:
    """Return True if value is a text among choices.

    The type first: Beancount's `Amount` raises when compared with a text (`==`, or `in` a
    tuple), and any metadata value may be an amount.
    """
    return isinstance(value, str) and value in choices


#: Positions in what `vouch` returns.
CASE: Final = 0
RECIPIENT: Final = 1
LEVEL: Final = 2
APPROVER: Final = 3
APPROVED: Final = 4
RATIO: Final = 5
NOTICE: Final = 6


def vouch(meta: dict[str, Any], procedure: str, settlement: bool) -> tuple[Any, ...] | None:
    """Return the values read when the metadata is surely complete; else None.

    `procedure` is the disbursement's ("advance" for an advance). What it returns: (case,
    recipient) for an advance; (case, recipient, approval, approver, approved) for small or
    emergency relief, and with (ratio, notice) after them for general relief; the approval
    "township" or "county", approved a date, ratio a number.
    """
    try:
        if procedure == "advance":  # Approved when settled: no approval keys of its own.
            keys = _PAYEE(meta)
            case, recipient = keys
        else:
            if procedure == "general":
                keys = _GENERAL(meta)
                case, recipient, level, approver, approved, ratio, _ = keys
                if ratio.__class__ is not Decimal:
                    return None
            else:
                keys = _EXPENSE(meta)
                case, recipient, level, approver, approved = keys
            if (
                level.__class__ is not str
                or level not in _SIMPLE_LEVELS
                or settlement
                or approver.__class__ is not str
                or not approver.strip()
                or not isinstance(approved, datetime.date)
            ):
                return None
    except KeyError:
        return None
    if (
        case.__class__ is not str
        or not case.strip()
        or recipient.__class__ is not str
        or not recipients.is_hash(recipient, "r-")
        or "instalment" in meta
        or "holder" in meta
        or "agent" in meta
    ):
        return None
    category = meta.get("category")
    # The type first, written out (no call a payment): an amount raises compared with text.
    if category is not None and (category.__class__ is not str or category not in CATEGORIES):
        return None
    if "source-sha256" not in meta:
        status = meta.get("bank-status")
        return keys if status is None or (
            status.__class__ is str and status in BANK_STATUSES
        ) else None
    try:
        status, batch, row, card = _IMPORTED(meta)
    except KeyError:
        return None
    return keys if (
        status.__class__ is str
        and status in BANK_STATUSES
        and batch.__class__ is str
        and bool(batch.strip())
        and (row.__class__ is Decimal or row.__class__ is int)
        and card.__class__ is str
        and recipients.is_hash(card, "c-")
    ) else None
