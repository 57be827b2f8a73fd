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

import bisect
import contextlib
import datetime
import hashlib
import re
import weakref
from decimal import Decimal

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location
from ledger.index import BookIndex
from ledger.money import Disbursement
from ledger.money import Outflow
from ledger.money import case_of

ZERO = Decimal(0)
_LINK_SAFE = re.compile(r"[A-Za-z0-9\-_/.]+")
LEVELS: tuple[str, ...] = ("township", "county", "conference")
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


_Case = tuple[str, str]  # (county, case)


class CaseView:
    """The disbursements of the books as payments, with what undoes and pairs them.

    At 100,000 payments the view is bound by memory (each payment an object apart on the
    heap, a cache miss on first touch), so the payments are walked once (`_file`), each filed
    by case and its case's last relief payment noted in the same step. Only the cases of
    undone payments and of advances are looked at again, never every case.
    """

    def __init__(self, books: Books) -> None:
        """Classify every disbursement and correction dated on or before the audit date."""
        # No reference to `books` is kept: the view is cached in a WeakKeyDictionary keyed by
        # the books, and a value that refers to its key would keep both alive forever.
        index = books.index
        # The index's disbursements exclude `#reversal`s: a reversal is a correction.
        self.disbursements: list[Disbursement] = index.disbursements
        self.reversed: set[int] = set()
        self.undone: set[int] = set()
        #: (county, case) -> its payments in effect in book order, by first such payment.
        self.by_case: dict[_Case, list[Disbursement]] = {}
        #: Settlement entry id -> the in-effect advance of its case it settles (a lookup).
        self.advance_of: dict[int, Disbursement] = {}
        #: Ids of advances that have an in-effect settlement.
        self.settled: set[int] = set()
        #: (county, case) -> its last relief payment in effect, in the order of `by_case`.
        self.last_relief: dict[_Case, Disbursement] = {}
        self._reversals(index)
        advanced: list[_Case] = []  # The case of every advance filed.
        undone: list[_Case] = []  # The cases of payments a return undid.
        # A return undoes a payment booked before it: the walk stops at each return (found
        # by bisecting the payments' positions), when `by_case` holds exactly those payments.
        money, payments, start = index.money, self.disbursements, 0
        for outflow in money.outflows:
            stop = bisect.bisect_left(money.positions, outflow.position, start)
            self._file(payments[start:stop], self.reversed, advanced)
            start = stop
            undone += self._return(outflow)
        self._file(payments[start:] if start else payments, self.reversed, advanced)
        if undone:
            self._drop(undone, advanced)
        self._pair(advanced)

    def _file(self, payments: list[Disbursement], gone: set[int], advanced: list[_Case]) -> None:
        """File payments by case, noting each case's last relief payment and its advances.

        A case's first payment holds its place in `last_relief` (a dict keeps the order of
        insertion, `by_case`'s); a relief payment replaces it; `_pair` drops advances alone.
        """
        by_case, last_relief = self.by_case, self.last_relief
        get = by_case.get
        for d in payments:
            case = d.case
            if not case or (gone and id(d.entry) in gone):
                continue
            key = (d.county, case)
            group = get(key)
            advance = d.procedure == "advance"
            if group is None:
                by_case[key] = [d]
                last_relief[key] = d
            else:
                group.append(d)
                if not advance:
                    last_relief[key] = d
            if advance:
                advanced.append(key)

    def _drop(self, undone: list[_Case], advanced: list[_Case]) -> None:
        """Take the payments a return undid out of their cases; file all again if need be.

        (When an undone payment was its case's first and others remain, the case moves.)
        """
        by_case, last_relief = self.by_case, self.last_relief
        for key in dict.fromkeys(undone):
            group = by_case[key]
            kept = [d for d in group if id(d.entry) not in self.undone]
            if kept and kept[0] is not group[0]:
                for found in by_case, last_relief, advanced:
                    found.clear()
                self._file(self.disbursements, self.reversed | self.undone, advanced)
                return
            if not kept:
                del by_case[key], last_relief[key]
                continue
            by_case[key] = kept
            relief = [d for d in kept if not d.is_advance]
            if relief:
                last_relief[key] = relief[-1]
            else:
                del last_relief[key]

    def _pair(self, advanced: list[_Case]) -> None:
        """Pair each settlement with its case's advance; drop cases of advances alone."""
        for key in dict.fromkeys(advanced):
            last = self.last_relief.get(key)
            if last is not None and last.is_advance:  # It held its case's place: no relief.
                del self.last_relief[key]
            group = self.by_case.get(key, [])  # Empty: undone.
            advances = [d for d in group if d.is_advance]
            for d in group:
                if d.settlement:
                    earlier = [a for a in advances if a.date <= d.date] or advances
                    if earlier:
                        self.advance_of[id(d.entry)] = earlier[0]
                        self.settled.add(id(earlier[0].entry))

    def _reversals(self, index: BookIndex) -> None:
        wanted: dict[tuple[str, str], list[data.Transaction]] = {}
        reversals = []
        for entry in index.money.reversal_entries:
            reverses = entry.meta.get("reverses")
            if isinstance(reverses, str):
                date, _, case = reverses.strip().partition(" ")
                reversals.append((entry, (date, case.strip())))
                wanted[(date, case.strip())] = []
        if not reversals:
            return
        # Only the transactions of the (date, case) pairs some reversal names are candidates:
        # their dates are compared as dates (no string made per transaction).
        days = {_day(date) for date, _ in wanted}
        for entry in index.transactions:
            if entry.date in days and "reversal" not in (entry.tags or ()):
                found = wanted.get((entry.date.isoformat(), case_of(entry)))
                if found is not None:
                    found.append(entry)
        for entry, target in reversals:
            negated = sorted((a, -n, c) for a, n, c in _postings(entry))
            candidates = [t for t in wanted[target] if id(t) not in self.reversed]
            exact = [t for t in candidates if _postings(t) == negated]
            if exact:
                self.reversed.add(id(exact[0]))
            elif _moves(entry, positive=False):
                # Not an exact mirror: it still undoes a payment of that date and case.
                payments = [t for t in candidates if _moves(t, positive=True)]
                if payments:
                    self.reversed.add(id(payments[0]))

    def _return(self, outflow: Outflow) -> list[_Case]:
        """Undo the payment a return (or recovery) takes back in full; return its case."""
        entry = outflow.entry
        case = entry.meta.get("case")
        if id(entry) in self.reversed or not isinstance(case, str):
            return []
        key = (outflow.county, case)
        kind = [  # Of the payments booked before the return (`__init__`).
            d for d in self.by_case.get(key, [])
            if id(d.entry) not in self.undone and d.is_advance == (outflow.role == "advances")
        ]
        batch = entry.meta.get("batch")
        full = [d for d in kind if d.amount == outflow.amount]
        same_batch = [d for d in full if batch and d.meta.get("batch") == batch]
        chosen = (same_batch or full)[-1:] if full else []
        self.undone.update(id(d.entry) for d in chosen)
        return [key] if chosen else []

    def in_effect(self, d: Disbursement) -> bool:
        """Return True unless a reversal or a full return (or recovery) undid the payment."""
        return id(d.entry) not in self.reversed and id(d.entry) not in self.undone


_VIEWS: weakref.WeakKeyDictionary[Books, CaseView] = weakref.WeakKeyDictionary()


def view(books: Books) -> CaseView:
    """Return the case view of the books (computed once per `Books`)."""
    found = _VIEWS.get(books)
    if found is None:
        found = _VIEWS[books] = CaseView(books)
    return found


def where(books: Books, d: Disbursement) -> str:
    """Return "柳巷街道 case YZ-001" for messages."""
    name = books.directory.township_name(d.county, d.township)
    return f"{name} case {d.case or '(no case)'}"


def money(amount: Decimal, currency: str) -> str:
    """Return "650.00 CNY"."""
    return f"{format_amount(amount)} {currency}".strip()


def finding(
    books: Books, code: str, d: Disbursement, text: str, amount: Decimal | None = None
) -> Finding:
    """Return a finding of a code at a disbursement, its message "CODE <where>: <text>"."""
    file, line = location(d.meta)
    return Finding(
        code=code,
        message=f"{code} {where(books, d)}: {text}",
        file=file,
        line=line,
        date=d.date.isoformat(),
        county=d.county,
        township=d.township,
        township_name=books.directory.township_name(d.county, d.township),
        case=d.case,
        amount=d.amount if amount is None else amount,
        currency=d.currency,
        entry=d.entry,
    )


def unique(findings: list[Finding]) -> list[Finding]:
    """Return findings with at most one per (code, entry) (SPEC §5), the first kept."""
    seen: set[tuple[str, int]] = set()
    kept = []
    for f in findings:
        key = (f.code, id(f.entry))
        if f.entry is None or key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def level_of(d: Disbursement) -> str:
    """Return the valid `approval` of a disbursement (township, county, conference), or ""."""
    value = d.meta.get("approval")
    return value if value in LEVELS else ""
