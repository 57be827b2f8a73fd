"""Loading the books for an audit (SPEC §5 "Audit date", §7 exit codes).

`load` reads the books without Beancount's pickle cache (as Fava does), so plugin code changes
and the date are always current. Syntax errors and missing includes make the books unusable:
`BooksError` (exit 2). The project plugins' own findings are set aside (the audit runs every
check itself with its own date); Beancount's other errors stay, to be reported as `BEANCOUNT`.
The audit date of the commands that audit is `ledger.audit_date`'s.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.parser import grammar
from beancount.parser import lexer

from ledger import bookfile
from ledger import directory as directory_mod
from ledger import policy as policy_mod
from ledger import policy_rules
from ledger import postings as postings_mod
from ledger.findings import SEVERITY
from ledger.findings import ReserveError

if TYPE_CHECKING:
    from ledger.index import BookIndex
    from ledger.postings import Postings

_FATAL_LOAD = ("does not exist", "does not match any files", "Duplicate filename parsed")


class BooksError(Exception):
    """The books cannot be read: a syntax error, a missing include, no such file."""


class Books:
    """Loaded books with an audit date, and the shared views the checks use.

    Attributes:
      entries: every directive, sorted as Beancount sorts them.
      options: Beancount's options map.
      as_of: the audit date.
      main_file: absolute path of the top-level file ("" for books from a string).
      errors: Beancount's own errors (not the project plugins' findings).

    """

    def __init__(
        self,
        entries: Sequence[data.Directive],
        options: dict[str, Any],
        as_of: datetime.date,
        main_file: str = "",
        errors: Sequence[Any] = (),
    ) -> None:
        """Keep the entries, by kind too; the views are computed on first use."""
        entries, kinds = postings_mod.by_kind(
            entries if isinstance(entries, list) else list(entries)
        )
        self.entries: list[data.Directive] = entries
        #: The entries by class (`data.Transaction`, `data.Custom`, ...), each list in book
        #: order: the one walk over every entry that the views share (`by_kind`).
        self.kinds = kinds
        self.options = options
        self.as_of = as_of
        self.main_file = main_file
        self.errors = list(errors)

    @functools.cached_property
    def directory(self) -> directory_mod.Directory:
        """Return the counties and townships of the books."""
        return directory_mod.build(self.kinds.get(data.Open, []))

    @functools.cached_property
    def policy(self) -> policy_mod.Policy:
        """Return the policy in force up to the audit date."""
        # The policy directives up to the audit date, from the customs grouped by type.
        view = self.postings
        found = [e for kind in policy_rules.KINDS for e in view.customs(kind)]
        found.sort(key=data.entry_sortkey)  # Book order, as the books list them.
        return policy_mod.build(found, self.directory.counties, self.as_of)

    @functools.cached_property
    def index(self) -> BookIndex:
        """Return the shared one-pass indexes of the books."""
        from ledger.index import BookIndex

        return BookIndex(self)

    @functools.cached_property
    def postings(self) -> Postings:
        """Return the postings by account, one pass shared by the money checks."""
        from ledger.postings import Postings

        return Postings(self)

    @property
    def root(self) -> Path:
        """Return the folder of the main file (where relative paths in the books start)."""
        return Path(self.main_file).parent if self.main_file else Path.cwd()

    def config(self, name: str) -> str | None:
        """Return a `custom "reserve-config" NAME VALUE` setting (the latest), if any."""
        value = None
        for entry in self.entries:
            if (
                isinstance(entry, data.Custom)
                and entry.type == "reserve-config"
                and len(entry.values) >= 2
                and entry.values[0].value == name
            ):
                value = str(entry.values[1].value)
        return value


def today() -> datetime.date:
    """Return today's date (one place, so tests can reason about it)."""
    return datetime.date.today()


def is_fatal(error: Any) -> bool:
    """Return True for errors that make the books unreadable (exit 2, not a finding)."""
    if isinstance(error, grammar.ParserError | grammar.ParserSyntaxError | lexer.LexerError):
        return True
    if isinstance(error, loader.LoadError):
        return any(text in error.message for text in _FATAL_LOAD)
    return False


def is_project_finding(error: Any) -> bool:
    """Return True for an error raised by one of the project's plugins."""
    if isinstance(error, ReserveError):
        return True
    code = str(getattr(error, "message", "")).split(" ", 1)[0]
    return type(error).__name__ == "ReserveError" and code in SEVERITY


def _describe(error: Any, files: Sequence[str] = ()) -> str:
    source = getattr(error, "source", None) or {}
    where = f"{source.get('filename', '?')}:{source.get('lineno', '?')}"
    message = str(getattr(error, "message", error))
    if source.get("filename") == "<load>":  # Beancount names no line: find the include.
        glob = _GLOB.search(message)
        found = _include_line(glob.group(1), files) if glob else None
        if found is not None:
            where = f"{found[0]}:{found[1]}"
    return f"{where}: {message}"


_GLOB = re.compile(r'File glob "(.*)" does not match any files')


def _include_line(pattern: str, files: Sequence[str]) -> tuple[str, int] | None:
    """Return the file and line of the `include` naming a pattern, if one of files has it."""
    wanted = re.compile(r'^\s*include\s+"' + re.escape(pattern) + '"')
    for file in files:
        try:
            lines = Path(file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if wanted.match(line):
                return file, number
    return None


def load(path: str | os.PathLike[str], as_of: datetime.date | None = None) -> Books:
    """Return the books at path, loaded without the cache, for an audit as of a date.

    Raises:
      BooksError: the file is missing, or the books have syntax errors or missing includes.

    """
    main = Path(path).resolve()
    if not main.is_file():
        raise BooksError(f"{path}: no such books file")
    if bookfile.journal_path(main).exists():
        with bookfile.Transaction(main):  # Finishes a change a crash interrupted.
            pass
    entries, errors, options = loader._load([(str(main), True)], None, None, None)
    fatal = [e for e in errors if is_fatal(e)]
    if fatal:
        files = [str(f) for f in options.get("include", [])]
        shown = "\n".join(_describe(e, files) for e in fatal[:10])
        more = f"\n... and {len(fatal) - 10} more" if len(fatal) > 10 else ""
        raise BooksError(f"{path}: the books cannot be read:\n{shown}{more}")
    own = [e for e in errors if not is_project_finding(e)]
    return Books(entries, options, as_of or today(), str(main), own)


def from_entries(
    entries: Sequence[data.Directive],
    options: dict[str, Any],
    as_of: datetime.date | None = None,
) -> Books:
    """Return books from loaded entries (inside a plugin, or a test)."""
    filename = options.get("filename") or ""
    return Books(entries, options, as_of or today(), str(filename))
