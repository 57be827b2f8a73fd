"""The money pass: one look at every posting of the books, for the indexes the checks share.

A *disbursement* is a transaction with a positive posting to `Expenses:Relief:…` or
`Assets:Advances:…` (SPEC §3). The amount of a case is the sum of its relief-expense postings,
reversals and returns included (SPEC §5). Besides the disbursements and the cases (each with
its amount and its payments, `ledger.disbursement`), the pass notes what the checks would
otherwise look for in a walk of their own: the reversals, the returns and recoveries
(`Outflow`), the bank requests (money from a paying account into a holding one) and the rows
with a `holder`. Each transaction's postings are parsed once.

At 100,000 disbursements the pass is bound by memory, not arithmetic: every transaction, its
metadata, postings, amounts and numbers are objects apart on the heap, each a cache miss on
first touch. So the pass touches each once, and nothing it does not need: one loop; what it
needs of an account (`_kind`) found by one dict lookup a posting (a cache local to the pass)
instead of a parse and attribute reads; a transaction's case read only when a relief posting or a disbursement needs it; the
transaction's postings and metadata fetched together (their misses overlap).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from typing import Final
from typing import cast

from beancount.core import data

from ledger import accounts
from ledger.disbursement import CaseMoney
from ledger.disbursement import Disbursement
from ledger.disbursement import Outflow
from ledger.disbursement import case_of

ZERO: Final = Decimal(0)


def _str(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return value if isinstance(value, str) else ""


# What the pass needs of an account, worked out once per account (`_kind`): its kind, then
# county, township, procedure (small, general, emergency; "advance" for an advance account)
# and name. The kinds are bits: paying (reserve, cash, treasury) and holding (in transit,
# suspense) accounts, whose money is only seen going in or out; relief and advances.
_PAYING: Final = 1
_HOLDING: Final = 2
_RELIEF: Final = 4
_ADVANCES: Final = 8
_Kind = tuple[int, str, str, str, str]
#: Accounts the pass does not look at: outside the project, malformed, or of another role.
_OTHER: Final[_Kind] = (0, "", "", "", "")
_ROLE_KINDS: Final = {
    "reserve": _PAYING,
    "cash": _PAYING,
    "treasury": _PAYING,
    "intransit": _HOLDING,
    "suspense": _HOLDING,
    "relief": _RELIEF,
    "advances": _ADVANCES,
}


def _kind(account: str) -> _Kind:
    """Return what the pass needs of an account (`_OTHER` if it does not look at it)."""
    info = accounts.parse(account)
    kind = _ROLE_KINDS.get(info.role, 0) if info is not None else 0
    if info is None or not kind:
        return _OTHER
    procedure = info.procedure if kind == _RELIEF else "advance"
    return (kind, info.county, info.township, procedure, account)


class Money:
    """The money indexes of a list of transactions (those of the audit date and before)."""

    def __init__(self, transactions: Sequence[data.Transaction]) -> None:
        """Look at every posting once and fill every index."""
        #: The disbursements, in book order.
        self.disbursements: list[Disbursement] = []
        #: Every (county, case) with a relief posting or a disbursement (an empty case has
        #: none): its net relief expense, its disbursements, its last relief payment. Filed
        #: by case number: the county first seen with that number (`case` finds any county).
        self.cases: dict[str, CaseMoney] = {}
        #: The (county, case) of a number already filed for another county (rare).
        self.elsewhere: dict[tuple[str, str], CaseMoney] = {}
        #: The case of every advance, in book order (a case once per advance).
        self.advanced: list[CaseMoney] = []
        #: The case of every disbursement after its case's first, in book order.
        self.repeated: list[CaseMoney] = []
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
        #: The date of the first of those transactions of each `batch` (a non-empty text):
        #: the earliest day money of the batch left a paying account (`paid_dates`).
        self.first_of_batch: dict[str, datetime.date] = {}
        #: Transactions carrying a `holder` (the bank's account-holder name).
        self.with_holder: list[data.Transaction] = []
        self._walk(transactions)

    def _walk(self, transactions: Sequence[data.Transaction]) -> None:
        # One loop: per transaction and posting, no call and no attribute read that the loop
        # can do without. The module is compiled (`ledger.native`): `kinds.get(...)` on a
        # typed dict is a direct C call (a bound method kept in a variable would be a slower
        # generic call), and an `Amount` is read by position (`units[0]` is its number).
        kinds: dict[str, _Kind] = {}  # What the pass needs of each account (`_kind`).
        cases = self.cases
        disbursements = self.disbursements
        advanced = self.advanced
        repeated = self.repeated
        with_holder = self.with_holder
        into_holding = self.into_holding
        first_of_batch = self.first_of_batch
        for position, entry in enumerate(transactions):
            meta = entry.meta
            postings = entry.postings
            if "holder" in meta:
                with_holder.append(entry)
            tags = cast(Any, entry).tags  # Untyped: a plugin's set (`docs/compiled.md`).
            reversal = "reversal" in tags if tags else False
            # The case: read on the first relief posting, or for a disbursement.
            case: str | None = None
            first: _Kind | None = None
            group: CaseMoney | None = None  # The case of `first`, once known.
            amount = ZERO
            currency = ""
            advance_out = False
            into = out = 0  # Bits: _PAYING, _HOLDING.
            taken: dict[tuple[str, str], Decimal] | None = None
            for posting in postings:
                account = posting.account
                found = kinds.get(account)
                if found is None:
                    found = kinds[account] = _kind(account)
                kind = found[0]
                if not kind:
                    continue
                units = posting.units
                if units is None:
                    continue
                number = units[0]
                if number is None:
                    continue
                if kind < _RELIEF:
                    if number > ZERO:
                        into |= kind
                    elif number < ZERO:
                        out |= kind
                    continue
                this: CaseMoney | None = None  # The case of a relief posting.
                if kind == _RELIEF:
                    if case is None:
                        case = _case(meta, entry)
                    if case:
                        this = cases.get(case)
                        if this is None:
                            # The posting's own Decimal where it is the first: no new object.
                            this = cases[case] = CaseMoney(found[1], case, number, [], None)
                        elif this.county == found[1]:
                            this.net += number
                        else:
                            this = self._elsewhere(found[1], case, number)
                if number > ZERO:
                    amount = number if amount is ZERO else amount + number
                    currency = units[1]
                    if first is None or (first[0] == _ADVANCES and kind == _RELIEF):
                        first = found
                        group = this
                elif number < ZERO:
                    advance_out = advance_out or kind == _ADVANCES
                    taken = taken if taken is not None else {}
                    where = ("relief" if kind == _RELIEF else "advances", found[1])
                    taken[where] = taken.get(where, ZERO) + number
            if reversal:
                self._reversal(entry)
                continue
            if into & _HOLDING and out & _PAYING:
                into_holding.append(entry)
                # Read here, while the metadata is at hand (a walk of its own over 50,000
                # requests cost 20 ms at 100,000 payments).
                batch = meta.get("batch")
                if isinstance(batch, str) and batch:
                    earliest = first_of_batch.get(batch)
                    if earliest is None or entry.date < earliest:
                        first_of_batch[batch] = entry.date
            if first is not None:
                if case is None:
                    case = _case(meta, entry)
                if group is None and case:  # An advance: no relief posting named its case.
                    group = cases.get(case)
                    if group is None:
                        group = cases[case] = CaseMoney(first[1], case, ZERO, [], None)
                    elif group.county != first[1]:
                        group = self._elsewhere(first[1], case, ZERO)
                recipient = meta.get("recipient")
                settlement = advance_out and first[0] == _RELIEF
                d = Disbursement(
                    entry,
                    meta,
                    entry.date,
                    first[1],
                    first[2],
                    first[3],
                    first[4],
                    amount,
                    currency,
                    case,
                    recipient if isinstance(recipient, str) else "",
                    settlement,
                    (out & _PAYING) != 0,
                    (out & _HOLDING) != 0,
                    position,
                    group,
                )
                disbursements.append(d)
                if group is not None:
                    if group.payments:
                        repeated.append(group)
                    group.payments.append(d)
                    if first[0] == _RELIEF:
                        group.last_relief = d
                    else:
                        advanced.append(group)
            elif taken is not None:
                self._outflow(position, entry, taken)

    def case(self, county: str, case: str) -> CaseMoney | None:
        """Return a (county, case), if it has a relief posting or a disbursement."""
        found = self.cases.get(case)
        if found is None or found.county == county:
            return found
        return self.elsewhere.get((county, case))

    def all_cases(self) -> list[CaseMoney]:
        """Return every (county, case), each number's first county first."""
        return [*self.cases.values(), *self.elsewhere.values()]

    def _elsewhere(self, county: str, case: str, number: Decimal) -> CaseMoney:
        """Add `number` to the (county, case) of a number first filed for another county."""
        found = self.elsewhere.get((county, case))
        if found is None:
            found = self.elsewhere[(county, case)] = CaseMoney(county, case, number, [], None)
        else:
            found.net += number
        return found

    def _reversal(self, entry: data.Transaction) -> None:
        reverses = _str(entry.meta, "reverses")
        if " " in reverses:
            date, named = reverses.split(" ", 1)
            self.reversed.add((date.strip(), named.strip()))
        self.reversal_entries.append(entry)

    def _outflow(
        self, position: int, entry: data.Transaction, taken: dict[tuple[str, str], Decimal]
    ) -> None:
        for (role, county), number in taken.items():
            if number < ZERO:
                self.outflows.append(Outflow(position, entry, role, county, -number))
                break


def _case(meta: dict[str, Any], entry: data.Transaction) -> str:
    found = meta.get("case")
    return found if found.__class__ is str and found else case_of(entry)
