"""The cross-book SQL checks: RECIPIENT-REPEAT, DUPLICATE-CASE and EXPORT-MISMATCH."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import sql_fixtures as fx
from export_fixtures import AS_OF
from export_fixtures import cross
from export_fixtures import export
from sqlalchemy import Engine
from sqlalchemy import update

from ledger.books import Books
from ledger.export import db_checks
from ledger.export import mismatch
from ledger.export import rows as rows_mod
from ledger.export import schema


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
        assert mismatch.mismatches(connection, book, own, "the books") == []
        p = schema.postings
        connection.execute(
            update(p)
            .where(p.c.account == "Expenses:Relief:Yingze:Liuxiang:Small", p.c.amount_text == "450.00")
            .values(amount_fen=45100, amount_text="451.00")
        )
        recorded, damage = mismatch.recorded_totals(connection, result.book_id)
        assert damage == {}
        for reference in (own, recorded):
            (finding,) = mismatch.mismatches(connection, book, reference, "the books")
            assert finding.code == "EXPORT-MISMATCH"
            assert finding.key == "Expenses:Relief:Yingze:Liuxiang:Small"
            assert finding.amount == Decimal("1.00")
            assert (finding.county, finding.township) == ("Yingze", "Liuxiang")
            assert finding.township_name == "柳巷街道" and "柳巷街道" in finding.message
            assert finding.line > 0 and finding.date


def test_export_mismatch_one_finding_per_account(engine: Engine, book_a: Books) -> None:
    # A posting moved to another currency: two (account, currency) totals differ, at one
    # account's `open`: one finding stating both.
    result = export(engine, book_a, "yingze")
    book = db_checks.ExportedBook(result.book_id, "yingze", book_a.main_file, AS_OF)
    own = rows_mod.account_totals(book_a.entries)
    with engine.begin() as connection:
        p = schema.postings
        connection.execute(
            update(p)
            .where(p.c.account == "Expenses:Relief:Yingze:Liuxiang:Small", p.c.amount_text == "450.00")
            .values(currency="USD")
        )
        (finding,) = mismatch.mismatches(connection, book, own, "the books")
    assert finding.key == "Expenses:Relief:Yingze:Liuxiang:Small"
    assert " USD in SQL" in finding.message and " CNY in SQL" in finding.message


def test_a_damaged_amount_is_a_finding(engine: Engine, book_a: Books) -> None:
    result = export(engine, book_a, "yingze")
    book = db_checks.ExportedBook(result.book_id, "yingze", book_a.main_file, AS_OF)
    own = rows_mod.account_totals(book_a.entries)
    with engine.begin() as connection:
        p, t = schema.postings, schema.totals
        connection.execute(
            update(p)
            .where(p.c.account == "Expenses:Relief:Yingze:Liuxiang:Small", p.c.amount_text == "450.00")
            .values(amount_fen=None, amount_text="abc")
        )
        connection.execute(
            update(t).where(t.c.account == "Assets:Reserve:Yingze:Liuxiang").values(amount_text="x1")
        )
        if connection.dialect.name == "sqlite":  # A damaged date, too (SQLite keeps any text).
            connection.exec_driver_sql(
                "UPDATE accounts SET open_date = 'garbage' WHERE account = "
                "'Expenses:Relief:Yingze:Liuxiang:Small'"
            )
        (finding,) = mismatch.mismatches(connection, book, own, "the books")
        assert finding.key == "Expenses:Relief:Yingze:Liuxiang:Small"
        assert "'abc', no number" in finding.message
        recorded, damage = mismatch.recorded_totals(connection, result.book_id)
        assert list(damage) == [("Assets:Reserve:Yingze:Liuxiang", "CNY")]
        found = mismatch.mismatches(connection, book, recorded, "the totals", damage)
    assert sorted(f.key for f in found) == [
        "Assets:Reserve:Yingze:Liuxiang", "Expenses:Relief:Yingze:Liuxiang:Small"
    ]
    assert any("'x1', no number" in f.message for f in found)
    relief = next(f for f in found if f.key.startswith("Expenses"))
    assert relief.date == ("" if engine.dialect.name == "sqlite" else "2015-01-01")
