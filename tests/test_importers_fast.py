"""The fast paths of `reserve import` give exactly what the general code gives.

* `fast_rows` (plain detail rows read inline) against the general row reader, for files of
  every shape the readers accept;
* `bank_text` (an entry's text built while booking) against `render.entry_text`;
* `recipients.fast_check_digit` and `Hasher` against the documented functions.

IDs and cards are generated at run time (synthetic people only).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path

import pytest
from booking_fixtures import LIUXIANG
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import card
from booking_fixtures import id_number
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from importers_fixtures import Cell as Written
from importers_fixtures import Payment
from importers_fixtures import bank_lines
from importers_fixtures import payments
from importers_fixtures import write_csv
from importers_fixtures import write_txt
from importers_fixtures import write_xlsx

from importers import bank_file
from importers import fast_rows
from importers import scan
from importers import session
from importers.booking import Booker
from importers.drafts import Draft
from importers.payer import resolve
from importers.render import entry_text
from importers.render import render
from importers.table import Cell
from ledger import recipients


def _general_only(
    body: Sequence[tuple[int, Sequence[Cell]]],
    at: fast_rows.Columns,
    fen: bool,
    status_of: Callable[[Cell], str],
    make: object,
    rows: list[object],
    slow: Callable[[int, Sequence[Cell]], bool],
) -> None:
    for row, values in body:
        slow(row, values)


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """Return the file read with the fast loop, and read by the general reader alone."""
    fast: object
    general: object
    try:
        fast = bank_file.read_bank_file(path)
    except Exception as exc:  # the error itself is compared
        fast = (type(exc), str(exc))
    with monkeypatch.context() as patch:
        patch.setattr(fast_rows, "plain_rows", _general_only)
        try:
            general = bank_file.read_bank_file(path)
        except Exception as exc:
            general = (type(exc), str(exc))
    return fast, general


def _odd_lines() -> list[list[Written]]:
    """Return a result file with every kind of row the fast loop hands over."""
    rows = payments("成功", "失败", "E", "处理中", "退票", "S", "成功", "成功")
    lines = bank_lines(rows)
    header = lines.index(next(line for line in lines if "姓名" in line))
    first = header + 1
    lines[first + 1][7] = '户名"不符\\'  # quote and backslash in a reason
    lines[first + 2][2] = str(lines[first + 2][2]).lower()  # lower-case x or digits
    lines[first + 3][2] = " " + str(lines[first + 3][2]) + " "  # spaces around the ID
    lines[first + 4][3] = "6222 0200 0000 1234"  # grouped card digits
    lines[first + 5][0] = ""  # empty first cell
    lines[first + 5][4] = "1,200.50"  # amount with a separator
    lines.insert(first + 7, ["", "", "", "", "", "备注：无"])  # a note line between rows
    return lines


@pytest.mark.parametrize("kind", ["plain", "odd", "fen", "request", "dated"])
@pytest.mark.parametrize("writer", [write_csv, write_txt, write_xlsx])
def test_fast_rows_read_what_the_general_reader_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, writer: Callable[..., Path]
) -> None:
    rows = payments("成功", "失败", "成功", "处理中")
    if kind == "odd":
        lines = _odd_lines()
    elif kind == "dated":
        for n, p in enumerate(rows):
            p.date = datetime.date(2024, 3, 5 + n) if n % 2 else f"2024/3/{5 + n}"
        lines = bank_lines(rows, date_column=True)
    else:
        lines = bank_lines(rows, fen=kind == "fen", status=kind != "request")
    path = writer(tmp_path / f"bank.{writer.__name__[6:]}", lines)
    fast, general = _both(path, monkeypatch)
    assert isinstance(fast, bank_file.BankFile) and fast == general


@pytest.mark.parametrize(
    ("column", "value"),
    [(2, "110101199001011234"), (2, 110101199001011234.0), (3, 6222020000001234.0),
     (3, "12345"), (4, "-5.00"), (4, "1.005"), (6, "未知"), (1, "")],
)  # fmt: skip
def test_fast_rows_leave_refusals_to_the_general_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: int, value: Written
) -> None:
    lines = bank_lines(payments("成功", "成功"))
    header = lines.index(next(line for line in lines if "姓名" in line))
    lines[header + 2][column] = value
    fast, general = _both(write_xlsx(tmp_path / "bank.xlsx", lines), monkeypatch)
    assert isinstance(fast, tuple) and fast == general


def test_rows_below_the_footer_are_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = bank_lines([Payment(0, payments("成功")[0].amount)])
    lines.append(bank_lines(payments("成功"))[-2])
    fast, general = _both(write_csv(tmp_path / "bank.csv", lines), monkeypatch)
    assert isinstance(fast, tuple) and "below the 合计" in fast[1] and fast == general


def _booked(folder: Path, files: list[Path], account: str | None = None) -> Booker:
    main = write_books(folder)
    state = scan.scan(main)
    payer = resolve(state.directory, state.opened, account)[0] if account else None
    return session.book_all(state, session.env_key() or b"", payer, session.read_all(
        tuple(str(f) for f in files)
    ))  # fmt: skip


def test_entry_text_built_while_booking_is_what_render_writes(
    tmp_path: Path, recipient_key: bytes
) -> None:
    register = write_register(
        tmp_path / "reg.csv",
        [Approved(1), Approved(2, amount="3200.00", procedure="一般", level="县级",
                              ratio="2.5", notice="2024-02-20"),
         Approved(3, procedure="紧急", approved=""), Approved(4, amount="900.00")],
    )  # fmt: skip
    request = write_bank(
        tmp_path / "req.csv",
        [Paid(1), Paid(2, amount="3200.00"), Paid(3), Paid(5, memo='备"注\\')],
        result=False,
    )
    result = write_bank(
        tmp_path / "res.csv",
        [Paid(1, holder='代领"人'), Paid(2, amount="3200.00", status="失败", reason="冻结"),
         Paid(3), Paid(4, amount="450.00", memo="YZ-LX-2024-104"),
         Paid(4, amount="450.00", memo="YZ-LX-2024-104"), Paid(6, memo=""),
         Paid(1, memo="YZ-LX-2024-101"), Paid(5, status="退票", reason="户名不符")],
        batch="B20240305001",
    )  # fmt: skip
    booker = _booked(tmp_path, [register, request, result])
    texts = [draft for draft in booker.drafts if draft.text]
    written = "".join(draft.text for draft in texts)
    assert len(texts) >= 9 and "bank-occurrence: 2" in written and "^adv-" in written
    assert '\\"' in written and "已足额支付" in written and "holder:" in written
    for draft in texts:
        assert draft.text == entry_text(dataclasses.replace(draft, text=""))


def test_entry_text_of_rows_without_approval_is_what_render_writes(
    tmp_path: Path, recipient_key: bytes
) -> None:
    """The booking loop writes these entries' text itself (and their metadata lazily)."""
    request = write_bank(tmp_path / "req.csv", [Paid(1), Paid(2)], result=False)
    result = write_bank(
        tmp_path / "res.csv",
        [Paid(1), Paid(3, holder='代领"人'), Paid(4), Paid(4), Paid(5, status="处理中"),
         Paid(6, status="失败", reason="冻结"), Paid(2, amount="450.00")],
    )  # fmt: skip
    # A file without an ID column: its rows' lines are written by `BankText.lines`.
    no_ids = tmp_path / "no-ids.csv"
    no_ids.write_text(
        "\n".join(
            ",".join(line)
            for line in [
                ["批次号：B20240306009"], ["代发日期", "2024-03-06"],
                [f"付款账号：{LIUXIANG}"], ["序号", "姓名", "卡号", "金额", "摘要", "状态"],
                ["1", "测试甲", card(7), "450.00", "无", "成功"],
                ["2", "测试乙", card(8)[:14], "300.00", "无", "处理中"],
                ["合计", "共2笔", "", "750.00"],
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    booker = _booked(tmp_path, [request, result, no_ids])
    texts = [draft for draft in booker.drafts if draft.text]
    written = "".join(draft.text for draft in texts)
    assert len(texts) == 10 and "bank-occurrence: 2" in written and '\\"' in written
    assert "无审批记录" in written and "代发处理中" in written and "代发报盘" in written
    assert written.count("id-masked:") == 8
    for draft in texts:
        assert draft.text == entry_text(dataclasses.replace(draft, text=""))


def test_drafts_are_grouped_by_file_in_their_order() -> None:
    """`session.by_file` groups runs of drafts: the same groups as draft by draft."""
    made = [
        Draft(datetime.date(2023 + n % 2, 1, 1), ("Yingze", "Xiaodian")[n // 3 % 2],
              ("bank", "approvals")[n % 3 == 0], "txn", (), row=n)
        for n in range(40)
    ]  # fmt: skip
    expected: dict[str, list[Draft]] = {}
    for draft in made:
        expected.setdefault(draft.path, []).append(draft)
    grouped = session.by_file(made)
    assert list(grouped) == sorted(expected) and grouped == expected
    assert session.by_file([]) == {}
    # Drafts without text are written by `entry_text`, from any iterable.
    assert render(iter(made[:2])) == "\n".join(entry_text(d) for d in made[:2])


def test_fast_check_digit_and_hasher_agree_with_the_documented_functions() -> None:
    rng = random.Random(11643)
    for _ in range(5000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert recipients.fast_check_digit(first17) == recipients.check_digit(first17)
    for length in (32, 64, 65, 100):
        key = bytes(rng.randrange(256) for _ in range(length))
        hasher = recipients.Hasher(key)
        cards = [card(n) for n in range(20)] + ["6222 0200-0000 1234"]
        assert hasher.cards(cards) == [recipients.card_hash(key, c) for c in cards]
        ids = [id_number(n) for n in range(20)]
        # Odd forms, and a 15-digit ID: the general functions normalise them.
        ids += [ids[0].lower(), " " + ids[1], ids[2][:6] + ids[2][8:17]]
        expected = [recipients.recipient_hash(key, i) for i in ids]
        assert [hasher.recipient(i) for i in ids] == expected
        assert hasher.recipients([*ids, ""]) == [*expected, ""]
