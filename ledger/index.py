"""One pass over the books: the indexes the checks share (disbursements, cases, approvals).

Only entries dated on or before the audit date are indexed. A *disbursement* is a transaction
with a positive posting to `Expenses:Relief:…` or `Assets:Advances:…` (SPEC §3). The amount of
a case is the sum of its relief-expense postings, reversals and returns included (SPEC §5).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import operator
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from ledger import accounts

if TYPE_CHECKING:
    from ledger.books import Books

ZERO = Decimal(0)
_date = operator.attrgetter("date")
# The paying accounts (1) and the holding ones (2) a payment's money leaves or enters.
_BITS = {"reserve": 1, "cash": 1, "treasury": 1, "intransit": 2, "suspense": 2}


class Outflow(NamedTuple):
    """Money a transaction takes out of relief or advances: a return, a recovery.

    Attributes:
      position: the transaction's position in `BookIndex.transactions`.
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


class BookIndex:
    """Indexes over the entries dated on or before the audit date."""

    def __init__(self, books: Books) -> None:
        """Walk the entries once for the cheap indexes; the money indexes wait for first use.

        Transactions, customs, approval records and explained findings are gathered at once;
        disbursements, case amounts and reversals (a look at every posting) only when a
        check asks for them, so that the families that do not need them do not pay for them.
        """
        self.books = books
        self.transactions: list[data.Transaction] = []
        #: `custom "approval"` records per (county, case).
        self.approvals: dict[tuple[str, str], data.Custom] = {}
        self.approval_list: list[data.Custom] = []
        #: The latest well-formed record (a case, an amount, a known township) per (county,
        #: case): what a case's payments are checked against (PAID-OVER-APPROVED).
        self.approval_records: dict[tuple[str, str], data.Custom] = {}
        #: (code, subject) pairs covered by `custom "explained"`.
        self.explained: set[tuple[str, str]] = set()
        self.customs: dict[str, list[data.Custom]] = defaultdict(list)
        self._counties: dict[str, str] = {}
        self._money_built = False
        self._disbursements: list[Disbursement] = []
        self._case_amount: dict[tuple[str, str], Decimal] = {}
        self._case_entries: dict[tuple[str, str], list[data.Transaction]] = {}
        self._reversed: set[tuple[str, str]] = set()
        self._positions: list[int] = []
        self._outflows: list[Outflow] = []
        self._reversal_entries: list[data.Transaction] = []
        self._into_holding: list[data.Transaction] = []
        self._with_holder: list[data.Transaction] = []
        self._build()

    @property
    def disbursements(self) -> list[Disbursement]:
        """Return the disbursements (SPEC §3), in date order."""
        self._money()
        return self._disbursements

    @property
    def case_amount(self) -> dict[tuple[str, str], Decimal]:
        """Return the net relief expense per (county, case)."""
        self._money()
        return self._case_amount

    @property
    def case_entries(self) -> dict[tuple[str, str], list[data.Transaction]]:
        """Return the transactions posting relief expense per (county, case)."""
        self._money()
        return self._case_entries

    @property
    def reversed(self) -> set[tuple[str, str]]:
        """Return (date, case) of every transaction reversed by a `#reversal`."""
        self._money()
        return self._reversed

    @property
    def positions(self) -> list[int]:
        """Return each disbursement's position in `transactions` (parallel to disbursements)."""
        self._money()
        return self._positions

    @property
    def outflows(self) -> list[Outflow]:
        """Return the transactions taking money out of relief or advances (returns, recoveries).

        Only transactions that are neither disbursements nor `#reversal`s, in book order.
        """
        self._money()
        return self._outflows

    @property
    def reversal_entries(self) -> list[data.Transaction]:
        """Return the transactions tagged `#reversal`, in book order."""
        self._money()
        return self._reversal_entries

    @property
    def into_holding(self) -> list[data.Transaction]:
        """Return the transactions (not reversals) from a paying account into a holding one.

        The holding accounts are `Assets:InTransit` and `Assets:Suspense`: bank requests, and
        paid rows sent to suspense.
        """
        self._money()
        return self._into_holding

    @property
    def with_holder(self) -> list[data.Transaction]:
        """Return the transactions carrying a `holder` (the bank's account-holder name)."""
        self._money()
        return self._with_holder

    def _money(self) -> None:
        # One look at every posting serves every money index: the checks that need them
        # share the pass instead of each parsing the postings again.
        if not self._money_built:
            self._money_built = True
            transaction = self._transaction
            for position, entry in enumerate(self.transactions):
                transaction(position, entry)

    def _township_county(self, township: str) -> str:
        county = self._counties.get(township)
        if county is None:
            found = self.books.directory.township_by_name(None, township)
            county = self._counties[township] = found.county if found is not None else ""
        return county

    def _build(self) -> None:
        entries = self.books.entries
        # The entries are in date order: those of the audit date and before are a prefix.
        head = entries[: bisect.bisect_right(entries, self.books.as_of, key=_date)]
        transaction, custom = data.Transaction, data.Custom
        self.transactions = [e for e in head if e.__class__ is transaction]
        approval = self._approval
        for entry in [e for e in head if e.__class__ is custom]:
            kind = entry.type
            self.customs[kind].append(entry)
            if kind == "approval":
                approval(entry)
            elif kind == "explained" and len(entry.values) >= 2:
                code, subject = (str(v.value) for v in entry.values[:2])
                self.explained.add((code, subject))

    def _approval(self, entry: data.Custom) -> None:
        self.approval_list.append(entry)
        values = entry.values
        case = values[0].value if values else None
        if not isinstance(case, str):
            return
        township = entry.meta.get("township")
        if not isinstance(township, str):
            township = ""
        county = self._counties.get(township)
        if county is None:
            county = self._township_county(township)
        # The latest record of a case wins (a corrected register row is imported again).
        key = (county, case)
        self.approvals[key] = entry
        if county and len(values) >= 2:
            amount = values[1].value
            if isinstance(amount, Amount) and amount.number is not None:
                self.approval_records[key] = entry

    def _transaction(self, position: int, entry: data.Transaction) -> None:
        meta = entry.meta
        reversal = "reversal" in entry.tags if entry.tags else False
        if reversal:
            reverses = _str(meta, "reverses")
            if " " in reverses:
                date, named = reverses.split(" ", 1)
                self._reversed.add((date.strip(), named.strip()))
        if "holder" in meta:
            self._with_holder.append(entry)
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
                self._case_amount[key] = self._case_amount.get(key, ZERO) + number
                same_case = self._case_entries.get(key)
                if same_case is None:
                    self._case_entries[key] = [entry]
                elif same_case[-1] is not entry:
                    same_case.append(entry)
            elif role != "advances":
                continue
            if number > ZERO:
                amount += number
                currency = units.currency
                if first is None or (first.role == "advances" and role == "relief"):
                    first = info
            elif number < ZERO:
                advance_out = advance_out or role == "advances"
                taken = taken if taken is not None else {}
                where = (role, info.county)
                taken[where] = taken.get(where, ZERO) + number
        if reversal:
            self._reversal_entries.append(entry)
            return
        if into & 2 and out & 1:
            self._into_holding.append(entry)
        if first is not None:
            self._disbursements.append(
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
            self._positions.append(position)
        elif taken is not None:
            for (role, county), number in taken.items():
                if number < ZERO:
                    self._outflows.append(Outflow(position, entry, role, county, -number))
                    break

    def is_explained(self, code: str, subject: str) -> bool:
        """Return True if an `explained` entry covers this code and case (or account)."""
        return bool(subject) and (code, subject) in self.explained

    def township_name(self, county: str, township: str) -> str:
        """Return the Chinese name of a township (or county)."""
        return self.books.directory.township_name(county, township)
