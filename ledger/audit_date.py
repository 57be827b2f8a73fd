"""The audit date (SPEC §5): `--as-of`, else the project plugins' `as_of`, else today.

Every date the project reads from a user (a command's option, a plugin's or the Fava
extension's config, a page's address) is written YYYY-MM-DD: `iso_date` takes that form only
(Python's `date.fromisoformat` also takes "20250630" or "2025-W27-1").
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

from ledger import books as books_mod

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> datetime.date:
    """Return the date written YYYY-MM-DD.

    Raises:
      ValueError: for any other form, and for a day that does not exist.

    """
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date YYYY-MM-DD")
    return datetime.date.fromisoformat(text)


def load_for_audit(path: str | os.PathLike[str], as_of: datetime.date | None = None) -> books_mod.Books:
    """Return the books at path as `load` does, as of the audit date of SPEC §5.

    The date is `as_of` (the command's `--as-of`), else the `as_of` the books' project plugins
    declare in their config (`plugin_dates`), else today.

    Raises:
      BooksError: as `load`; also for a malformed project plugin config, and for plugins
        declaring different dates when `as_of` is not given.

    """
    books = books_mod.load(path, as_of)
    declared = plugin_dates(books.options)  # Validated even when as_of is given.
    if as_of is None and declared:
        books.as_of = _agreed(declared, books.options)  # No view has read the date yet.
    return books


def plugin_dates(options: dict[str, Any]) -> list[tuple[str, datetime.date]]:
    """Return (module, as_of) of each project plugin (`plugins.<family>`) that declares one.

    Raises:
      BooksError: a project plugin's config is not `{'as_of': 'YYYY-MM-DD'}` (the message
        names the main file and the plugin line).

    """
    from ledger.checks import FAMILIES  # It imports `ledger.books`, as the plugin does.
    from ledger.plugin import parse_config

    found = []
    for name, config in options.get("plugin") or ():
        family = name.removeprefix("plugins.")
        if family == name or family not in FAMILIES:
            continue
        date, problem = parse_config(family, config)
        if problem is not None:
            raise books_mod.BooksError(f"{_main(options)}{_at_line(options, name, ':')}: {problem}")
        if date is not None:
            found.append((name, date))
    return found


def _agreed(declared: list[tuple[str, datetime.date]], options: dict[str, Any]) -> datetime.date:
    dates = {date for _, date in declared}
    if len(dates) == 1:
        return dates.pop()
    shown = ", ".join(
        f"{date.isoformat()} ({name}{_at_line(options, name, ', line ')})"
        for name, date in sorted(declared, key=lambda found: (found[1], found[0]))
    )
    raise books_mod.BooksError(
        f"{_main(options)}: the project plugins declare different audit dates: {shown}; "
        "pass --as-of YYYY-MM-DD to choose the audit date"
    )


def _main(options: dict[str, Any]) -> str:
    return str(options.get("filename") or "<books>")


def _at_line(options: dict[str, Any], name: str, prefix: str) -> str:
    """Return prefix + the line of a plugin's first directive in the main file ("" if none)."""
    number = plugin_line(options, name)
    return f"{prefix}{number}" if number else ""


def plugin_line(options: dict[str, Any], name: str) -> int:
    """Return the line of a plugin's first `plugin` directive in the main file (0 if none)."""
    path = Path(_main(options))
    if not path.is_file():
        return 0
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, text in enumerate(lines, 1):
        if text.startswith("plugin") and f'"{name}"' in text:
            return number
    return 0
