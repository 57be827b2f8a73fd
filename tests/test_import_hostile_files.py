"""Odd and hostile input files: exit 2 naming the file (and row), nothing written, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from click.testing import CliRunner
from click.testing import Result
from conftest import TEST_KEY_HEX

from cli.main import main
from ledger.bookfile import KILL_AFTER_ENV

pytestmark = pytest.mark.usefixtures("recipient_key")


def _import(main_file: Path, *files: Path, dry_run: bool = False) -> Result:
    args = ["import", str(main_file), *map(str, files)] + (["--dry-run"] if dry_run else [])
    return CliRunner().invoke(main, args)


def _refused(main_file: Path, bad: Path, *expected: str) -> None:
    before = snapshot(main_file.parent)
    result = _import(main_file, bad)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and str(bad) in result.stderr
    for text in expected:
        assert text in result.stderr
    assert snapshot(main_file.parent) == before


def test_a_stray_far_cell_in_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("代发明细")
    sheet.write_row(0, 0, ["序号", "姓名", "卡号", "金额", "状态"])
    sheet.write_string(1_048_575, 16_383, "x")  # XFD1048576: 17 billion cells to make
    book.close()
    assert path.stat().st_size < 20_000
    _refused(write_books(tmp_path), path, "16,384 columns", "delete the stray cells")


def test_a_cell_over_the_csv_limit_is_refused_at_its_row(tmp_path: Path) -> None:
    bad = write_bank(tmp_path / "long.csv", [Paid(1), Paid(2, memo="A" * 200_000)])
    _refused(write_books(tmp_path), bad, "row 7", "field larger than field limit")


def test_an_unreadable_file_says_why(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _refused(main_file, empty, "the file is empty")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    _refused(main_file, binary, "neither UTF-8 nor GBK/GB18030")


def test_control_characters_never_reach_the_books(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    register = write_register(tmp_path / "reg.csv", [Approved(1)])
    bank = write_bank(tmp_path / "res.csv", [Paid(1, holder="\x00测试\x07乙\t1")])
    result = _import(main_file, register, bank)
    assert result.exit_code == 0, result.output
    written = "".join(
        p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.beancount")
    )
    assert not [c for c in written if ord(c) < 0x20 and c != "\n"]
    assert 'holder: "测试乙 1"' in written


def test_a_dry_run_first_finishes_an_interrupted_change(tmp_path: Path) -> None:
    main_file = write_books(tmp_path)
    register = write_register(tmp_path / "reg.csv", [Approved(1), Approved(2)])
    bank = write_bank(tmp_path / "res.csv", [Paid(1), Paid(2)])
    env = dict(os.environ, RESERVE_RECIPIENT_KEY=TEST_KEY_HEX, **{KILL_AFTER_ENV: "1"})
    killed = subprocess.run(
        [sys.executable, "-m", "cli", "import", str(main_file), str(register), str(bank)],
        env=env, capture_output=True, text=True, check=False,
    )
    assert killed.returncode != 0  # killed after its first rename: a journal is left
    dry = _import(main_file, register, bank, dry_run=True)
    assert dry.exit_code == 0, dry.output
    real = _import(main_file, register, bank)
    assert real.exit_code == 0, real.output
    assert "Booked 0 entries" in real.stdout
    assert "0 entries" in dry.stdout  # the dry run said what the real one did


def test_a_zip_that_is_no_xlsx_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "table.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", "<office:document-content/>")
    _refused(write_books(tmp_path), path, "no XLSX workbook")
