"""SQL export (issue 8): export ÷ a bare driver executemany of the same rows, same run.

The large city is loaded once (load and audit time excluded), then exported to a fresh SQLite
file and, when `RESERVE_TEST_PG_URL` names a PostgreSQL server, to a fresh database on it.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from benchmarks.harness import Context
from benchmarks.harness import Row
from ledger import books as books_mod
from ledger.export import bench
from ledger.export import urls

AS_OF = datetime.date(2026, 11, 28)
TARGET = 1.5


def _row(result: bench.BenchResult, size: int) -> Row:
    return Row(
        f"export ÷ bare executemany ({result.backend})",
        result.ratio,
        "ratio",
        TARGET,
        f"{size:,} transactions, {result.rows:,} rows: export {result.export_seconds:.1f} s, "
        f"executemany {result.bare_seconds:.1f} s",
    )


def run(context: Context) -> list[Row]:
    """Return the export rows for SQLite and (if a server is configured) PostgreSQL."""
    books = books_mod.load(context.large, AS_OF)
    size = len(books.index.transactions)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        engine = urls.connect(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        rows.append(_row(bench.measure(engine, books, context.repeat), size))
        engine.dispose()
    server = os.environ.get("RESERVE_TEST_PG_URL")
    if server:
        with bench.scratch_postgres(server) as engine:
            rows.append(_row(bench.measure(engine, books, context.repeat), size))
    return rows
