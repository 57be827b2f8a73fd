"""Generate bank files and approval registers of every shape, with synthetic people only.

Every ID and card number comes from `ledger.recipients.make_id` / `make_card` at run time;
no file of the project holds one. Lines are lists of cells (str, Decimal, int, float,
date); the writers put them into CSV, TXT, XLSX or XLS files under a test's `tmp_path`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.recipients import make_card
from ledger.recipients import make_id

Cell = str | int | float | Decimal | datetime.date

BORN = datetime.date(1970, 1, 1)
BATCH = "B20240305001"
HEADER = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因"]


def person_id(n: int) -> str:
    """Return the synthetic ID number of person n."""
    return make_id("110101", BORN + datetime.timedelta(days=97 * n % 18_000), n)


def person_card(n: int) -> str:
    """Return the synthetic card number of person n."""
    return make_card("622202", n)


def payer_account() -> str:
    """Return a synthetic township account number."""
    return make_card("955880", 7)


def person_name(n: int) -> str:
    """Return a synthetic name."""
    return f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}"


@dataclasses.dataclass
class Payment:
    """One bank row to write."""

    n: int
    amount: Decimal
    status: str = "成功"
    reason: str = ""
    date: Cell = ""

    @property
    def memo(self) -> str:
        """Return the row's memo, holding a case number."""
        return f"临时救助 YZ-LX-2024-{100 + self.n}"


def payments(*statuses: str) -> list[Payment]:
    """Return payments of 450.00, 1200.50, 300.00, ... with the statuses given."""
    amounts = (Decimal("450.00"), Decimal("1200.50"), Decimal("300.00"), Decimal("88.80"))
    return [
        Payment(
            n,
            amounts[n % len(amounts)],
            status,
            "账户已冻结" if status in ("失败", "E") else "",
        )
        for n, status in enumerate(statuses)
    ]


def detail(
    p: Payment, *, status: bool = True, fen: bool = False, date: bool = False
) -> list[Cell]:
    """Return the cells of one detail row in HEADER's order (plus the date)."""
    amount: Cell = str(int(p.amount * 100)) if fen else f"{p.amount:.2f}"
    cells: list[Cell] = [
        str(p.n + 1),
        person_name(p.n),
        person_id(p.n),
        person_card(p.n),
        amount,
        p.memo,
    ]
    if status:
        cells += [p.status, p.reason]
    if date:
        cells.append(p.date)
    return cells


def bank_lines(
    rows: Sequence[Payment],
    *,
    status: bool = True,
    title: bool = True,
    footer: bool = True,
    fen: bool = False,
    date_column: bool = False,
) -> list[list[Cell]]:
    """Return the lines of a bank file: title lines, header, detail rows and 合计 line."""
    lines: list[list[Cell]] = []
    if title:
        lines += [
            ["XX银行代发工资明细"],
            [f"批次号：{BATCH}"],
            ["代发日期", "2024-03-05"],
            [f"付款账号:{payer_account()}"],
        ]
    header: list[Cell] = list(HEADER if status else HEADER[:6])
    if fen:
        header[4] = "金额(分)"
    if date_column:
        header.append("处理日期")
    lines.append(header)
    lines += [detail(p, status=status, fen=fen, date=date_column) for p in rows]
    if footer:
        total = sum((p.amount for p in rows), Decimal(0))
        lines.append(
            [
                "合计",
                f"共{len(rows)}笔",
                "",
                "",
                str(int(total * 100)) if fen else f"{total:.2f}",
            ]
        )
    return lines


def _text(cell: Cell) -> str:
    return cell.isoformat() if isinstance(cell, datetime.date) else str(cell)


def write_csv(path: Path, lines: Sequence[Sequence[Cell]], encoding: str = "utf-8") -> Path:
    """Write lines as CSV in an encoding (utf-8, utf-8-sig, gbk, gb18030)."""
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows([[_text(c) for c in line] for line in lines])
    return path


def write_txt(path: Path, lines: Sequence[Sequence[Cell]], encoding: str = "utf-8") -> Path:
    """Write lines `|`-delimited."""
    text = "".join("|".join(_text(c) for c in line) + "\n" for line in lines)
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(
    path: Path, lines: Sequence[Sequence[Cell]], numbers: Sequence[int] = ()
) -> Path:
    """Write lines to an XLSX sheet: strings as text, Decimals as numbers, dates as dates.

    Args:
      path: the file.
      lines: the rows.
      numbers: 0-based columns whose digit strings are stored as numbers (as Excel does
        to an ID typed into a General cell).
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("代发明细")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, line in enumerate(lines):
        for c, cell in enumerate(line):
            if isinstance(cell, datetime.date):
                sheet.write_datetime(
                    r, c, datetime.datetime.combine(cell, datetime.time()), date_format
                )
            elif isinstance(cell, (Decimal, int, float)) or (
                c in numbers and cell.isdigit()
            ):
                sheet.write_number(r, c, float(cell))
            elif cell != "":
                sheet.write_string(r, c, cell)
    book.close()
    return path


def write_xls(path: Path, lines: Sequence[Sequence[Cell]]) -> Path:
    """Write lines to an XLS (BIFF8) sheet with xlwt."""
    # xlwt (test-only, optional) writes BIFF8; without it the XLS test is skipped.
    xlwt = pytest.importorskip("xlwt")

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, line in enumerate(lines):
        for c, cell in enumerate(line):
            if isinstance(cell, datetime.date):
                sheet.write(r, c, cell, date_style)
            elif isinstance(cell, Decimal):
                sheet.write(r, c, float(cell))
            elif cell != "":
                sheet.write(r, c, cell)
    book.save(str(path))
    return path


REGISTER_HEADER = [
    "案件编号", "姓名", "身份证号", "乡镇(街道)", "救助程序", "审批层级", "审批人", "审批日期",
    "救助金额", "支出倍数", "公示日期", "决议文号", "困难类型", "申请日期",
]  # fmt: skip


def register_row(n: int, changes: dict[str, Cell] | None = None) -> list[Cell]:
    """Return a well-formed small-relief register row for person n, with changes by header."""
    values: dict[str, Cell] = {
        "案件编号": f"YZ-LX-2024-{100 + n}",
        "姓名": person_name(n),
        "身份证号": person_id(n),
        "乡镇(街道)": "柳巷街道",
        "救助程序": "小额",
        "审批层级": "乡镇",
        "审批人": "柳巷街道办事处",
        "审批日期": "2024-03-01",
        "救助金额": "450.00",
        "支出倍数": "",
        "公示日期": "",
        "决议文号": "",
        "困难类型": "因病致贫",
        "申请日期": "2024-02-27",
    }
    values.update(changes or {})
    return [values[key] for key in REGISTER_HEADER]


def register_lines(*rows: list[Cell], title: bool = True) -> list[list[Cell]]:
    """Return the lines of a register: a title line, the header, the rows."""
    lines: list[list[Cell]] = [["迎泽区临时救助审批台账"]] if title else []
    header: list[Cell] = list(REGISTER_HEADER)
    return [*lines, header, *rows]
