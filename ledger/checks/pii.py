"""PII-EXPOSED: a full ID number or bank card number written anywhere a person can read it.

Every entry is scanned, whatever its date (SPEC §5): payee, narration, tags, links, custom
values, note/event/query text and string metadata (of the entry and its postings), except the
`recipient`/`card` values in their hash form and the values of `source-sha256`, `batch`,
`bank-account` and seals.

Why the source text is read: a full number is a run of at least 16 digits, and almost no
entry holds one. Looking at every string of every entry in Python costs several microseconds
an entry; finding runs of 16 digits in the books' files costs well under a nanosecond a byte
(the bytes are read in chunks that stay in the cache, mapped to "digit or not" with
`bytes.translate`, then searched with `bytes.find`; only a file with a run is read again
whole, to number its lines). Only the entries whose lines hold such a run, and the entries
that did not come from a file of the books (made by a plugin, or from a file that can no
longer be read) or whose text Beancount wrote (the narration of a `pad`'s padding
transaction), are then examined string by string. Every string the parser took from a file is
in that file's text, so the pre-filter cannot miss one; a plugin that writes new strings into
an entry read from a file is outside what the books hold, and outside this scan.

The walk that finds those entries is bound by memory (each entry's metadata is a dict apart
on the heap, a cache miss on first touch), so it looks at two entries a turn, letting their
misses overlap, and at nothing else of an entry that is plainly from a file with no run.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from beancount.core import data
from beancount.core import flags

from ledger import recipients
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import location

# A maximal run of 16-19 digits (a card) or 17 digits and an X (an ID).
_RUN = re.compile(r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{17}[Xx])(?![0-9Xx])")
_DIGITS16 = re.compile(r"[0-9]{16}|[0-9]{17}[Xx]")
_EXEMPT_KEYS = frozenset({"source-sha256", "batch", "bank-account", "filename", "lineno"})
_HASH_KEYS = {"recipient": recipients.RECIPIENT_RE, "card": recipients.CARD_RE}
# Every digit becomes "0", every other byte a space: then a run is a plain substring.
_DIGIT_MAP = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))
_RUN16 = b"0" * 16
_OVERLAP = len(_RUN16) - 1
_CHUNK = 1 << 17  # 128 KiB: the chunk and its mapping stay in the cache.
# Beancount's directives are named tuples, `meta` first; only a transaction has a `flag` (2).
_FLAGLESS = frozenset(kind for kind in data.ALL_DIRECTIVES if kind is not data.Transaction)


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


def strings(entry: data.Directive) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every string of an entry a person can read."""
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


def run_lines(text: bytes) -> list[int]:
    """Return the 1-based numbers of the lines of text holding a run of 16 or more digits."""
    mapped = text.translate(_DIGIT_MAP)
    lines: list[int] = []
    line, counted = 1, 0
    found = mapped.find(_RUN16)
    while found >= 0:
        line += text.count(b"\n", counted, found)
        counted = found
        if not lines or lines[-1] != line:
            lines.append(line)
        end = found + len(_RUN16)
        while end < len(mapped) and mapped[end] == 0x30:
            end += 1
        found = mapped.find(_RUN16, end)
    return lines


def has_run(handle: io.RawIOBase) -> bool:
    """Return whether a binary file holds a run of 16 digits, read in cache-sized chunks.

    Each chunk is mapped and searched while it is in the cache (reading the whole file, then
    mapping it, then searching it goes through memory three times); the last 15 bytes of a
    chunk are kept in front of the next, so a run across two chunks is still found.
    """
    buffer = bytearray(_OVERLAP + _CHUNK)
    view = memoryview(buffer)
    buffer[:_OVERLAP] = b" " * _OVERLAP
    while True:
        got = handle.readinto(view[_OVERLAP:])
        if not got:
            return False
        end = _OVERLAP + got
        block = buffer if end == len(buffer) else buffer[:end]
        if block.translate(_DIGIT_MAP).find(_RUN16) >= 0:
            return True
        buffer[:_OVERLAP] = buffer[end - _OVERLAP : end]


def _file(
    entry: data.Directive,
    readable: set[str],
    hits: dict[str, list[int]],
    suspects: list[data.Directive],
    in_hit_files: dict[str, list[data.Directive]],
) -> None:
    """File one entry: a suspect, an entry of a file with a hit, or neither."""
    meta = entry.meta
    name = meta.get("filename") if meta else None
    if name not in readable or getattr(entry, "flag", None) == flags.FLAG_PADDING:
        suspects.append(entry)  # Not read from a file, or written by Beancount's pad.
    elif name in hits:
        in_hit_files[name].append(entry)


def _suspects(books: Books) -> list[data.Directive]:
    """Return the entries that may hold a run of 16 digits (a superset of the exposed ones)."""
    hits: dict[str, list[int]] = {}
    readable: set[str] = set()
    for name in books.options.get("include") or ():
        try:
            with open(name, "rb", buffering=0) as handle:
                found = has_run(handle)
            if found:
                with open(name, "rb") as handle:
                    hits[name] = run_lines(handle.read())
        except OSError:
            continue  # Its entries are examined one by one below.
        readable.add(name)
    suspects: list[data.Directive] = []
    in_hit_files: dict[str, list[data.Directive]] = defaultdict(list)
    # Two entries a turn: their cache misses overlap. A pair is skipped when both are
    # directives of Beancount's own kinds (`meta` is field 0, and only a transaction has a
    # flag: field 2), from a readable file with no hit, and not padding; any other pair is
    # filed entry by entry as before. (Measured: about a quarter less time than one a turn.)
    plain = readable - hits.keys()
    txn, padding, flagless = data.Transaction, flags.FLAG_PADDING, _FLAGLESS
    pairs = iter(books.entries)
    for a, b in zip(pairs, pairs, strict=False):
        kind_a, kind_b = type(a), type(b)
        try:
            if (
                ((kind_a is txn and a[2] != padding) or kind_a in flagless)
                and ((kind_b is txn and b[2] != padding) or kind_b in flagless)
                and a[0]["filename"] in plain
                and b[0]["filename"] in plain
            ):
                continue
        except (KeyError, TypeError):  # No metadata, or no file name in it.
            pass
        _file(a, readable, hits, suspects, in_hit_files)
        _file(b, readable, hits, suspects, in_hit_files)
    if len(books.entries) % 2:  # The one `zip` left alone.
        _file(books.entries[-1], readable, hits, suspects, in_hit_files)
    for name, entries in in_hit_files.items():
        entries.sort(key=lambda e: e.meta.get("lineno", 0))
        starts = [e.meta.get("lineno", 0) for e in entries]
        chosen = {bisect.bisect_right(starts, line) - 1 for line in hits[name]}
        suspects.extend(entries[i] for i in chosen if i >= 0)
    suspects.sort(key=data.entry_sortkey)  # The books' own order.
    return suspects


def findings(books: Books) -> list[Finding]:
    """Return one PII-EXPOSED finding per entry holding a full ID or card number."""
    found = []
    for entry in _suspects(books):
        for where, text in strings(entry):
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
