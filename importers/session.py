"""Importing files into the books: the flow behind `reserve import` and Fava's import page.

Book approval registers, bank request files and result files (SPEC §7, §10).

Order of work: the recipient key (before any input file is read); the books' state by a
parse of their files (`importers.scan`; a syntax error is exit 2), under the books' lock; every file read and validated (registers
first, then request files, then result files, each group in the order given); every row
booked in memory; then one atomic write of per-year, per-county files. Any problem is exit 2
with a message naming the file, row and column, and nothing is written.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from importers import keys
from importers import register as register_mod
from importers import render
from importers import scan
from importers.bank_file import BankFile
from importers.bank_file import read_bank_file
from importers.booking import Booker
from importers.columns import HEADER_SEARCH
from importers.drafts import Draft
from importers.errors import InputError
from importers.identity import LedgerState
from importers.payer import Payer
from importers.payer import resolve
from importers.register import Register
from importers.table import read_table
from ledger import bookfile
from ledger import recipients
from ledger.books import BooksError
from ledger.plugin import no_gc


class ImportFailed(Exception):
    """The import cannot go ahead: the message names the file, row and column."""


_ORDER = {"register": 0, "request": 1, "result": 2}
_PROGRESS_ROWS = 5000
#: What a draft's path is made of (`Draft.path`): year, county and target.
_DESTINATION = operator.attrgetter("date.year", "county", "target")


def env_key() -> bytes | None:
    """Return the key from RESERVE_RECIPIENT_KEY, None if unset; exit 2 if unfit."""
    if not os.environ.get(recipients.KEY_ENV):
        return None
    try:
        return recipients.load_key()
    except recipients.KeyError_ as exc:
        raise ImportFailed(str(exc)) from None


def books_key(state: LedgerState) -> bytes:
    """Return the key from the books' key file (relative to the main file's folder)."""
    try:
        return keys.books_key(Path(state.main_file).parent, state.key_file)
    except recipients.KeyError_ as exc:
        raise ImportFailed(str(exc)) from None


def read_all(files: tuple[str, ...]) -> list[Register | BankFile]:
    """Return every file read and validated, registers first; exit 2 on the first problem."""
    kinds = []
    for path in files:
        kind = register_mod.identify(path)
        if kind is None:
            try:  # A file that cannot be read says why (empty, not text, ...).
                read_table(path, limit=HEADER_SEARCH)
            except InputError as exc:
                raise ImportFailed(str(exc)) from None
            raise ImportFailed(
                f"{path}: not an approval register, bank request file or result file "
                "(no known header row)"
            )
        kinds.append((path, kind))
    kinds.sort(key=lambda item: _ORDER[item[1]])
    read: list[Register | BankFile] = []
    try:
        for path, kind in kinds:
            read.append(
                register_mod.read_register(path)
                if kind == "register"
                else read_bank_file(path)
            )
    except InputError as exc:
        raise ImportFailed(str(exc)) from None
    return read


def book_all(
    state: LedgerState, key: bytes, payer: Payer | None, read: list[Register | BankFile]
) -> Booker:
    """Return the booker after booking every file; exit 2 on the first problem."""
    booker = Booker(state, key, payer)
    rows = sum(len(item.rows) for item in read if isinstance(item, BankFile))
    show = rows >= _PROGRESS_ROWS and sys.stderr.isatty()
    try:
        if not show:
            for item in read:
                _book(booker, item, None)
            return booker
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Booking bank rows", total=rows)
            for item in read:
                _book(booker, item, lambda n: progress.advance(task, n))
    except InputError as exc:
        raise ImportFailed(str(exc)) from None
    return booker


def _book(booker: Booker, item: Register | BankFile, advance: Any) -> None:
    if isinstance(item, Register):
        booker.book_register(item)
    else:
        booker.book_bank(item, advance)


def by_file(drafts: list[Draft]) -> dict[str, list[Draft]]:
    """Return drafts grouped by the file they go to, in a stable order."""
    grouped: dict[str, list[Draft]] = defaultdict(list)
    # A file's drafts come in long runs to one file: its path is made once a run.
    for _, run in itertools.groupby(drafts, _DESTINATION):
        group = list(run)
        grouped[group[0].path].extend(group)
    return dict(sorted(grouped.items()))


def check_opened(state: LedgerState, drafts: list[Draft]) -> None:
    """Exit 2 when an entry would post to an account the books do not open.

    The message names the books and the file and row of the first entry needing one.
    """
    used = {account for draft in drafts for account, _ in draft.postings}
    missing = sorted(used - state.opened)
    if missing:
        first = next(d for d in drafts if any(a not in state.opened for a, _ in d.postings))
        where = f"{first.source}, row {first.row}" if first.row else first.source
        raise ImportFailed(
            f"{state.main_file}: the books do not open {', '.join(missing[:5])}"
            f"{' …' if len(missing) > 5 else ''}; open them before importing "
            f"(needed first by {where})"
        )


def _header(path: str) -> str:
    return f"; Imported by `reserve import`: {path}\n"


def report(
    booker: Booker,
    grouped: dict[str, list[Draft]],
    texts: dict[str, str],
    dry_run: bool,
    fmt: str,
) -> str:
    """Return the command's output: JSON, or the text summary (with entries on a dry run)."""
    if fmt == "json":
        result: dict[str, Any] = {"dry_run": dry_run, **booker.outcome.to_json()}
        result["written"] = [] if dry_run else list(texts)
        if dry_run:
            result["entries"] = texts
        return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []
    if dry_run:
        for path, text in texts.items():
            lines += [f"; would append to {path}", text]
    files = booker.outcome.files
    verb = "Would book" if dry_run else "Booked"
    lines.append(f"{verb} {len(booker.drafts):,} entries from {len(files)} file(s):")
    lines += booker.outcome.text()
    if not dry_run and texts:
        lines.append("Wrote " + ", ".join(f"{p} (+{len(grouped[p])})" for p in texts))
    return "\n".join(lines) + "\n"


def run(
    main: Path,
    files: tuple[str, ...],
    account: str | None,
    dry_run: bool,
    change: bookfile.Transaction | None,
) -> tuple[Booker, dict[str, list[Draft]], dict[str, str]]:
    """Scan, read, book and (with a transaction) write.

    Returns the booker, its drafts by file and each file's new text (rendered once).
    """
    key = env_key()
    try:
        state = scan.scan(main)
    except BooksError as exc:
        raise ImportFailed(str(exc)) from None
    if key is None:
        key = books_key(state)
    payer = None
    if account is not None:
        payer, problem = resolve(state.directory, state.opened, account)
        if payer is None:
            raise ImportFailed(f"--account {account}: {problem}")
    booker = book_all(state, key, payer, read_all(files))
    check_opened(state, booker.drafts)
    grouped = by_file(booker.drafts)
    texts = {path: render.render(drafts) for path, drafts in grouped.items()}
    if change is not None and grouped:
        for path, text in texts.items():
            change.append(Path(path), text, header=_header(path))
        try:
            change.commit()
        except OSError as exc:
            raise ImportFailed(f"{main}: cannot write ({exc.strerror or exc})") from None
    return booker, grouped, texts


def import_files(
    books: str | os.PathLike[str],
    files: tuple[str, ...] | list[str],
    account: str | None = None,
    dry_run: bool = False,
    fmt: str = "text",
) -> str:
    """Import files into the books (or, on a dry run, show what would be booked).

    Returns the report (text or JSON). Raises `ImportFailed` for any problem, before
    anything is written: the books are then byte-identical.
    """
    main = Path(books)
    if not main.is_file():
        raise ImportFailed(f"{books}: no such books file")
    if os.environ.get(recipients.KEY_ENV):
        env_key()  # A bad key in the environment stops everything before the lock.
    # Booking makes a few objects per row and keeps them all: the cyclic garbage collector
    # would rescan them again and again (a third of the time at 100k rows), for no garbage.
    # They are dropped before it runs again, or its first pass would walk them all once more.
    with no_gc():
        if dry_run:
            if bookfile.journal_path(main).exists():
                # A change a crash interrupted is finished first (as every command does):
                # the dry run then says what a real run would book.
                with bookfile.Transaction(main):
                    pass
            booker, grouped, texts = run(main, tuple(files), account, True, None)
        else:
            with bookfile.Transaction(main) as change:
                booker, grouped, texts = run(main, tuple(files), account, False, change)
        output = report(booker, grouped, texts, dry_run, fmt)
        del booker, grouped, texts
    return output
