"""The recipient key of some books: the environment's, else the key file the books name (SPEC §6).

`RESERVE_RECIPIENT_KEY` wins; else `custom "reserve-config" "key-file" "PATH"`, a path
relative to the folder of the file that names it. Every reader of bank files and registers
asks here: the import (`importers.session`), beangulp's importers (`entries_key`, from the
loaded entries) and `reserve audit --bank` (`key_if_any`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from beancount.core import data

from ledger import recipients


def books_key(folder: str | Path, named: str | None) -> bytes:
    """Return the key: the environment's, else the key file `named` relative to `folder`.

    Raises:
      recipients.KeyError_: no key, an unreadable key file, or an unfit key.

    """
    return recipients.load_key(Path(folder) / named if named else None)


def key_if_any(folder: str | Path, named: str | None) -> bytes | None:
    """Return the key as `books_key` does, or None when there is none here at all.

    A key file the books name but that is not here (kept out of version control, not given
    to an auditor from outside the office) is none. A key that is here but unfit still raises.
    """
    path = Path(folder) / named if named else None
    if not os.environ.get(recipients.KEY_ENV) and (path is None or not path.is_file()):
        return None
    return recipients.load_key(path)


def entries_key(existing: Sequence[data.Directive]) -> bytes:
    """Return the key of loaded books (beangulp's existing entries), as `books_key` does.

    The key file is relative to the folder of the file holding its `reserve-config`.
    """
    if os.environ.get(recipients.KEY_ENV):
        return books_key(".", None)
    for entry in existing:
        if (
            isinstance(entry, data.Custom)
            and entry.type == "reserve-config"
            and len(entry.values) >= 2
            and entry.values[0].value == "key-file"
        ):
            folder = Path(str(entry.meta.get("filename", "."))).parent
            return books_key(folder, str(entry.values[1].value))
    return books_key(".", None)
