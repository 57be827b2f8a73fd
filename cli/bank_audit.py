"""`reserve audit --bank FILE`: reconcile the books against bank result files."""

from __future__ import annotations

from cli.errors import UsageError
from importers.errors import InputError
from importers.reconcile import read_files
from importers.reconcile import reconcile
from ledger import recipients
from ledger.books import Books
from ledger.findings import Finding
from ledger.plugin import mark_explained


def bank_findings(books: Books, paths: list[str]) -> list[Finding]:
    """Return BANK-UNMATCHED findings; a bad bank file or no recipient key is exit 2.

    A bank row is known by its card's keyed hash (SPEC §3), so reconciling needs the
    recipient key, as an import does: `RESERVE_RECIPIENT_KEY`, else the books' key file.
    It is asked for before any bank file is read.
    """
    named = books.config("key-file")
    try:
        key = recipients.load_key(books.root / named if named else None)
    except recipients.KeyError_ as exc:
        raise UsageError(f"--bank needs the recipient key to know the bank rows: {exc}") from None
    try:
        files = read_files(paths)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    requests = [f.path for f in files if f.kind != "result"]
    if requests:
        raise UsageError(f"{requests[0]}: --bank takes result files (回盘); this has no status column")
    return mark_explained(books, reconcile(books, files, key))
