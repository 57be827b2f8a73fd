"""Exit-2 messages of `reserve import` name where the bad value is (SPEC §7, §10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from booking_fixtures import Paid
from booking_fixtures import write_bank
from booking_fixtures import write_books
from click.testing import CliRunner
from click.testing import Result
from importers_fixtures import bank_lines
from importers_fixtures import payments
from importers_fixtures import write_txt

from cli.main import main
from importers.beangulp_importers import RequestImporter
from importers.errors import InputError

pytestmark = pytest.mark.usefixtures("recipient_key")

UNKNOWN = "9999000011112222"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def test_unknown_payer_account_names_its_row_and_column(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    before = main_file.read_bytes()
    bank = write_bank(tmp_path / "unk.csv", [Paid(1)], payer=UNKNOWN)
    result = run(main_file, bank)
    assert (result.exit_code, result.stdout) == (2, "")
    # Title lines 代发明细, 批次号, 代发日期, then 付款账号 on line 4.
    assert f"unk.csv, row 4, column 付款账号: payer account {UNKNOWN} is not" in result.stderr
    assert "--account" in result.stderr
    assert main_file.read_bytes() == before


def test_unknown_payer_account_in_a_txt_summary_names_the_values_line(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    lines: list[list[Any]] = [
        ["批次号", "总笔数", "总金额", "代发日期", "付款账号"],
        ["B1", "1", "450.00", "20240305", UNKNOWN],
        *bank_lines(payments("成功"), title=False, footer=False),
    ]
    bank = write_txt(tmp_path / "unk.txt", lines)
    result = run(main_file, bank)
    assert result.exit_code == 2
    assert f"unk.txt, row 2, column 付款账号: payer account {UNKNOWN}" in result.stderr


def test_bad_account_option_is_named(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    bank = write_bank(tmp_path / "res.csv", [Paid(1)])
    result = run(main_file, bank, "--account", "Assets:Nowhere")
    assert result.exit_code == 2
    assert "--account Assets:Nowhere: Assets:Nowhere is not a paying account" in result.stderr


def test_unopened_account_names_the_file_and_row(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    text = main_file.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "InTransit:Yingze:Liuxiang" not in line]
    main_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    bank = write_bank(tmp_path / "req.csv", [Paid(1)], result=False)
    result = run(main_file, bank)
    assert result.exit_code == 2
    assert "the books do not open Assets:InTransit:Yingze:Liuxiang" in result.stderr
    assert "(needed first by " in result.stderr and "req.csv, row 6)" in result.stderr


def test_beangulp_importer_names_its_account_argument(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    existing: list[Any] = loader.load_file(str(main_file))[0]
    bank = write_bank(tmp_path / "req.csv", [Paid(1)], result=False)
    with pytest.raises(InputError) as caught:
        RequestImporter("Assets:Nowhere").extract(str(bank), existing)
    assert "the reserve.request importer's account: Assets:Nowhere is not a paying" in str(
        caught.value
    )
    with pytest.raises(InputError) as unknown:
        RequestImporter().extract(str(write_bank(tmp_path / "u.csv", [Paid(1)], result=False,
                                                 payer=UNKNOWN)), existing)
    assert (unknown.value.row, unknown.value.column) == (4, "付款账号")
