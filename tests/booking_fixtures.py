"""Books and input files for the import tests, with synthetic people only.

IDs and cards come from `make_id` / `make_card` at run time. The books are the test city
(`tests.ledgers.PRELUDE`) with numeric bank accounts: Liuxiang's reserve 6200001001,
Qiaodong's 6200002002, Yingze's treasury 6100001001, Wanbailin's treasury 6100002002.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path

from ledgers import PRELUDE

from ledger.recipients import make_card
from ledger.recipients import make_id

LIUXIANG = "6200001001"
QIAODONG = "6200002002"
YINGZE = "6100001001"
BORN = datetime.date(1960, 5, 1)


def books_text() -> str:
    """Return the test city's books with numeric bank accounts."""
    text = PRELUDE.replace('"0502-LIUX"', f'"{LIUXIANG}"')
    text = text.replace('"0502-QIAO"', f'"{QIAODONG}"')
    text = text.replace('"0502-XING"', '"6200003003"')
    text = text.replace('"0501-0000-0000"', f'"{YINGZE}"', 1)
    return text.replace('"0501-0000-0000"', '"6100002002"', 1)


def write_books(folder: Path, extra: str = "") -> Path:
    """Write main.beancount (the city, plus extra) into folder and return its path."""
    main = folder / "main.beancount"
    main.write_text(books_text() + extra, encoding="utf-8")
    return main


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every .beancount file under folder with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*.beancount"))
    }


def name(n: int) -> str:
    """Return person n's synthetic name."""
    return f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}"


def id_number(n: int) -> str:
    """Return person n's synthetic ID number."""
    return make_id("140105", BORN + datetime.timedelta(days=131 * n % 15_000), n)


def card(n: int) -> str:
    """Return person n's synthetic card number."""
    return make_card("621700", n)


def case(n: int) -> str:
    """Return person n's case number."""
    return f"YZ-LX-2024-{100 + n}"


@dataclasses.dataclass
class Approved:
    """One register row."""

    n: int
    amount: str = "450.00"
    procedure: str = "小额"
    level: str = "乡镇"
    approved: str = "2024-03-01"
    township: str = "柳巷街道"
    ratio: str = ""
    notice: str = ""
    category: str = "因病致贫"


REGISTER_HEADER = (
    "案件编号", "姓名", "身份证号", "乡镇(街道)", "救助程序", "审批层级", "审批人", "审批日期",
    "救助金额", "支出倍数", "公示日期", "决议文号", "困难类型", "申请日期",
)  # fmt: skip


def write_register(path: Path, rows: list[Approved]) -> Path:
    """Write an approval register as CSV."""
    lines: list[list[str]] = [["迎泽区临时救助审批台账"], list(REGISTER_HEADER)]
    for r in rows:
        approver = "柳巷街道办事处" if r.approved else ""
        lines.append(
            [
                case(r.n), name(r.n), id_number(r.n), r.township, r.procedure, r.level,
                approver, r.approved, r.amount, r.ratio, r.notice, "", r.category,
                "2024-02-27",
            ]
        )  # fmt: skip
    return _write(path, lines)


@dataclasses.dataclass
class Paid:
    """One bank row."""

    n: int
    amount: str = "450.00"
    status: str = "成功"
    reason: str = ""
    memo: str | None = None
    holder: str | None = None
    with_id: bool = True


def write_bank(
    path: Path,
    rows: list[Paid],
    *,
    result: bool = True,
    batch: str = "B20240305001",
    date: str = "2024-03-05",
    payer: str | None = LIUXIANG,
) -> Path:
    """Write a bank request (result=False) or result file as CSV with title lines."""
    lines: list[list[str]] = [["代发明细"], [f"批次号：{batch}"], ["代发日期", date]]
    if payer:
        lines.append([f"付款账号：{payer}"])
    header = ["序号", "姓名", "身份证号", "卡号", "金额", "摘要"]
    if result:
        header += ["状态", "失败原因"]
    lines.append(header)
    for i, r in enumerate(rows, 1):
        memo = r.memo if r.memo is not None else f"临时救助 {case(r.n)}"
        line = [str(i), r.holder or name(r.n), id_number(r.n) if r.with_id else "",
                card(r.n), r.amount, memo]  # fmt: skip
        if result:
            line += [r.status, r.reason]
        lines.append(line)
    total = sum((Decimal(r.amount) for r in rows), Decimal(0))
    lines.append(["合计", f"共{len(rows)}笔", "", "", f"{total:.2f}"])
    return _write(path, lines)


def _write(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(lines)
    return path
