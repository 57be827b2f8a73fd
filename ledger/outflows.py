"""RESERVE-MISUSE: where money leaving a township's reserve or cash box may go (SPEC §5).

A township's reserve (备用金) exists to pay relief. Money may leave its reserve or cash only to
that township's relief expenses, advances, in-transit, suspense, cash, reserve or bank fees,
or back to its own county's treasury. Every other receiving account is a misuse, including
accounts outside the project (an office's `Expenses:Admin:…`, `Equity:…`): this is the one
reserve check that looks at every account of the books.

A transaction pays out of a reserve or cash account when it has a negative posting there; its
receivers are its positive postings. When several townships pay in one transaction, a receiver
is allowed if it is allowed for any of them. The finding can be explained by its case or by
the paying account (its `key`, the first payer).
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger import accounts
from ledger.accounts import AccountInfo
from ledger.books import Books
from ledger.disbursement import case_of
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location

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
        key=payer.account,
    )


def misuse(books: Books) -> list[Finding]:
    """Return RESERVE-MISUSE for each transaction paying a reserve or cash out elsewhere."""
    view = books.postings
    # Only the transactions with a negative posting to a reserve or cash account can pay out
    # of one: they are found from those accounts' postings, not by walking every posting.
    positions = []
    for account in view.accounts(_paying):
        for position, _, _, number, _, _ in view.by_account[account]:
            if number is not None and number < 0:
                positions.append(position)
    parse = accounts.parse
    # (receiver, payer) -> allowed: the same few pairs come back in every transaction.
    verdicts: dict[tuple[str, str], bool] = {}
    found = []
    for entry in view.touching(positions):
        payers: list[AccountInfo] = []
        receivers: list[data.Posting] = []
        for posting in entry.postings:
            units = posting.units
            if units is None or units.number is None:
                continue
            if units.number > 0:
                receivers.append(posting)
            elif units.number < 0:
                info = parse(posting.account)
                if info is not None and info.role in PAYING_ROLES:
                    payers.append(info)
        bad = []
        for posting in receivers:
            for payer in payers:
                pair = (posting.account, payer.account)
                verdict = verdicts.get(pair)
                if verdict is None:
                    verdict = verdicts[pair] = allowed(parse(posting.account), payer)
                if verdict:
                    break
            else:
                bad.append(posting)
        if bad:
            found.append(_finding(books, entry, payers[0], bad))
    return found


def _paying(account: str) -> bool:
    info = accounts.parse(account)
    return info is not None and info.role in PAYING_ROLES
