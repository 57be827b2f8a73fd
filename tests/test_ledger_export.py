"""The SQL export and the cross-book SQL checks, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sql_fixtures as fx
from beancount.core import data
from beancount.core import realization
from sqlalchemy import Engine
from sqlalchemy import Float
from sqlalchemy import Numeric
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger.books import Books
from ledger.export import db_checks
from ledger.export import export as export_mod
from ledger.export import rows as rows_mod
from ledger.export import schema
from ledger.export import urls
from ledger.findings import Finding

AS_OF = datetime.date(2018, 12, 31)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh database URL: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'city.sqlite'}"
        return
    fx.require_postgres()
    with fx.postgres_database() as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Yield an engine on the test database."""
    made = urls.connect(db_url)
    yield made
    made.dispose()


@pytest.fixture
def book_a(tmp_path: Path) -> Books:
    return books_mod.load(fx.write(tmp_path / "yingze", fx.BOOK_A), AS_OF)


@pytest.fixture
def book_b(tmp_path: Path) -> Books:
    return books_mod.load(fx.write(tmp_path / "wanbailin", fx.BOOK_B), AS_OF)


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
        in_sql = db_checks.sql_totals(connection, result.book_id)
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


@pytest.mark.skipif(not DEMO.is_file(), reason="no demo books (python -m ledger.demo books)")
def test_demo_books_round_trip(engine: Engine) -> None:
    demo = books_mod.load(DEMO)
    result = export(engine, demo, "demo")
    transactions = [e for e in demo.entries if isinstance(e, data.Transaction)]
    assert result.counts["postings"] == sum(len(t.postings) for t in transactions) > 1000
    with engine.connect() as connection:
        in_sql = db_checks.sql_totals(connection, result.book_id)
        assert {k: v for k, v in in_sql.items() if v} == beancount_sums(demo)
        assert cross(engine) == []
        own = rows_mod.account_totals(demo.entries)
        book = db_checks.exported_books(connection)[0]
        assert db_checks.mismatches(connection, book, own, "the books") == []


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


def test_two_counties_give_exactly_the_planted_findings(
    engine: Engine, book_a: Books, book_b: Books
) -> None:
    export(engine, book_a, "yingze")
    export(engine, book_b, "wanbailin")
    found = cross(engine)
    assert [(f.code, f.county, f.township, f.case, f.amount) for f in found] == [
        ("RECIPIENT-REPEAT", "Wanbailin", "Xinghua", fx.R_LINE_B_MARK, Decimal("500.00"))
    ]
    (repeat,) = found
    assert repeat.file == book_b.main_file
    assert repeat.line == fx.line_of(Path(book_b.main_file), fx.R_LINE_B_MARK)
    assert "柳巷街道" in repeat.message and "兴华街道" in repeat.message
    assert repeat.severity == "warning"
    # The same county exported under a second name: each case in effect is a duplicate.
    export(engine, book_a, "yingze-copy")
    found = cross(engine)
    assert sorted(f.case for f in found if f.code == "DUPLICATE-CASE") == sorted(
        fx.A_CASES_IN_EFFECT
    )
    assert [f.code for f in found].count("RECIPIENT-REPEAT") == 1
    duplicate = next(f for f in found if f.case == "YZ-LX-2018-002")
    assert (duplicate.county, duplicate.township, duplicate.amount) == (
        "Yingze", "Liuxiang", Decimal("450.00")
    )
    assert "yingze-copy" in duplicate.message and "迎泽区民政局" in duplicate.message


def test_audit_date_limits_the_cross_checks(engine: Engine, book_a: Books,
                                            book_b: Books) -> None:
    export(engine, book_a, "yingze")
    export(engine, book_b, "wanbailin")
    assert cross(engine, datetime.date(2018, 3, 9)) == []


def test_export_mismatch(engine: Engine, book_a: Books) -> None:
    result = export(engine, book_a, "yingze")
    book = db_checks.ExportedBook(result.book_id, "yingze", book_a.main_file, AS_OF)
    own = rows_mod.account_totals(book_a.entries)
    with engine.begin() as connection:
        assert db_checks.mismatches(connection, book, own, "the books") == []
        p = schema.postings
        connection.execute(
            update(p)
            .where(p.c.account == "Expenses:Relief:Yingze:Liuxiang:Small", p.c.amount_text == "450.00")
            .values(amount_fen=45100, amount_text="451.00")
        )
        for reference in (own, db_checks.recorded_totals(connection, result.book_id)):
            (finding,) = db_checks.mismatches(connection, book, reference, "the books")
            assert finding.code == "EXPORT-MISMATCH"
            assert finding.key == "Expenses:Relief:Yingze:Liuxiang:Small"
            assert finding.amount == Decimal("1.00")
            assert (finding.county, finding.township) == ("Yingze", "Liuxiang")
            assert finding.line > 0


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
