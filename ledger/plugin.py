"""The adapter every project plugin goes through (see `plugins/`).

It parses the plugin's config (`{'as_of': 'YYYY-MM-DD'}`), builds `Books` over the entries,
runs one rule family and returns its error-level, unexplained findings as Beancount errors.
It never raises: a bad config is one error; a crash in a check becomes one error naming it, so
the other plugins' checks still run.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import gc
import traceback
from collections.abc import Iterator
from typing import Any

from beancount.core import data

from ledger import books as books_mod
from ledger import checks
from ledger.audit_date import iso_date
from ledger.audit_date import plugin_line
from ledger.findings import Finding
from ledger.findings import ReserveError
from ledger.findings import explain
from ledger.findings import to_errors
from ledger.findings import unique


def parse_config(
    family: str, config_str: str | None
) -> tuple[datetime.date | None, str | None]:
    """Return (as_of, problem) from a plugin config string."""
    if config_str is None or not config_str.strip():
        return None, None
    try:
        config = ast.literal_eval(config_str)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        # TypeError: an unhashable key ("{{}: 1}"); MemoryError, RecursionError: a text
        # nested too deep for the parser.
        shown = config_str if len(config_str) <= 80 else config_str[:77] + "..."
        return None, f"plugins.{family}: config {shown!r} is not a Python literal"
    if not isinstance(config, dict) or set(config) - {"as_of"}:
        return (
            None,
            f"plugins.{family}: config must be {{'as_of': 'YYYY-MM-DD'}}, got {config!r}",
        )
    value = config.get("as_of")
    if value is None:
        return None, None
    try:
        return iso_date(str(value)), None
    except ValueError:
        return None, f"plugins.{family}: as_of {value!r} is not a date YYYY-MM-DD"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while checks run.

    The checks build many small objects over hundreds of thousands of loaded entries and
    free them all at the end; each collection would walk every loaded entry again (it made
    the checks 3-6 times slower). Reference counting still frees what is no longer used.

    What the checks built and keep (the views of the books, the findings) lives as long as
    the books. At the end it is filed at once with the oldest objects, as the collector would
    file it after two collections: otherwise the first allocation after the checks starts a
    collection of the youngest generation, which goes through every one of those objects
    (0.25 s after the approval checks of 100,000 payments, measured). `gc.freeze` and
    `gc.unfreeze` move every tracked object to the oldest generation in constant time; it is
    not done when something else has frozen objects (`gc.unfreeze` would thaw them too).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def mark_explained(books: books_mod.Books, findings: list[Finding]) -> list[Finding]:
    """Return findings with those covered by `custom "explained"` marked explained.

    A finding is covered by an `explained` naming its code and its case or its account.
    """
    return explain(findings, books.index.is_explained)


# The last Books built by a plugin, reused by the next family of the same load: the
# directory, policy and index are the same for all seven, so they are built once, not seven
# times. Beancount hands every plugin the same list object (sorted in place between them).
_shared: list[Any] = []


def _books_for(
    entries: list[data.Directive], options_map: dict[str, Any], as_of: datetime.date | None
) -> books_mod.Books:
    signature = (
        len(entries),
        entries[0] if entries else None,
        entries[-1] if entries else None,
        options_map,
        as_of,
    )
    if _shared and _shared[0] is entries and _shared[1] == signature:
        books: books_mod.Books = _shared[2]
        return books
    books = books_mod.from_entries(entries, options_map, as_of)
    _shared[:] = [entries, signature, books]
    return books


def run(
    family: str,
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None,
) -> tuple[list[data.Directive], list[Any]]:
    """Run one family as a Beancount plugin; return the entries unchanged and its errors."""
    meta = data.new_metadata(f"<plugins.{family}>", 0)
    as_of, problem = parse_config(family, config_str)
    if problem is not None:
        line = plugin_line(options_map, f"plugins.{family}")
        if line:  # At the plugin's line, so that Fava links to it.
            meta = data.new_metadata(str(options_map.get("filename")), line)
        return entries, [ReserveError(meta, problem, None)]
    try:
        books = _books_for(entries, options_map, as_of)
        with no_gc():
            findings = unique(mark_explained(books, checks.family_check(family)(books)))
    except Exception:
        detail = traceback.format_exc(limit=3).replace("\n", " | ")
        return entries, [ReserveError(meta, f"plugins.{family} failed: {detail}", None)]
    return entries, to_errors(findings)
