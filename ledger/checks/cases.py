"""Payments in effect, shared by the `approval` and `payments` families (SPEC §3, §5).

Built once per `Books` over `books.index`: the disbursements that are payments (a `#reversal`
is a correction, never a payment), which of them a reversal or a full return undoes, each
settlement's advance, and each case's last relief payment. A reversal undoes the transaction
dated and cased as its `reverses` names, preferring the one whose postings it negates. A
*return* is a transaction (not a reversal) that takes money out of relief or advances again:
a bank return (退票) or an advance's recovery; it undoes the latest earlier payment of its
case whose amount it matches in full (same batch first). Partial returns only lower the case
amount.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import weakref
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.disbursement import CaseMoney
from ledger.disbursement import Disbursement
from ledger.disbursement import Outflow
from ledger.disbursement import case_of
from ledger.money import Money

ZERO: Final = Decimal(0)
_LINK_SAFE: Final[re.Pattern[str]] = re.compile(r"[A-Za-z0-9\-_/.]+")
LEVELS: Final[tuple[str, ...]] = ("township", "county", "conference")
_Posting = tuple[str, Decimal, str]


def advance_link(case: str) -> str:
    """Return the `^adv-` link (without `^`) of a case (SPEC §3)."""
    if _LINK_SAFE.fullmatch(case):
        return f"adv-{case}"
    return "adv-" + hashlib.sha256(case.encode("utf-8")).hexdigest()[:12]


def names_case(link: str, case: str) -> bool:
    """Return True if an `adv-` link names this case (in either of its two forms)."""
    digest = "adv-" + hashlib.sha256(case.encode("utf-8")).hexdigest()[:12]
    return link in (f"adv-{case}", digest)


def _postings(entry: data.Transaction) -> list[_Posting]:
    return sorted(
        (p.account, p.units.number, p.units.currency)
        for p in entry.postings
        if p.units is not None and p.units.number is not None
    )


def _moves(entry: data.Transaction, *, positive: bool) -> bool:
    """Return True if a transaction posts into (or out of) relief or advances."""
    for account, number, _ in _postings(entry):
        info = accounts.parse(account)
        if info is not None and info.role in ("relief", "advances") and (number > 0 if positive else number < 0):
            return True
    return False


def _day(text: str) -> datetime.date | None:
    """Return the date a `reverses` names, if it is written as `date.isoformat` writes it."""
    with contextlib.suppress(ValueError):
        day = datetime.date.fromisoformat(text)
        return day if day.isoformat() == text else None
    return None


class CaseView:
    """The disbursements of the books as payments, with what undoes and pairs them.

    A case's payments and its last relief payment are the money pass's (`CaseMoney`), each
    disbursement referring to its case: at 100,000 payments a look-up in a map of every case
    costs a few cache misses, so no rule looks a case up. Only the cases of payments a
    reversal or return undid are filed again here (`_kept`, `changed`), and only the cases of
    advances are looked at for pairing.
    """

    def __init__(self, books: Books) -> None:
        """Classify every disbursement and correction dated on or before the audit date."""
        # No reference to `books` is kept: the view is cached in a WeakKeyDictionary keyed by
        # the books, and a value that refers to its key would keep both alive forever.
        index = books.index
        money = index.money
        # The index's disbursements exclude `#reversal`s: a reversal is a correction.
        self.disbursements: list[Disbursement] = index.disbursements
        self._money = money
        self._repeated = money.repeated
        self.reversed: set[int] = set()
        self.undone: set[int] = set()
        #: Settlement entry id -> the in-effect advance of its case it settles (a lookup).
        self.advance_of: dict[int, Disbursement] = {}
        #: Ids of advances that have an in-effect settlement.
        self.settled: set[int] = set()
        #: The cases some payment of which is undone: their payments in effect, and their
        #: last relief payment in effect (None when none is left). Empty in most books; for
        #: any other case the money pass's `last_relief` holds (the approval loop reads
        #: `changed` itself).
        self._kept: dict[CaseMoney, list[Disbursement]] = {}
        self.changed: dict[CaseMoney, Disbursement | None] = {}
        gone: list[Disbursement] = []  # The payments undone, by a reversal or a return.
        self._reversals(money, gone)
        for outflow in money.outflows:
            self._return(outflow, gone)
        if gone:
            self._drop(gone)
        self._pair(money.advanced)

    def payments(self, case: CaseMoney) -> list[Disbursement]:
        """Return the payments in effect of a case, in book order."""
        kept = self._kept
        return kept.get(case, case.payments) if kept else case.payments

    def last_relief(self, case: CaseMoney) -> Disbursement | None:
        """Return the last relief payment in effect of a case (None: advances alone, or none)."""
        changed = self.changed
        return changed.get(case, case.last_relief) if changed else case.last_relief

    def cases(self) -> Iterator[tuple[CaseMoney, list[Disbursement]]]:
        """Yield each case with payments in effect, and those payments."""
        for case in self._money.all_cases():
            payments = self.payments(case)
            if payments:
                yield case, payments

    def repeated(self) -> Iterator[list[Disbursement]]:
        """Yield the payments in effect of each case that has more than one."""
        for case in dict.fromkeys(self._repeated):
            payments = self.payments(case)
            if len(payments) > 1:
                yield payments

    def _drop(self, gone: list[Disbursement]) -> None:
        """File again the cases of the payments a reversal or a return undid."""
        undone = self.reversed | self.undone
        for d in gone:
            case = d.group
            if case is not None and case not in self._kept:
                kept = [p for p in case.payments if id(p.entry) not in undone]
                self._kept[case] = kept
                relief = [p for p in kept if not p.is_advance]
                self.changed[case] = relief[-1] if relief else None

    def _pair(self, advanced: list[CaseMoney]) -> None:
        """Pair each settlement with its case's advance."""
        for case in dict.fromkeys(advanced):
            group = self.payments(case)
            advances = [d for d in group if d.is_advance]
            for d in group:
                if d.settlement:
                    earlier = [a for a in advances if a.date <= d.date] or advances
                    if earlier:
                        self.advance_of[id(d.entry)] = earlier[0]
                        self.settled.add(id(earlier[0].entry))

    def _reversals(self, money: Money, gone: list[Disbursement]) -> None:
        """Note what each reversal undoes: a payment, or a return (which then undoes nothing).

        The candidates are the payments and returns of the (date, case) a reversal names, in
        book order. (Only those matter: a reversal that undoes a payment takes money out of
        relief or advances again, and the transaction it mirrors put it in, a disbursement.)
        """
        wanted: dict[tuple[str, str], list[tuple[int, data.Transaction, Disbursement | None]]]
        wanted = {}
        reversals = []
        for entry in money.reversal_entries:
            reverses = entry.meta.get("reverses")
            if isinstance(reverses, str):
                date, _, case = reverses.strip().partition(" ")
                reversals.append((entry, (date, case.strip())))
                wanted[(date, case.strip())] = []
        if not reversals:
            return
        # Only the payments of the (date, case) pairs some reversal names are candidates:
        # their dates are compared as dates (no string made per payment).
        days = {_day(date) for date, _ in wanted}
        for d in self.disbursements:
            if d.date in days:
                found = wanted.get((d.date.isoformat(), d.case))
                if found is not None:
                    found.append((d.position, d.entry, d))
        for outflow in money.outflows:
            entry = outflow.entry
            if entry.date in days:
                found = wanted.get((entry.date.isoformat(), case_of(entry)))
                if found is not None:
                    found.append((outflow.position, entry, None))
                    found.sort(key=lambda c: c[0])
        for entry, target in reversals:
            negated = sorted((a, -n, c) for a, n, c in _postings(entry))
            candidates = [c for c in wanted[target] if id(c[1]) not in self.reversed]
            exact = [c for c in candidates if _postings(c[1]) == negated]
            if not exact and _moves(entry, positive=False):
                # Not an exact mirror: it still undoes a payment of that date and case.
                exact = [c for c in candidates if _moves(c[1], positive=True)]
            if exact:
                _, undone, payment = exact[0]
                self.reversed.add(id(undone))
                if payment is not None:
                    gone.append(payment)

    def _return(self, outflow: Outflow, gone: list[Disbursement]) -> None:
        """Undo the payment a return (or recovery) takes back in full."""
        entry = outflow.entry
        case = entry.meta.get("case")
        if id(entry) in self.reversed or not isinstance(case, str):
            return
        found = self._money.case(outflow.county, case)
        if found is None:
            return
        advances = outflow.role == "advances"
        kind = [  # Of the payments in effect booked before the return.
            d for d in found.payments
            if d.position < outflow.position
            and id(d.entry) not in self.reversed
            and id(d.entry) not in self.undone
            and d.is_advance == advances
        ]
        batch = entry.meta.get("batch")
        full = [d for d in kind if d.amount == outflow.amount]
        same_batch = [d for d in full if batch and d.meta.get("batch") == batch]
        chosen = (same_batch or full)[-1:] if full else []
        self.undone.update(id(d.entry) for d in chosen)
        gone += chosen

    def in_effect(self, d: Disbursement) -> bool:
        """Return True unless a reversal or a full return (or recovery) undid the payment."""
        return id(d.entry) not in self.reversed and id(d.entry) not in self.undone


_VIEWS: Final[weakref.WeakKeyDictionary[Books, CaseView]] = weakref.WeakKeyDictionary()


def view(books: Books) -> CaseView:
    """Return the case view of the books (computed once per `Books`)."""
    found = _VIEWS.get(books)
    if found is None:
        found = _VIEWS[books] = CaseView(books)
    return found


def level_of(d: Disbursement) -> str:
    """Return the valid `approval` of a disbursement (township, county, conference), or ""."""
    value = d.meta.get("approval")
    return value if isinstance(value, str) and value in LEVELS else ""
