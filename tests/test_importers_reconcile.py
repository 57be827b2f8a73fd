"""`reserve audit --bank`: BANK-UNMATCHED by the bank row's identity (SPEC §3, §5).

The books are made by importing the files with `reserve import`, as an office would; the
audit then reconciles them against result files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import case
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main

pytestmark = pytest.mark.usefixtures("recipient_key")

AS_OF = "2024-12-31"


def _import(main_file: Path, *files: Path) -> None:
    result = CliRunner().invoke(main, ["import", str(main_file), *map(str, files)])
    assert result.exit_code == 0, result.output


@pytest.fixture(params=[True, False], ids=["key", "masked"])
def keyed(request: pytest.FixtureRequest) -> bool:
    """Audit with the recipient key (rows by card hash), or without one (by masked card)."""
    return bool(request.param)


def _audit(main_file: Path, *banks: Path, as_of: str = AS_OF, keyed: bool = True) -> Result:
    args = ["audit", str(main_file), "--as-of", as_of, "--format", "json"]
    for bank in banks:
        args += ["--bank", str(bank)]
    # Without the key: RESERVE_RECIPIENT_KEY empty, and the books name no key file.
    return CliRunner(env={} if keyed else {"RESERVE_RECIPIENT_KEY": ""}).invoke(main, args)


def _unmatched(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code in (0, 1), result.output
    return [f for f in json.loads(result.stdout) if f["code"] == "BANK-UNMATCHED"]


def _booked(tmp_path: Path) -> Path:
    """Books with rows 1 and 3 of a result file paid and row 2 failed, all approved."""
    main_file = write_books(tmp_path)
    register = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2), Approved(3)])
    result = write_bank(
        tmp_path / "res.csv", [Paid(1), Paid(2, status="失败", reason="账户已冻结"), Paid(3)]
    )
    _import(main_file, register, result)
    return main_file


def test_the_imported_file_reconciles(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    assert _unmatched(_audit(main_file, tmp_path / "res.csv", keyed=keyed)) == []


def test_rows_in_another_order_are_the_same_rows(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    reordered = write_bank(
        tmp_path / "again.csv", [Paid(3), Paid(2, status="失败", reason="账户已冻结"), Paid(1)]
    )
    assert _unmatched(_audit(main_file, reordered, keyed=keyed)) == []


def test_a_return_file_of_the_batch_speaks_of_its_rows(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    back = write_bank(tmp_path / "ret.csv", [Paid(3, status="退票", reason="户名不符")])
    _import(main_file, back)
    assert _unmatched(_audit(main_file, tmp_path / "res.csv", back, keyed=keyed)) == []


def test_a_row_paid_to_suspense_reconciles(tmp_path: Path, keyed: bool) -> None:
    # No approval record: the paid row goes to Assets:Suspense (SPEC §10), as paid.
    main_file = write_books(tmp_path)
    result = write_bank(tmp_path / "res.csv", [Paid(1)])
    _import(main_file, result)
    assert "Assets:Suspense" in (tmp_path / "2024" / "yingze-bank.beancount").read_text()
    found = json.loads(_audit(main_file, result, keyed=keyed).stdout)
    assert "SUSPENSE-OPEN" in [f["code"] for f in found]  # (the reserve had no money in it)
    assert _unmatched(_audit(main_file, result, keyed=keyed)) == []


def test_unmatched_both_ways(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    _import(main_file, write_register(tmp_path / "reg4.csv", [Approved(4)]))
    # The bank now says row 3 failed, and paid a fourth row (approved) the books never saw.
    other = write_bank(
        tmp_path / "other.csv",
        [Paid(1), Paid(2, status="失败", reason="账户已冻结"), Paid(3, status="失败"), Paid(4)],
    )
    found = sorted(_unmatched(_audit(main_file, other, keyed=keyed)), key=lambda f: not f["file"].endswith(".csv"))
    assert [(f["case"], f["amount"], f["township"]) for f in found] == [
        (case(4), "450.00", "Liuxiang"),  # the bank's row: its memo names a known case
        (case(3), "450.00", "Liuxiang"),  # the books' row 3, unconfirmed
    ]
    bank_side, books_side = found
    assert bank_side["file"].endswith("other.csv") and bank_side["township_name"] == "柳巷街道"
    assert "row 4" in bank_side["message"] and "柳巷街道" in bank_side["message"]
    assert books_side["file"].endswith("yingze-bank.beancount")


def test_another_amount_is_another_row(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    changed = write_bank(
        tmp_path / "changed.csv",
        [Paid(1, amount="450.01"), Paid(2, status="失败", reason="账户已冻结"), Paid(3)],
    )
    found = _unmatched(_audit(main_file, changed, keyed=keyed))
    assert sorted(f["amount"] for f in found) == ["450.00", "450.01"]


def test_rows_after_the_audit_date_are_left_out(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    # A file of the batch dated after the audit date reconciles nothing yet.
    late = write_bank(tmp_path / "late.csv", [Paid(5)], date="2024-03-09")
    assert _unmatched(_audit(main_file, late, as_of="2024-03-08", keyed=keyed)) == []
    # On its date its row 5 is unbooked, and rows 1 and 3 are not in it.
    assert len(_unmatched(_audit(main_file, late, as_of="2024-03-09", keyed=keyed))) == 3


def test_bad_bank_file_and_unfit_key_are_exit_2(tmp_path: Path) -> None:
    main_file = _booked(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("序号,姓名\n1,x\n", encoding="utf-8")
    result = _audit(main_file, bad)
    assert result.exit_code == 2 and "bad.csv" in result.stderr
    args = ["audit", str(main_file), "--bank", str(tmp_path / "res.csv")]
    result = CliRunner(env={"RESERVE_RECIPIENT_KEY": "abcd"}).invoke(main, args)
    assert result.exit_code == 2 and "--bank:" in result.stderr and "32 bytes" in result.stderr


def test_explained_by_batch_covers_both_sides(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    other = write_bank(
        tmp_path / "other.csv",
        [Paid(1), Paid(2, status="失败", reason="账户已冻结"), Paid(3, status="失败"), Paid(4)],
    )
    with main_file.open("a", encoding="utf-8") as books:
        books.write(
            '\n2024-06-01 custom "explained" "BANK-UNMATCHED" "B20240305001"\n'
            '  reason: "银行更正回盘"\n  by: "财务科"\n'
        )
    result = _audit(main_file, other, keyed=keyed)
    found = _unmatched(result)
    assert len(found) == 2 and all(f["explained"] for f in found)
    others = [f["code"] for f in json.loads(result.stdout) if not f["explained"]]
    assert result.exit_code == (1 if others else 0), others


def test_a_row_first_seen_returned_is_no_unmatched_payment(tmp_path: Path, keyed: bool) -> None:
    # The import books a row whose first status is 退票 as failed (payout-failed), never as
    # paid: its money came back, and the books miss nothing.
    main_file = write_books(tmp_path)
    register = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    result = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2, status="退票", reason="户名不符")])
    _import(main_file, register, result)
    assert _unmatched(_audit(main_file, result, keyed=keyed)) == []


def test_a_return_file_alone_covers_no_batch(tmp_path: Path, keyed: bool) -> None:
    main_file = _booked(tmp_path)
    back = write_bank(tmp_path / "ret.csv", [Paid(3, status="退票", reason="户名不符")])
    _import(main_file, back)
    # Row 1 is paid in the books and not in this file: a file of returns says nothing of it.
    assert _unmatched(_audit(main_file, back, keyed=keyed)) == []
