"""RESERVE-MISUSE: where money leaving a township's reserve or cash box may go (SPEC §5).

A township's reserve (备用金) exists to pay relief. Money may leave its reserve or cash only to
that township's relief expenses, advances, in-transit, suspense, cash, reserve or bank fees,
or back to its own county's treasury. Every other receiving account is a misuse, including
accounts outside the project (an office's `Expenses:Admin:…`, `Equity:…`): this is the one
reserve check that looks at every account of the books.

A transaction pays out of a reserve or cash account when it has a negative posting there; its
receivers are its positive postings. When several townships pay in one transaction, a receiver
is allowed if it is allowed for any of them.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger import accounts
from ledger.accounts import AccountInfo
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location
from ledger.index import case_of

ZERO = Decimal(0)
PAYING_ROLES = frozenset({"reserve", "cash"})
CODE = "RESERVE-MISUSE"


def allowed(receiver: AccountInfo | None, payer: AccountInfo) -> bool:
    """Return True if money may go from a township's reserve or cash to this account."""
    if receiver is None:
        return False
    if receiver.role == "treasury":
        return receiver.county == payer.county
    return (
        receiver.role in accounts.TOWNSHIP_OUTFLOW_ROLES
        and receiver.county == payer.county
        and receiver.township == payer.township
    )


def _forbidden(
    entry: data.Transaction, payers: list[AccountInfo], infos: dict[str, AccountInfo | None]
) -> list[data.Posting]:
    found = []
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None or units.number <= 0:
            continue
        receiver = infos[posting.account]
        if not any(allowed(receiver, payer) for payer in payers):
            found.append(posting)
    return found


def _finding(
    books: Books, entry: data.Transaction, payer: AccountInfo, bad: list[data.Posting]
) -> Finding:
    amount = ZERO
    currency = ""
    for posting in bad:
        units = posting.units
        if units is not None and units.number is not None:
            amount += units.number
            currency = currency or str(units.currency)
    name = books.directory.township_name(payer.county, payer.township)
    case = case_of(entry)
    to = ", ".join(sorted({p.account for p in bad}))
    file, line = location(entry.meta)
    treasury = accounts.account_for("treasury", payer.county)
    return Finding(
        code=CODE,
        message=(
            f"{CODE} {name} case {case or '(none)'}: {format_amount(amount)} {currency} paid "
            f"out of {payer.account} to {to}; a township's reserve may pay only its own "
            f"relief, advances, in-transit, suspense, cash, reserve and bank fees, or "
            f"its county's treasury {treasury}"
        ),
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=payer.county,
        township=payer.township,
        township_name=name,
        case=case,
        amount=amount,
        currency=currency,
        entry=entry,
    )


def misuse(books: Books) -> list[Finding]:
    """Return RESERVE-MISUSE for each transaction paying a reserve or cash out elsewhere."""
    infos: dict[str, AccountInfo | None] = {}
    found = []
    for entry in books.index.transactions:
        payers: list[AccountInfo] = []
        for posting in entry.postings:
            account = posting.account
            if account not in infos:
                infos[account] = accounts.parse(account)
            info = infos[account]
            if info is None or info.role not in PAYING_ROLES:
                continue
            units = posting.units
            if units is not None and units.number is not None and units.number < 0:
                payers.append(info)
        if not payers:
            continue
        bad = _forbidden(entry, payers, infos)
        if bad:
            found.append(_finding(books, entry, payers[0], bad))
    return found
