"""ALLOCATION-RANGE and RESERVE-IDLE explained by their reserve account, or one year of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgers import PRELUDE
from reserve_fixtures import LIUXIANG
from reserve_fixtures import Load
from reserve_fixtures import allocate

from cli.main import main
from ledger.audit import audit

# The auditor's books (whole): the plain account explains the 2018 range.
EXPLAINED_BY_ACCOUNT = """\
option "operating_currency" "CNY"
plugin "plugins.reserve" "{'as_of': '2019-06-30'}"
2015-01-01 open Equity:Opening-Balances CNY
2015-01-01 open Assets:Treasury:Yingze CNY
2015-01-01 open Assets:Reserve:Yingze:Liuxiang CNY
  name: "柳巷街道"
2017-12-01 * "opening"
  Assets:Treasury:Yingze  100000.00 CNY
  Equity:Opening-Balances
2018-01-01 * "fund" #allocation
  period: "2018"
  Assets:Treasury:Yingze  -20000.00 CNY
  Assets:Reserve:Yingze:Liuxiang  20000.00 CNY
2018-12-31 * "spend"
  Assets:Reserve:Yingze:Liuxiang  -20000.00 CNY
  Assets:Treasury:Yingze  20000.00 CNY
2019-02-01 custom "explained" "ALLOCATION-RANGE" "Assets:Reserve:Yingze:Liuxiang"
  reason: "县财政2018年只拨付2万"
  by: "审计科"
"""


def _bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("bean-check")
    assert exe is not None
    return subprocess.run(
        [exe, "-C", str(path)], capture_output=True, text=True, cwd=path.parent, check=False
    )


@pytest.mark.parametrize("subject", [LIUXIANG, f"{LIUXIANG} 2018"])
def test_range_explained_by_the_account_or_its_year(tmp_path: Path, subject: str) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(EXPLAINED_BY_ACCOUNT.replace(f'"{LIUXIANG}"\n', f'"{subject}"\n'), "utf-8")
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [
        (f["code"], f["township"], f["date"], f["amount"], f["explained"])
        for f in json.loads(result.output)
    ] == [("ALLOCATION-RANGE", "Liuxiang", "2018-12-31", "20000.00", True)]
    done = _bean_check(path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_without_explanation_bean_check_raises_the_range(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(EXPLAINED_BY_ACCOUNT.split("2019-02-01 custom")[0], "utf-8")
    done = _bean_check(path)
    assert done.returncode == 1
    assert "ALLOCATION-RANGE 柳巷街道 2018: 20000.00 CNY allocated" in done.stdout + done.stderr


# Two short years (2016, 2017), each ending with more than half of its allocation unspent.
TWO_YEARS = PRELUDE + allocate("2016-01-01", "20000.00") + allocate("2017-01-01", "20000.00")


def _explained(code: str, subject: str) -> str:
    return f'\n2018-07-01 custom "explained" "{code}" "{subject}"\n  reason: "r"\n  by: "b"\n'


@pytest.mark.parametrize("code", ["ALLOCATION-RANGE", "RESERVE-IDLE"])
def test_the_account_covers_every_year_the_year_form_one(books_from: Load, code: str) -> None:
    def marks(text: str) -> list[tuple[str, Decimal | None, bool]]:
        found = audit(books_from(text, "2018-12-31"), ["reserve"])
        return [(f.date[:4], f.amount, f.explained) for f in found if f.code == code]

    amount = Decimal("20000.00") if code == "ALLOCATION-RANGE" else None
    plain = marks(TWO_YEARS)
    assert [(year, explained) for year, _, explained in plain] == [
        ("2016", False), ("2017", False)
    ]
    if amount is not None:
        assert [a for _, a, _ in plain] == [amount, amount]
    by_account = marks(TWO_YEARS + _explained(code, LIUXIANG))
    assert [(year, explained) for year, _, explained in by_account] == [
        ("2016", True), ("2017", True)
    ]
    by_year = marks(TWO_YEARS + _explained(code, f"{LIUXIANG} 2017"))
    assert [(year, explained) for year, _, explained in by_year] == [
        ("2016", False), ("2017", True)
    ]
    other = marks(TWO_YEARS + _explained(code, "Assets:Reserve:Yingze:Qiaodong"))
    assert not any(explained for _, _, explained in other)
