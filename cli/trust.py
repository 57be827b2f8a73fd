"""`reserve audit --trust PUBKEY`: every seal must be signed by the trusted key."""

from __future__ import annotations

from pathlib import Path

from cli.errors import UsageError
from ledger import signing
from ledger.books import Books
from ledger.checks.seal import verify_signatures
from ledger.findings import Finding
from ledger.plugin import mark_explained


def trust_findings(books: Books, pubkey: str) -> list[Finding]:
    """Return SEAL-BROKEN for seals not signed by the key in pubkey (a PEM file)."""
    try:
        pem = Path(pubkey).read_bytes()
    except OSError as exc:
        raise UsageError(f"{pubkey}: cannot read the trusted key: {exc.strerror}") from None
    try:
        return mark_explained(books, verify_signatures(books.entries, pem))
    except signing.KeyFileError as exc:
        raise UsageError(f"{pubkey}: {exc}") from None
