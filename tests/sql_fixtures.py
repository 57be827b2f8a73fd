"""Two county books and database URLs for the SQL export tests (SQLite and PostgreSQL).

Book A (迎泽区, Yingze) and book B (万柏林区, Wanbailin) are kept by separate counties with
one city-wide recipient key. Planted across them, for `reserve audit --db`:

* RECIPIENT-REPEAT: recipient R is paid by 柳巷街道 (A) on 2018-03-02 and by 兴华街道 (B) on
  2018-03-10, within the 30-day split window: one finding, at B's payment (line `R_LINE_B`).
* not a finding: recipient S is paid by A on 2018-01-02 and by B on 2018-03-05 (62 days).
* DUPLICATE-CASE, when A is exported under two names: every case of A in effect
  (`A_CASES_IN_EFFECT`); the reversed case YZ-QD-2018-003 is not in effect.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from ledger.recipients import make_card
from ledger.recipients import make_id
from ledger.recipients import mask

R = "r-1a2b3c4d5e6f7081"
#: A synthetic person's ID and card; the books hold only their masked forms.
PERSON_ID = make_id("140105", datetime.date(1980, 5, 17), 123)
PERSON_CARD = make_card("621700", 42)
S = "r-2b3c4d5e6f708192"
A_CASES_IN_EFFECT = ("YZ-LX-2018-001", "YZ-LX-2018-002", "YZ-LX-2018-005", "YZ-QD-2018-004")


def county_prelude(county: str, county_name: str, townships: list[tuple[str, str]]) -> str:
    """Return the accounts of one county's books, funded on 2015-01-02."""
    lines = [
        'option "operating_currency" "CNY"',
        f"2015-01-01 open Assets:Treasury:{county} CNY",
        f'  name: "{county_name}"',
        '  bank-account: "0501-0000-0000"',
        f"2015-01-01 open Income:Funding:{county} CNY",
        "2015-01-01 open Equity:Opening-Balances CNY",
    ]
    for township, name in townships:
        lines += [
            f"2015-01-01 open Assets:Reserve:{county}:{township} CNY",
            f'  name: "{name}"',
            "  population: 50000",
            f"2015-01-01 open Assets:Advances:{county}:{township} CNY",
            f"2015-01-01 open Assets:InTransit:{county}:{township} CNY",
            f"2015-01-01 open Income:Interest:{county}:{township} CNY",
            f"2015-01-01 open Expenses:Relief:{county}:{township}:Small CNY",
            "  budget-code: 2082001",
            f"2015-01-01 open Expenses:Relief:{county}:{township}:Emergency CNY",
        ]
    lines += [
        '2015-01-02 * "县财政" "临时救助资金" #funding',
        f"  Assets:Treasury:{county}  1000000.00 CNY",
        f"  Income:Funding:{county}",
    ]
    for township, _ in townships:
        lines += [
            '2018-01-01 * "县民政局" "备用金拨付" #allocation',
            '  period: "2018"',
            f"  Assets:Treasury:{county}  -40000.00 CNY",
            f"  Assets:Reserve:{county}:{township}",
        ]
    return "\n".join(lines) + "\n"


def _small(date: str, payee: str, case: str, recipient: str, county: str, township: str,
           amount: str, extra: str = "") -> str:
    return textwrap.dedent(f"""
        {date} * "{payee}" "小额临时救助"
          case: "{case}"
          recipient: "{recipient}"
          approval: "township"
          approver: "街道办事处"
          approved: {date}
        """).lstrip("\n") + extra + (
        f"  Expenses:Relief:{county}:{township}:Small  {amount} CNY\n"
        f"  Assets:Reserve:{county}:{township}\n"
    )


BOOK_A = county_prelude("Yingze", "迎泽区民政局", [("Liuxiang", "柳巷街道"),
                                                    ("Qiaodong", "桥东街道")]) + "".join([
    _small("2018-01-02", "受助人乙", "YZ-LX-2018-001", S, "Yingze", "Liuxiang", "300.00"),
    _small("2018-03-02", "受助人甲", "YZ-LX-2018-002", R, "Yingze", "Liuxiang", "450.00",
           "  ratio: 1.5\n  urgent: TRUE\n  fee: 1.00 CNY\n  category: \"illness\"\n"
           f'  id-masked: "{mask(PERSON_ID)}"\n  card-masked: "{mask(PERSON_CARD)}"\n'),
    _small("2018-03-05", "受助人丙", "YZ-QD-2018-003", "r-3c4d5e6f708192a3", "Yingze",
           "Qiaodong", "200.00"),
    textwrap.dedent("""
    2018-03-06 * "受助人丙" "冲销" #reversal
      reverses: "2018-03-05 YZ-QD-2018-003"
      Expenses:Relief:Yingze:Qiaodong:Small  -200.00 CNY
      Assets:Reserve:Yingze:Qiaodong
    2018-04-01 * "受助人丁" "紧急先行救助" ^adv-YZ-QD-2018-004
      case: "YZ-QD-2018-004"
      recipient: "r-4d5e6f708192a3b4"
      Assets:Advances:Yingze:Qiaodong  800.00 CNY
        voucher: "V-2018-04-01"
      Assets:Reserve:Yingze:Qiaodong
    2018-06-01 custom "approval" "YZ-LX-2018-005" 500.00 CNY
      township: "Liuxiang"
      procedure: "small"
      approval: "township"
      approver: "柳巷街道办事处"
      recipient: "r-5e6f708192a3b4c5"
      name: "受助人戊"
      applied: 2018-05-28
    2018-06-02 * "受助人戊" "小额临时救助"
      case: "YZ-LX-2018-005"
      recipient: "r-5e6f708192a3b4c5"
      approval: "township"
      approver: "柳巷街道办事处"
      approved: 2018-06-01
      batch: "B-2018-06"
      bank-row: 1
      bank-status: "paid"
      source-sha256: "aa11"
      Expenses:Relief:Yingze:Liuxiang:Small  500.00 CNY
      Assets:Reserve:Yingze:Liuxiang
    2018-06-02 custom "payout-failed" "YZ-LX-2018-006" 200.00 CNY
      batch: "B-2018-06"
      card: "c-0a1b2c3d4e5f6a7b"
      recipient: "r-6f708192a3b4c5d6"
      fail-reason: "账户已销户"
    2018-06-30 * "银行" "利息"
      Assets:Reserve:Yingze:Liuxiang  0.005 CNY
      Income:Interest:Yingze:Liuxiang
    """),
])

R_LINE_B_MARK = "WBL-XH-2018-002"

BOOK_B = county_prelude("Wanbailin", "万柏林区民政局", [("Xinghua", "兴华街道")]) + "".join([
    _small("2018-03-05", "受助人乙", "WBL-XH-2018-001", S, "Wanbailin", "Xinghua", "300.00"),
    _small("2018-03-10", "受助人甲", R_LINE_B_MARK, R, "Wanbailin", "Xinghua", "500.00"),
])


def write(folder: Path, text: str) -> Path:
    """Write books text to folder/main.beancount and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "main.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """Return the line of the transaction whose metadata holds text (its header line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if text in line)
    while not lines[at][:1].isdigit():
        at -= 1
    return at + 1


def require_postgres() -> None:
    """Skip the test when no server is configured; fail instead where CI demands one."""
    if os.environ.get("RESERVE_TEST_PG_URL"):
        return
    if os.environ.get("RESERVE_REQUIRE_PG"):
        pytest.fail("RESERVE_REQUIRE_PG is set but RESERVE_TEST_PG_URL is not")
    pytest.skip("RESERVE_TEST_PG_URL is not set (source .ci/postgres.sh)")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """Yield the URL of a fresh database on the test server (RESERVE_TEST_PG_URL); drop it."""
    base = make_url(os.environ["RESERVE_TEST_PG_URL"])
    name = f"reserve_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
