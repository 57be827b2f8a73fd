"""Bank files' title lines, totals and footers, amounts in fen, and payment statuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import importers_fixtures as fx
import pytest
from importers_read_fixtures import DATE
from importers_read_fixtures import FIRST
from importers_read_fixtures import error_of

from importers.bank_file import read_bank_file

# Title lines, footers, units, statuses ------------------------------------------------


def test_title_forms_and_totals(tmp_path: Path) -> None:
    rows = fx.payments("成功", "失败")
    lines = fx.bank_lines(rows)
    lines[1:4] = [
        [f"批次号：{fx.BATCH}  代发日期：2024年3月5日"],
        ["付款账号", "", fx.payer_account(), "总笔数:", "2"],
        [
            "总金额(元)：1,650.50；成功笔数：1；成功金额：450.00；失败笔数：1；失败金额：1200.50"
        ],
    ]
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (bank.batch, bank.date, bank.payer_account) == (
        fx.BATCH,
        DATE,
        fx.payer_account(),
    )


@pytest.mark.parametrize(
    ("line", "column", "said"),
    [
        (["总笔数：3"], "总笔数", "3"),
        (["总金额：1650.51"], "总金额", "1650.51"),
        (["成功金额：450.01"], "成功金额", "450.01"),
        (["失败笔数", "2"], "失败笔数", "2"),
    ],
)
def test_total_and_subtotal_mismatch(
    tmp_path: Path, line: list[fx.Cell], column: str, said: str
) -> None:
    lines = fx.bank_lines(fx.payments("成功", "失败"))
    lines.insert(1, line)
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (2, column)
    assert f"{column} says {said} but" in err.message


def test_footer_total_mismatch(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    lines[-1][4] = "1650.00"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "金额")
    assert str(err).endswith("金额 says 1650.00 but the detail rows add up to 1650.50")


def test_footer_count_mismatch(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    lines[-1][1] = "共3笔"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "共3笔")


def test_subtotal_line_below_footer(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "失败"))
    lines.append(["成功笔数：2"])
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 3, "成功笔数")


def test_conflicting_title_values(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines.insert(1, ["批次号", "B-OTHER"])
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (3, "批次号")
    assert "differs from B-OTHER on row 2" in err.message


def test_xlsx_footer_and_notes(tmp_path: Path) -> None:
    rows = fx.payments("成功", "失败")
    lines = fx.bank_lines(rows)
    lines[-1][4] = Decimal("1650.50")  # a number cell in the 合计 line
    lines.insert(-1, ["注：以下为汇总"])  # a note line between the rows and the footer
    lines.append(["失败笔数", Decimal("1"), "失败金额", Decimal("1200.50")])
    bank = read_bank_file(fx.write_xlsx(tmp_path / "bank.xlsx", lines))
    assert [r.row for r in bank.rows] == [FIRST, FIRST + 1]
    lines[-1][3] = Decimal("1200.00")
    err = error_of(fx.write_xlsx(tmp_path / "bad.xlsx", lines))
    assert (err.row, err.column) == (FIRST + 4, "失败金额")


def test_detail_row_below_footer(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines.append(fx.detail(fx.payments("成功", "成功")[1]))
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "卡号")


def test_amount_in_fen(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"), fen=True)
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert [r.amount for r in bank.rows] == [Decimal("450.00"), Decimal("1200.50")]


def test_fen_must_be_whole(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"), fen=True, footer=False)
    lines[FIRST - 1][4] = "45000.5"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "金额(分)")


def test_statuses_sep_and_returned(tmp_path: Path) -> None:
    rows = fx.payments("S", "E", "P", "退票", "交易成功", "f")
    rows[3].reason = "户名不符"
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", fx.bank_lines(rows)))
    statuses = [r.status for r in bank.rows]
    assert statuses == ["paid", "failed", "pending", "returned", "paid", "failed"]
    assert bank.rows[3].fail_reason == "户名不符"
    assert bank.rows[2].fail_reason == ""


def test_unknown_status(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "已作废"))
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 1, "状态")
    assert "unknown status '已作废'" in err.message
