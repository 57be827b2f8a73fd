"""Exports started at the same moment into one new database: the second waits, both succeed."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import sql_fixtures as fx
from export_fixtures import AS_OF
from sqlalchemy import func
from sqlalchemy import select

from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.export import export as export_mod
from ledger.export import schema
from ledger.export import urls

#: Book A of the SQL fixtures: its entries and postings.
ENTRIES, POSTINGS = 27, 20


def _books_in(url: str) -> list[tuple[str, int, int, int]]:
    """Return (name, entries, postings, posting rows in SQL) of every exported book."""
    engine = urls.connect(url, must_exist=True)
    try:
        with engine.connect() as connection:
            counted = (
                select(func.count())
                .select_from(schema.postings)
                .where(schema.postings.c.book_id == schema.books.c.book_id)
                .scalar_subquery()
            )
            rows = connection.execute(
                select(
                    schema.books.c.name, schema.books.c.entries, schema.books.c.postings, counted
                ).order_by(schema.books.c.name)
            )
            return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
    finally:
        engine.dispose()


def test_two_cli_exports_at_once_into_a_new_database(db_url: str, tmp_path: Path) -> None:
    """Two `reserve export` processes of the same book, started together: both exit 0."""
    book = fx.write(tmp_path / "yingze", fx.BOOK_A)
    command = [sys.executable, "-m", "cli", "export", str(book), "--db", db_url,
               "--as-of", AS_OF.isoformat()]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for code, _out, err in results:
        assert code == 0, err
    verbs = sorted(out.split()[0] for _code, out, _err in results)
    assert verbs == ["exported", "replaced"]
    assert _books_in(db_url) == [("yingze", ENTRIES, POSTINGS, POSTINGS)]


def _export_after(barrier: multiprocessing.synchronize.Barrier, url: str, book: str,
                  name: str) -> None:
    """Load and audit the book, wait for the others, then export it (a child process)."""
    books = books_mod.load(Path(book), AS_OF)
    found = audit_mod.audit(books)
    engine = urls.connect(url)
    try:
        barrier.wait(timeout=60)
        export_mod.export(engine, books, name, found)
    finally:
        engine.dispose()


def test_exports_released_together_all_succeed(db_url: str, tmp_path: Path) -> None:
    """Four exports (two names) released by one barrier into a new database: none fails."""
    book = fx.write(tmp_path / "yingze", fx.BOOK_A)
    context = multiprocessing.get_context("spawn")
    names = ["yingze", "yingze", "copy", "copy"]
    barrier = context.Barrier(len(names))
    children = [
        context.Process(target=_export_after, args=(barrier, db_url, str(book), name))
        for name in names
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * len(names)
    assert _books_in(db_url) == [
        ("copy", ENTRIES, POSTINGS, POSTINGS),
        ("yingze", ENTRIES, POSTINGS, POSTINGS),
    ]
