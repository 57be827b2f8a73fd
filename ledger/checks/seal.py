"""SEAL-BROKEN: entries covered by a seal no longer hash to it, or its signature fails (SPEC §9).

Every seal in the books is verified, whatever the audit date (SPEC §5): the entries dated on
or before its date are serialised (`ledger.seal`, v1) and hashed, and the result compared
with the seal's value. A hash alone shows an accidental or careless edit; a deliberate one
is shown only by a signature checked against a key the auditor trusts
(`verify_signatures`, `reserve audit --trust PUBKEY`) or by the hash kept outside the books.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from beancount.core import data

from ledger import seal as seal_mod
from ledger import signing
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import location

CODE = "SEAL-BROKEN"


def _short(value: str) -> str:
    """Return a seal value cut to "v1:" and 12 hex digits, for messages."""
    return value[:15] + "…" if len(value) > 15 else value


def _finding(entry: data.Custom, message: str) -> Finding:
    file, line = location(entry.meta)
    return Finding(
        code=CODE,
        message=f"{CODE} seal of {entry.date.isoformat()}: {message}",
        file=file,
        line=line,
        date=entry.date.isoformat(),
        entry=entry,
    )


def verify(entries: Sequence[data.Directive], root: str | None = None) -> list[Finding]:
    """Return a SEAL-BROKEN finding for every seal whose entries no longer hash to it.

    Args:
      entries: the books' entries, as loaded (after plugins).
      root: folder of the main file (document paths are serialised relative to it).

    """
    found = seal_mod.seals(entries)
    if not found:
        return []
    lines = seal_mod.sorted_lines(entries, root)
    computed = seal_mod.hashes(lines, [e.date for e in found])
    findings = []
    for entry in found:
        written = seal_mod.seal_value(entry)
        value, count = computed[entry.date]
        if not seal_mod.VALUE_RE.fullmatch(written):
            shown = repr(written) if written else "no single string value"
            findings.append(
                _finding(
                    entry, f"{shown} is not a seal value v1:<64 hex digits> (malformed)"
                )
            )
        elif written != value:
            findings.append(
                _finding(
                    entry,
                    f"the {count:,} entries dated on or before it hash to {_short(value)}, "
                    f"not {_short(written)} (an entry was edited, added or deleted)",
                )
            )
    return findings


def verify_signatures(
    entries: Sequence[data.Directive], trusted_public_key_pem: bytes
) -> list[Finding]:
    """Return a SEAL-BROKEN finding for every seal not signed by the trusted key.

    A seal is broken when it has no `sig:`, names another key in `key:`, or its signature
    over its value does not verify with the trusted key.

    Raises:
      signing.KeyFileError: the trusted key is not an Ed25519 public key in PEM (the
        command line turns this into exit 2).

    """
    trusted = signing.load_public(trusted_public_key_pem, "the trusted key")
    expected = signing.fingerprint(trusted)
    findings = []
    for entry in seal_mod.seals(entries):
        value = seal_mod.seal_value(entry)
        meta: dict[str, Any] = entry.meta or {}
        sig, key = meta.get("sig"), meta.get("key")
        if not isinstance(sig, str) or not sig:
            problem = f"it has no signature (sig:), and the trusted key is {expected}"
        elif key is not None and key != expected:
            problem = f"it is signed by {key}, not by the trusted key {expected}"
        elif not signing.verify(trusted, value, sig):
            problem = f"its signature does not verify with the trusted key {expected}"
        else:
            continue
        findings.append(_finding(entry, problem))
    return findings


def check(books: Books, trusted_public_key_pem: bytes | None = None) -> list[Finding]:
    """Return the SEAL-BROKEN findings of the books (every seal, whatever the audit date).

    Args:
      books: `ledger.books.Books` (uses `entries` and `main_file`).
      trusted_public_key_pem: with it, every seal must also be signed by that key.

    """
    root = str(books.root) if books.main_file else None
    findings = verify(books.entries, root)
    if trusted_public_key_pem is not None:
        findings.extend(verify_signatures(books.entries, trusted_public_key_pem))
    return findings
