"""Read a bank request file (报盘) or result file (回盘) into validated rows (SPEC §10).

A file is a `BankFile` of `BankRow`s, or an `InputError` naming the file, row and column of
the first problem; nothing is returned for a file with any bad cell.

* Kind: a file with a status column (状态/处理结果/交易状态) is a result file, else a request.
* Statuses: 成功/S → paid, 失败/E → failed, 处理中/P → pending, 退票 → returned (and the
  usual variants in `STATUSES`); anything else is refused.
* Amounts: yuan, or whole fen where the amount header says 分 (`金额(分)`).
* Totals: 总笔数 and 总金额 (title, summary or footer line, or the amount column of the
  合计 line) cover all detail rows; 成功笔数/成功金额 cover the paid rows and
  失败笔数/失败金额 the failed and returned rows (a returned payment did not reach the payee).
* Date: 代发日期 from a title line; else the earliest date of the status date column,
  since a batch is sent no later than its first processed row; else the file is refused.
* Batch: 批次号, else `file-` + the first 12 hex digits of the file's SHA-256.
* IDs: a file with an ID column needs a valid ID on every row; a file without one gives "".
* Lines below the header with no name, card or amount are notes or summary lines; below the
  合计 line only summary lines may follow.

The TXT layout (`|`-delimited, UTF-8 or GBK) is: a summary keys line and its values line,
then the header, then the detail rows, e.g.::

    批次号|总笔数|总金额|代发日期|付款账号
    B20240305001|2|1650.50|20240305|<account>
    序号|姓名|身份证号|卡号|金额|摘要|状态|失败原因
    1|<name>|<id>|<card>|450.00|YZ-LX-2024-100|S|

`批次号：B20240305001` pairs work there too, as in every format.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from importers import cells
from importers import fast_rows
from importers import summary
from importers.columns import BANK_FIELDS
from importers.columns import FOOTER_WORDS
from importers.columns import Header
from importers.columns import find_header
from importers.errors import InputError
from importers.table import Cell
from importers.table import Table
from importers.table import bulk
from importers.table import read_table

#: Status texts (upper-cased) and what they mean.
STATUSES: dict[str, str] = {
    **dict.fromkeys(
        ("成功", "交易成功", "处理成功", "付款成功", "已成功", "S", "SUCCESS"), "paid"
    ),
    **dict.fromkeys(
        ("失败", "交易失败", "处理失败", "付款失败", "E", "F", "FAIL", "FAILED"), "failed"
    ),
    **dict.fromkeys(
        ("处理中", "交易处理中", "待处理", "未处理", "P", "PENDING"), "pending"
    ),
    **dict.fromkeys(("退票", "已退票", "退汇", "退回", "R", "RETURNED"), "returned"),
}


class BankRow(NamedTuple):
    """One detail row of a bank file (a named tuple: 100,000 are made in a second's work)."""

    # 1-based position among the file's detail rows (SPEC "bank-row"); the name shadows
    # tuple.index, which no caller of a row uses.
    index: int  # type: ignore[assignment]
    row: int  # the physical row/line number in the file, for messages
    name: str  # payee 姓名/户名/收款人
    id_number: str  # canonical 18-character ID, or "" if the file has no ID column
    card: str  # card digits
    amount: Decimal  # yuan, 2 decimals
    memo: str  # 摘要/用途/附言
    status: str | None  # "paid" | "failed" | "pending" | "returned"; None in a request file
    fail_reason: str  # 失败原因/备注 for failed or returned rows, else ""
    date: datetime.date | None  # the row's status date, if the file has such a column


@dataclasses.dataclass(frozen=True)
class BankFile:
    """A bank request or result file, validated."""

    path: str
    sha256: str  # hex SHA-256 of the file bytes
    kind: str  # "request" (no status column) | "result"
    batch: str  # 批次号, else "file-" + sha256[:12]
    date: datetime.date  # 代发日期, else the earliest status date
    payer_account: str  # 付款账号 from the title lines, or ""
    rows: tuple[BankRow, ...]
    payer_row: int | None = None  # the line of the payer account, for messages
    payer_label: str = ""  # its key as written (付款账号), for messages


def _status(cell: Cell) -> str:
    written = cells.text(cell)
    status = STATUSES.get(written.upper())
    if status is None:
        status = STATUSES.get(
            unicodedata.normalize("NFKC", written).replace(" ", "").upper()
        )
    if status is None:
        if not written:
            raise cells.CellError("status is empty")
        raise cells.CellError(
            f"unknown status {written!r}: expected 成功/失败/处理中/退票 or S/E/P"
        )
    return status


def _detail(table: Table, header: Header) -> tuple[list[BankRow], list[summary.Fact]]:
    """Return the detail rows below the header and the facts of footer lines."""
    columns = header.columns
    at = fast_rows.Columns(
        *(columns[key].index if key in columns else -1 for key in fast_rows.Columns._fields)
    )
    label = {key: column.header for key, column in columns.items()}
    fen = columns["amount"].unit == "分"
    rows: list[BankRow] = []
    facts: list[summary.Fact] = []
    state = {"footer": False}

    def slow(row: int, values: Sequence[Cell]) -> bool:
        footer = _general_row(table.path, at, label, fen, rows, facts, row, values, state)
        return footer

    fast_rows.plain_rows(
        table.rows[header.position + 1 :], at, fen, _status, BankRow, rows, slow
    )
    return rows, facts


def _general_row(
    path: str,
    at: fast_rows.Columns,
    label: dict[str, str],
    fen: bool,
    rows: list[BankRow],
    facts: list[summary.Fact],
    row: int,
    values: Sequence[Cell],
    state: dict[str, bool],
) -> bool:
    """Read one row of any shape into rows or facts; return True once below the footer."""
    name_i, card_i, amount_i, id_i, memo_i, status_i, reason_i, date_i = at
    n = len(values)
    footer = state["footer"]
    first = next((cell for cell in values if cell != ""), "")
    card_c = values[card_i] if card_i < n else ""
    if footer or (isinstance(first, str) and first.strip().startswith(FOOTER_WORDS)):
        if footer and sum(ch.isdigit() for ch in cells.text(card_c)) >= 12:
            raise InputError(path, "a detail row below the 合计 line", row, label["card"])
        facts.extend(summary.in_row(row, values, footer=True))
        if not footer and amount_i < n and values[amount_i] != "":
            unit = "分" if fen else ""
            facts.append(
                summary.Fact("total", values[amount_i], row, label["amount"], unit)
            )
        state["footer"] = True
        return True
    name_c = values[name_i] if name_i < n else ""
    amount_c = values[amount_i] if amount_i < n else ""
    if not (cells.text(name_c) or cells.text(card_c) or cells.text(amount_c)):
        facts.extend(summary.in_row(row, values))  # a note or summary line
        return False
    column = label["name"]
    try:
        name = cells.text(name_c)
        if not name:
            raise cells.CellError("the payee's name is empty")
        column = label["card"]
        card = cells.card(card_c)
        column = label["amount"]
        amount = cells.amount(amount_c, fen)
        id_number = ""
        if id_i >= 0:
            column = label["id_number"]
            id_number = cells.id_number(values[id_i] if id_i < n else "")
        memo = cells.text(values[memo_i]) if 0 <= memo_i < n else ""
        status = None
        reason = ""
        if status_i >= 0:
            column = label["status"]
            status = _status(values[status_i] if status_i < n else "")
            if status in ("failed", "returned") and 0 <= reason_i < n:
                reason = cells.text(values[reason_i])
        date = None
        if date_i >= 0:
            column = label["date"]
            date = cells.date(values[date_i] if date_i < n else "")
    except cells.CellError as exc:
        raise InputError(path, str(exc), row, column) from None
    rows.append(
        BankRow(
            len(rows) + 1, row, name, id_number, card, amount, memo, status, reason, date
        )
    )
    return False


def _figures(rows: Sequence[BankRow], kind: str) -> dict[str, Decimal]:
    figures = {
        "count": Decimal(len(rows)),
        "total": sum((r.amount for r in rows), Decimal(0)),
    }
    if kind == "result":
        paid = [r.amount for r in rows if r.status == "paid"]
        failed = [r.amount for r in rows if r.status in ("failed", "returned")]
        figures |= {
            "paid_count": Decimal(len(paid)),
            "paid_total": sum(paid, Decimal(0)),
            "failed_count": Decimal(len(failed)),
            "failed_total": sum(failed, Decimal(0)),
        }
    return figures


def _date(
    path: str, facts: Sequence[summary.Fact], rows: Sequence[BankRow]
) -> datetime.date:
    fact = summary.single(path, facts, "date")
    if fact is not None:
        try:
            found = cells.date(fact.value)
        except cells.CellError as exc:
            raise InputError(path, str(exc), fact.row, fact.label) from None
        if found is not None:
            return found
    dates = [r.date for r in rows if r.date is not None]
    if dates:
        return min(dates)
    raise InputError(
        path,
        "the file has no date: neither a 代发日期 line above the header "
        "nor a date column (处理日期/交易日期) with a date",
    )


def read_bank_file(path: str | Path) -> BankFile:
    """Return a bank request or result file, every row validated.

    Raises:
      InputError: unreadable or empty file, no header, a missing or doubled column, a bad
        cell, totals that differ from the rows, or no date.

    """
    with bulk():
        return _read(path)


def _read(path: str | Path) -> BankFile:
    table = read_table(path)
    header = find_header(table, BANK_FIELDS, "a bank file")
    if header is None:
        raise InputError(
            table.path,
            "no header row found: a bank file needs the columns 姓名/户名/收款人, "
            "卡号/账号/收款账号 and 金额/代发金额/交易金额",
        )
    facts = summary.in_title(table.rows[: header.position])
    rows, footer_facts = _detail(table, header)
    if not rows:
        raise InputError(table.path, "the file has a header but no detail rows", header.row)
    facts += footer_facts
    kind = "result" if "status" in header.columns else "request"
    summary.check(table.path, facts, _figures(rows, kind))
    batch = summary.single(table.path, facts, "batch")
    payer = summary.single(table.path, facts, "payer")
    payer_account = ""
    if payer is not None:
        try:
            payer_account = cells.card(payer.value, "payer account", (6, 32))
        except cells.CellError as exc:
            raise InputError(table.path, str(exc), payer.row, payer.label) from None
    batch_text = cells.text(batch.value) if batch is not None else ""
    return BankFile(
        path=table.path,
        sha256=table.sha256,
        kind=kind,
        batch=batch_text or "file-" + table.sha256[:12],
        date=_date(table.path, facts, rows),
        payer_account=payer_account,
        rows=tuple(rows),
        payer_row=payer.row if payer is not None else None,
        payer_label=payer.label if payer is not None else "",
    )
