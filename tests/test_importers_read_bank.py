"""Reading bank files of every shape: CSV in each encoding, request files, XLSX, XLS, TXT."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import importers_fixtures as fx
import pytest
from importers_read_fixtures import DATE
from importers_read_fixtures import FIRST
from importers_read_fixtures import error_of
from importers_read_fixtures import txt_lines

from importers.bank_file import read_bank_file

# Shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    rows = fx.payments("成功", "失败", "处理中")
    path = fx.write_csv(tmp_path / "bank.csv", fx.bank_lines(rows), encoding)
    bank = read_bank_file(path)
    assert (bank.kind, bank.batch, bank.date) == ("result", fx.BATCH, DATE)
    assert bank.payer_account == fx.payer_account()
    assert bank.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [r.status for r in bank.rows] == ["paid", "failed", "pending"]
    first = bank.rows[0]
    assert (first.index, first.row, first.name) == (1, FIRST, fx.person_name(0))
    assert (first.id_number, first.card) == (fx.person_id(0), fx.person_card(0))
    assert (first.amount, first.memo, first.fail_reason) == (
        Decimal("450.00"),
        rows[0].memo,
        "",
    )
    assert bank.rows[1].fail_reason == "账户已冻结"
    assert bank.rows[1].amount == Decimal("1200.50")


def test_request_file_without_status(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("", ""), status=False)
    bank = read_bank_file(fx.write_csv(tmp_path / "req.csv", lines))
    assert bank.kind == "request"
    assert [r.status for r in bank.rows] == [None, None]


def test_xlsx_with_text_ids_and_typed_cells(tmp_path: Path) -> None:
    rows = fx.payments("成功", "成功")
    lines = fx.bank_lines(rows, title=False, footer=False, date_column=True)
    lines = [[*lines[0]]] + [
        [*line[:4], p.amount, *line[5:-1], datetime.date(2024, 3, 6 + i)]
        for i, (line, p) in enumerate(zip(lines[1:], rows, strict=True))
    ]
    bank = read_bank_file(fx.write_xlsx(tmp_path / "bank.xlsx", lines))
    assert bank.date == datetime.date(2024, 3, 6)  # the earliest status date
    assert bank.batch == "file-" + bank.sha256[:12]
    assert bank.payer_account == ""
    assert [r.row for r in bank.rows] == [2, 3]
    assert [r.amount for r in bank.rows] == [Decimal("450.00"), Decimal("1200.50")]
    assert bank.rows[1].date == datetime.date(2024, 3, 7)
    assert bank.rows[1].card == fx.person_card(1)


@pytest.mark.parametrize(("column", "header"), [(2, "身份证号"), (3, "卡号")])
def test_xlsx_number_cell_for_id_or_card_is_refused(
    tmp_path: Path, column: int, header: str
) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    err = error_of(fx.write_xlsx(tmp_path / "bank.xlsx", lines, numbers=[column]))
    assert (err.row, err.column) == (FIRST, header)
    assert "stored as a number" in err.message


def test_xls(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("S", "E"))
    bank = read_bank_file(fx.write_xls(tmp_path / "bank.xls", lines))
    assert [r.status for r in bank.rows] == ["paid", "failed"]
    assert (bank.batch, bank.date, bank.rows[1].row) == (fx.BATCH, DATE, FIRST + 1)


def test_txt_with_summary_line(tmp_path: Path) -> None:
    bank = read_bank_file(fx.write_txt(tmp_path / "bank.txt", txt_lines()))
    assert (bank.batch, bank.date, bank.payer_account) == (
        fx.BATCH,
        DATE,
        fx.payer_account(),
    )
    assert [r.status for r in bank.rows] == ["paid", "failed", "pending"]
    assert bank.rows[0].row == 4


def test_txt_summary_count_mismatch(tmp_path: Path) -> None:
    err = error_of(fx.write_txt(tmp_path / "bank.txt", txt_lines(count="4")))
    assert (err.row, err.column) == (2, "总笔数")
    assert "总笔数 says 4" in err.message


def test_gbk_txt(tmp_path: Path) -> None:
    bank = read_bank_file(fx.write_txt(tmp_path / "bank.txt", txt_lines(), "gbk"))
    assert bank.rows[2].name == fx.person_name(2)
