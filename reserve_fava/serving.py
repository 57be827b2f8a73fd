"""`reserve serve`: Fava with the reserve pages, whether or not the books declare them.

Fava (1.30) loads an extension only for a `custom "fava-extension" "<module>"` entry in the
books; it has no option, setting or entry point to load one otherwise. Rewriting the books, or
serving a generated main file that includes them, would change which file Fava edits and where
imports are booked, so `reserve serve` instead hooks the one place Fava reads those entries:
`fava.core.extensions.ExtensionModule.load_file`, which runs on every (re)load and reads
`ledger.all_entries_by_type.Custom`. While it runs, and only for books without their own
declaration, the hook shows it one more `custom "fava-extension" "reserve_fava"` entry (no
config, so the defaults); Fava's loader does the rest as for declared books. The entries Fava
keeps, shows, edits and hands to the pages are untouched.

This is only installed by `reserve serve`, in its own process; plain `fava` is unchanged.
`tests/test_reserve_fava_audit_serve.py` fails if Fava renames or stops calling the hooked
method; should a Fava release do so, `reserve serve` refuses books without the declaration
(`declared`) with a message naming the line to add.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from beancount.core import data
from beancount.parser.grammar import ValueType
from fava.core.extensions import ExtensionModule

from reserve_fava import config as config_mod

#: Marks the hooked method, so that installing twice hooks once.
_HOOKED = "_reserve_fava_always"
#: Where the stand-in declaration says it comes from (no file: Fava links nowhere).
SOURCE = "<reserve serve>"


def _stand_in() -> data.Custom:
    """Return the declaration the books would have: `custom "fava-extension" "reserve_fava"`."""
    meta = data.new_metadata(SOURCE, 0)
    return data.Custom(
        meta, datetime.date(1970, 1, 1), "fava-extension", [ValueType(config_mod.MODULE, str)]
    )


#: The line books add to declare the pages.
LINE = f'custom "fava-extension" "{config_mod.MODULE}"'


def declared(books: str) -> bool:
    """Return True when the books at that path declare the extension themselves."""
    from beancount import loader

    # Loaded as Fava loads them: no pickle cache written beside the books.
    entries, _, _ = loader._load([(books, True)], None, None, None)
    return config_mod.declaration(e for e in entries if isinstance(e, data.Custom)) is not None


def always_load_extension() -> None:
    """Make every ledger Fava loads in this process serve the reserve pages (see the module).

    Raises:
      RuntimeError: when this Fava has no `ExtensionModule.load_file` to hook.
    """
    original = vars(ExtensionModule).get("load_file")  # Its own, not FavaModule's no-op.
    if not callable(original):
        raise RuntimeError("this Fava has no ExtensionModule.load_file to hook")
    if getattr(original, _HOOKED, False):
        return

    @functools.wraps(original)
    def load_file(self: ExtensionModule) -> None:
        ledger: Any = self.ledger
        by_type = ledger.all_entries_by_type
        if config_mod.declaration(by_type.Custom) is not None:
            original(self)
            return
        ledger.all_entries_by_type = by_type._replace(Custom=[*by_type.Custom, _stand_in()])
        try:
            original(self)
        finally:
            ledger.all_entries_by_type = by_type

    setattr(load_file, _HOOKED, True)
    setattr(ExtensionModule, "load_file", load_file)  # noqa: B010 (mypy: method-assign)
