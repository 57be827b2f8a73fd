"""`reserve export` and `reserve audit --db`: exit codes, messages, formats, both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sql_fixtures as fx
from click.testing import CliRunner
from click.testing import Result
from sqlalchemy import create_engine
from sqlalchemy import update

from cli.main import main
from ledger.export import schema

AS_OF = ["--as-of", "2018-12-31"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def books(tmp_path: Path) -> tuple[Path, Path]:
    return fx.write(tmp_path / "yingze", fx.BOOK_A), fx.write(tmp_path / "wanbailin", fx.BOOK_B)


def test_export_default_database_beside_the_books(books: tuple[Path, Path]) -> None:
    a, _ = books
    result = run("export", str(a), *AS_OF)
    assert result.exit_code == 0, result.output
    assert (a.parent / "reserve.sqlite").is_file()
    assert result.stdout.startswith("exported book 'yingze'")
    assert "27 entries, 20 postings" in result.stdout
    again = run("export", str(a), *AS_OF)
    assert again.stdout.startswith("replaced book 'yingze'")


def test_audit_db_finds_the_planted_cross_county_findings(
    db_url: str, books: tuple[Path, Path]
) -> None:
    a, b = books
    for path, name in ((a, "yingze"), (b, "wanbailin"), (a, "yingze-copy")):
        result = run("export", str(path), "--db", db_url, "--book", name, *AS_OF)
        assert result.exit_code == 0, result.output
    result = run("audit", "--db", db_url, "--format", "json", *AS_OF)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert sorted((f["code"], f["case"]) for f in found) == sorted(
        [("RECIPIENT-REPEAT", fx.R_LINE_B_MARK)]
        + [("DUPLICATE-CASE", case) for case in fx.A_CASES_IN_EFFECT]
    )
    repeat = next(f for f in found if f["code"] == "RECIPIENT-REPEAT")
    assert (repeat["severity"], repeat["amount"], repeat["currency"]) == (
        "warning", "500.00", "CNY"
    )
    assert repeat["line"] == fx.line_of(b, fx.R_LINE_B_MARK)
    text = run("audit", "--db", db_url, *AS_OF).stdout
    assert "DUPLICATE-CASE         4" in text and "RECIPIENT-REPEAT       1" in text
    rows = list(csv.DictReader(io.StringIO(run("audit", "--db", db_url, "--format", "csv",
                                               *AS_OF).stdout)))
    assert len(rows) == 5 and rows[0]["code"]


def test_audit_db_only_a_warning_exits_zero(db_url: str, books: tuple[Path, Path]) -> None:
    a, b = books
    run("export", str(a), "--db", db_url, *AS_OF)
    run("export", str(b), "--db", db_url, *AS_OF)
    result = run("audit", "--db", db_url, "--format", "json", *AS_OF)
    assert [f["code"] for f in json.loads(result.stdout)] == ["RECIPIENT-REPEAT"]
    assert result.exit_code == 0


def test_audit_db_export_mismatch(db_url: str, books: tuple[Path, Path]) -> None:
    a, b = books
    run("export", str(a), "--db", db_url, *AS_OF)
    # The books changed after the export: SQL no longer holds their totals.
    a.write_text(fx.BOOK_A + '2018-07-01 * "银行" "利息"\n'
                 "  Assets:Reserve:Yingze:Qiaodong  1.00 CNY\n"
                 "  Income:Interest:Yingze:Qiaodong\n", encoding="utf-8")
    result = run("audit", "--db", db_url, "--format", "json", *AS_OF)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert sorted((f["code"], f["amount"]) for f in found) == [
        ("EXPORT-MISMATCH", "-1.00"), ("EXPORT-MISMATCH", "1.00")
    ]
    # BOOKS given but never exported to this database.
    result = run("audit", str(b), "--db", db_url, "--format", "json", *AS_OF)
    messages = [f["message"] for f in json.loads(result.stdout)]
    assert any("never exported" in m and str(b) in m for m in messages)


def test_audit_db_recorded_totals_when_books_are_gone(
    db_url: str, books: tuple[Path, Path]
) -> None:
    a, _ = books
    run("export", str(a), "--db", db_url, *AS_OF)
    a.unlink()
    clean = run("audit", "--db", db_url, "--format", "json", *AS_OF)
    assert (clean.exit_code, json.loads(clean.stdout)) == (0, [])
    engine = create_engine(db_url)
    with engine.begin() as connection:
        p = schema.postings
        connection.execute(
            update(p).where(p.c.amount_text == "450.00").values(amount_fen=0, amount_text="0")
        )
    engine.dispose()
    result = run("audit", "--db", db_url, "--format", "json", *AS_OF)
    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "EXPORT-MISMATCH" and "recorded at export" in finding["message"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://u@h/db", "not supported"),
        ("nonsense", "not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/nothing", "cannot connect"),
        ("sqlite:////no/such/folder/x.sqlite", "does not exist"),
    ],
)
def test_export_bad_database_exit_2_nothing_written(
    url: str, words: str, books: tuple[Path, Path]
) -> None:
    a, _ = books
    result = run("export", str(a), "--db", url)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert words in result.stderr and result.stderr.startswith("reserve: error:")
    assert "Traceback" not in result.stderr
    assert not (a.parent / "reserve.sqlite").exists()


def test_export_bad_books_exit_2(tmp_path: Path) -> None:
    result = run("export", str(tmp_path / "missing.beancount"))
    assert result.exit_code == 2 and "no such books file" in result.stderr
    assert not (tmp_path / "reserve.sqlite").exists()


def test_audit_db_missing_or_empty_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    result = run("audit", "--db", f"sqlite:///{missing}")
    assert result.exit_code == 2 and "no such database file" in result.stderr
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite"
    create_engine(f"sqlite:///{empty}").connect().close()
    empty.touch()
    result = run("audit", "--db", str(empty))
    assert result.exit_code == 2 and "holds no export" in result.stderr


@pytest.mark.parametrize("option", [["--bank", "result.csv"], ["--trust", "seal.pub"]])
def test_audit_db_refuses_the_options_of_one_book(
    option: list[str], books: tuple[Path, Path]
) -> None:
    a, _ = books
    assert run("export", str(a), *AS_OF).exit_code == 0
    result = run("audit", str(a), "--db", str(a.parent / "reserve.sqlite"), *option)
    assert result.exit_code == 2 and f"{option[0]} checks one book" in result.stderr


def test_help() -> None:
    for args in (["export", "--help"], ["audit", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "--db" in result.stdout
    assert "Examples" in run("export", "--help").stdout
