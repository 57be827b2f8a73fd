from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from importers_fixtures import BATCH
from importers_fixtures import bank_lines
from importers_fixtures import payments
from importers_fixtures import write_csv
from ledgers import PRELUDE

from cli.main import main
from importers.bank_file import read_bank_file
from importers.reconcile import reconcile
from ledger.books import Books

BooksFrom = Callable[..., Books]


def _paid(row: int, amount: str, case: str, batch: str = BATCH) -> str:
    return (
        f'2024-03-05 * "测试{row}" "临时救助"\n'
        f'  case: "{case}"\n  recipient: "r-abcdef00000000{row:02d}"\n'
        '  approval: "township"\n  approver: "柳巷街道办事处"\n  approved: 2024-03-01\n'
        f'  batch: "{batch}"\n  bank-row: {row}\n  bank-status: "paid"\n'
        f'  source-sha256: "{"ab" * 32}"\n'
        f"  Expenses:Relief:Yingze:Liuxiang:Small  {amount} CNY\n"
        "  Assets:Reserve:Yingze:Liuxiang\n"
    )


def _bank(tmp_path: Path) -> Path:
    # Rows 1 and 3 paid (450.00, 300.00), row 2 failed.
    return write_csv(tmp_path / "result.csv", bank_lines(payments("成功", "失败", "成功")))


def test_matched_rows_raise_nothing(tmp_path: Path, books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE + _paid(1, "450.00", "YZ-1") + _paid(3, "300.00", "YZ-3"), "2024-12-31"
    )
    assert reconcile(books, [read_bank_file(_bank(tmp_path))]) == []


def test_unmatched_both_ways(tmp_path: Path, books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE
        + _paid(1, "450.00", "YZ-1")
        + _paid(2, "1200.50", "YZ-2")  # the bank says row 2 failed
        + _paid(9, "5.00", "YZ-9", batch="OTHER-BATCH"),  # not covered by the file
        "2024-12-31",
    )
    findings = reconcile(books, [read_bank_file(_bank(tmp_path))])
    shown = sorted((f.code, f.case, str(f.amount)) for f in findings)
    assert shown == [
        ("BANK-UNMATCHED", "", "300.00"),  # the bank paid row 3; the books lack it
        ("BANK-UNMATCHED", "YZ-2", "1200.50"),
    ]
    bank_side = next(f for f in findings if not f.case)
    assert bank_side.file.endswith("result.csv") and "row 3" in bank_side.message


def test_audit_bank_option(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text(PRELUDE + _paid(1, "450.00", "YZ-1"), encoding="utf-8")
    bank = _bank(tmp_path)
    result = CliRunner().invoke(
        main, ["audit", str(books), "--as-of", "2024-12-31", "--bank", str(bank), "--format", "json"]
    )
    assert result.exit_code == 1
    assert '"BANK-UNMATCHED"' in result.stdout and '"300.00"' in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("序号,姓名\n1,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(books), "--bank", str(bad)])
    assert result.exit_code == 2 and "bad.csv" in result.stderr
