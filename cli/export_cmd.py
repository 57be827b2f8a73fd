"""`reserve export`: the books and their findings into SQL (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import click

from cli.errors import UsageError
from cli.options import as_of_option
from cli.options import audited
from cli.options import books_argument
from cli.options import books_for_audit
from cli.options import parse_date
from ledger.export import export as export_mod
from ledger.export import urls


def default_name(books: str) -> str:
    """Return a book's default name: its folder for `main.beancount`, else the file's stem."""
    path = Path(books).resolve()
    return path.parent.name if path.stem == "main" and path.parent.name else path.stem


@click.command("export")
@books_argument
@click.option(
    "--db", metavar="URL",
    help="sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB "
    "(default: reserve.sqlite beside the books).",
)
@click.option(
    "--book", "name", metavar="NAME",
    help="The book's name in the database (default: the books' folder name).",
)
@as_of_option
def command(books: str, db: str | None, name: str | None, as_of: str | None) -> None:
    """Export BOOKS and their findings into a SQL database.

    Re-exporting a book under the same name replaces its rows in one transaction; other books
    in the database are untouched. The tables are created on first use (docs/sql.md).
    `reserve audit --db URL` then runs the cross-book checks.

    \b
    Examples:
      reserve export books/main.beancount
      reserve export books/main.beancount --db sqlite:///city.sqlite
      reserve export books/main.beancount --book demo-2025 \\
          --db postgresql+psycopg://reserve@127.0.0.1:5432/city
    """
    date = parse_date(as_of, "--as-of")
    book_name = (name if name is not None else default_name(books)).strip()
    if not book_name or len(book_name) > 200:
        raise UsageError("--book: give a name of 1 to 200 characters")
    url = db if db is not None else urls.default_url(books)
    try:
        urls.parse(url)
    except urls.DatabaseError as error:
        raise UsageError(str(error)) from None
    loaded = books_for_audit(books, date)
    found = audited(books, loaded)
    try:
        engine = urls.connect(url)
        try:
            result = export_mod.export(engine, loaded, book_name, found)
        finally:
            engine.dispose()
    except urls.DatabaseError as error:
        raise UsageError(str(error)) from None
    verb = "replaced" if result.replaced else "exported"
    counts = result.counts
    click.echo(
        f"{verb} book {book_name!r} ({books}) in {urls.shown(urls.parse(url))}: "
        f"{counts['entries']} entries, {counts['postings']} postings, "
        f"{counts['findings']} finding(s) as of {loaded.as_of.isoformat()}."
    )
