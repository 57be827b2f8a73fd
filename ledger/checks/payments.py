"""The payments family (SPEC §5): who was paid, how often, and into whose account.

SPLIT-PAYMENT and RECIPIENT-REPEAT look at payments to one recipient within `split-window`
days (`payment_windows`), DUPLICATE-CASE at a case paid more than once
(`payment_duplicates`), both over the payments in effect of `cases` (a reversed or returned
payment no longer counts, an advance and its settlement are one payment).

PAYEE-MISMATCH, here: an imported row (a transaction carrying `source-sha256`) with a `holder`
is checked against its payee (the recipient's name) after NFKC normalisation and the removal
of whitespace and the name dots `·` and `•` (names such as 阿依古丽·买买提 are written with
either). A row with `agent` (a guardian or proxy who receives the money, 代领人) is expected
to differ. A row without a payee, or whose `holder` is not a text, cannot be compared and is
skipped (APPROVAL-MISSING reports it on a payment).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Final

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.checks import payment_duplicates
from ledger.checks import payment_windows
from ledger.checks.payment_finding import money
from ledger.findings import Finding
from ledger.findings import location
from ledger.findings import unique

ZERO: Final = Decimal(0)
_DOTS: Final = frozenset("·•")


def normalise(name: str) -> str:
    """Return a name as compared: NFKC, without whitespace and the dots `·•`."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _DOTS)


def _place(entry: data.Transaction) -> tuple[str, str, Decimal, str, str]:
    """Return (county, township, amount, currency, paying account) of an imported row."""
    county = township = currency = payer = ""
    amount = ZERO
    for posting in entry.postings:
        info = accounts.parse(posting.account)
        if info is None or posting.units is None or posting.units.number is None:
            continue
        if posting.units.number < 0 and not payer:
            payer = posting.account
        if info.township and not township:
            county, township = info.county, info.township
        elif not county:
            county = info.county
        if posting.units.number > amount:
            amount, currency = posting.units.number, posting.units.currency
    return county, township, amount, currency, payer


def payee_mismatches(books: Books) -> list[Finding]:
    """Return PAYEE-MISMATCH for imported rows paid to an account holder not the payee."""
    findings: list[Finding] = []
    for entry in books.index.money.with_holder:
        meta = entry.meta
        holder = meta.get("holder")
        agent = meta.get("agent")
        if "source-sha256" not in meta or not isinstance(holder, str) or not entry.payee:
            continue
        if agent is not None and (not isinstance(agent, str) or agent.strip()):
            continue  # An agent recorded; one that is no text is APPROVAL-MISSING's gap.
        if normalise(holder) == normalise(entry.payee):
            continue
        county, township, amount, currency, payer = _place(entry)
        case = meta.get("case") if isinstance(meta.get("case"), str) else ""
        name = books.directory.township_name(county, township)
        file, line = location(meta)
        findings.append(
            Finding(
                code="PAYEE-MISMATCH",
                message=(
                    f"PAYEE-MISMATCH {name} case {case or '(no case)'}: "
                    f"{money(amount, currency)} for {entry.payee} went to an account held by "
                    f"{holder}, with no agent recorded"
                ),
                file=file,
                line=line,
                date=entry.date.isoformat(),
                county=county,
                township=township,
                township_name=name,
                case=str(case),
                amount=amount if currency else None,
                currency=currency,
                entry=entry,
                key=payer,
            )
        )
    return findings


def check(books: Books) -> list[Finding]:
    """Return the payments family's findings as of the audit date."""
    by_recipient = payment_windows.payments(books)
    return unique(
        [
            *payment_windows.split_payments(books, by_recipient),
            *payment_duplicates.duplicate_cases(books),
            *payee_mismatches(books),
            *payment_windows.recipient_repeats(books, by_recipient),
        ]
    )
