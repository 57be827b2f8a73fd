"""The audit: every rule family with one audit date, plus Beancount's own errors (SPEC §5).

Used by `reserve audit`, the Fava extension and the SQL export, so they agree.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from ledger import checks
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import explain
from ledger.findings import location
from ledger.findings import sort_key
from ledger.findings import unique
from ledger.plugin import no_gc


class CheckFailed(Exception):
    """A check family raised on these books: a defect of the checks, never a finding.

    The audit cannot say the books are clean, so `reserve audit` and `export` stop with this
    message rather than a traceback (Fava runs the families one by one and names the one that
    failed).
    """

    def __init__(self, family: str, error: Exception) -> None:
        """Keep the family and what it raised."""
        super().__init__(
            f"the {family} checks failed on these books ({type(error).__name__}: {error}); "
            "this is a defect of reserve: please report it, with the entries concerned"
        )


def beancount_findings(books: Books) -> list[Finding]:
    """Return Beancount's own errors as `BEANCOUNT` findings.

    An error about an entry dated after the audit date is left out, as every check leaves
    such entries out (SPEC §5); an error without an entry or a date is kept.
    """
    found = []
    for error in books.errors:
        file, line = location(getattr(error, "source", None))
        entry = getattr(error, "entry", None)
        date = getattr(entry, "date", None)
        if isinstance(date, datetime.date) and date > books.as_of:
            continue
        message = " ".join(str(getattr(error, "message", error)).split())
        found.append(
            Finding(
                code="BEANCOUNT",
                message=f"BEANCOUNT {message}",
                file=file,
                line=line,
                date=date.isoformat() if date is not None else "",
                entry=entry,
            )
        )
    return found


def audit(books: Books, families: Iterable[str] | None = None) -> list[Finding]:
    """Return every finding of the books as of their audit date, sorted by file and line.

    Findings are marked explained (by their case or their account), then kept one per
    (code, entry) (`ledger.findings.unique`: a merged finding is explained only when all
    its facts are).
    """
    findings = beancount_findings(books)
    with no_gc():
        for family in families if families is not None else checks.available():
            try:
                findings.extend(checks.family_check(family)(books))
            except Exception as error:
                raise CheckFailed(family, error) from error
    findings = unique(explain(findings, books.index.is_explained))
    return sorted(findings, key=sort_key)


def exit_code(findings: Iterable[Finding]) -> int:
    """Return 1 if an unexplained error-level finding remains, else 0 (SPEC §7)."""
    return int(any(f.severity == "error" and not f.explained for f in findings))


def summary(findings: Iterable[Finding]) -> Counter[str]:
    """Return the number of findings per code."""
    return Counter(f.code for f in findings)
