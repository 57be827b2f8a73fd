"""The export holds no full ID or card number, even where the books do (SPEC §6).

Books holding one raise `PII-EXPOSED`, and the export writes that finding. What it writes of
the entry itself is a copy in which every full number `PII-EXPOSED` would report is masked,
first 6 + stars + last 4, as `id-masked` and `card-masked` are written: in the payee,
narration, tags, links, string metadata (the exempt keys and hashes aside, as the check reads
them), a custom's string values and the text of notes, events, queries and documents. Only the
entries with a `PII-EXPOSED` finding are copied: the export of clean books does no more work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from beancount.core import data

from ledger import recipients
from ledger.books import Books
from ledger.checks.pii import FULL_RUN
from ledger.checks.pii import TEXT_FIELDS
from ledger.checks.pii import exposed_kind
from ledger.checks.pii import readable
from ledger.findings import Finding


def mask_text(text: str) -> str:
    """Return text with every full ID or card number `PII-EXPOSED` reports in it masked."""
    if exposed_kind(text) is None:
        return text
    return FULL_RUN.sub(_mask_run, text)


def _mask_run(match: re.Match[str]) -> str:
    run, x = match.groups()
    if len(run) == 17 and x and recipients.is_valid_id(run + x):
        return recipients.fast_mask((run + x).upper())
    if exposed_kind(run) is None:
        return match.group(0)
    return recipients.fast_mask(run) + x


def _meta(meta: dict[str, Any] | None) -> dict[str, Any] | None:
    if not meta:
        return meta
    return {k: mask_text(v) if readable(k, v) else v for k, v in meta.items()}


def _words(words: frozenset[str] | None) -> frozenset[str] | None:
    return frozenset(mask_text(w) for w in words) if words else words


def masked(entry: data.Directive) -> data.Directive:
    """Return a copy of an entry with every full number in its texts masked."""
    if isinstance(entry, data.Custom) and entry.type == "seal":
        return entry  # A seal's hash is no number of a person.
    changes: dict[str, Any] = {"meta": _meta(entry.meta)}
    if isinstance(entry, data.Transaction | data.Note | data.Document):
        changes["tags"] = _words(entry.tags)
        changes["links"] = _words(entry.links)
    if isinstance(entry, data.Transaction):
        changes["payee"] = mask_text(entry.payee) if entry.payee else entry.payee
        changes["narration"] = mask_text(entry.narration) if entry.narration else entry.narration
        changes["postings"] = [p._replace(meta=_meta(p.meta)) for p in entry.postings]
    elif isinstance(entry, data.Custom):
        changes["type"] = mask_text(entry.type)
        changes["values"] = [
            v._replace(value=mask_text(v.value)) if isinstance(v.value, str) else v
            for v in entry.values
        ]
    for field in TEXT_FIELDS.get(type(entry), ()):
        text = getattr(entry, field, None)
        if isinstance(text, str):
            changes[field] = mask_text(text)
    copy: data.Directive = entry._replace(**changes)
    return copy


def masked_books(books: Books, found: Iterable[Finding]) -> Books:
    """Return the books to export: these, or a copy with the exposed entries masked."""
    exposed = {id(f.entry) for f in found if f.code == "PII-EXPOSED" and f.entry is not None}
    if not exposed:
        return books
    entries = [masked(e) if id(e) in exposed else e for e in books.entries]
    return Books(entries, books.options, books.as_of, books.main_file, books.errors)
