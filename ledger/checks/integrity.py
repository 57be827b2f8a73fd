"""Integrity of the books themselves: personal data, account shapes, policy directives.

- `PII-EXPOSED`: a full ID number or bank card number written anywhere a person can read it
  (`ledger.checks.pii`).
- `ACCOUNT-INVALID`: an account under a project prefix whose shape or components do not fit
  SPEC §2, or that names a county or township the books do not have.
- `POLICY-INVALID`: the malformed policy directives found while building the policy.
"""

from __future__ import annotations

from beancount.core import data

from ledger import accounts
from ledger.books import Books
from ledger.checks import pii
from ledger.findings import Finding
from ledger.findings import location


def account_findings(books: Books) -> list[Finding]:
    """Return ACCOUNT-INVALID for project accounts that do not fit SPEC §2."""
    directory = books.directory
    counties = set(directory.counties)
    townships = set(directory.townships)
    found = []
    opens: list[data.Open] = books.kinds.get(data.Open, [])
    for entry in opens:
        if entry.date > books.as_of:
            continue
        problem = accounts.shape_problem(entry.account)
        info = accounts.parse(entry.account)
        if problem is None and info is not None:
            if info.county not in counties:
                problem = (
                    f"county {info.county} has no Assets:Treasury:{info.county} account"
                )
            elif info.township and (info.county, info.township) not in townships:
                problem = (
                    f"township {info.township} has no "
                    f"Assets:Reserve:{info.county}:{info.township} account"
                )
        if problem is None:
            continue
        file, line = location(entry.meta)
        found.append(
            Finding(
                code="ACCOUNT-INVALID",
                message=f"ACCOUNT-INVALID {entry.account}: {problem}",
                file=file,
                line=line,
                date=entry.date.isoformat(),
                county=info.county if info else "",
                township=info.township if info else "",
                township_name=directory.township_name(info.county, info.township)
                if info
                else "",
                entry=entry,
                key=entry.account,
            )
        )
    return found


def check(books: Books) -> list[Finding]:
    """Return the integrity findings of the books."""
    return pii.findings(books) + account_findings(books) + list(books.policy.findings)
