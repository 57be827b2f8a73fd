from __future__ import annotations

import datetime
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount.parser import parser
from booking_fixtures import LIUXIANG
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import card
from booking_fixtures import id_number
from booking_fixtures import name
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from conftest import TEST_KEY_HEX

from importers import identity
from importers import render
from importers import scan
from importers.bank_file import BankFile
from importers.bank_file import BankRow
from importers.booking import Booker
from importers.drafts import Approval
from importers.drafts import Draft
from importers.drafts import advance_link
from importers.errors import InputError
from importers.join import Joiner
from importers.join import memo_tokens
from ledger import books as books_mod

KEY = bytes.fromhex(TEST_KEY_HEX)
GOLDEN = Path(__file__).parent / "golden"
D = Decimal


def approval(case: str, amount: str = "450.00", **changes: object) -> Approval:
    fields: dict[str, object] = {
        "case": case, "county": "Yingze", "township": "Liuxiang", "amount": D(amount),
        "procedure": "small", "name": "测试甲", "recipient": "r-0000000000000001",
        "id_masked": "", "approved": datetime.date(2024, 3, 1), "keys": (),
    }  # fmt: skip
    fields.update(changes)
    return Approval(**fields)  # type: ignore[arg-type]


def bank_row(
    n: int, status: str | None = "paid", memo: str = "", amount: str = "450.00"
) -> BankRow:
    return BankRow(
        n, n + 5, name(n), id_number(n), card(n), D(amount), memo, status, "", None
    )


def bank_file(rows: list[BankRow], kind: str = "result") -> BankFile:
    return BankFile(
        "mem.csv", "ab" * 32, kind, "B1", datetime.date(2024, 3, 5), LIUXIANG, tuple(rows)
    )


def test_memo_tokens_find_cases_inside_text() -> None:
    assert "YZ-LX-2024-101" in memo_tokens("临时救助YZ-LX-2024-101，三月")
    assert "迎临救〔2024〕7号" in memo_tokens("迎临救〔2024〕7号 救助金")
    assert memo_tokens("  ") == []


def test_join_order_and_uniqueness() -> None:
    a = approval("C1", recipient="r-a")
    b = approval("C2", recipient="r-b", name="测试乙")
    c = approval("C3", recipient="r-c", name="测试乙")
    joiner = Joiner([a, b, c], {})
    assert joiner.join("Yingze", "付 C2", "r-a", "x", D("450.00"))[0] is b  # memo first
    assert joiner.join("Yingze", "", "r-a", "x", D("450.00"))[0] is a  # then recipient
    assert joiner.join("Yingze", "", "", "测试乙", D("450.00"))[0] is None  # name ambiguous
    assert joiner.join("Wanbailin", "C1", "r-a", "测试甲", D("450.00"))[0] is None  # county
    joiner.take(a, D("450.00"))
    assert joiner.join("Yingze", "", "r-a", "测试甲", D("450.00"))[0] is None  # taken
    found, note = joiner.join("Yingze", "C1", "", "", D("450.00"))
    assert found is None and "C1" in note
    joiner.take(c, D("450.00"))
    assert joiner.join("Yingze", "", "", "测试乙", D("450.00"))[0] is b  # now unique
    joiner.release("Yingze", "C1", D("450.00"))
    assert joiner.join("Yingze", "", "r-a", "", D("450.00"))[0] is a


def test_instalments_join_by_memo_within_the_amount() -> None:
    joiner = Joiner([approval("C1", "900.00")], {})
    first, _ = joiner.join("Yingze", "C1 第1期", "", "", D("450.00"))
    assert first is not None
    joiner.take(first, D("450.00"))
    assert joiner.join("Yingze", "C1 第2期", "", "", D("450.00"))[0] is first
    joiner.take(first, D("450.00"))
    assert joiner.join("Yingze", "C1 第3期", "", "", D("450.00"))[0] is None


def test_a_memo_case_joins_whatever_the_amount_until_paid_in_full() -> None:
    joiner = Joiner([approval("C1", "450.00")], {})
    found, note = joiner.join("Yingze", "C1", "", "", D("600.00"))
    assert found is not None and note == ""  # over: joined, the audit says so
    joiner.take(found, D("300.00"))
    assert joiner.join("Yingze", "C1", "", "", D("600.00")) == (found, "")  # a stage
    joiner.take(found, D("150.00"))
    found, note = joiner.join("Yingze", "C1", "", "", D("1.00"))
    assert found is None and note == "摘要所列案件 C1 已足额支付"


def test_row_identity_counts_occurrences() -> None:
    ids = identity.row_ids("B", [("c-1", D(1)), ("c-1", D(2)), ("c-1", D(1))])
    assert ids == [("B", "c-1", D(1), 1), ("B", "c-1", D(2), 1), ("B", "c-1", D(1), 2)]


def test_advance_link_hashes_odd_cases() -> None:
    assert advance_link("YZ-A-002") == "adv-YZ-A-002"
    odd = advance_link("迎临救〔2024〕7号")
    assert odd.startswith("adv-") and len(odd) == 16


def test_render_reparses_with_beancount() -> None:
    txn = Draft(
        datetime.date(2024, 3, 5), "Yingze", "bank", "txn",
        (("case", 'a "quoted" \\ case'), ("bank-row", 3), ("ratio", D("2.5")),
         ("approved", datetime.date(2024, 3, 1))),
        payee="测试甲", narration="代发成功\n第二行", links=("adv-X",),
        postings=(("Assets:Advances:Yingze:Liuxiang", D("450.00")),
                  ("Assets:Reserve:Yingze:Liuxiang", D("-450.00"))),
    )  # fmt: skip
    custom = Draft(
        datetime.date(2024, 3, 1), "Yingze", "approvals", "approval",
        (("township", "Liuxiang"),), case="C1", amount=D("450.00"),
    )  # fmt: skip
    text = render.render([txn, custom])
    parsed: tuple[list[Any], list[Any], Any] = parser.parse_string(text)
    entries, errors, _ = parsed
    assert errors == []
    parsed_custom, parsed_txn = sorted(entries, key=lambda e: e.date)
    assert parsed_txn.meta["case"] == 'a "quoted" \\ case'
    assert parsed_txn.meta["bank-row"] == D(3)
    assert parsed_txn.meta["approved"] == datetime.date(2024, 3, 1)
    assert parsed_txn.links == {"adv-X"}
    assert parsed_txn.narration == "代发成功 第二行"
    assert parsed_txn.postings[1].units.number == D("-450.00")
    assert parsed_custom.values[0].value == "C1"
    assert parsed_custom.values[1].value.number == D("450.00")
    # The same drafts as directives, for beangulp.
    directive: Any = render.to_directive(txn, "x.csv", 1)
    assert directive.meta["bank-row"] == D(3) and directive.links == {"adv-X"}


def test_in_memory_files_book_the_round_trip(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    state = scan.scan(main_file)
    booker = Booker(state, KEY)
    booker.joiner.add(approval("YZ-LX-2024-101", recipient=""))
    booker.book_bank(bank_file([bank_row(1, None, "YZ-LX-2024-101")], "request"))
    booker.book_bank(bank_file([bank_row(1, "paid")]))
    booker.book_bank(bank_file([bank_row(1, "paid")]))  # again: nothing
    booker.book_bank(bank_file([bank_row(1, "returned")]))
    moves = [(d.postings[0][0], d.postings[1][0]) for d in booker.drafts]
    assert moves == [
        ("Assets:InTransit:Yingze:Liuxiang", "Assets:Reserve:Yingze:Liuxiang"),
        ("Expenses:Relief:Yingze:Liuxiang:Small", "Assets:InTransit:Yingze:Liuxiang"),
        ("Assets:Reserve:Yingze:Liuxiang", "Expenses:Relief:Yingze:Liuxiang:Small"),
    ]
    assert booker.outcome.tallies["skipped"].count == 1
    assert all(dict(d.meta)["case"] == "YZ-LX-2024-101" for d in booker.drafts)


def test_seal_refusal_names_the_row(tmp_path: Path) -> None:
    main_file = write_books(tmp_path, '2024-03-05 custom "seal" "v1:' + "0" * 64 + '"\n')
    booker = Booker(scan.scan(main_file), KEY)
    with pytest.raises(InputError) as caught:
        booker.book_bank(bank_file([bank_row(1)]))
    assert caught.value.row == 6 and "2024-03-05" in caught.value.message


def test_scan_agrees_with_a_full_load(tmp_path: Path, recipient_key: bytes) -> None:
    from click.testing import CliRunner

    from cli.main import main

    main_file = write_books(tmp_path)
    reg = write_register(
        tmp_path / "r.csv", [Approved(1), Approved(2, procedure="紧急", approved="")]
    )
    req = write_bank(tmp_path / "q.csv", [Paid(1), Paid(2), Paid(2)], result=False)
    res = write_bank(tmp_path / "s.csv", [Paid(1), Paid(2, status="失败")])
    assert (
        CliRunner()
        .invoke(main, ["import", str(main_file), str(reg), str(req), str(res)])
        .exit_code
        == 0
    )
    scanned = scan.scan(main_file)
    loaded = identity.from_entries(books_mod.load(main_file).entries)
    assert scanned.booked == loaded.booked
    assert scanned.approvals == loaded.approvals
    assert scanned.directory.townships == loaded.directory.townships
    assert len(scanned.booked) == 3
    assert {b.status for b in scanned.booked.values()} == {"paid", "failed", "pending"}


def test_scan_refuses_a_missing_include(tmp_path: Path) -> None:
    main_file = write_books(tmp_path, 'include "2024/nowhere.beancount"\n')
    with pytest.raises(books_mod.BooksError, match="does not exist"):
        scan.scan(main_file)


def test_golden_round_trip(tmp_path: Path, recipient_key: bytes) -> None:
    """The files written for a fixed input, compared with tests/golden/ (RESERVE_UPDATE_GOLDEN=1)."""
    from click.testing import CliRunner

    from cli.main import main

    main_file = write_books(tmp_path)
    reg = write_register(
        tmp_path / "reg.csv",
        [Approved(1), Approved(2, amount="3200.00", procedure="一般", level="县级",
                              ratio="2.5", notice="2024-02-20"),
         Approved(3, procedure="紧急", approved="")],
    )  # fmt: skip
    req = write_bank(
        tmp_path / "req.csv", [Paid(1), Paid(2, amount="3200.00"), Paid(3)], result=False
    )
    res = write_bank(
        tmp_path / "res.csv",
        [Paid(1, holder="代领人"), Paid(2, amount="3200.00", status="失败", reason="账户冻结"),
         Paid(3)],
    )  # fmt: skip
    result = CliRunner().invoke(
        main, ["import", str(main_file), str(reg), str(req), str(res)]
    )
    assert result.exit_code == 0, result.output
    for written in sorted((tmp_path / "2024").glob("*.beancount")):
        expected = GOLDEN / f"round_trip_{written.name}"
        if os.environ.get("RESERVE_UPDATE_GOLDEN"):
            expected.parent.mkdir(exist_ok=True)
            expected.write_text(written.read_text(encoding="utf-8"), encoding="utf-8")
        assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
