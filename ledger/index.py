"""The indexes the checks share: transactions, approval records, explained findings.

Only entries dated on or before the audit date are indexed. The money indexes (disbursements,
cases, reversals: a look at every posting) are `ledger.money`'s, made on first use so that the
families that do not need them do not pay for them.

The approval records (one per case: 100,000 in a large city) are joined to the money pass's
cases by case number alone (`_join`), which needs only each record's values: the county of a
record is its township's (in its metadata, a cache miss of its own per record on large
books), and it is only worked out where a question needs it. PAID-OVER-APPROVED asks whether a
case paid more than its record (`over_approved`): a case paid within the one record of its
number is within its approval whatever that record's county, so only a case paid over it, or
a number with several records, has its records' townships read (`approved`). The records by
(county, case) (`approvals`) are made on first use, for the rarer questions that need them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from ledger.disbursement import CaseMoney
from ledger.disbursement import Disbursement
from ledger.money import Money

if TYPE_CHECKING:
    from ledger.books import Books


class BookIndex:
    """Indexes over the entries dated on or before the audit date."""

    def __init__(self, books: Books) -> None:
        """Walk the entries once for the cheap indexes; the money indexes wait for first use.

        Transactions, customs, approval records and explained findings are gathered at once;
        disbursements, cases and reversals (a look at every posting) only when a
        check asks for them, so that the families that do not need them do not pay for them.
        """
        # Made on first use (`functools.cached_property` is not used: the module is
        # compiled with mypyc, `ledger.native`, which computes such a property anew on
        # every read).
        self._money: Money | None = None
        self._approvals: dict[tuple[str, str], data.Custom] | None = None
        self._by_case: dict[str, list[data.Custom]] | None = None
        self._joined = False
        # The directory, not the books: a view that refers to its books makes a cycle,
        # which only the garbage collector can free (the books and all their views).
        self._directory = books.directory
        self.transactions: list[data.Transaction] = []
        self.approval_list: list[data.Custom] = []
        #: (code, subject) pairs covered by `custom "explained"`.
        self.explained: set[tuple[str, str]] = set()
        #: `custom "explained"` entries without a `reason:` or a `by:` (SPEC §3 asks for
        #: both): they explain nothing, and the audit's text output lists them.
        self.unsigned_explanations: list[data.Custom] = []
        self._counties: dict[str, str] = {}
        self._build(books)

    @property
    def money(self) -> Money:
        """Return the money indexes (`ledger.money`), made on first use."""
        found = self._money
        if found is None:
            found = self._money = Money(self.transactions)
        return found

    @property
    def disbursements(self) -> list[Disbursement]:
        """Return the disbursements (SPEC §3), in date order."""
        return self.money.disbursements

    @property
    def reversed(self) -> set[tuple[str, str]]:
        """Return (date, case) of every transaction reversed by a `#reversal`."""
        return self.money.reversed

    @property
    def approvals(self) -> dict[tuple[str, str], data.Custom]:
        """Return the latest record per (county, case); county "" for an unknown township."""
        if self._approvals is not None:
            return self._approvals
        approvals: dict[tuple[str, str], data.Custom] = {}
        for entry in self.approval_list:
            values = entry.values
            case = values[0][0] if values else None
            if isinstance(case, str):
                township = entry.meta.get("township")
                county = self._township_county(township if isinstance(township, str) else "")
                approvals[(county, case)] = entry
        self._approvals = approvals
        return approvals

    def _records_by_case(self) -> dict[str, list[data.Custom]]:
        """Return the records of each case number, in book order (made on first use)."""
        if self._by_case is not None:
            return self._by_case
        found: dict[str, list[data.Custom]] = {}
        for entry in self.approval_list:
            values = entry.values
            case = values[0][0] if values else None
            if isinstance(case, str):
                found.setdefault(case, []).append(entry)
        self._by_case = found
        return found

    def approved(self, county: str, case: str) -> tuple[Decimal, data.Custom] | None:
        """Return the amount and the latest well-formed record of a (county, case), or None.

        Well-formed: a case, an amount, a known township (whose county is the record's).
        This is what a case's payments are compared with (PAID-OVER-APPROVED).
        """
        for entry in self._records_by_case().get(case, [])[::-1]:  # The latest first.
            values = entry.values
            amount = values[1][0] if len(values) >= 2 else None
            if isinstance(amount, Amount) and amount[0] is not None:
                township = entry.meta.get("township")
                found = self._township_county(township if isinstance(township, str) else "")
                if found and found == county:
                    return amount[0], entry
        return None

    def over_approved(self, group: CaseMoney, net: Decimal) -> data.Custom | None:
        """Return the approval record of a case whose amount `net` exceeds, or None.

        The one record of a case number settles it at once when its amount is `net` or more
        (either it is the case's record, and the case is within it, or it is another county's,
        and the case has none) or when it has no amount (no limit). Otherwise the records of
        the number are looked at one by one (`approved`).
        """
        if not self._joined:  # Joined on the first question.
            self._join()
        records = group.records
        if records == 0:
            return None
        if records == 1:
            limit = group.limit
            if limit is None or net <= limit:
                return None
        found = self.approved(group.county, group.case)
        return found[1] if found is not None and net > found[0] else None

    def _join(self) -> None:
        """Note on each paid case the records of its number: how many, the latest amount.

        Done once, on the first question (`over_approved`).

        One loop over the records, no call but the dict's: `Custom` and `ValueType` are named
        tuples (`values[0][0]` is the first value), and a record's amount is read only when
        its number was paid.
        """
        money = self.money
        cases = money.cases
        for entry in self.approval_list:
            values = entry.values
            case = values[0][0] if values else None
            if case.__class__ is str or isinstance(case, str):
                found = cases.get(case)
                if found is not None:
                    amount = values[1][0] if len(values) >= 2 else None
                    found.limit = amount[0] if isinstance(amount, Amount) else None
                    found.records += 1
        for other in money.elsewhere.values():  # The number's other counties: the same.
            first = money.cases[other.case]
            other.records, other.limit = first.records, first.limit
        self._joined = True

    def _township_county(self, township: str) -> str:
        county = self._counties.get(township)
        if county is None:
            found = self._directory.township_by_name(None, township)
            county = self._counties[township] = found.county if found is not None else ""
        return county

    def _build(self, books: Books) -> None:
        # The walk over the entries is the postings view's (`ledger.postings`): one walk
        # serves both, whichever family asks first.
        view = books.postings
        self.transactions = view.transactions
        self.approval_list = list(view.customs("approval"))
        for entry in view.customs("explained"):
            if len(entry.values) < 2:
                continue
            if not (_text(entry.meta, "reason") and _text(entry.meta, "by")):
                self.unsigned_explanations.append(entry)
                continue
            code, subject = (str(v.value) for v in entry.values[:2])
            self.explained.add((code, subject))

    def is_explained(self, code: str, subject: str) -> bool:
        """Return True if an `explained` entry covers this code and case (or account)."""
        return bool(subject) and (code, subject) in self.explained

    def township_name(self, county: str, township: str) -> str:
        """Return the Chinese name of a township (or county)."""
        return self._directory.township_name(county, township)


def _text(meta: dict[str, Any] | None, key: str) -> bool:
    value = (meta or {}).get(key)
    return isinstance(value, str) and bool(value.strip())
