"""Audit of `reserve import`: full numbers in copied text, row dates, summary lines.

Through the real CLI: every text the import copies from a file is masked before it is
written or printed (SPEC §6), a paid row is dated by the file's 代发日期 and a return by the
day the money came back (SPEC §10), and subtotal lines below the details are checked.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from booking_fixtures import LIUXIANG
from booking_fixtures import Approved
from booking_fixtures import card
from booking_fixtures import case
from booking_fixtures import id_number
from booking_fixtures import name
from booking_fixtures import snapshot
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main
from ledger.recipients import mask

pytestmark = pytest.mark.usefixtures("recipient_key")

HEADER = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def audit(main_file: Path, as_of: str = "2024-12-31") -> list[dict[str, Any]]:
    result = run("audit", main_file, "--as-of", as_of, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.output)
    return found


def codes(found: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in found}


def write_lines(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(lines)
    return path


def row(n: int, amount: str, status: str, reason: str = "", *extra: str) -> list[str]:
    return [str(n), name(n), id_number(n), card(n), amount, case(n), status, reason, *extra]


def title(batch: str, date: str | None = "2024-03-05") -> list[list[str]]:
    lines = [[f"批次号：{batch}"]]
    if date:
        lines.append(["代发日期", date])
    return [*lines, [f"付款账号：{LIUXIANG}"]]


def books_text(folder: Path) -> str:
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.beancount"))
    )


def test_full_numbers_in_bank_reasons_and_names_are_masked(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    full_id, full_card, other = id_number(2), card(1), card(9)
    x_id = next(id_number(n) for n in range(10, 400) if id_number(n).endswith("X"))
    wide = other.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    third = [
        "3", f"测试{other}", id_number(3), card(3), "300.00", case(3), "失败",
        f"证件{x_id}，全角{wide}",
    ]  # fmt: skip
    lines = [
        *title("PII"),
        HEADER,
        row(1, "450.00", "失败", f"账号{full_card}已冻结"),
        row(2, "450.00", "退票", f"户名与证件{full_id}不符；原卡{other}"),
        third,
    ]
    bank = write_lines(tmp_path / "pii.csv", lines)
    result = run("import", main_file, reg, bank)
    assert result.exit_code == 0, result.output
    written = books_text(tmp_path)
    for number in (full_id, full_card, other, x_id, wide):
        assert number not in written and number not in result.output
    assert f'fail-reason: "账号{mask(full_card)}已冻结"' in written
    assert f'fail-reason: "户名与证件{mask(full_id)}不符；原卡{mask(other)}"' in written
    assert f'fail-reason: "证件{mask(x_id)}，全角{mask(other)}"' in written
    assert f'"测试{mask(other)}"' in written  # the bank's name, as payee of the record
    assert f"账号{mask(full_card)}已冻结" in result.output
    assert "PII-EXPOSED" not in codes(audit(main_file))
    # The JSON output masks them too.
    again = write_lines(tmp_path / "pii2.csv", [*title("PII2"), *lines[3:]])
    output = run("import", main_file, again, "--format", "json", "--dry-run").output
    assert full_card not in output and mask(full_card) in output


def test_register_texts_are_masked_and_a_case_holding_a_number_is_refused(
    tmp_path: Path,
) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, category=f"其他{card(5)}")])
    text = reg.read_text(encoding="utf-8").replace("柳巷街道办事处", f"经办{id_number(6)}")
    reg.write_text(text, encoding="utf-8")
    result = run("import", main_file, reg)
    assert result.exit_code == 0, result.output
    written = books_text(tmp_path)
    assert card(5) not in written and id_number(6) not in written
    assert f'category-text: "其他{mask(card(5))}"' in written
    assert f'approver: "经办{mask(id_number(6))}"' in written
    before = snapshot(tmp_path)
    bad = write_register(tmp_path / "bad.csv", [Approved(2)])
    bad.write_text(
        bad.read_text(encoding="utf-8").replace(case(2), f"YZ-{card(2)}"), "utf-8"
    )
    result = run("import", main_file, bad)
    assert result.exit_code == 2 and "column 案件编号" in result.output
    assert "full card number" in result.output and card(2) not in result.output
    # A message quoting a cell masks it too: a township cell holding an ID number.
    odd = write_register(tmp_path / "odd.csv", [Approved(3, township=id_number(7))])
    result = run("import", main_file, odd)
    assert result.exit_code == 2 and "not a township" in result.output
    assert id_number(7) not in result.output and mask(id_number(7)) in result.output
    assert snapshot(tmp_path) == before


def dated(folder: Path) -> list[tuple[str, str]]:
    """Return (date, bank-status) of each imported transaction, in file order."""
    found: list[list[str]] = []
    for line in (folder / "2024" / "yingze-bank.beancount").read_text().splitlines():
        if line.startswith("2024-") and line[11:13] in ("* ", "! "):
            found.append([line[:10], ""])
        elif line.startswith("  bank-status:") and found:
            found[-1][1] = line.split('"')[1]
    return [(d, s) for d, s in found]


def test_a_paid_row_is_dated_by_the_send_date_and_a_return_by_its_own(
    tmp_path: Path,
) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, approved="2024-03-06")])
    header = [*HEADER, "处理日期"]
    res = write_lines(
        tmp_path / "res.csv",
        [*title("D1"), header, row(1, "450.00", "成功", "", "2024-03-07")],
    )
    result = run("import", main_file, reg, res)
    assert result.exit_code == 0, result.output
    assert dated(tmp_path) == [("2024-03-05", "paid")]
    before_approval = [f for f in audit(main_file) if f["code"] == "PAID-BEFORE-APPROVAL"]
    assert [(f["case"], f["date"]) for f in before_approval] == [(case(1), "2024-03-05")]
    # The bank returns it (退票): the return is dated the day the money came back.
    ret = write_lines(
        tmp_path / "ret.csv",
        [*title("D1"), header, row(1, "450.00", "退票", "户名不符", "2024-03-12")],
    )
    assert run("import", main_file, ret).exit_code == 0
    assert dated(tmp_path) == [("2024-03-05", "paid"), ("2024-03-12", "returned")]


def test_without_a_send_date_each_row_has_its_status_date(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    header = [*HEADER, "处理日期"]
    res = write_lines(
        tmp_path / "res.csv",
        [
            *title("D2", date=None),
            header,
            row(1, "450.00", "成功", "", "2024-03-07"),
            row(2, "450.00", "成功", "", "2024-03-09"),
        ],
    )
    assert run("import", main_file, reg, res).exit_code == 0
    assert dated(tmp_path) == [("2024-03-07", "paid"), ("2024-03-09", "paid")]


@pytest.mark.parametrize("layout", ["pairs", "cells"])
def test_subtotal_lines_below_the_details_are_checked(tmp_path: Path, layout: str) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2, amount="800.00")])

    def summary(paid: str) -> list[str]:
        if layout == "pairs":
            return [f"成功笔数：1,成功金额：{paid},失败笔数：1,失败金额：800.00"]
        return ["成功笔数", "1", "成功金额", paid, "失败笔数", "1", "失败金额", "800.00"]

    def bank(path: Path, paid: str) -> Path:
        lines = [
            *title("S1"),
            HEADER,
            row(1, "450.00", "成功"),
            row(2, "800.00", "失败", "卡号不存在"),
        ]
        if layout == "pairs":
            path.write_text(
                "\n".join(",".join(line) for line in lines)
                + "\n"
                + summary(paid)[0]
                + "\n",
                encoding="utf-8",
            )
            return path
        return write_lines(path, [*lines, summary(paid)])

    before = snapshot(tmp_path)
    wrong = run("import", main_file, reg, bank(tmp_path / "wrong.csv", "460.00"))
    assert wrong.exit_code == 2
    assert "row 7, column 成功金额" in wrong.output and "460.00" in wrong.output
    assert "450.00" in wrong.output and "other than the digits" not in wrong.output
    assert snapshot(tmp_path) == before
    result = run("import", main_file, reg, bank(tmp_path / "right.csv", "450.00"))
    assert result.exit_code == 0, result.output
    assert "paid as relief" in result.output and "failed" in result.output
    # A detail row below such a line is still refused.
    late = write_lines(
        tmp_path / "late.csv",
        [
            *title("S2"),
            HEADER,
            row(1, "450.00", "成功"),
            ["成功笔数", "1"],
            row(3, "9.00", "成功"),
        ],
    )
    result = run("import", main_file, late)
    assert result.exit_code == 2 and "below the 合计 or summary line" in result.output
