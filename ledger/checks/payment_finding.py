"""A finding at a payment: its message, amounts and location, as every payment rule makes it.

The message is "CODE <township> case <case>: <text>" (SPEC §5: the township's Chinese name,
the case, the amounts); the location is the payment's file and line. One finding per (code,
entry) is kept (`unique`).
"""

from __future__ import annotations

from decimal import Decimal

from ledger.books import Books
from ledger.disbursement import Disbursement
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location


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
