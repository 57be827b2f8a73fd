"""Export loaded books and their findings into SQL (SQLite or PostgreSQL), one book at a time.

Re-exporting a book replaces exactly its rows: in one database transaction the schema is
created if missing, the book's rows are deleted and its new rows inserted; other books are
untouched, and a failure leaves the database as it was. Two exports into one database never
interleave: each transaction takes the database's write lock first (`BEGIN IMMEDIATE` on
SQLite, a transaction-level advisory lock on PostgreSQL), so the second waits for the first,
up to `LOCK_TIMEOUT_SECONDS`, instead of colliding on the schema or the book's name.

Rows are plain tuples (no ORM): on PostgreSQL they are loaded with COPY (psycopg 3) inside
the transaction, elsewhere inserted with the driver's executemany in chunks, so the export
runs at the speed of the driver or faster (see `ledger.export.bench`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import Table
from sqlalchemy import delete
from sqlalchemy import exc
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from ledger.books import Books
from ledger.export import rows as rows_mod
from ledger.export import schema
from ledger.export.masking import masked_books
from ledger.export.urls import DatabaseError
from ledger.export.values import DateValue
from ledger.findings import Finding

#: Rows per executemany call.
CHUNK = 10_000

#: How long an export waits for another export's write lock before it gives up (the export
#: of a 100,000-transaction city takes about 12 s).
LOCK_TIMEOUT_SECONDS = 300

#: Key of the PostgreSQL advisory lock held by an export's transaction ("reserve" in ASCII).
PG_EXPORT_LOCK = 0x72_65_73_65_72_76_65


@dataclasses.dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    book_id: int
    name: str
    replaced: bool
    counts: dict[str, int]


def date_converter(engine: Engine | Connection) -> DateValue:
    """Return how dates are passed to the driver: ISO text on SQLite, dates elsewhere."""
    if engine.dialect.name == "sqlite":
        return datetime.date.isoformat
    return _same


def _same(value: datetime.date) -> datetime.date:
    return value


def insert_sql(connection: Connection, table: Table) -> str:
    """Return the driver-level INSERT of every column of a table, positional parameters."""
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c.name) for c in table.columns)
    marks = ", ".join(mark for _ in table.columns)
    return f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"


def copy_rows(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Load rows into a PostgreSQL table with COPY, inside the connection's transaction."""
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in table.columns)
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
        f"COPY {quote(table.name)} ({names}) FROM STDIN"
    ) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def insert_rows(
    connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]], chunk: int = CHUNK
) -> None:
    """Insert rows (tuples in column order): COPY on PostgreSQL, else executemany in chunks."""
    if not rows:
        return
    if connection.dialect.driver == "psycopg":
        copy_rows(connection, table, rows)
        return
    sql = insert_sql(connection, table)
    for start in range(0, len(rows), chunk):
        connection.exec_driver_sql(sql, list(rows[start : start + chunk]))


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction that holds the database's write lock from its start.

    SQLite: `BEGIN IMMEDIATE` (the driver would begin lazily, at the first write, which lets
    two exports both find the tables or the book's name missing), waiting up to
    `LOCK_TIMEOUT_SECONDS` for another writer. PostgreSQL: `pg_advisory_xact_lock`, which
    serialises the exports into one database until commit or rollback. Commits on success,
    rolls back on any error.
    """
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "sqlite":
            driver: Any = connection.connection.driver_connection
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_SECONDS * 1000}")
            if not driver.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_EXPORT_LOCK})")
        yield connection


def ensure_schema(connection: Connection) -> None:
    """Create the tables that are missing (first use of a database)."""
    schema.metadata.create_all(connection)


def _book_row(books: Books, name: str, entries: int, postings: int) -> dict[str, Any]:
    return {
        "name": name,
        "path": books.main_file,
        "as_of": books.as_of,
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "entries": entries,
        "postings": postings,
        "schema_version": schema.SCHEMA_VERSION,
    }


def _claim_book(connection: Connection, books: Books, name: str) -> tuple[int, bool]:
    """Return the book's id (new or existing, its old rows deleted) and whether it existed."""
    table = schema.books
    found = connection.execute(select(table.c.book_id).where(table.c.name == name)).scalar()
    values = _book_row(books, name, len(books.entries), 0)
    if found is None:
        result = connection.execute(insert(table).values(values))
        book_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return book_id, False
    for child in schema.BOOK_TABLES:
        connection.execute(delete(child).where(child.c.book_id == found))
    connection.execute(update(table).where(table.c.book_id == found).values(values))
    return int(found), True


def export(
    engine: Engine, books: Books, name: str, found: Iterable[Finding], chunk: int = CHUNK
) -> ExportResult:
    """Write one book and its findings, replacing that book's earlier export.

    Raises:
      DatabaseError: the database refused the export (nothing of it is kept).
    """
    found = list(found)
    books = masked_books(books, found)  # No full number reaches the database (SPEC §6).
    try:
        with write_transaction(engine) as connection:
            ensure_schema(connection)
            book_id, replaced = _claim_book(connection, books, name)
            parts = rows_mod.chunks(books, book_id, found, date_converter(connection), chunk)
            counts: dict[str, int] = dict.fromkeys(rows_mod.Rows().tables(), 0)
            for part in parts:
                for table_name, table_rows in part.tables().items():
                    insert_rows(connection, schema.metadata.tables[table_name], table_rows, chunk)
                    counts[table_name] += len(table_rows)
            connection.execute(
                update(schema.books)
                .where(schema.books.c.book_id == book_id)
                .values(postings=counts["postings"])
            )
    except Exception as error:
        # COPY talks to psycopg directly: its errors are the driver's, not SQLAlchemy's.
        if not isinstance(error, exc.SQLAlchemyError | engine.dialect.loaded_dbapi.Error):
            raise
        reason = " ".join(str(getattr(error, "orig", None) or error).split())
        raise DatabaseError(f"the export of {name!r} failed, nothing written: {reason}") from None
    return ExportResult(book_id, name, replaced, counts)
