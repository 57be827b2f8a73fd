"""Audit of `reserve import`: treasury rows without a township, one case recorded twice,
instalments, and books with syntax errors.

Through the real CLI; every refusal is exit 2 with the books byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from booking_fixtures import YINGZE
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import case
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main

pytestmark = pytest.mark.usefixtures("recipient_key")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def audit_codes(main_file: Path) -> list[str]:
    result = run("audit", main_file, "--as-of", "2024-12-31", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.output)
    return [f["code"] for f in found]


@pytest.mark.parametrize("option", [False, True])
def test_a_treasury_row_joined_to_no_approval_is_refused_saying_what_works(
    tmp_path: Path, option: bool
) -> None:
    main_file = write_books(tmp_path)
    stray = write_bank(tmp_path / "stray.csv", [Paid(7)], payer=YINGZE)
    before = snapshot(tmp_path)
    args = ["--account", "Assets:Treasury:Yingze"] if option else []
    result = run("import", main_file, stray, *args)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert f"{stray}, row 6, column 摘要:" in message  # file, row and column
    assert "township is unknown" in message
    assert "import the approval register first" in message
    assert "case number in the 摘要 column" in message
    assert "--account Assets:Reserve:Yingze:<Township>" in message
    if option:
        assert "(--account Assets:Treasury:Yingze)" in message
    else:
        assert "付款账号, row 4: Assets:Treasury:Yingze" in message
    assert snapshot(tmp_path) == before
    # What the message says works: the register first (here in the same command).
    reg = write_register(tmp_path / "reg.csv", [Approved(7)])
    assert run("import", main_file, reg, stray, *args).exit_code == 0


def test_a_case_twice_in_one_register_names_both_rows_and_the_field(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(1, amount="500.00")])
    result = run("import", main_file, reg)
    assert result.exit_code == 2
    assert f"reg.csv, row 4, column 案件编号: case {case(1)} is already on row 3" in (
        result.output
    )
    assert "救助金额 450.00 there, 500.00 here" in result.output
    assert not (tmp_path / "2024").exists()


def test_a_case_of_two_registers_of_one_command_that_differ_is_refused(
    tmp_path: Path,
) -> None:
    main_file = write_books(tmp_path)
    first = write_register(tmp_path / "a.csv", [Approved(1), Approved(2)])
    second = write_register(tmp_path / "b.csv", [Approved(2, approved="2024-03-04")])
    result = run("import", main_file, first, second)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert f"b.csv, row 3, column 审批日期: case {case(2)} of Yingze" in message
    assert f"already recorded by {first}, row 4 of this import" in message
    assert "审批日期 2024-03-01; this row says 2024-03-04" in message
    assert not (tmp_path / "2024").exists()
    # The same approval twice is a harmless repeat: skipped.
    same = write_register(tmp_path / "c.csv", [Approved(2)])
    result = run("import", main_file, first, same)
    assert result.exit_code == 0, result.output
    assert "skipped, already booked" in result.output


def test_a_case_already_in_the_books_that_differs_is_refused(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    assert (
        run(
            "import", main_file, write_register(tmp_path / "a.csv", [Approved(1)])
        ).exit_code
        == 0
    )
    before = snapshot(tmp_path)
    again = write_register(tmp_path / "b.csv", [Approved(1, township="桥东街道")])
    result = run("import", main_file, again)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    books_file = tmp_path / "2024" / "yingze-approvals.beancount"
    line = (
        books_file.read_text()
        .splitlines()
        .index(f'2024-03-01 custom "approval" "{case(1)}" 450.00 CNY')
    )
    assert f"b.csv, row 3, column 乡镇(街道): case {case(1)} of Yingze" in message
    assert f"already recorded in the books ({books_file}:{line + 1})" in message
    assert "乡镇(街道) Liuxiang; this row says Qiaodong" in message
    assert snapshot(tmp_path) == before
    # Re-importing the same register books nothing and is no error.
    result = run("import", main_file, tmp_path / "a.csv")
    assert result.exit_code == 0 and "skipped" in result.output
    assert snapshot(tmp_path) == before


GENERAL = {"procedure": "一般", "level": "县级", "ratio": "1.5", "notice": "2024-02-20"}


def instalments(folder: Path) -> list[str]:
    text = (folder / "2024" / "yingze-bank.beancount").read_text()
    return [line.split('"')[1] for line in text.splitlines() if "instalment:" in line]


def test_instalments_in_one_file_are_numbered_and_not_duplicates(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, amount="2500.00", **GENERAL)])
    paid = write_bank(tmp_path / "res.csv", [Paid(1, "1000.00"), Paid(1, "1500.00")])
    result = run("import", main_file, reg, paid)
    assert result.exit_code == 0, result.output
    assert instalments(tmp_path) == ["1/2", "2/2"]
    codes = audit_codes(main_file)
    assert "DUPLICATE-CASE" not in codes and "APPROVAL-MISSING" not in codes


def test_instalments_over_two_imports_and_through_transit(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, amount="2500.00", **GENERAL)])
    first = write_bank(tmp_path / "a.csv", [Paid(1, "1000.00")])
    assert run("import", main_file, reg, first).exit_code == 0
    assert instalments(tmp_path) == ["1/2"]
    request = write_bank(
        tmp_path / "req.csv", [Paid(1, "500.00")], result=False, batch="B2"
    )
    result = write_bank(tmp_path / "res.csv", [Paid(1, "500.00")], batch="B2")
    assert run("import", main_file, request).exit_code == 0
    assert run("import", main_file, result).exit_code == 0
    last = write_bank(tmp_path / "c.csv", [Paid(1, "1000.00")], batch="B3")
    assert run("import", main_file, last).exit_code == 0
    # The transit entry carries its stage, and the payment the same one.
    assert instalments(tmp_path) == ["1/2", "2/3", "2/3", "3/3"]
    codes = audit_codes(main_file)
    assert "DUPLICATE-CASE" not in codes and "APPROVAL-MISSING" not in codes
    # A payment of the whole amount is no instalment.
    whole = write_register(tmp_path / "w.csv", [Approved(2)])
    assert (
        run(
            "import",
            main_file,
            whole,
            write_bank(tmp_path / "w1.csv", [Paid(2)], batch="B4"),
        ).exit_code
        == 0
    )
    assert instalments(tmp_path) == ["1/2", "2/3", "2/3", "3/3"]


def test_stages_sent_together_keep_their_numbers_when_paid(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, amount="2500.00", **GENERAL)])
    rows = [Paid(1, "1000.00"), Paid(1, "1500.00")]
    request = write_bank(tmp_path / "req.csv", rows, result=False)
    result = write_bank(tmp_path / "res.csv", rows)
    assert run("import", main_file, reg, request).exit_code == 0
    assert run("import", main_file, result).exit_code == 0
    assert instalments(tmp_path) == ["1/2", "2/2", "1/2", "2/2"]
    assert "DUPLICATE-CASE" not in audit_codes(main_file)


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("2024-13-45 open Assets:Foo CNY\n", "month must be in 1..12"),
        ('2024-01-02 note Assets:Treasury:Yingze "unterminated\n', "Invalid token"),
        ("2024-01-02 opne Assets:Foo\n", "syntax error"),
    ],
)
def test_books_with_syntax_errors_are_refused(tmp_path: Path, bad: str, said: str) -> None:
    main_file = write_books(tmp_path, 'include "more.beancount"\n')
    more = tmp_path / "more.beancount"
    more.write_text("; more entries\n\n" + bad, encoding="utf-8")
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    before = snapshot(tmp_path)
    result = run("import", main_file, reg)
    assert result.exit_code == 2
    assert "syntax errors" in result.output and f"{more}:3:" in result.output
    assert said in result.output
    assert snapshot(tmp_path) == before


def test_books_including_a_pattern_that_matches_no_file_are_refused(tmp_path: Path) -> None:
    main_file = write_books(tmp_path, 'include "nothere/*.beancount"\n')
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    before = snapshot(tmp_path)
    result = run("import", main_file, reg)
    assert result.exit_code == 2
    assert "include nothere/*.beancount does not match any files" in result.output
    assert snapshot(tmp_path) == before
