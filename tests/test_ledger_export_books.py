"""Re-exporting and failed exports, database URLs, the schema, and the export benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_fixtures import dump
from export_fixtures import export
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import text

from ledger.books import Books
from ledger.export import db_checks
from ledger.export import rows as rows_mod
from ledger.export import urls


def test_re_export_is_idempotent_and_leaves_other_books(
    engine: Engine, book_a: Books, book_b: Books
) -> None:
    first = export(engine, book_a, "yingze")
    other = export(engine, book_b, "wanbailin")
    before_a, before_b = dump(engine, first.book_id), dump(engine, other.book_id)
    again = export(engine, book_a, "yingze")
    assert again.replaced and again.book_id == first.book_id
    assert dump(engine, first.book_id) == before_a
    assert dump(engine, other.book_id) == before_b


def test_failed_export_keeps_the_earlier_one(
    engine: Engine, book_a: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(engine, book_a, "yingze")
    before = dump(engine, first.book_id)
    chunks = rows_mod.chunks

    def broken(*args: Any) -> Iterator[rows_mod.Rows]:
        for part in chunks(*args):
            if part.metadata:  # A duplicate key: the database refuses it.
                part.metadata.append(part.metadata[-1])
            yield part

    monkeypatch.setattr(rows_mod, "chunks", broken)
    with pytest.raises(urls.DatabaseError, match="nothing written"):
        export(engine, book_a, "yingze")
    with pytest.raises(urls.DatabaseError, match="nothing written"):
        export(engine, book_a, "another")
    assert dump(engine, first.book_id) == before
    with engine.connect() as connection:
        assert [b.name for b in db_checks.exported_books(connection)] == ["yingze"]


def test_bad_urls() -> None:
    for url, words in [
        ("mysql://u@h/db", "not supported"),
        ("not a url", "not a database URL"),
        ("sqlite://", "needs a file"),
        ("sqlite:////no/such/folder/x.sqlite", "does not exist"),
        ("postgresql+psycopg://u@127.0.0.1:1/db", "cannot connect"),
    ]:
        with pytest.raises(urls.DatabaseError, match=words):
            urls.connect(url)
    assert urls.parse("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert urls.default_url("/books/x/main.beancount") == "sqlite:////books/x/reserve.sqlite"


def test_schema_is_created_once(db_url: str, book_a: Books) -> None:
    engine = urls.connect(db_url)
    export(engine, book_a, "yingze")
    export(engine, book_a, "yingze")
    with engine.connect() as connection:
        assert db_checks.has_schema(connection)
        count = connection.execute(text("SELECT COUNT(*) FROM books")).scalar()
    assert count == 1
    engine.dispose()


def test_empty_database_has_no_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with engine.connect() as connection:
        assert not db_checks.has_schema(connection)


def test_export_benchmark_measures_the_same_rows(engine: Engine) -> None:
    # The speed bar itself is checked by `python -m benchmarks`, never by a timed test.
    from ledger.export import bench

    result = bench.measure(engine, bench.synthetic(500), repeat=1)
    assert result.rows > 5_000
    assert result.export_seconds > 0 and result.bare_seconds > 0
