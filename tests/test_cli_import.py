from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount.core import data
from booking_fixtures import LIUXIANG
from booking_fixtures import YINGZE
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import card
from booking_fixtures import id_number
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main
from ledger import books as books_mod

pytestmark = pytest.mark.usefixtures("recipient_key")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def balances(main_file: Path) -> dict[str, Decimal]:
    loaded = books_mod.load(main_file)
    assert loaded.errors == []
    totals: dict[str, Decimal] = {}
    entries: list[Any] = loaded.entries
    for entry in entries:
        if isinstance(entry, data.Transaction) and "batch" in entry.meta:
            posting: Any
            for posting in entry.postings:
                key = posting.account
                totals[key] = totals.get(key, Decimal(0)) + posting.units.number
    return {k: v for k, v in totals.items() if v}


def imported(main_file: Path) -> list[Any]:
    loaded = books_mod.load(main_file)
    return [
        e
        for e in loaded.entries
        if "batch" in e.meta or getattr(e, "type", "") == "approval"
    ]


def test_round_trip_request_result_return(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2), Approved(3)])
    req = write_bank(tmp_path / "req.csv", [Paid(1), Paid(2), Paid(3)], result=False)
    res = write_bank(
        tmp_path / "res.csv",
        [Paid(1), Paid(2, status="失败", reason="账户已冻结"), Paid(3, status="处理中")],
    )
    result = run(main_file, res, req, reg)  # any order: registers, requests, results
    assert result.exit_code == 0, result.output
    assert "账户已冻结" in result.output
    assert balances(main_file) == {
        "Expenses:Relief:Yingze:Liuxiang:Small": Decimal("450.00"),
        "Assets:InTransit:Yingze:Liuxiang": Decimal("450.00"),
        "Assets:Reserve:Yingze:Liuxiang": Decimal("-900.00"),
    }
    assert (tmp_path / "2024" / "yingze-bank.beancount").exists()
    assert 'include "2024/yingze-approvals.beancount"' in main_file.read_text()
    # The pending row is paid later, then returned (退票).
    later = write_bank(tmp_path / "res2.csv", [Paid(1), Paid(2, status="失败"), Paid(3)])
    assert run(main_file, later).exit_code == 0
    back = write_bank(
        tmp_path / "ret.csv", [Paid(1, status="退票", reason="户名不符")], date="2024-03-20"
    )
    result = run(main_file, back)
    assert result.exit_code == 0, result.output
    assert balances(main_file) == {
        "Expenses:Relief:Yingze:Liuxiang:Small": Decimal("450.00"),
        "Assets:Reserve:Yingze:Liuxiang": Decimal("-450.00"),
    }
    returned = [e for e in imported(main_file) if e.meta.get("bank-status") == "returned"]
    assert len(returned) == 1
    assert returned[0].meta["fail-reason"] == "户名不符"
    assert returned[0].meta["case"] == "YZ-LX-2024-101"


def test_import_twice_books_nothing(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    res = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2), Paid(2)])
    assert run(main_file, reg, res).exit_code == 0
    before = snapshot(tmp_path)
    result = run(main_file, reg, res)
    assert result.exit_code == 0
    assert "skipped, already booked" in result.output
    assert "Booked 0 entries" in result.output
    assert snapshot(tmp_path) == before
    # The same card and amount twice in one batch are two rows (occurrence 2).
    occurrences = [
        e.meta.get("bank-occurrence") for e in imported(main_file) if "card" in e.meta
    ]
    assert occurrences.count(Decimal(2)) == 1


def test_one_bad_file_writes_nothing(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    good = write_bank(tmp_path / "good.csv", [Paid(1)])
    bad = write_bank(tmp_path / "bad.csv", [Paid(2, amount="-5.00")])
    before = snapshot(tmp_path)
    result = run(main_file, reg, good, bad)
    assert result.exit_code == 2
    assert "bad.csv, row" in result.output and "column 金额" in result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_result_only_failed_is_payout_failed(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2), Approved(3)])
    res = write_bank(
        tmp_path / "res.csv",
        [Paid(1), Paid(2, status="E", reason="卡号不存在"), Paid(3, status="P")],
    )
    result = run(main_file, reg, res)
    assert result.exit_code == 0, result.output
    assert balances(main_file) == {
        "Expenses:Relief:Yingze:Liuxiang:Small": Decimal("450.00"),
        "Assets:InTransit:Yingze:Liuxiang": Decimal("450.00"),
        "Assets:Reserve:Yingze:Liuxiang": Decimal("-900.00"),
    }
    failed = [
        e
        for e in books_mod.load(main_file).entries
        if getattr(e, "type", "") == "payout-failed"
    ]
    assert len(failed) == 1
    entry: Any = failed[0]
    assert entry.values[0].value == "YZ-LX-2024-102"
    assert entry.values[1].value.number == Decimal("450.00")
    assert entry.meta["fail-reason"] == "卡号不存在"
    assert entry.meta["card"].startswith("c-") and entry.meta["recipient"].startswith("r-")
    assert entry.meta["batch"] == "B20240305001"


def test_suspense_advance_and_holder(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(
        tmp_path / "reg.csv", [Approved(1), Approved(3, procedure="紧急", approved="")]
    )
    res = write_bank(
        tmp_path / "res.csv",
        [Paid(1, holder="代领人甲"), Paid(3, memo="先行救助"), Paid(9, memo="")],
    )
    result = run(main_file, reg, res)
    assert result.exit_code == 0, result.output
    by_row = {e.meta["bank-row"]: e for e in imported(main_file) if "bank-row" in e.meta}
    holder = by_row[Decimal(1)]
    assert holder.payee == "测试乙1" and holder.meta["holder"] == "代领人甲"
    advance = by_row[Decimal(2)]  # joined by (recipient, amount): the memo has no case
    assert advance.postings[0].account == "Assets:Advances:Yingze:Liuxiang"
    assert advance.links == {"adv-YZ-LX-2024-103"}
    assert "approved" not in advance.meta
    stray = by_row[Decimal(3)]
    assert stray.postings[0].account == "Assets:Suspense:Yingze:Liuxiang"
    assert "case" not in stray.meta and stray.flag == "!"


def test_never_a_full_id_or_card_written_or_printed(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    res = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2, status="失败")])
    result = run(main_file, reg, res, "--format", "json")
    texts = [result.output] + [p.read_text() for p in tmp_path.rglob("*.beancount")]
    for n in (1, 2):
        assert not any(id_number(n) in t or card(n) in t for t in texts)


def test_dry_run_prints_and_writes_nothing(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    res = write_bank(tmp_path / "res.csv", [Paid(1)])
    before = snapshot(tmp_path)
    result = run(main_file, reg, res, "--dry-run")
    assert result.exit_code == 0
    assert "; would append to 2024/yingze-bank.beancount" in result.output
    assert "Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY" in result.output
    assert snapshot(tmp_path) == before


def test_json_output(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    res = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2, status="失败", reason="销户")])
    result = run(main_file, res, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["suspense"] == {"count": 1, "amount": "450.00"}
    assert report["failed"]["count"] == 1
    assert report["failures"][0]["reason"] == "销户"
    assert report["written"] == ["2024/yingze-bank.beancount"]


def test_account_option_overrides_payer(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1)])
    res = write_bank(tmp_path / "res.csv", [Paid(1)], payer=None)
    result = run(main_file, reg, res)
    assert result.exit_code == 2 and "--account" in result.output
    result = run(main_file, reg, res, "--account", "Assets:Treasury:Yingze")
    assert result.exit_code == 0, result.output
    assert balances(main_file) == {
        "Expenses:Relief:Yingze:Liuxiang:Small": Decimal("450.00"),
        "Assets:Treasury:Yingze": Decimal("-450.00"),
    }
    assert run(main_file, res, "--account", "Assets:Nowhere").exit_code == 2


def test_treasury_payer_takes_township_from_approval(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    reg = write_register(tmp_path / "reg.csv", [Approved(1, township="桥东街道")])
    req = write_bank(tmp_path / "req.csv", [Paid(1)], result=False, payer=YINGZE)
    assert run(main_file, reg, req).exit_code == 0
    assert balances(main_file) == {
        "Assets:InTransit:Yingze:Qiaodong": Decimal("450.00"),
        "Assets:Treasury:Yingze": Decimal("-450.00"),
    }
    stray = write_bank(tmp_path / "stray.csv", [Paid(7)], payer=YINGZE, batch="B2")
    result = run(main_file, stray)
    assert result.exit_code == 2 and "township is unknown" in result.output


def test_refuses_rows_on_or_before_the_seal(tmp_path: Path) -> None:
    main_file = write_books(tmp_path, '2024-03-31 custom "seal" "v1:' + "0" * 64 + '"\n')
    res = write_bank(tmp_path / "res.csv", [Paid(1)])
    before = snapshot(tmp_path)
    result = run(main_file, res)
    assert result.exit_code == 2
    assert "res.csv, row 6" in result.output and "seal" in result.output
    assert snapshot(tmp_path) == before


def test_missing_key_stops_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESERVE_RECIPIENT_KEY")
    main_file = write_books(tmp_path)
    not_a_bank_file = tmp_path / "x.csv"
    not_a_bank_file.write_text("nothing here\n")
    result = run(main_file, not_a_bank_file)
    assert result.exit_code == 2
    assert "recipient key" in result.output
    monkeypatch.setenv("RESERVE_RECIPIENT_KEY", "abcd")
    result = run(main_file, not_a_bank_file)
    assert result.exit_code == 2 and "at least 32" in result.output


def test_key_file_of_the_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_hex = tmp_path / "recipient.key"
    key_hex.write_text("ab" * 32 + "\n")
    monkeypatch.delenv("RESERVE_RECIPIENT_KEY")
    main_file = write_books(
        tmp_path, '2015-01-01 custom "reserve-config" "key-file" "recipient.key"\n'
    )
    res = write_bank(tmp_path / "res.csv", [Paid(1)])
    result = run(main_file, res)
    assert result.exit_code == 0, result.output


def test_unknown_payer_account(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    res = write_bank(tmp_path / "res.csv", [Paid(1)], payer="6299999999")
    result = run(main_file, res)
    assert result.exit_code == 2
    assert "6299999999 is not the bank-account" in result.output
    assert LIUXIANG not in result.output
