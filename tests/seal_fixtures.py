"""Sealed test books and helpers shared by the seal tests (SPEC §9)."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

from ledgers import PRELUDE

from ledger import books as books_mod
from ledger import seal as seal_mod
from ledger.books import Books
from ledger.checks import seal as seal_check
from ledger.findings import Finding

D = datetime.date(2018, 12, 31)

COVERED = textwrap.dedent(
    """\
    2015-06-01 custom "relief-authority" "township" 500.00 CNY
    2017-01-01 custom "relief-authority" "township" 1000.00 CNY
      county: "Wanbailin"
      procedure: "emergency"
    2018-03-02 custom "approval" "YZ-LX-2018-101" 450.00 CNY
      township: "Liuxiang"
      procedure: "small"
    2018-03-05 * "周建国" "临时救助" #relief
      case: "YZ-LX-2018-101"
      recipient: "r-1a2b3c4d5e6f7081"
      approval: "township"
      approver: "柳巷街道办事处"
      approved: 2018-03-03
      Assets:Reserve:Yingze:Liuxiang  -450.00 CNY
      Expenses:Relief:Yingze:Liuxiang:Small
    2018-04-10 * "李秀英" "临时救助"
      case: "YZ-LX-2018-102"
      recipient: "r-0000000000000001"
      approval: "county"
      approver: "迎泽区民政局"
      approved: 2018-04-01
      ratio: 1.50
      notice: 2018-03-20
      Assets:Treasury:Yingze  -2500.00 CNY
      Expenses:Relief:Yingze:Liuxiang:General  2500.00 CNY
    2018-05-01 balance Assets:Treasury:Yingze  997500.00 CNY
    2018-05-02 note Assets:Treasury:Yingze "对账完成"
    2018-05-03 event "auditor" "王审计"
    2018-06-01 custom "explained" "ADVANCE-OVERDUE" "YZ-A-002"
      reason: "补办手续中"
      by: "张科长"
    """
)

LATER = textwrap.dedent(
    """\
    2019-01-05 * "赵六" "临时救助"
      case: "YZ-LX-2019-001"
      recipient: "r-0000000000000002"
      approval: "township"
      approver: "柳巷街道办事处"
      approved: 2019-01-04
      ratio: 1.2500
      Assets:Reserve:Yingze:Liuxiang  -12.125 CNY
      Expenses:Relief:Yingze:Liuxiang:Small
    """
)


def _load(path: Path) -> Books:
    return books_mod.load(path, datetime.date(2026, 1, 1))


def _write(folder: Path, text: str, name: str = "main.beancount") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _seal_line(path: Path, through: datetime.date = D) -> str:
    books = _load(path)
    value, _ = seal_mod.seal_hash(books.entries, through, str(books.root))
    return f'{through.isoformat()} custom "seal" "{value}"\n'


def _sealed(tmp_path: Path, body: str = COVERED) -> str:
    """Return the books' text with a seal through D appended."""
    text = PRELUDE + body
    return text + _seal_line(_write(tmp_path, text))


def _findings(tmp_path: Path, text: str) -> list[Finding]:
    return seal_check.check(_load(_write(tmp_path, text)))
