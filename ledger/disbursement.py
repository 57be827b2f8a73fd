"""What the money pass (`ledger.money`) makes of the transactions: payments, cases, outflows.

A *disbursement* is a transaction with a positive posting to `Expenses:Relief:…` or
`Assets:Advances:…` (SPEC §3). A *case* (`CaseMoney`) is one (county, case) of the books: its
net relief expense and its disbursements. Each disbursement refers to its case, so that a rule
asking about a payment's case reads it from the payment, not from a map of every case: on large
books each look-up in a map of 100,000 cases costs a few cache misses, several times a payment.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data


class Outflow(NamedTuple):
    """Money a transaction takes out of relief or advances: a return, a recovery.

    Attributes:
      position: the transaction's position in the transactions passed.
      entry: the transaction.
      role: "relief" or "advances" (the first whose net is negative).
      county: that account's county.
      amount: the (positive) amount taken out.

    """

    position: int
    entry: data.Transaction
    role: str
    county: str
    amount: Decimal


@dataclasses.dataclass(slots=True, eq=False)  # Identity: one per (county, case).
class CaseMoney:
    """One (county, case) of the books, as the money pass found it (no payment undone).

    Attributes:
      county, case: the case (never an empty case).
      net: the sum of its relief-expense postings, reversals and returns included (SPEC §5).
      payments: its disbursements in book order (a `#reversal` is none).
      last_relief: the last of them that is no advance, if any.
      records: how many `custom "approval"` records its case number has (of any county),
        once the index has joined them (`BookIndex.over_approved`).
      limit: the amount of the latest of those records (None when it has none).

    Which payments a reversal or a return undoes is the case view's (`ledger.checks.cases`).
    """

    county: str
    case: str
    net: Decimal
    payments: list[Disbursement] = dataclasses.field(default_factory=list)
    last_relief: Disbursement | None = None
    records: int = 0
    limit: Decimal | None = None


@dataclasses.dataclass(slots=True, eq=False)  # Identity: one per transaction.
class Disbursement:
    """A transaction paying relief or an advance.

    Attributes:
      entry: the transaction.
      meta: its metadata (kept here: a rule reading it need not look at the transaction).
      date: its date.
      county, township: where it belongs (of its first relief or advance posting).
      procedure: small, general or emergency for relief; "advance" for an advance.
      account: the relief or advance account posted to.
      amount: the sum of its positive relief/advance postings.
      case: its `case` metadata ("" if missing).
      recipient: its `recipient` metadata ("" if missing).
      settlement: True when it moves an advance into emergency relief.
      pays_out: True when it takes money out of a paying account (reserve, cash, treasury).
      holds_out: True when it takes money out of `Assets:InTransit` or `Assets:Suspense`.
      position: the transaction's position in the transactions the pass walked.
      group: its (county, case), None when it has no case.

    """

    entry: data.Transaction
    meta: dict[str, Any]
    date: datetime.date
    county: str
    township: str
    procedure: str
    account: str
    amount: Decimal
    currency: str
    case: str
    recipient: str
    settlement: bool
    pays_out: bool
    holds_out: bool
    position: int
    group: CaseMoney | None

    @property
    def is_advance(self) -> bool:
        """Return True for an advance (a positive posting to Assets:Advances)."""
        return self.procedure == "advance"


def case_of(entry: data.Transaction) -> str:
    """Return a transaction's case: its `case`, else the case named in `reverses`."""
    case = entry.meta.get("case")
    if isinstance(case, str) and case:
        return case
    reverses = entry.meta.get("reverses")
    if isinstance(reverses, str) and " " in reverses:
        return reverses.split(" ", 1)[1].strip()
    return ""
