"""The audit date and helpers shared by the SQL export tests: export, dump, cross."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select

from ledger import audit as audit_mod
from ledger.books import Books
from ledger.export import db_checks
from ledger.export import export as export_mod
from ledger.export import schema
from ledger.findings import Finding

AS_OF = datetime.date(2018, 12, 31)


def export(engine: Engine, books: Books, name: str) -> export_mod.ExportResult:
    return export_mod.export(engine, books, name, audit_mod.audit(books))


def dump(engine: Engine, book_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of one book, table by table, in a stable order."""
    found = {}
    with engine.connect() as connection:
        for table in schema.BOOK_TABLES:
            keys = list(table.primary_key.columns)
            rows = connection.execute(
                select(table).where(table.c.book_id == book_id).order_by(*keys)
            )
            found[table.name] = [tuple(r) for r in rows]
    return found


def cross(engine: Engine, as_of: datetime.date = AS_OF) -> list[Finding]:
    with engine.connect() as connection:
        return db_checks.recipient_repeats(connection, as_of) + db_checks.duplicate_cases(
            connection, as_of
        )
