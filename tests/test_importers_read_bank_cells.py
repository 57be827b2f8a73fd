"""Bad cells and columns in bank files, each named by row and column; a large file."""

from __future__ import annotations

import datetime
from pathlib import Path

import importers_fixtures as fx
import pytest
from importers_read_fixtures import FIRST
from importers_read_fixtures import error_of

from importers.bank_file import read_bank_file
from ledger.recipients import make_id

# Bad cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "amount -5.00 is not positive"),
        ("0", "amount 0 is not positive"),
        ("12.345", "amount 12.345 has more than two decimals"),
        ("十元", "amount 十元 is not a number"),
        ("", "amount is empty"),
    ],
)
def test_bad_amount(tmp_path: Path, amount: str, message: str) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"), footer=False)
    lines[FIRST][4] = amount
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert str(err) == f"{tmp_path / 'bank.csv'}, row {FIRST + 1}, column 金额: {message}"


@pytest.mark.parametrize("written", ["2024-03-06", "2024/3/6", "20240306", "2024年3月6日"])
def test_date_forms(tmp_path: Path, written: str) -> None:
    rows = fx.payments("成功")
    rows[0].date = written
    lines = fx.bank_lines(rows, title=False, date_column=True)
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert bank.date == bank.rows[0].date == datetime.date(2024, 3, 6)


@pytest.mark.parametrize("written", ["2024-02-30", "03/06/2024", "昨天"])
def test_bad_date(tmp_path: Path, written: str) -> None:
    rows = fx.payments("成功", "成功")
    rows[1].date = written
    err = error_of(fx.write_csv(tmp_path / "b.csv", fx.bank_lines(rows, date_column=True)))
    assert (err.row, err.column) == (FIRST + 1, "处理日期")
    assert written in err.message


def test_no_date_at_all(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"), title=False)
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (None, None)
    assert "no date" in err.message


def test_bad_id_check_digit(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    good = fx.person_id(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    lines[FIRST][2] = bad
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 1, "身份证号")
    assert "check digit" in err.message
    assert bad not in str(err)  # never the full number in a message


def test_bad_id_birth_date(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 1][2] = make_id("110101", datetime.date(2001, 1, 1), 5).replace(
        "20010101", "20010231"
    )
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "身份证号")
    assert "birth date" in err.message


@pytest.mark.parametrize(
    ("card", "words"), [("62220212345", "11 digits"), ("6222AB12345678", "other")]
)
def test_bad_card(tmp_path: Path, card: str, words: str) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 1][3] = card
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "卡号")
    assert words in err.message


def test_missing_column(tmp_path: Path) -> None:
    lines = [
        [c for i, c in enumerate(line) if i != 3]
        for line in fx.bank_lines(fx.payments("成功"))
    ]
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST - 1, "卡号")


def test_duplicate_column(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 2][5] = "交易金额"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST - 1, "交易金额")
    assert "two columns" in err.message


def test_empty_file_and_no_header(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in error_of(empty).message
    blank = fx.write_csv(tmp_path / "blank.csv", [["", ""], ["", ""]])
    assert "empty" in error_of(blank).message
    other = fx.write_csv(tmp_path / "other.csv", [["a", "b"], ["1", "2"]])
    err = error_of(other)
    assert err.row is None
    assert "no header row" in err.message


def test_large_csv_reads_every_row(tmp_path: Path) -> None:
    # The speed of large files is measured in benchmarks/, not asserted here.
    rows = fx.payments(*(["成功"] * 9 + ["失败"]) * 2_000)
    path = fx.write_csv(tmp_path / "big.csv", fx.bank_lines(rows))
    bank = read_bank_file(path)
    assert len(bank.rows) == 20_000
    assert sum(1 for row in bank.rows if row.status == "failed") == 2_000
