"""Options shared by several commands."""

from __future__ import annotations

import datetime

import click

from cli.errors import UsageError
from ledger import audit as audit_mod
from ledger import audit_date
from ledger.audit_date import iso_date
from ledger.books import Books
from ledger.books import BooksError
from ledger.findings import Finding


def parse_date(value: str | None, option: str) -> datetime.date | None:
    """Return a date from YYYY-MM-DD, or raise a usage error naming the option."""
    if value is None:
        return None
    try:
        return iso_date(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date YYYY-MM-DD") from None


books_argument = click.argument(
    "books", type=click.Path(dir_okay=False, path_type=str), metavar="BOOKS"
)
#: `--as-of` of the commands that audit (`audit`, `advances`, `export`): SPEC §5 "Audit date".
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Audit date (default: the as_of of the books' plugin config, else today).",
)


def books_for_audit(books: str, date: datetime.date | None) -> Books:
    """Return the books as of their audit date (`ledger.audit_date`), or a usage error."""
    try:
        return audit_date.load_for_audit(books, date)
    except BooksError as exc:
        raise UsageError(str(exc)) from None


def audited(books: str, loaded: Books) -> list[Finding]:
    """Return the audit of the books; a check family that raises is a usage error naming it."""
    try:
        return audit_mod.audit(loaded)
    except audit_mod.CheckFailed as exc:
        raise UsageError(f"{books}: {exc}") from None
