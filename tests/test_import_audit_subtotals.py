"""Audit of `reserve import`: footer subtotals written as `成功N笔`, and a paid row over its
approval.

Through the real CLI: an `N笔` after 成功/失败/退票/处理中 is that subtotal, checked against
the rows of that status, and `共N笔` (or `N笔` alone) the total (SPEC §10); a paid row whose
memo names an approved case joins it whatever its amount, and the audit reports
`PAID-OVER-APPROVED` when it is over (SPEC §5, §10).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from booking_fixtures import LIUXIANG
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import card
from booking_fixtures import case
from booking_fixtures import id_number
from booking_fixtures import name
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main

pytestmark = pytest.mark.usefixtures("recipient_key")

HEADER = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因"]
TITLE = [["批次号：F1"], ["代发日期", "2024-03-05"], [f"付款账号：{LIUXIANG}"]]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def write_result(path: Path, statuses: list[str], footer: list[str]) -> Path:
    lines = [*TITLE, HEADER]
    for n, status in enumerate(statuses, 1):
        reason = "冻结" if status in ("失败", "退票") else ""
        line = [str(n), name(n), id_number(n), card(n), "450.00", "救助", status, reason]
        lines.append(line)
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([*lines, footer])
    return path


PAID_PAID_FAILED = ["成功", "成功", "失败"]


@pytest.mark.parametrize(
    "footer",
    [
        ["合计：成功2笔，失败1笔，共3笔"],
        ["合计", "共3笔", "成功2笔", "失败1笔", "1350.00"],
        ["合计：共3笔，其中成功2笔、失败1笔"],
        ["合计 3笔 成功交易2笔 失败交易1笔"],
        # A count after a word the file does not define is no count it states.
        ["合计：共3笔，退款1笔，待处理1笔"],
    ],
)
def test_subtotals_that_match_their_rows_are_accepted(
    tmp_path: Path, footer: list[str]
) -> None:
    main_file = write_books(tmp_path)
    bank = write_result(tmp_path / "res.csv", PAID_PAID_FAILED, footer)
    result = run("import", main_file, bank)
    assert result.exit_code == 0, result.output
    assert "failed (to re-issue)" in result.output


@pytest.mark.parametrize(
    ("footer", "said"),
    [
        (
            ["合计：共3笔，成功3笔，失败0笔"],
            "成功3笔 says 3 but the paid (成功) rows number 2",
        ),
        (["合计：成功2笔，失败2笔，共3笔"], "失败2笔 says 2 but the failed"),
        (["合计", "共4笔", "成功2笔", "失败1笔", "1350.00"], "共4笔 says 4 but the detail"),
        (["合计：成功2笔，失败1笔，处理中1笔"], "处理中1笔 says 1 but the pending"),
    ],
)
def test_subtotals_that_differ_from_their_rows_are_refused(
    tmp_path: Path, footer: list[str], said: str
) -> None:
    main_file = write_books(tmp_path)
    bank = write_result(tmp_path / "res.csv", PAID_PAID_FAILED, footer)
    before = snapshot(tmp_path)
    result = run("import", main_file, bank)
    assert result.exit_code == 2, result.output
    assert f"{bank}, row 8" in result.stderr and said in result.stderr
    assert snapshot(tmp_path) == before


def test_returned_and_pending_subtotals(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    statuses = ["成功", "失败", "退票", "处理中"]
    # With its own 退票 subtotal, 失败 counts the failed rows alone.
    right = ["合计：共4笔，成功1笔，失败1笔，退票1笔，处理中1笔"]
    result = run("import", main_file, write_result(tmp_path / "a.csv", statuses, right))
    assert result.exit_code == 0, result.output
    # Without one, 失败 counts the failed and the returned rows (a returned payment failed).
    also = ["合计：共4笔，成功1笔，失败2笔"]
    result = run("import", main_file, write_result(tmp_path / "b.csv", statuses, also))
    assert result.exit_code == 0, result.output
    wrong = ["合计：共4笔，成功1笔，失败2笔，退票1笔"]
    result = run("import", main_file, write_result(tmp_path / "c.csv", statuses, wrong))
    assert result.exit_code == 2 and "失败2笔 says 2" in result.stderr


def audit(main_file: Path) -> list[dict[str, Any]]:
    result = run("audit", main_file, "--as-of", "2024-12-31", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.output)
    return found


def bank_text(folder: Path) -> str:
    return (folder / "2024" / "yingze-bank.beancount").read_text(encoding="utf-8")


def test_a_row_over_its_approval_joins_its_case_and_is_reported(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    res = write_bank(tmp_path / "res.csv", [Paid(1, "600.00")])
    result = run("import", main_file, reg, res)
    assert result.exit_code == 0, result.output
    written = bank_text(tmp_path)
    assert f'case: "{case(1)}"' in written and "Expenses:Relief:" in written
    assert "Assets:Suspense" not in written and "足额" not in written
    assert "instalment" not in written  # one payment of the whole case, not a stage
    over = [f for f in audit(main_file) if f["code"] == "PAID-OVER-APPROVED"]
    assert [f["case"] for f in over] == [case(1)]
    assert "600.00 CNY paid exceeds the 450.00 CNY" in over[0]["message"]
    # A second row of the case once it is paid in full is no stage: suspense, and said so.
    again = write_bank(tmp_path / "again.csv", [Paid(1, "450.00")], batch="B2")
    assert run("import", main_file, again).exit_code == 0
    entry = next(e for e in bank_text(tmp_path).split("\n\n") if 'batch: "B2"' in e)
    assert f"摘要所列案件 {case(1)} 已足额支付" in entry and "Assets:Suspense" in entry


def test_stages_within_and_over_the_approval(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, amount="900.00")])
    stages = [Paid(1, "300.00"), Paid(1, "300.00"), Paid(1, "400.00")]
    res = write_bank(tmp_path / "res.csv", stages)
    assert run("import", main_file, reg, res).exit_code == 0
    written = bank_text(tmp_path)
    # The third stage takes more than is left: still a stage of its case, reported over.
    assert [line.split('"')[1] for line in written.splitlines() if "instalment:" in line] == [
        "1/2", "2/3", "3/3"
    ]  # fmt: skip
    assert "Assets:Suspense" not in written and "足额" not in written
    over = [f for f in audit(main_file) if f["code"] == "PAID-OVER-APPROVED"]
    assert [f["case"] for f in over] == [case(1)] and "1000.00 CNY paid exceeds" in over[0][
        "message"
    ]
