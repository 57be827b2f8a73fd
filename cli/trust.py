"""`reserve audit --trust PUBKEY`: every seal must be signed by the trusted key."""

from __future__ import annotations

from pathlib import Path

from cli.errors import UsageError
from ledger import signing
from ledger.books import Books
from ledger.checks.seal import verify_signatures
from ledger.findings import Finding
from ledger.findings import explain
from ledger.findings import sort_key
from ledger.findings import unique


def trust_findings(books: Books, pubkey: str) -> list[Finding]:
    """Return SEAL-BROKEN for seals not signed by the key in pubkey (a PEM file)."""
    try:
        pem = Path(pubkey).read_bytes()
    except OSError as exc:
        raise UsageError(f"{pubkey}: cannot read the trusted key: {exc.strerror}") from None
    try:
        return explain(verify_signatures(books.entries, pem), books.index.is_explained)
    except signing.KeyFileError as exc:
        raise UsageError(f"{pubkey}: {exc}") from None


def with_trust(books: Books, pubkey: str, findings: list[Finding]) -> list[Finding]:
    """Return the audit's findings with the trust findings merged in, sorted.

    A seal both broken (its entries no longer hash to it) and unsigned by the trusted key is
    one SEAL-BROKEN whose message states both (SPEC §5: one per (code, entry)).
    """
    return sorted(unique([*findings, *trust_findings(books, pubkey)]), key=sort_key)
