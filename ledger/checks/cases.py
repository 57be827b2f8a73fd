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

import hashlib
import re
import weakref
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location
from ledger.index import BookIndex
from ledger.money import Disbursement
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


class CaseView:
    """The disbursements of the books as payments, with what undoes and pairs them."""

    def __init__(self, books: Books) -> None:
        """Classify every disbursement and correction dated on or before the audit date."""
        # No reference to `books` is kept: the view is cached in a WeakKeyDictionary keyed by
        # the books, and a value that refers to its key would keep both alive forever.
        index = books.index
        # The index's disbursements exclude `#reversal`s: a reversal is a correction.
        self.disbursements: list[Disbursement] = index.disbursements
        self.reversed: set[int] = set()
        self.undone: set[int] = set()
        self._reversals(index)
        self._returns(index)
        self.by_case: dict[tuple[str, str], list[Disbursement]] = {}
        gone = self.reversed | self.undone
        for d in self.disbursements:
            if d.case and id(d.entry) not in gone:
                group = self.by_case.get((d.county, d.case))
                if group is None:
                    self.by_case[(d.county, d.case)] = [d]
                else:
                    group.append(d)
        #: Settlement entry id -> the in-effect advance of its case it settles.
        self.advance_of: dict[int, Disbursement] = {}
        #: Ids of advances that have an in-effect settlement.
        self.settled: set[int] = set()
        #: (county, case) -> its last relief payment in effect (advances excluded).
        self.last_relief: dict[tuple[str, str], Disbursement] = {}
        for key, group in self.by_case.items():
            if len(group) == 1:  # Most cases: one payment, no advance to pair.
                if group[0].procedure != "advance":
                    self.last_relief[key] = group[0]
                continue
            advances = [d for d in group if d.is_advance]
            for d in group:
                if d.settlement:
                    earlier = [a for a in advances if a.date <= d.date] or advances
                    if earlier:
                        self.advance_of[id(d.entry)] = earlier[0]
                        self.settled.add(id(earlier[0].entry))
            relief = [d for d in group if not d.is_advance]
            if relief:
                self.last_relief[key] = relief[-1]

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
        # Only the transactions of the (date, case) pairs some reversal names are candidates.
        dates = {date for date, _ in wanted}
        for entry in index.transactions:
            if entry.date.isoformat() in dates and "reversal" not in (entry.tags or ()):
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

    def _returns(self, index: BookIndex) -> None:
        outflows = index.money.outflows
        if not outflows:
            return
        open_payments: dict[tuple[str, str], list[Disbursement]] = defaultdict(list)
        payments = zip(index.money.positions, index.disbursements, strict=True)
        pending = next(payments, None)
        for position, entry, role, county, amount in outflows:
            # The payments booked before this transaction are the ones it may undo.
            while pending is not None and pending[0] < position:
                d = pending[1]
                if id(d.entry) not in self.reversed and d.case:
                    open_payments[(d.county, d.case)].append(d)
                pending = next(payments, None)
            case = entry.meta.get("case")
            if id(entry) in self.reversed or not isinstance(case, str):
                continue
            kind = [
                d
                for d in open_payments.get((county, case), [])
                if id(d.entry) not in self.undone and d.is_advance == (role == "advances")
            ]
            batch = entry.meta.get("batch")
            full = [d for d in kind if d.amount == amount]
            same_batch = [d for d in full if batch and d.meta.get("batch") == batch]
            chosen = (same_batch or full)[-1:] if full else []
            for d in chosen:
                self.undone.add(id(d.entry))

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
