"""What the SQL export writes: exact amounts, every entry and posting, typed metadata."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sql_fixtures as fx
from beancount.core import data
from beancount.core import realization
from export_fixtures import cross
from export_fixtures import dump
from export_fixtures import export
from sqlalchemy import Engine
from sqlalchemy import Float
from sqlalchemy import Numeric
from sqlalchemy import select

from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.books import Books
from ledger.export import db_checks
from ledger.export import export as export_mod
from ledger.export import mismatch
from ledger.export import rows as rows_mod
from ledger.export import schema


def test_schema_keeps_amounts_exact() -> None:
    for table in schema.metadata.sorted_tables:
        for column in table.columns:
            assert not isinstance(column.type, Float | Numeric), (table.name, column.name)
    assert {t.name for t in schema.BOOK_TABLES} | {"books"} == set(schema.metadata.tables)


def test_rows_match_column_order(book_a: Books) -> None:
    built = rows_mod.build(book_a, 1, audit_mod.audit(book_a), datetime.date.isoformat)
    for name, rows in built.tables().items():
        width = len(schema.metadata.tables[name].columns)
        assert rows, name
        assert {len(r) for r in rows} == {width}, name


def test_round_trip_postings_and_sums(engine: Engine, book_a: Books) -> None:
    result = export(engine, book_a, "yingze")
    transactions = [e for e in book_a.entries if isinstance(e, data.Transaction)]
    assert result.counts["postings"] == sum(len(t.postings) for t in transactions)
    assert result.counts["entries"] == len(book_a.entries)
    with engine.connect() as connection:
        in_sql, damage = mismatch.sql_totals(connection, result.book_id)
    assert damage == {}
    assert {k: v for k, v in in_sql.items() if v} == beancount_sums(book_a)
    # A number finer than a fen is kept exactly, as text, with no fen.
    assert in_sql[("Income:Interest:Yingze:Liuxiang", "CNY")] == Decimal("-0.005")


DEMO = Path(__file__).resolve().parent.parent / "books" / "main.beancount"


def beancount_sums(books: Books) -> dict[tuple[str, str], Decimal]:
    """Return Beancount's own balance of every account, per currency (zeros left out)."""
    real = realization.realize(books.entries)  # type: ignore[no-untyped-call]
    sums = {}
    for account in realization.iter_children(real):  # type: ignore[no-untyped-call]
        for position in account.balance:
            if position.units.number:
                sums[(account.account, position.units.currency)] = position.units.number
    return sums


@pytest.mark.skipif(not DEMO.is_file(), reason="no demo books (reserve demo books)")
def test_demo_books_round_trip(engine: Engine) -> None:
    demo = books_mod.load(DEMO)
    result = export(engine, demo, "demo")
    transactions = [e for e in demo.entries if isinstance(e, data.Transaction)]
    assert result.counts["postings"] == sum(len(t.postings) for t in transactions) > 1000
    with engine.connect() as connection:
        in_sql, damage = mismatch.sql_totals(connection, result.book_id)
        assert damage == {}
        assert {k: v for k, v in in_sql.items() if v} == beancount_sums(demo)
        assert cross(engine) == []
        own = rows_mod.account_totals(demo.entries)
        book = db_checks.exported_books(connection)[0]
        assert mismatch.mismatches(connection, book, own, "the books") == []


def test_small_chunks_write_the_same_rows(engine: Engine, book_a: Books) -> None:
    found = audit_mod.audit(book_a)
    whole = export_mod.export(engine, book_a, "whole", found)
    chunked = export_mod.export(engine, book_a, "chunked", found, chunk=3)
    strip = {
        name: [row[1:] for row in rows] for name, rows in dump(engine, whole.book_id).items()
    }
    assert strip == {
        name: [row[1:] for row in rows] for name, rows in dump(engine, chunked.book_id).items()
    }
    assert len(strip["entries"]) == len(book_a.entries)


def test_amounts_metadata_and_registers(engine: Engine, book_a: Books) -> None:
    result = export(engine, book_a, "yingze")
    rows = dump(engine, result.book_id)
    postings = {(r[3], r[5]): r[4] for r in rows["postings"]}
    assert postings[("Expenses:Relief:Yingze:Liuxiang:Small", "450.00")] == 45000
    assert postings[("Assets:Reserve:Yingze:Liuxiang", "0.005")] is None
    with engine.connect() as connection:
        m = schema.entry_metadata
        typed = {
            r.key: r
            for r in connection.execute(
                select(m).join(
                    schema.entries,
                    (schema.entries.c.book_id == m.c.book_id)
                    & (schema.entries.c.entry_id == m.c.entry_id),
                ).where(schema.entries.c["case"] == "YZ-LX-2018-002", m.c.posting_no == 0)
            )
        }
        assert (typed["ratio"].type, typed["ratio"].value_number) == ("number", "1.5")
        assert (typed["approved"].type, typed["approved"].value_date) == (
            "date", datetime.date(2018, 3, 2)
        )
        assert (typed["urgent"].type, bool(typed["urgent"].value_bool)) == ("bool", True)
        assert (typed["fee"].type, typed["fee"].value_text) == ("amount", "1.00 CNY")
        assert typed["recipient"].value_text == fx.R
        posting_meta = connection.execute(
            select(m.c.key, m.c.value_text).where(m.c.posting_no > 0)
        ).all()
        assert [tuple(r) for r in posting_meta] == [("voucher", "V-2018-04-01")]
    (approval,) = rows["approvals"]
    assert approval[3:6] == ("YZ-LX-2018-005", "Yingze", "Liuxiang")
    assert approval[12:15] == (50000, "500.00", "CNY")
    (batch,) = rows["bank_batches"]
    assert batch[1:9] == ("B-2018-06", 2, 1, 1, 0, 0, 70000, "700.00")
    accounts = {r[1]: r for r in rows["accounts"]}
    assert accounts["Assets:Reserve:Yingze:Liuxiang"][9] == "柳巷街道"
    assert accounts["Assets:Reserve:Yingze:Liuxiang"][10] == 50000
    assert accounts["Expenses:Relief:Yingze:Liuxiang:Small"][12] == "2082001"
    disbursed = {r[12]: r for r in rows["disbursements"]}
    assert disbursed["YZ-QD-2018-004"][7] == "advance"
    assert disbursed["YZ-LX-2018-002"][15] == 30


def test_no_long_digit_runs_exported(engine: Engine, book_a: Books) -> None:
    result = export(engine, book_a, "yingze")
    for table, rows in dump(engine, result.book_id).items():
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert not re.search(r"\d{15,}", value), (table, value)
                    assert fx.PERSON_ID not in value and fx.PERSON_CARD not in value
    with engine.connect() as connection:
        m = schema.entry_metadata
        masked = connection.execute(
            select(m.c.value_text).where(m.c.key == "id-masked")
        ).scalar_one()
    assert masked == fx.PERSON_ID[:6] + "********" + fx.PERSON_ID[-4:]
