"""`reserve audit --bank FILE`: reconcile the books against bank result files."""

from __future__ import annotations

from cli.errors import UsageError
from importers import keys
from importers.errors import InputError
from importers.reconcile import read_files
from importers.reconcile import reconcile
from ledger import recipients
from ledger.books import Books
from ledger.findings import Finding
from ledger.plugin import mark_explained


def bank_findings(books: Books, paths: list[str]) -> list[Finding]:
    """Return BANK-UNMATCHED findings; a bad bank file or an unfit key is exit 2."""
    key = _key(books)
    try:
        files = read_files(paths)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    requests = [f.path for f in files if f.kind != "result"]
    if requests:
        raise UsageError(f"{requests[0]}: --bank takes result files (回盘); this has no status column")
    return mark_explained(books, reconcile(books, files, key))


def _key(books: Books) -> bytes | None:
    """Return the recipient key if there is one here; None if none (docs/reconcile.md).

    A bank row is known by its card's keyed hash (SPEC §3): with the key
    (`RESERVE_RECIPIENT_KEY`, else the books' key file) rows are matched by it. Without one
    (an auditor from outside the office has none) they are matched by the masked card. A
    key that is there but unfit is exit 2, before any bank file is read.
    """
    try:
        return keys.key_if_any(books.root, books.config("key-file"))
    except recipients.KeyError_ as exc:
        raise UsageError(f"--bank: {exc}") from None
