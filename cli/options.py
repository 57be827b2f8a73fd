"""Options shared by several commands."""

from __future__ import annotations

import datetime

import click

from cli.errors import UsageError
from ledger.audit_date import iso_date


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
