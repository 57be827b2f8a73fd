"""Two writers at once: the books' lock makes them take turns, and identities dedupe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from conftest import TEST_KEY_HEX

from ledger import books as books_mod


def _start(main: Path, *files: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "import", str(main), *map(str, files)],
        env=dict(os.environ, RESERVE_RECIPIENT_KEY=TEST_KEY_HEX),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _paid_rows(main: Path) -> list[tuple[str, int]]:
    books = books_mod.load(main)
    assert books.errors == []
    return sorted(
        (str(e.meta["batch"]), int(e.meta["bank-row"]))
        for e in books.index.transactions
        if e.meta.get("bank-status") == "paid"
    )


def test_two_imports_of_different_files_both_land(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    main = write_books(tmp_path / "books")
    register = write_register(tmp_path / "register.csv", [Approved(n) for n in range(200)])
    first = write_bank(tmp_path / "a.csv", [Paid(n) for n in range(100)], batch="BATCH-A")
    second = write_bank(
        tmp_path / "b.csv", [Paid(n) for n in range(100, 200)], batch="BATCH-B"
    )
    setup = _start(main, register)
    assert setup.wait() == 0
    runs = [_start(main, first), _start(main, second)]
    assert [p.wait() for p in runs] == [0, 0]
    rows = _paid_rows(main)
    assert len(rows) == 200 and len(set(rows)) == 200
    assert {batch for batch, _ in rows} == {"BATCH-A", "BATCH-B"}


def test_two_imports_of_the_same_file_land_once(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    main = write_books(tmp_path / "books")
    register = write_register(tmp_path / "register.csv", [Approved(n) for n in range(150)])
    bank = write_bank(tmp_path / "a.csv", [Paid(n) for n in range(150)])
    runs = [_start(main, register, bank), _start(main, register, bank)]
    outputs = [p.communicate() for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    rows = _paid_rows(main)
    assert len(rows) == 150 and len(set(rows)) == 150
    approvals = books_mod.load(main).index.approval_list
    assert len(approvals) == 150
