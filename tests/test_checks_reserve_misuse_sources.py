"""RESERVE-MISUSE when several townships pay in one transaction: each covers only its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgers import PRELUDE
from reserve_fixtures import Load
from reserve_fixtures import codes

from cli.main import main
from ledger.audit import audit
from ledger.checks import reserve

# The auditor's books (whole): Qianfeng's 0.01 CNY must not cover Liuxiang's 5000.00 CNY.
CENT_COVER = """\
option "operating_currency" "CNY"
plugin "plugins.reserve" "{'as_of': '2018-06-30'}"
2015-01-01 open Equity:Opening-Balances CNY
2015-01-01 open Assets:Treasury:Yingze CNY
2015-01-01 open Assets:Treasury:Wanbailin CNY
2015-01-01 open Assets:Reserve:Yingze:Liuxiang CNY
  name: "柳巷街道"
2015-01-01 open Assets:Reserve:Wanbailin:Qianfeng CNY
  name: "千峰街道"
2018-01-01 * "opening"
  Assets:Reserve:Yingze:Liuxiang  6000.00 CNY
  Assets:Reserve:Wanbailin:Qianfeng  1.00 CNY
  Equity:Opening-Balances
2018-02-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -5000.00 CNY
  Assets:Reserve:Wanbailin:Qianfeng  -0.01 CNY
  Assets:Treasury:Wanbailin  5000.01 CNY
2018-02-02 * "y"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Treasury:Wanbailin  100.00 CNY
"""
LIUXIANG = "Assets:Reserve:Yingze:Liuxiang"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def _bean_check(path: Path) -> str:
    exe = shutil.which("bean-check")
    assert exe is not None
    done = subprocess.run(
        [exe, "-C", str(path)], capture_output=True, text=True, cwd=path.parent, check=False
    )
    return done.stdout + done.stderr


def test_another_townships_cent_covers_only_a_cent(tmp_path: Path) -> None:
    path = _write(tmp_path, CENT_COVER)
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [
        (f["code"], f["date"], f["township"], f["amount"], f["explained"])
        for f in json.loads(result.output)
    ]
    assert found == [
        ("RESERVE-MISUSE", "2018-02-01", "Liuxiang", "5000.00", False),
        ("RESERVE-MISUSE", "2018-02-02", "Liuxiang", "100.00", False),
    ]
    [first] = [f for f in json.loads(result.output) if f["date"] == "2018-02-01"]
    assert f"5000.00 CNY paid out of {LIUXIANG} to Assets:Treasury:Wanbailin;" in (
        first["message"]
    )
    output = _bean_check(path)
    assert output.count("RESERVE-MISUSE") == 2
    assert ":14: RESERVE-MISUSE 柳巷街道 case (none): 5000.00 CNY" in output


MIXED = PRELUDE + "2015-01-01 open Expenses:Admin:Office CNY\n"


def _misuse(books_from: Load, body: str) -> list[tuple[str, Decimal | None, str]]:
    found = codes(reserve.check(books_from(MIXED + body, "2018-12-31")), "RESERVE-MISUSE")
    return [(f.township, f.amount, f.key) for f in found]


@pytest.mark.parametrize(
    "body",
    [
        # Each pays its own relief: neither covers the other, neither needs to.
        """
2018-03-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Reserve:Wanbailin:Xinghua  -50.00 CNY
  Expenses:Relief:Yingze:Liuxiang:Small  100.00 CNY
  Expenses:Relief:Wanbailin:Xinghua:Small  50.00 CNY
""",
        # Every destination is allowed for every source: two townships return to their county.
        """
2018-03-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Cash:Yingze:Qiaodong  -100.00 CNY
  Assets:Treasury:Yingze  200.00 CNY
""",
    ],
)
def test_each_township_covered_by_its_own_destinations_passes(
    books_from: Load, body: str
) -> None:
    assert _misuse(books_from, body) == []


def test_paying_into_another_townships_reserve_is_misuse(books_from: Load) -> None:
    body = """
2018-03-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Reserve:Yingze:Qiaodong  -0.01 CNY
  Assets:Reserve:Yingze:Qiaodong  100.00 CNY
  Expenses:Relief:Yingze:Qiaodong:Small  0.01 CNY
"""
    assert _misuse(books_from, body) == [("Liuxiang", Decimal("100.00"), LIUXIANG)]


def test_a_shared_treasury_covers_the_townships_in_the_order_they_pay(
    books_from: Load,
) -> None:
    body = """
2018-03-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Reserve:Yingze:Qiaodong  -100.00 CNY
  Assets:Treasury:Yingze  150.00 CNY
  Expenses:Admin:Office  50.00 CNY
"""
    assert _misuse(books_from, body) == [
        ("Qiaodong", Decimal("50.00"), "Assets:Reserve:Yingze:Qiaodong")
    ]


def test_money_not_of_a_township_does_not_swell_its_misuse(books_from: Load) -> None:
    body = """
2018-03-01 * "x"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Treasury:Yingze  -50.00 CNY
  Expenses:Admin:Office  150.00 CNY
"""
    assert _misuse(books_from, body) == [("Liuxiang", Decimal("100.00"), LIUXIANG)]


def test_two_townships_misusing_at_one_entry_are_one_finding(books_from: Load) -> None:
    text = MIXED + """
2018-03-01 * "x"
  case: "YZ-3"
  Assets:Reserve:Yingze:Liuxiang  -100.00 CNY
  Assets:Reserve:Wanbailin:Xinghua  -50.00 CNY
  Expenses:Admin:Office  150.00 CNY
"""
    explained = """
2018-07-01 custom "explained" "RESERVE-MISUSE" "Assets:Reserve:Wanbailin:Xinghua"
  reason: "r"
  by: "b"
"""
    assert [(f.township, f.amount) for f in codes(
        reserve.check(books_from(text, "2018-12-31")), "RESERVE-MISUSE"
    )] == [("Liuxiang", Decimal("100.00")), ("Xinghua", Decimal("50.00"))]
    [found] = codes(audit(books_from(text + explained, "2018-12-31")), "RESERVE-MISUSE")
    assert (found.township, found.amount, found.case) == ("Liuxiang", Decimal("100.00"), "YZ-3")
    assert "; 兴华街道 case YZ-3: 50.00 CNY paid out of Assets:Reserve:Wanbailin:Xinghua" in (
        found.message
    )
    assert not found.explained  # Liuxiang's part is not explained.
