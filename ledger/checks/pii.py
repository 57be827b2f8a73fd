"""PII-EXPOSED: a full ID number or bank card number written anywhere a person can read it.

Every entry is scanned, whatever its date (SPEC §5): payee, narration, tags, links, custom
values, note/event/query text and string metadata (of the entry and its postings), except the
`recipient`/`card` values in their hash form and the values of `source-sha256`, `batch`,
`bank-account` and seals.

Why the source text is read: a full number is a maximal run of 16 to 19 digits, and almost
no entry holds one. Looking at every string of every entry in Python costs several
microseconds an entry; finding such runs in the books' files costs well under a nanosecond a
byte (`ledger.checks.pii_scan`). Only the entries whose lines hold such a run, and the entries
that did not come from a file of the books (made by a plugin, or from a file that can no
longer be read) or whose text Beancount wrote (the narration of a `pad`'s padding
transaction), are then examined string by string. Every string the parser took from a file is
in that file's text, so the pre-filter cannot miss one; a plugin that writes new strings into
an entry read from a file is outside what the books hold, and outside this scan.

Finding those entries: when every entry surely came from a readable file of the books (every
file could be read again; no `pad` and no documents directory, whose entries Beancount makes;
no plugin but the project's, which add no entry), the entries at the lines found are looked
up by their directive's date and line (`pii_scan.hits`), and no other entry is looked at.
Otherwise, or when a line found cannot be tied to an entry so, every entry is walked: that
walk is bound by memory (each entry's metadata is a dict apart on the heap, a cache miss on
first touch), so it looks at two entries a turn, letting their misses overlap, and at nothing
else of an entry that is plainly from a file with no run.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from typing import Final
from typing import cast

from beancount import loader
from beancount.core import data
from beancount.core import flags

from ledger import recipients
from ledger.books import Books
from ledger.checks import FAMILIES
from ledger.checks import pii_scan
from ledger.checks.pii_scan import has_run
from ledger.findings import Finding
from ledger.findings import location

#: A maximal run of 16-19 digits (a card, or an ID of 18 digits), and the X that may follow
#: it (17 digits and an X: an ID).
FULL_RUN: Final[re.Pattern[str]] = re.compile(r"(?<![0-9])([0-9]{16,19})(?![0-9])([Xx]?)")
_DIGITS16: Final[re.Pattern[str]] = re.compile(r"[0-9]{16}")
_EXEMPT_KEYS: Final = frozenset({"source-sha256", "batch", "bank-account", "filename", "lineno"})
_HASH_KEYS: Final = {"recipient": recipients.RECIPIENT_RE, "card": recipients.CARD_RE}
#: The text fields of the other directives a person writes.
TEXT_FIELDS: Final[dict[type, tuple[str, ...]]] = {
    data.Note: ("comment",),
    data.Event: ("type", "description"),
    data.Query: ("name", "query_string"),
    data.Document: ("filename",),
}
#: The project's plugins (`plugins/`): they add no entry.
_OWN_PLUGINS: Final = frozenset(f"plugins.{family}" for family in FAMILIES)
# Beancount's directives are named tuples, `meta` first; only a transaction has a `flag` (2).
_FLAGLESS: Final = frozenset(kind for kind in data.ALL_DIRECTIVES if kind is not data.Transaction)


def exposed_kind(text: str) -> str | None:
    """Return "ID number" or "card number" if text holds one as a maximal digit run."""
    if not _DIGITS16.search(text):  # The cheap pre-filter: most strings stop here.
        return None
    for match in FULL_RUN.finditer(text):
        run, x = match.groups()
        if len(run) == 18 and recipients.is_valid_id(run):
            return "ID number"
        if len(run) == 17 and x and recipients.is_valid_id(run + x):
            return "ID number"
        if recipients.luhn_ok(run):
            return "card number"
    return None


def readable(key: str, value: Any) -> bool:
    """Return True for a metadata value PII-EXPOSED reads: a text, not exempt (SPEC §5)."""
    if not isinstance(value, str) or key in _EXEMPT_KEYS or key.startswith("__"):
        return False
    pattern = _HASH_KEYS.get(key)
    return pattern is None or pattern.match(value) is None


def _meta_strings(meta: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    for key, value in (meta or {}).items():
        if readable(key, value):
            yield f"metadata {key}", value


def strings(entry: data.Directive) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every string of an entry a person can read."""
    if isinstance(entry, data.Custom) and entry.type == "seal":
        return
    if isinstance(entry, data.Transaction | data.Note | data.Document):
        # Read untyped: another plugin may have left a set or None there, which a compiled
        # read of the typed fields (frozensets) would refuse (`docs/compiled.md`).
        loose = cast(Any, entry)
        for tag in loose.tags or ():
            yield "tag", tag
        for link in loose.links or ():
            yield "link", link
    if isinstance(entry, data.Transaction):
        if entry.payee:
            yield "payee", entry.payee
        if entry.narration:
            yield "narration", entry.narration
        for posting in entry.postings:
            yield from _meta_strings(posting.meta)
    elif isinstance(entry, data.Custom):
        yield "type", entry.type
        for value in entry.values:
            if isinstance(value.value, str):
                yield "value", value.value
    else:
        for field in TEXT_FIELDS.get(type(entry), ()):
            text = getattr(entry, field, None)
            if isinstance(text, str):
                yield field, text
    yield from _meta_strings(entry.meta)


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
    """Return the entries that may hold a full number (a superset of the exposed ones)."""
    hits: dict[str, list[pii_scan.Hit]] = {}
    readable: set[str] = set()
    for name in books.options.get("include") or ():
        try:
            with open(name, "rb", buffering=0) as handle:
                found = has_run(handle)
            if found:
                with open(name, "rb") as handle:
                    lines = pii_scan.hits(handle.read())
                if lines:
                    hits[name] = lines
        except OSError:
            continue  # Its entries are examined one by one by the walk.
        readable.add(name)
    if _from_files_only(books, readable):
        at_hits = _at_hits(books, hits)
        if at_hits is not None:
            return at_hits
    by_line = {name: [hit.line for hit in found] for name, found in hits.items()}
    return _walk(books, readable, by_line)


def _from_files_only(books: Books, readable: set[str]) -> bool:
    """Return True when every entry surely came from a readable file of the books.

    Beancount makes entries of its own only for a `pad` (the padding transaction) and for a
    documents directory (a `document` per file found); the project's plugins add none; any
    other plugin may.
    """
    options = books.options
    return (
        options.get("filename") in readable
        and readable.issuperset(options.get("include") or ())
        and not options.get("documents")
        and not getattr(loader, "PLUGINS_AUTO", None)
        and data.Pad not in books.kinds
        and all(plugin[0] in _OWN_PLUGINS for plugin in options.get("plugin") or ())
    )


def _at_hits(
    books: Books, hits: dict[str, list[pii_scan.Hit]]
) -> list[data.Directive] | None:
    """Return the entries at the lines found, in book order; None when one is not found.

    Each is looked for among the entries of its header's date alone (each kind's entries are
    in date order), by its file and its first line.
    """
    wanted: dict[datetime.date, set[tuple[str, int]]] = {}
    for name, found in hits.items():
        for hit in found:
            if hit.start == 0:
                continue  # Above every directive of its file: in no entry.
            if hit.on is None:
                return None
            wanted.setdefault(hit.on, set()).add((name, hit.start))
    chosen: dict[int, data.Directive] = {}
    met: set[tuple[str, int]] = set()
    for same_kind in books.kinds.values():
        for on, places in wanted.items():
            first = bisect.bisect_left(same_kind, on, key=_date)
            last = bisect.bisect_right(same_kind, on, first, key=_date)
            for entry in same_kind[first:last]:
                meta = entry.meta
                place = (meta.get("filename"), meta.get("lineno")) if meta else None
                if place in places:
                    chosen[id(entry)] = entry
                    met.add(place)
    if len(met) != sum(len(places) for places in wanted.values()):
        return None  # A header no entry starts at: a line of a string spanning lines.
    return sorted(chosen.values(), key=data.entry_sortkey)


def _walk(
    books: Books, readable: set[str], hits: dict[str, list[int]]
) -> list[data.Directive]:
    """Return the suspects found by walking every entry: any from no readable file too."""
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


def _date(entry: data.Directive) -> datetime.date:
    return entry.date


def findings(books: Books) -> list[Finding]:
    """Return one PII-EXPOSED finding per entry holding a full ID or card number."""
    found = []
    for entry in _suspects(books):
        # Every place of the entry holding one, said in one finding (one per entry).
        places = [
            f"a full {kind} in the {where}"
            for where, text in strings(entry)
            if (kind := exposed_kind(text)) is not None
        ]
        if not places:
            continue
        file, line = location(entry.meta)
        case = entry.meta.get("case") if isinstance(entry.meta, dict) else None
        found.append(
            Finding(
                code="PII-EXPOSED",
                message=(
                    f"PII-EXPOSED {'; '.join(dict.fromkeys(places))} of this "
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
    return found
