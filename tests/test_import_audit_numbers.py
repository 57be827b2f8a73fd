"""Audit of `reserve import`: personal numbers as a bank writes them, and the key file.

Through the real CLI: a row's own card and ID, a first-generation (15-digit) ID and a card
written in groups are masked in every text copied from a file (SPEC §6); an ID or card
written with digits other than ASCII 0-9 is a bad cell (exit 2, nothing written); a key file
of two lines is refused.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from booking_fixtures import LIUXIANG
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import card
from booking_fixtures import id_number
from booking_fixtures import name
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result

from cli.main import main
from importers.pii_text import mask_numbers
from ledger import recipients
from ledger.recipients import mask

HEADER = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因"]
TITLE = [["批次号：N1"], ["代发日期", "2024-03-05"], [f"付款账号：{LIUXIANG}"]]
ARABIC = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def write_lines(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(lines)
    return path


def books_text(folder: Path) -> str:
    return "".join(p.read_text("utf-8") for p in sorted(folder.rglob("*.beancount")))


def grouped(number: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def not_luhn(number: str) -> str:
    """Return number with its last digit changed, so that it fails the Luhn check."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def first_generation(id18: str) -> str:
    """Return the 15-digit form of an ID born in the 1900s."""
    return id18[:6] + id18[8:17]


def no_digits_between(text: str) -> str:
    """Return text with the spaces and dashes between digits removed."""
    return re.sub(r"(?<=[0-9])[ \-]+(?=[0-9])", "", text)


@pytest.mark.usefixtures("recipient_key")
def test_own_grouped_and_first_generation_numbers_are_masked(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    bad_card, old_id = not_luhn(card(1)), first_generation(id_number(2))
    other = card(9)
    lines = [
        *TITLE,
        HEADER,
        ["1", name(1), id_number(1), bad_card, "450.00", "救助", "失败", f"卡号{bad_card}已销户"],
        [
            "2", f"{name(2)}{old_id}", id_number(2), card(2), "450.00", "救助", "失败",
            f"证件{old_id}过期；证件 {grouped(id_number(2), 6)}",
        ],
        [
            "3", name(3), id_number(3), card(3), "450.00", "救助", "失败",
            f"卡号 {grouped(card(3))} 冻结，原卡{grouped(other, 4, '-')}",
        ],
        [
            "4", name(4), id_number(4), card(4), "450.00", "救助", "失败",
            "批次20240305001 2024-03-05 金额1,350.00 账户62000010010000000001",
        ],
    ]  # fmt: skip
    bank = write_lines(tmp_path / "pii.csv", lines)
    result = run(main_file, bank)
    assert result.exit_code == 0, result.output
    written = books_text(tmp_path)
    for number in (bad_card, old_id, id_number(2), card(3), other):
        assert number not in no_digits_between(written)
        assert number not in no_digits_between(result.output)
    assert f'fail-reason: "卡号{mask(bad_card)}已销户"' in written
    assert f'fail-reason: "证件{mask(old_id)}过期；证件 {mask(id_number(2))}"' in written
    assert f'fail-reason: "卡号 {mask(card(3))} 冻结，原卡{mask(other)}"' in written
    assert f'"{name(2)}{mask(old_id)}"' in written  # the payee and `name` of the record
    assert f"卡号{mask(bad_card)}已销户" in result.output
    # Ordinary numbers are left as written: a batch, a date, an amount, a 20-digit account.
    assert "批次20240305001 2024-03-05 金额1,350.00 账户62000010010000000001" in written


def test_masking_leaves_short_and_long_runs_and_takes_the_row_s_own_numbers() -> None:
    own = recipients.make_card("621700", 5, length=12)  # a short account, no Luhn needed
    assert mask_numbers(f"账号{grouped(own, 3, '-')}不存在", (own,)) == (
        f"账号{mask(own)}不存在"
    )
    assert mask_numbers(f"账号{own}不存在") == f"账号{own}不存在"  # not own: 12 digits
    assert mask_numbers("2024-03-05 10:30 1234 5678") == "2024-03-05 10:30 1234 5678"
    invalid_15 = "140105601302002"  # month 13: no birth date
    assert mask_numbers(f"编号{invalid_15}") == f"编号{invalid_15}"
    wide = first_generation(id_number(6)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert mask_numbers(f"证件{wide}") == f"证件{mask(first_generation(id_number(6)))}"


@pytest.mark.usefixtures("recipient_key")
@pytest.mark.parametrize("where", ["bank ID", "bank card", "register ID"])
def test_an_id_or_card_in_other_digits_is_a_bad_cell(tmp_path: Path, where: str) -> None:
    main_file = write_books(tmp_path)
    # An ID ending in X: written in other digits, its check character still matches.
    n = next(n for n in range(10, 400) if id_number(n).endswith("X"))
    if where == "register ID":
        path = write_register(tmp_path / "reg.csv", [Approved(n)])
        number, column, row = id_number(n), "身份证号", 3
    else:
        path = write_bank(tmp_path / "res.csv", [Paid(n)])
        number, column = (
            (id_number(n), "身份证号") if where == "bank ID" else (card(n), "卡号")
        )
        row = 6
    path.write_text(path.read_text("utf-8").replace(number, number.translate(ARABIC)))
    before = snapshot(tmp_path)
    result = run(main_file, path)
    assert result.exit_code == 2, result.output
    assert f"{path}, row {row}, column {column}:" in result.stderr
    assert "0-9" in result.stderr and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(tmp_path) == before


def test_other_digits_are_no_id_or_card() -> None:
    ident = next(id_number(n) for n in range(10, 400) if id_number(n).endswith("X"))
    assert not recipients.is_valid_id(ident.translate(ARABIC))
    assert recipients.id_problem(ident.translate(ARABIC)) is not None
    assert not recipients.luhn_ok(card(1).translate(ARABIC))
    assert recipients.is_valid_id(ident)


def test_a_key_file_of_two_lines_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(recipients.KEY_ENV, raising=False)
    key_file = tmp_path / "recipient.key"
    key_file.write_text("11" * 32 + "\n" + "22" * 32 + "\n")
    main_file = write_books(
        tmp_path, '2015-01-01 custom "reserve-config" "key-file" "recipient.key"\n'
    )
    res = write_bank(tmp_path / "res.csv", [Paid(1)])
    before = snapshot(tmp_path)
    result = run(main_file, res)
    assert result.exit_code == 2
    assert "recipient.key" in result.stderr and "one line" in result.stderr
    assert snapshot(tmp_path) == before
    with pytest.raises(recipients.KeyError_, match="2 lines"):
        recipients.load_key(key_file)
    # Surrounding whitespace, blank lines and a final newline are allowed.
    key_file.write_text("\n  " + "11" * 32 + "  \r\n\n")
    assert recipients.load_key(key_file) == bytes.fromhex("11" * 32)
    assert run(main_file, res).exit_code == 0
