"""`reserve audit --db URL [BOOKS]`: the cross-book checks over an export database.

RECIPIENT-REPEAT across counties and DUPLICATE-CASE across books run in SQL
(`ledger.export.db_checks`). EXPORT-MISMATCH compares each exported book's per-account totals
in SQL with the books' own: the books file recorded at export time (`books.path`) is loaded
afresh when it can be read, else the totals recorded at export time are the reference. BOOKS,
when given, must be one of the exported books (matched by its path); it is loaded once and
used as the reference for them.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click
from sqlalchemy import Connection
from sqlalchemy import exc

from cli import render
from cli.errors import UsageError
from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.export import db_checks
from ledger.export import mismatch
from ledger.export import rows as rows_mod
from ledger.export import urls
from ledger.findings import Finding
from ledger.findings import sort_key


def _reference(
    book: db_checks.ExportedBook, given: books_mod.Books | None
) -> tuple[db_checks.Totals | None, str]:
    """Return the books' own totals for an exported book and what they are."""
    if given is not None and given.main_file == book.path:
        return rows_mod.account_totals(given.entries), f"the books {book.path}"
    if Path(book.path).is_file():
        try:
            loaded = books_mod.load(book.path)
        except books_mod.BooksError:
            return None, f"the totals recorded at export ({book.path} cannot be read)"
        return rows_mod.account_totals(loaded.entries), f"the books {book.path}"
    return None, f"the totals recorded at export ({book.path} is gone)"


def _never_exported(given: books_mod.Books) -> Finding:
    return Finding(
        code="EXPORT-MISMATCH",
        message=(
            f"EXPORT-MISMATCH the books {given.main_file} were never exported to this "
            "database: their totals are not in SQL; run reserve export"
        ),
        file=given.main_file,
        key=given.main_file,
    )


def db_findings(
    connection: Connection, as_of: datetime.date, given: books_mod.Books | None
) -> list[Finding]:
    """Return every cross-book finding of an export database, sorted as the audit sorts."""
    if not db_checks.has_schema(connection):
        raise UsageError("the database holds no export: run reserve export first")
    exported = db_checks.exported_books(connection)
    if not exported:
        raise UsageError("the database holds no exported book: run reserve export first")
    findings = db_checks.recipient_repeats(connection, as_of)
    findings += db_checks.duplicate_cases(connection, as_of)
    for book in exported:
        reference, against = _reference(book, given)
        damage: mismatch.Damage = {}
        if reference is None:
            reference, damage = mismatch.recorded_totals(connection, book.book_id)
        findings += mismatch.mismatches(connection, book, reference, against, damage)
    if given is not None and all(b.path != given.main_file for b in exported):
        findings.append(_never_exported(given))
    return sorted(findings, key=sort_key)


def run_db_audit(
    db: str, fmt: str, books: str | None, as_of: datetime.date | None
) -> None:
    """Run the cross-book checks of an export database, print them, exit 0, 1 or 2."""
    date = as_of or books_mod.today()
    given = None
    if books is not None:
        try:
            given = books_mod.load(books, date)
        except books_mod.BooksError as error:
            raise UsageError(str(error)) from None
    try:
        engine = urls.connect(db, must_exist=True)
    except urls.DatabaseError as error:
        raise UsageError(str(error)) from None
    try:
        with engine.connect() as connection:
            findings = db_findings(connection, date, given)
    except exc.SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise UsageError(f"--db: the database cannot be read: {reason}") from None
    finally:
        engine.dispose()
    click.echo(render.render(findings, fmt, date.isoformat()), nl=False)
    raise SystemExit(audit_mod.exit_code(findings))
