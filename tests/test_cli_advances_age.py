"""`reserve advances`: the age of each advance, whole days from its date to the audit date."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import write_books
from ledgers import PRELUDE

from cli.main import main

BOOKS = PRELUDE + """
2018-01-01 * "迎泽区民政局" "备用金拨付" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY
  Assets:Treasury:Yingze

2018-03-02 * "周建国" "先行救助" ^adv-YZ-A-002
  case: "YZ-A-002"
  Assets:Advances:Yingze:Liuxiang  800.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2018-04-20 * "李明" "先行救助" ^adv-YZ-A-003
  case: "YZ-A-003"
  Assets:Advances:Yingze:Liuxiang  1000.00 CNY
  Assets:Reserve:Yingze:Liuxiang
"""


def run(tmp_path: Path, fmt: str) -> str:
    books = write_books(tmp_path, BOOKS)
    result = CliRunner().invoke(
        main, ["advances", str(books), "--as-of", "2018-05-01", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_age_days(tmp_path: Path) -> None:
    rows = json.loads(run(tmp_path, "json"))
    # 2018-03-02 → 2018-05-01 is 60 days (30 of them overdue); 2018-04-20 → 11 days.
    assert [(r["case"], r["age_days"], r["days_overdue"]) for r in rows] == [
        ("YZ-A-002", 60, 30),
        ("YZ-A-003", 11, 0),
    ]
    assert list(rows[0])[-2:] == ["days_overdue", "age_days"]  # Existing keys kept first.


def test_csv_age_days_is_the_last_column(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(run(tmp_path, "csv"))))
    assert rows[0][-2:] == ["days_overdue", "age_days"]
    assert [(r[3], r[-1]) for r in rows[1:]] == [("YZ-A-002", "60"), ("YZ-A-003", "11")]


def test_text_age_column(tmp_path: Path) -> None:
    lines = run(tmp_path, "text").splitlines()
    header = lines[0].split("  ")
    assert [h.strip() for h in header if h.strip()][3:5] == ["advanced on", "age (days)"]
    first = lines[1].split()
    assert (first[3], first[4], first[5], first[6]) == ("YZ-A-002", "2018-03-02", "60", "800.00")
