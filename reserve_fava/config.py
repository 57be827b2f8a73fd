"""The extension's config: `custom "fava-extension" "reserve_fava" "{'as_of': '2026-01-01'}"`.

Fava hands the config string to the extension's constructor, which only survives a
`SyntaxError`; anything else there would stop Fava loading the books. So the extension ignores
that argument and reads the config from the books itself after every load (`parse` never
raises): a bad config is a list of problems shown on Fava's errors page, and the pages fall
back to the defaults (today's date, writable unless Fava runs with `--read-only`).

Keys:
  as_of: the audit date, written 'YYYY-MM-DD' and no other way (default: today, on each
    request).
  read_only: True refuses the import page's confirm step even when Fava is writable.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from beancount.core import data

from ledger.audit_date import iso_date

#: The module name the books declare.
MODULE = "reserve_fava"

_KEYS = ("as_of", "read_only")

def parse_date(text: str) -> datetime.date:
    """Return the date written YYYY-MM-DD (the config's `as_of`, a page's `?as_of=`).

    Raises:
      ValueError: for any other form, and for a day that does not exist.
    """
    return iso_date(text)


@dataclasses.dataclass(frozen=True)
class Config:
    """The parsed config.

    Attributes:
      as_of: the fixed audit date, or None for today.
      read_only: True when the books ask for the import to be refused.
      source: the meta of the `fava-extension` entry (for error locations), or None.
    """

    as_of: datetime.date | None = None
    read_only: bool = False
    source: dict[str, Any] | None = None


def declaration(customs: Iterable[data.Custom]) -> data.Custom | None:
    """Return the books' `custom "fava-extension" "reserve_fava"` entry, if any."""
    for entry in customs:
        if (
            entry.type == "fava-extension"
            and entry.values
            and entry.values[0].value == MODULE
        ):
            return entry
    return None


def parse(customs: Iterable[data.Custom]) -> tuple[Config, list[str]]:
    """Return the config declared in the books and the problems found in it.

    A problem never stops the extension: the keys that could be read are kept, the others
    take their defaults.
    """
    entry = declaration(customs)
    if entry is None:
        return Config(), []
    source = dict(entry.meta) if entry.meta else None
    if len(entry.values) < 2:
        return Config(source=source), []
    problems = []
    if len(entry.values) > 2:
        problems.append(
            f"{MODULE}: only one config string is read; "
            f"{len(entry.values) - 2} more value(s) on the fava-extension line are ignored"
        )
    text = entry.values[1].value
    if not isinstance(text, str):
        problems.append(
            f"{MODULE}: config {text} is not a string such as "
            f"\"{{'as_of': '2026-01-01'}}\"; defaults are used"
        )
        return Config(source=source), problems
    if not text.strip():
        return Config(source=source), problems
    config, more = _parse_text(text, source)
    return config, problems + more


def _parse_text(text: str, source: dict[str, Any] | None) -> tuple[Config, list[str]]:
    prefix = f"{MODULE}: config {text!r}"
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return Config(source=source), [f"{prefix} is not a Python literal; defaults are used"]
    if not isinstance(value, dict):
        return Config(source=source), [f"{prefix} must be a dict such as {{'as_of': '2026-01-01'}}"]
    problems = [
        f"{prefix}: unknown key {key!r} (known: {', '.join(_KEYS)})"
        for key in value
        if key not in _KEYS
    ]
    as_of = None
    if value.get("as_of") is not None:
        try:
            as_of = parse_date(str(value["as_of"]))
        except ValueError:
            problems.append(
                f"{prefix}: as_of {value['as_of']!r} is not a date YYYY-MM-DD; today is used"
            )
    read_only = value.get("read_only", False)
    if not isinstance(read_only, bool):
        problems.append(f"{prefix}: read_only must be True or False; the import is refused")
        read_only = True
    return Config(as_of=as_of, read_only=read_only, source=source), problems
