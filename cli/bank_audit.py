"""`reserve audit --bank FILE`: reconcile the books against bank result files."""

from __future__ import annotations

from cli.errors import UsageError
from importers.errors import InputError
from importers.reconcile import read_files
from importers.reconcile import reconcile
from ledger.books import Books
from ledger.findings import Finding
from ledger.plugin import mark_explained


def bank_findings(books: Books, paths: list[str]) -> list[Finding]:
    """Return BANK-UNMATCHED findings; a bad bank file is exit 2."""
    try:
        files = read_files(paths)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    requests = [f.path for f in files if f.kind != "result"]
    if requests:
        raise UsageError(f"{requests[0]}: --bank takes result files (回盘); this has no status column")
    return mark_explained(books, reconcile(books, files))
