"""The money pass: one look at every posting of the books, for the indexes the checks share.

A *disbursement* is a transaction with a positive posting to `Expenses:Relief:…` or
`Assets:Advances:…` (SPEC §3). The amount of a case is the sum of its relief-expense postings,
reversals and returns included (SPEC §5). Besides the disbursements and the case amounts, the
pass notes what the checks would otherwise look for in a walk of their own: the reversals,
the returns and recoveries (`Outflow`), the bank requests (money from a paying account into a
holding one) and the rows with a `holder`. Each transaction's postings are parsed once.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core import data

from ledger import accounts

ZERO = Decimal(0)
# The paying accounts (1) and the holding ones (2) a payment's money leaves or enters.
_BITS = {"reserve": 1, "cash": 1, "treasury": 1, "intransit": 2, "suspense": 2}


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


@dataclasses.dataclass(slots=True, eq=False)  # Identity: one per transaction.
class Disbursement:
    """A transaction paying relief or an advance.

    Attributes:
      entry: the transaction.
      county, township: where it belongs (of its first relief or advance posting).
      procedure: small, general or emergency for relief; "advance" for an advance.
      account: the relief or advance account posted to.
      amount: the sum of its positive relief/advance postings.
      case: its `case` metadata ("" if missing).
      recipient: its `recipient` metadata ("" if missing).
      settlement: True when it moves an advance into emergency relief.
      pays_out: True when it takes money out of a paying account (reserve, cash, treasury).
      holds_out: True when it takes money out of `Assets:InTransit` or `Assets:Suspense`.

    """

    entry: data.Transaction
    county: str
    township: str
    procedure: str
    account: str
    amount: Decimal
    currency: str
    case: str
    recipient: str
    settlement: bool
    pays_out: bool = False
    holds_out: bool = False

    @property
    def date(self) -> datetime.date:
        """Return the transaction's date."""
        return self.entry.date

    @property
    def meta(self) -> dict[str, Any]:
        """Return the transaction's metadata."""
        return self.entry.meta

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


def _str(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return value if isinstance(value, str) else ""


class Money:
    """The money indexes of a list of transactions (those of the audit date and before)."""

    def __init__(self, transactions: Sequence[data.Transaction]) -> None:
        """Look at every posting once and fill every index."""
        #: The disbursements, in book order, and each one's position in the transactions.
        self.disbursements: list[Disbursement] = []
        self.positions: list[int] = []
        #: The net relief expense per (county, case).
        self.case_amount: dict[tuple[str, str], Decimal] = {}
        #: (date, case) named by the `reverses` of every `#reversal`.
        self.reversed: set[tuple[str, str]] = set()
        #: Transactions tagged `#reversal`.
        self.reversal_entries: list[data.Transaction] = []
        #: Transactions taking money out of relief or advances (neither disbursements nor
        #: reversals): returns and recoveries.
        self.outflows: list[Outflow] = []
        #: Transactions (not reversals) from a paying account into `Assets:InTransit` or
        #: `Assets:Suspense`: bank requests, and paid rows sent to suspense.
        self.into_holding: list[data.Transaction] = []
        #: Transactions carrying a `holder` (the bank's account-holder name).
        self.with_holder: list[data.Transaction] = []
        transaction = self._transaction
        for position, entry in enumerate(transactions):
            transaction(position, entry)

    def _transaction(self, position: int, entry: data.Transaction) -> None:
        meta = entry.meta
        reversal = "reversal" in entry.tags if entry.tags else False
        if reversal:
            reverses = _str(meta, "reverses")
            if " " in reverses:
                date, named = reverses.split(" ", 1)
                self.reversed.add((date.strip(), named.strip()))
        if "holder" in meta:
            self.with_holder.append(entry)
        found = meta.get("case")
        case: str = found if found.__class__ is str and found else case_of(entry)
        first: accounts.AccountInfo | None = None
        amount = ZERO
        currency = ""
        advance_out = False
        into = out = 0  # Bits: 1 a paying account, 2 a holding one (transit, suspense).
        taken: dict[tuple[str, str], Decimal] | None = None
        parse = accounts.parse
        for posting in entry.postings:
            units = posting.units
            if units is None:
                continue
            number = units.number
            info = parse(posting.account)
            if info is None or number is None:
                continue
            role = info.role
            bit = _BITS.get(role)
            if bit is not None:
                if number > ZERO:
                    into |= bit
                elif number < ZERO:
                    out |= bit
                continue
            if role == "relief":
                key = (info.county, case)
                # The posting's own Decimal where it is the first: no new object a case.
                known = self.case_amount.get(key)
                self.case_amount[key] = number if known is None else known + number
            elif role != "advances":
                continue
            if number > ZERO:
                amount = number if amount is ZERO else amount + number
                currency = units.currency
                if first is None or (first.role == "advances" and role == "relief"):
                    first = info
            elif number < ZERO:
                advance_out = advance_out or role == "advances"
                taken = taken if taken is not None else {}
                where = (role, info.county)
                taken[where] = taken.get(where, ZERO) + number
        if reversal:
            self.reversal_entries.append(entry)
            return
        if into & 2 and out & 1:
            self.into_holding.append(entry)
        if first is not None:
            self.disbursements.append(
                Disbursement(
                    entry,
                    first.county,
                    first.township,
                    first.procedure if first.role == "relief" else "advance",
                    first.account,
                    amount,
                    currency,
                    case,
                    _str(meta, "recipient"),
                    advance_out and first.role == "relief",
                    bool(out & 1),
                    bool(out & 2),
                )
            )
            self.positions.append(position)
        elif taken is not None:
            for (role, county), number in taken.items():
                if number < ZERO:
                    self.outflows.append(Outflow(position, entry, role, county, -number))
                    break
