"""The input files of the README's example session, made in code (`python -m ledger.demo.session DIR`).

The session starts a city from a township table, then imports an approval register and a
bank result file into a copy of the demo books. Those two files hold ID and card numbers, so
they are not kept in the repository (no full number is, SPEC §6): this module writes them,
with invented people whose numbers are made here with valid check digits, the same bytes
every time.
"""

from __future__ import annotations

import csv
import datetime
import sys
from decimal import Decimal
from pathlib import Path

from ledger.recipients import make_card
from ledger.recipients import make_id

TOWNSHIPS = "townships.csv"
REGISTER = "审批台账-2026-03.csv"
RESULT = "回盘-2026-03-05.csv"

_TOWNSHIP_ROWS = [
    ["county", "township", "county_name", "township_name", "population", "bank_account",
     "county_bank_account"],
    ["Yingze", "Liuxiang", "迎泽区民政局", "柳巷街道", "52000", "0502-0001", "0501-0001"],
    ["Yingze", "Qiaodong", "迎泽区民政局", "桥东街道", "41000", "0502-0002", ""],
    ["Wanbailin", "Xinghua", "万柏林区民政局", "兴华街道", "60000", "0502-0003", "0501-0002"],
]  # fmt: skip
#: The demo books' 柳巷街道 reserve (books/accounts.beancount): the payer of the result file.
_PAYER = "14025881399869879730"
_BORN = datetime.date(1970, 1, 1)
#: (case, amount, status, reason) of the two people, 测试甲0 and 测试乙1.
_CASES = (
    ("YZ-LX-2026-0101", "450.00", "成功", ""),
    ("YZ-LX-2026-0102", "300.00", "失败", "账户已冻结"),
)


def _person(n: int) -> tuple[str, str, str]:
    """Return the name, ID and card number of invented person n."""
    name = f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{n}"
    born = _BORN + datetime.timedelta(days=97 * n % 18_000)
    return name, make_id("110101", born, n), make_card("622202", n)


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write(folder: Path) -> list[Path]:
    """Write the session's township table, register and result file into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    register = [
        ["迎泽区临时救助审批台账"],
        ["案件编号", "姓名", "身份证号", "乡镇(街道)", "救助程序", "审批层级", "审批人",
         "审批日期", "救助金额", "困难类型", "申请日期"],
    ]  # fmt: skip
    result = [
        ["XX银行代发明细"],
        ["批次号：B20260305001"],
        ["代发日期", "2026-03-05"],
        [f"付款账号:{_PAYER}"],
        ["序号", "姓名", "身份证号", "卡号", "金额", "摘要", "状态", "失败原因"],
    ]
    for n, (case, amount, status, reason) in enumerate(_CASES):
        name, id_number, card = _person(n)
        register.append([case, name, id_number, "柳巷街道", "小额", "乡镇", "柳巷街道办事处",
                         "2026-03-01", amount, "因病致贫", "2026-02-27"])  # fmt: skip
        result.append([str(n + 1), name, id_number, card, amount, f"临时救助 {case}", status,
                       reason])  # fmt: skip
    total = sum((Decimal(amount) for _, amount, _, _ in _CASES), Decimal(0))
    result.append(["合计", f"共{len(_CASES)}笔", "", "", f"{total:.2f}"])
    return [
        _write(folder / TOWNSHIPS, _TOWNSHIP_ROWS),
        _write(folder / REGISTER, register),
        _write(folder / RESULT, result),
    ]


def main(argv: list[str]) -> int:
    """Write the files into the folder given (default: the working folder)."""
    folder = Path(argv[0]) if argv else Path.cwd()
    for path in write(folder):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
