"""Integrity of the books themselves: personal data, account shapes, policy directives.

- `PII-EXPOSED`: a full ID number or bank card number written anywhere a person can read it.
  Every entry is scanned, whatever its date (SPEC §5).
- `ACCOUNT-INVALID`: an account under a project prefix whose shape or components do not fit
  SPEC §2, or that names a county or township the books do not have.
- `POLICY-INVALID`: the malformed policy directives found while building the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from beancount.core import data

from ledger import accounts
from ledger import recipients
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import location

# A maximal run of 16-19 digits (a card) or 17 digits and an X (an ID).
_RUN = re.compile(r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{17}[Xx])(?![0-9Xx])")
_DIGITS16 = re.compile(r"[0-9]{16}|[0-9]{17}[Xx]")
_EXEMPT_KEYS = frozenset({"source-sha256", "batch", "bank-account", "filename", "lineno"})
_HASH_KEYS = {"recipient": recipients.RECIPIENT_RE, "card": recipients.CARD_RE}


def exposed_kind(text: str) -> str | None:
    """Return "ID number" or "card number" if text holds one as a maximal digit run."""
    if not _DIGITS16.search(text):  # The cheap pre-filter: most strings stop here.
        return None
    for match in _RUN.finditer(text):
        run = match.group(0)
        if len(run) == 18 and recipients.is_valid_id(run):
            return "ID number"
        if run.isdigit() and 16 <= len(run) <= 19 and recipients.luhn_ok(run):
            return "card number"
    return None


def _meta_strings(meta: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    for key, value in (meta or {}).items():
        if not isinstance(value, str) or key in _EXEMPT_KEYS or key.startswith("__"):
            continue
        pattern = _HASH_KEYS.get(key)
        if pattern is not None and pattern.match(value):
            continue
        yield f"metadata {key}", value


def _strings(entry: data.Directive) -> Iterator[tuple[str, str]]:
    if isinstance(entry, data.Custom) and entry.type == "seal":
        return
    if isinstance(entry, data.Transaction):
        if entry.payee:
            yield "payee", entry.payee
        if entry.narration:
            yield "narration", entry.narration
        for tag in entry.tags or ():
            yield "tag", tag
        for link in entry.links or ():
            yield "link", link
        for posting in entry.postings:
            yield from _meta_strings(posting.meta)
    elif isinstance(entry, data.Custom):
        for value in entry.values:
            if isinstance(value.value, str):
                yield "value", value.value
    elif isinstance(entry, data.Note | data.Event | data.Query):
        for field in ("comment", "description", "query_string"):
            text = getattr(entry, field, None)
            if isinstance(text, str):
                yield field, text
    yield from _meta_strings(entry.meta)


def _quick_text(entry: data.Directive) -> str:
    """Return the entry's candidate strings joined, for the one pre-filter search."""
    parts = [
        v
        for k, v in (entry.meta or {}).items()
        if v.__class__ is str and k not in _EXEMPT_KEYS
    ]
    if isinstance(entry, data.Transaction):
        parts.append(entry.payee or "")
        parts.append(entry.narration or "")
        parts.extend(entry.tags or ())
        parts.extend(entry.links or ())
        for posting in entry.postings:
            if posting.meta:
                parts.extend(v for v in posting.meta.values() if v.__class__ is str)
    elif isinstance(entry, data.Custom):
        parts.extend(v.value for v in entry.values if isinstance(v.value, str))
    else:
        parts.extend(
            t
            for f in ("comment", "description", "query_string")
            if isinstance(t := getattr(entry, f, None), str)
        )
    return "\x00".join(parts)


def pii_findings(books: Books) -> list[Finding]:
    """Return one PII-EXPOSED finding per entry holding a full ID or card number."""
    found = []
    for entry in books.entries:
        if not _DIGITS16.search(_quick_text(entry)):
            continue
        for where, text in _strings(entry):
            kind = exposed_kind(text)
            if kind is None:
                continue
            file, line = location(entry.meta)
            case = entry.meta.get("case") if isinstance(entry.meta, dict) else None
            found.append(
                Finding(
                    code="PII-EXPOSED",
                    message=(
                        f"PII-EXPOSED a full {kind} is written in the {where} of this "
                        f"{type(entry).__name__.lower()}: keep only the masked form and the "
                        "keyed hash (SPEC §6)"
                    ),
                    file=file,
                    line=line,
                    date=entry.date.isoformat(),
                    case=case if isinstance(case, str) else "",
                    entry=entry,
                )
            )
            break
    return found


def account_findings(books: Books) -> list[Finding]:
    """Return ACCOUNT-INVALID for project accounts that do not fit SPEC §2."""
    directory = books.directory
    counties = set(directory.counties)
    townships = set(directory.townships)
    found = []
    for entry in books.entries:
        if not isinstance(entry, data.Open) or entry.date > books.as_of:
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
    return pii_findings(books) + account_findings(books) + list(books.policy.findings)
