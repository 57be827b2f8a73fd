"""Export speed: `export` against a bare driver executemany of the same rows, same run.

The issue's bar: exporting a loaded 100k-transaction ledger (loading and the audit excluded:
both happen before the export starts, as in `reserve export`) takes at most 1.5 times as long
as inserting the very same rows with the DBAPI cursor's `executemany`, into the same tables of
the same database, in one transaction. `synthetic(n)` builds such a ledger in memory (no
parsing); `measure` runs both and reports the ratio. `python -m ledger.export.bench URL N`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select

from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.books import Books
from ledger.export import export as export_mod
from ledger.export import rows as rows_mod
from ledger.export import schema
from ledger.export import urls

_TOWNSHIPS = [(f"County{c}", f"Town{c}x{t}") for c in range(4) for t in range(8)]
_FILE = "<bench>"


def _meta(line: int, **values: Any) -> dict[str, Any]:
    return data.new_metadata(_FILE, line, values)


def synthetic(n: int, start: datetime.date = datetime.date(2018, 1, 1)) -> Books:
    """Return books of n small-relief transactions over the counties' townships."""
    cny = "CNY"
    entries: list[data.Directive] = []
    first = datetime.date(2015, 1, 1)
    for county in sorted({c for c, _ in _TOWNSHIPS}):
        entries.append(data.Open(_meta(1, name=f"{county}民政局"), first,
                                 f"Assets:Treasury:{county}", [cny], None))
    for county, town in _TOWNSHIPS:
        entries.append(data.Open(_meta(2, name=f"{town}街道", population=Decimal(40000)),
                                 first, f"Assets:Reserve:{county}:{town}", [cny], None))
        entries.append(data.Open(_meta(3), first, f"Expenses:Relief:{county}:{town}:Small",
                                 [cny], None))
    for i in range(n):
        county, town = _TOWNSHIPS[i % len(_TOWNSHIPS)]
        date = start + datetime.timedelta(days=(i * 7) // len(_TOWNSHIPS) % 2500)
        amount = Decimal(100 + i % 400) + Decimal("0.50")
        meta = _meta(
            10 + i, case=f"{town}-{i}", recipient=f"r-{i * 2654435761 % 16**16:016x}",
            approval="township", approver=f"{town}街道办事处", approved=date,
            category="illness", applied=date - datetime.timedelta(days=3), voucher=f"V{i}",
        )
        postings = [
            data.Posting(f"Expenses:Relief:{county}:{town}:Small", Amount(amount, cny),
                         None, None, None, None),
            data.Posting(f"Assets:Reserve:{county}:{town}", Amount(-amount, cny),
                         None, None, None, None),
        ]
        entries.append(data.Transaction(meta, date, "*", f"受助人{i % 997}", "小额临时救助",
                                        frozenset(), frozenset(), postings))
    entries.sort(key=data.entry_sortkey)
    return books_mod.from_entries(entries, {"filename": _FILE}, datetime.date(2026, 1, 1))


@dataclasses.dataclass(frozen=True)
class BenchResult:
    """Seconds of the export and of the bare executemany, and the rows written."""

    backend: str
    rows: int
    export_seconds: float
    bare_seconds: float

    @property
    def ratio(self) -> float:
        """Return export time ÷ bare executemany time."""
        return self.export_seconds / self.bare_seconds


def _bare(engine: Engine, books: Books, found: list[Any]) -> tuple[float, int]:
    """Insert the export's rows with the bare DBAPI cursor; return (seconds, rows)."""
    _drop(engine, "bench-bare")
    with engine.begin() as connection:
        export_mod.ensure_schema(connection)
        book_id = connection.execute(
            insert(schema.books).values(export_mod._book_row(books, "bench-bare", 0, 0))
            .returning(schema.books.c.book_id)
        ).scalar_one()
        built = rows_mod.build(books, book_id, found, export_mod.date_converter(connection))
        statements = {
            name: export_mod.insert_sql(connection, schema.metadata.tables[name])
            for name in built.tables()
        }
    raw = engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        total = 0
        for name, table_rows in built.tables().items():
            for start in range(0, len(table_rows), export_mod.CHUNK):
                cursor.executemany(statements[name], table_rows[start : start + export_mod.CHUNK])
            total += len(table_rows)
        raw.commit()
        seconds = time.perf_counter() - started
    finally:
        raw.close()
    _drop(engine, "bench-bare")
    return seconds, total


def measure(engine: Engine, books: Books, repeat: int = 3) -> BenchResult:
    """Return the medians of `repeat` runs of the export and of the bare executemany."""
    found = audit_mod.audit(books)
    exports, bares = [], []
    rows = 0
    for _ in range(repeat):
        bare, rows = _bare(engine, books, found)
        bares.append(bare)
        _drop(engine, "bench")
        started = time.perf_counter()
        export_mod.export(engine, books, "bench", found)
        exports.append(time.perf_counter() - started)
    _drop(engine, "bench")
    return BenchResult(
        engine.dialect.name, rows, statistics.median(exports), statistics.median(bares)
    )


def _drop(engine: Engine, name: str) -> None:
    """Delete an exported book and its rows (untimed: each run starts from the same state)."""
    with engine.begin() as connection:
        export_mod.ensure_schema(connection)
        book_id = connection.execute(
            select(schema.books.c.book_id).where(schema.books.c.name == name)
        ).scalar()
        if book_id is None:
            return
        for child in schema.BOOK_TABLES:
            connection.execute(delete(child).where(child.c.book_id == book_id))
        connection.execute(delete(schema.books).where(schema.books.c.book_id == book_id))


@contextlib.contextmanager
def scratch_postgres(server_url: str) -> Iterator[Engine]:
    """Yield an engine on a new, empty database of a PostgreSQL server; drop it after."""
    base = urls.parse(server_url)
    name = f"reserve_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = create_engine(base.set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv: list[str]) -> int:
    """Run the benchmark: `python -m ledger.export.bench URL [N]`."""
    url = argv[0] if argv else "sqlite:////tmp/reserve-bench.sqlite"
    n = int(argv[1]) if len(argv) > 1 else 100_000
    engine = urls.connect(url)
    result = measure(engine, synthetic(n))
    engine.dispose()
    print(
        f"{result.backend}: {n} transactions, {result.rows} rows: export "
        f"{result.export_seconds:.2f}s, bare executemany {result.bare_seconds:.2f}s, "
        f"ratio {result.ratio:.2f} (bar 1.5)"
    )
    return 0 if result.ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
