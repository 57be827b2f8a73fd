"""Importing a bank result file: time against Beancount's load of what it books, and csvbase.

With empty books (accounts only, as the issue asks), a result file of N rows (the large city's size) is
imported as CSV and as XLSX; its time is divided by the time Beancount takes to load the
books that result. A plain-header CSV (the only shape beangulp 0.2.0's csvbase reads) is
also read by a csvbase importer, whose `extract` is timed beside ours.
"""

from __future__ import annotations

import csv
import datetime
import gc
import os
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from beancount import loader
from beangulp.importers import csvbase

from benchmarks.harness import Context
from benchmarks.harness import Row
from benchmarks.harness import median_time
from benchmarks.ledgers import CACHE
from importers import session
from ledger.recipients import make_card
from ledger.recipients import make_id

KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
ACCOUNT = "Assets:Reserve:Bench:Town"
HEADER = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因", "处理日期"]
BOOKS = f"""option "operating_currency" "CNY"
2015-01-01 open Assets:Treasury:Bench CNY
  name: "测试县民政局"
2015-01-01 open Assets:Reserve:Bench:Town CNY
  name: "测试街道"
2015-01-01 open Assets:Suspense:Bench:Town CNY
2015-01-01 open Assets:InTransit:Bench:Town CNY
2015-01-01 open Expenses:Relief:Bench:Town:Small CNY
2015-01-01 open Equity:Opening-Balances CNY
2015-01-02 * "opening"
  {ACCOUNT}  100000000.00 CNY
  Equity:Opening-Balances
"""


def _rows(count: int) -> list[list[str]]:
    born = datetime.date(1970, 1, 1)
    rows = []
    for n in range(count):
        amount = Decimal(100 + n % 700) + Decimal("0.50")
        rows.append([
            str(n + 1), f"测试{n}", make_id("110101", born + datetime.timedelta(days=n % 9000), n),
            make_card("622202", n), f"{amount:.2f}", f"批量 {n}", "成功", "", "2024-03-05",
        ])
    return rows


def files(count: int) -> tuple[Path, Path]:
    """Return a plain-header CSV and an XLSX result file of `count` paid rows (cached)."""
    folder = CACHE / f"import-{count}"
    csv_path, xlsx_path = folder / "result.csv", folder / "result.xlsx"
    if not xlsx_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        rows = _rows(count)
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADER, *rows]):
            for c, cell in enumerate(row):
                sheet.write_string(r, c, cell)
        book.close()
    return csv_path, xlsx_path


class Csvbase(csvbase.Importer):  # type: ignore[misc]
    """A csvbase importer of the same plain-header file."""

    date = csvbase.Date("处理日期", "%Y-%m-%d")
    narration = csvbase.Column("摘要")
    payee = csvbase.Column("姓名")
    amount = csvbase.Amount("金额")

    def identify(self, filepath: str) -> bool:
        return filepath.endswith(".csv")


def _import(path: Path) -> tuple[float, float]:
    """Return the seconds of importing path into empty books, and of loading the result."""
    folder = Path(tempfile.mkdtemp(prefix="reserve-import-bench-"))
    try:
        main = folder / "main.beancount"
        main.write_text(BOOKS, encoding="utf-8")
        gc.collect()
        started = time.perf_counter()
        session.import_files(main, [str(path)], ACCOUNT, False, "json")
        seconds = time.perf_counter() - started
        load, _ = median_time(lambda: loader._load([(str(main), True)], None, None, None), 1)
        return seconds, load
    finally:
        shutil.rmtree(folder)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def run(context: Context) -> list[Row]:
    """Return the import rows.

    The runs are interleaved (CSV import, csvbase extract, XLSX import, then again) so that
    a machine shared with other work slows each side of a ratio alike.
    """
    os.environ.setdefault("RESERVE_RECIPIENT_KEY", KEY)
    count = context.large_n
    csv_path, xlsx_path = files(count)
    importer = Csvbase("Assets:Reserve:Bench:Town", "CNY")
    runs: dict[str, list[tuple[float, float]]] = {"CSV": [], "XLSX": []}
    theirs: list[float] = []
    for _ in range(context.repeat):
        runs["CSV"].append(_import(csv_path))
        theirs.append(median_time(lambda: importer.extract(str(csv_path), []), 1)[0])
        runs["XLSX"].append(_import(xlsx_path))
    rows = []
    ours = {label: _median([r[0] for r in found]) for label, found in runs.items()}
    for label, found in runs.items():
        load = _median([r[1] for r in found])
        rows.append(Row(f"import {count:,}-row {label} ÷ load of the result", ours[label] / load,
                        "%", 0.25, f"{ours[label]:.1f} s vs {load:.1f} s"))
    extract = _median(theirs)
    rows.append(Row("import CSV ÷ csvbase extract of the same file", ours["CSV"] / extract,
                    "ratio", 1.0, f"{ours['CSV']:.2f} s vs {extract:.2f} s"))
    return rows
