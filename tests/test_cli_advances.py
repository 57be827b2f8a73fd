from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_books
from ledgers import PRELUDE

from cli.main import main

SNAPSHOTS = Path(__file__).parent / "snapshots"

BOOKS = PRELUDE + """
2018-01-01 * "迎泽区民政局" "备用金拨付" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY
  Assets:Treasury:Yingze

2018-01-01 * "迎泽区民政局" "备用金拨付" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Qiaodong  40000.00 CNY
  Assets:Treasury:Yingze

2018-03-02 * "周建国" "先行救助" ^adv-YZ-A-002
  case: "YZ-A-002"
  Assets:Advances:Yingze:Liuxiang  800.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2018-04-20 * "李明" "先行救助" ^adv-YZ-A-003
  case: "YZ-A-003"
  Assets:Advances:Yingze:Liuxiang  1000.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2018-04-25 * "李明" "补办审批" ^adv-YZ-A-003
  case: "YZ-A-003"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2018-04-25
  Expenses:Relief:Yingze:Liuxiang:Emergency  400.00 CNY
  Assets:Advances:Yingze:Liuxiang

2018-02-01 * "王芳" "先行救助" ^adv-QD-7
  case: "QD-7"
  Assets:Advances:Yingze:Qiaodong  500.00 CNY
  Assets:Reserve:Yingze:Qiaodong

2018-02-10 * "赵强" "先行救助" ^adv-QD-8
  case: "QD-8"
  Assets:Advances:Yingze:Qiaodong  300.00 CNY
  Assets:Reserve:Yingze:Qiaodong

2018-02-20 * "赵强" "收回垫付" ^adv-QD-8
  case: "QD-8"
  Assets:Reserve:Yingze:Qiaodong  300.00 CNY
  Assets:Advances:Yingze:Qiaodong
"""


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("RESERVE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    elif not path.exists():
        pytest.fail(f"{path} is missing: run with RESERVE_UPDATE_SNAPSHOTS=1")
    assert text == path.read_text(encoding="utf-8")


def run(tmp_path: Path, *args: str, text: str = BOOKS) -> tuple[int, str, str]:
    books = write_books(tmp_path, text)
    result = CliRunner().invoke(main, ["advances", str(books), *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_overdue_first_with_township_totals(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "--as-of", "2018-05-01")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["county", "township", "case"]
    cases = [line.split()[3] for line in lines[1:4]]
    assert cases == ["QD-7", "YZ-A-002", "YZ-A-003"]  # 59 and 30 days overdue, then not due
    assert "Yingze 柳巷街道 (Liuxiang): 1400.00 CNY in 2 advance(s), 1 overdue" in out
    assert "Yingze 桥东街道 (Qiaodong): 500.00 CNY in 1 advance(s), 1 overdue" in out
    assert out.endswith("Total: 1900.00 CNY in 3 advance(s), 2 overdue.\n")
    assert "QD-8" not in out  # Recovered in full.
    _snapshot("advances-2018-05-01.txt", out)


def test_json_is_the_list_of_rows_only(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--as-of", "2018-05-01", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["case"] for r in rows] == ["QD-7", "YZ-A-002", "YZ-A-003"]
    assert rows[2] == {
        "county": "Yingze",
        "township": "Liuxiang",
        "township_name": "柳巷街道",
        "case": "YZ-A-003",
        "link": "adv-YZ-A-003",
        "date": "2018-04-20",
        "advanced": "1000.00",
        "settled": "400.00",
        "recovered": "0.00",
        "outstanding": "600.00",
        "currency": "CNY",
        "due": "2018-05-20",
        "days_overdue": 0,
        "age_days": 11,
    }
    _snapshot("advances-2018-05-01.json", out)


def test_csv(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--as-of", "2018-05-01", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["case"], r["outstanding"], r["days_overdue"]) for r in rows] == [
        ("QD-7", "500.00", "59"),
        ("YZ-A-002", "800.00", "30"),
        ("YZ-A-003", "600.00", "0"),
    ]


def test_as_of_leaves_later_entries_out(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--as-of", "2018-03-01", "--format", "json")
    assert code == 0
    assert [r["case"] for r in json.loads(out)] == ["QD-7"]


def test_nothing_outstanding(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--as-of", "2017-12-31")
    assert (code, out) == (0, "No advance outstanding on 2017-12-31.\n")
    code, out, _ = run(tmp_path, "--as-of", "2017-12-31", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "--as-of", "01/05/2018")
    assert (code, out) == (2, "")
    assert "--as-of '01/05/2018' is not a date" in err


def test_unreadable_books_are_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, text=PRELUDE + "2018-01-01 opn Assets:X\n")
    assert code == 2
    assert "main.beancount" in err and "Traceback" not in err
    result = CliRunner().invoke(main, ["advances", str(tmp_path / "missing.beancount")])
    assert result.exit_code == 2
    assert "missing.beancount: no such books file" in result.stderr


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["advances", "--help"])
    assert result.exit_code == 0
    assert "reserve advances books/main.beancount --as-of" in result.stdout
