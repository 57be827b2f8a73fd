"""`reserve export` writes no full ID or card number, even from books that hold one (SPEC §6)."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from ledgers import PRELUDE

from cli.main import main
from ledger.export.masking import mask_text
from ledger.recipients import fast_mask
from ledger.recipients import make_card
from ledger.recipients import make_id

CARD = make_card("622202", 4711)
ID = make_id("140105", datetime.date(1960, 5, 1), 12)
# An ID whose check digit is X, written with a lower-case x.
X_ID = next(i for n in range(100) if (i := make_id("140105", datetime.date(1961, 2, 3), n))[-1] == "X")


def _books(tmp_path: Path) -> Path:
    text = (
        PRELUDE
        + f'2018-03-05 * "周建国 {ID}" "临时救助 卡号{CARD}"\n'
        + '  case: "YZ-LX-2018-101"\n  recipient: "r-1a2b3c4d5e6f7081"\n'
        + '  approval: "township"\n  approver: "柳巷街道办事处"\n  approved: 2018-03-01\n'
        + f'  voucher: "记03-{CARD}"\n'
        + "  Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY\n"
        + "  Assets:Reserve:Yingze:Liuxiang\n"
        + f'2018-03-06 note Assets:Reserve:Yingze:Liuxiang "核对 {ID}"\n'
    )
    path = tmp_path / "main.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def _texts(database: Path) -> list[str]:
    """Return every text cell of every table of an SQLite database."""
    found: list[str] = []
    with sqlite3.connect(database) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                found += [cell for cell in row if isinstance(cell, str)]
    return found


def test_mask_text_masks_what_pii_exposed_reports() -> None:
    assert mask_text(f"卡号{CARD}") == f"卡号{fast_mask(CARD)}"
    assert mask_text(f"{X_ID[:17]}x 是证件") == f"{fast_mask(X_ID)} 是证件"
    assert mask_text("批次 20240305000000000001 金额 450.00") == "批次 20240305000000000001 金额 450.00"
    assert mask_text(f"卡 {CARD[:-1]}{(int(CARD[-1]) + 1) % 10}") == (
        f"卡 {CARD[:-1]}{(int(CARD[-1]) + 1) % 10}"  # not Luhn valid: no card
    )


def test_export_masks_the_exposed_entries(tmp_path: Path) -> None:
    books = _books(tmp_path)
    result = CliRunner().invoke(main, ["export", str(books), "--as-of", "2018-12-31"])
    assert result.exit_code == 0, result.output
    texts = _texts(tmp_path / "reserve.sqlite")
    assert not [t for t in texts if CARD in t or ID in t or ID[:17] in t]
    assert any(fast_mask(CARD) in t for t in texts) and any(fast_mask(ID) in t for t in texts)
    # The books still hold them, and the export says so.
    assert CARD in books.read_text(encoding="utf-8")
    assert sum(t == "PII-EXPOSED" for t in texts) == 2  # the transaction and the note
