"""The payments family (SPEC §5): who was paid, how often, and into whose account.

SPLIT-PAYMENT and RECIPIENT-REPEAT look at payments to one recipient within `split-window`
days (`payment_windows`); DUPLICATE-CASE at a case paid more than once
(`payment_duplicates`); PAYEE-MISMATCH at bank rows paid to another account holder
(`payee`). All of them work on the payments in effect of `cases`: a reversed or returned
payment no longer counts, an advance and its settlement are one payment.
"""

from __future__ import annotations

from ledger.books import Books
from ledger.checks import payee
from ledger.checks import payment_duplicates
from ledger.checks import payment_windows
from ledger.findings import Finding


def check(books: Books) -> list[Finding]:
    """Return the payments family's findings as of the audit date."""
    by_recipient = payment_windows.payments(books)
    return [
        *payment_windows.split_payments(books, by_recipient),
        *payment_duplicates.duplicate_cases(books),
        *payee.payee_mismatches(books),
        *payment_windows.recipient_repeats(books, by_recipient),
    ]
