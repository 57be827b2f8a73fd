"""No valid full ID or card number anywhere the project writes: repo, books, outputs, logs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from conftest import TEST_KEY_HEX

from ledger.checks.pii import exposed_kind

ROOT = Path(__file__).resolve().parent.parent


def _reserve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=dict(os.environ, RESERVE_RECIPIENT_KEY=TEST_KEY_HEX),
        capture_output=True,
        text=True,
        check=False,
    )


def _exposed(text: str) -> list[str]:
    return [line[:80] for line in text.splitlines() if exposed_kind(line)]


def test_no_full_number_in_the_repository() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found += [f"{name}: {line}" for line in _exposed(text)]
    assert found == []


def test_no_full_number_in_generated_books_reports_exports_and_logs(tmp_path: Path) -> None:
    city = tmp_path / "city"
    assert (
        _reserve("demo", str(city), "--disbursements", "300", "--seed", "3").returncode == 0
    )
    written = "".join(p.read_text(encoding="utf-8") for p in city.rglob("*.beancount"))
    assert _exposed(written) == []
    main = str(city / "main.beancount")
    outputs = [
        _reserve("report", main, "--year", "2025", "--format", fmt)
        for fmt in ("text", "json", "csv")
    ]
    outputs.append(_reserve("advances", main, "--format", "json"))
    outputs.append(_reserve("audit", main, "--format", "json"))
    for result in outputs:
        assert _exposed(result.stdout + result.stderr) == []
    xlsx = tmp_path / "report.xlsx"
    assert (
        _reserve(
            "report", main, "--year", "2025", "--format", "xlsx", "--output", str(xlsx)
        ).returncode
        == 0
    )
    with zipfile.ZipFile(xlsx) as book:
        for name in book.namelist():
            assert _exposed(book.read(name).decode("utf-8", "replace")) == []
    db = tmp_path / "city.sqlite"
    result = _reserve("export", main, "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        dump = "\n".join(connection.iterdump())
    assert _exposed(dump) == []


def test_no_full_number_in_what_import_writes_or_prints(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    main = write_books(tmp_path / "books")
    register = write_register(tmp_path / "register.csv", [Approved(n) for n in range(20)])
    bank = write_bank(
        tmp_path / "result.csv",
        [
            Paid(n, status="失败" if n % 5 == 0 else "成功", reason="卡号错误")
            for n in range(20)
        ],
    )
    assert _exposed(bank.read_text(encoding="utf-8"))  # the input does hold full numbers
    for args in (["--dry-run"], [], ["--format", "json"]):
        result = _reserve("import", str(main), str(register), str(bank), *args)
        assert result.returncode == 0, result.stderr
        assert _exposed(result.stdout + result.stderr) == []
    written = "".join(
        p.read_text(encoding="utf-8") for p in main.parent.rglob("*.beancount")
    )
    assert _exposed(written) == []
    broken = tmp_path / "broken.csv"
    broken.write_text(
        bank.read_text(encoding="utf-8").replace("450.00", "-4.5", 1), encoding="utf-8"
    )
    result = _reserve("import", str(main), str(broken))
    assert result.returncode == 2 and "broken.csv" in result.stderr
    assert _exposed(result.stdout + result.stderr) == []
