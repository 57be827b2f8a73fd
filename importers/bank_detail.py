"""The detail rows of a bank file, each validated, and the facts of its footer lines.

The fast loop (`importers.fast_rows`) takes the plain rows; any other row comes here
(`_general_row`): a detail row of another shape (read as before, or refused with its
message), a note line, the 合计/汇总 footer line, or a summary line below the details that
gives totals or success and failure subtotals in `key：value` cells (`成功笔数：1`,
`失败金额：800.00`) or in key cells followed by value cells (`成功笔数 | 1`). Below the
footer or a summary line only summary lines may follow. The facts found are checked
against the rows by `importers.summary.check` (SPEC §10).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from importers import cells
from importers import fast_rows
from importers import summary
from importers.columns import FOOTER_WORDS
from importers.columns import Header
from importers.errors import InputError
from importers.table import Cell
from importers.table import Table

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


def read_status(cell: Cell) -> str:
    """Return what a status cell means (paid, failed, pending, returned), or refuse it."""
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


def detail(table: Table, header: Header) -> tuple[list[BankRow], list[summary.Fact]]:
    """Return the detail rows below the header and the facts of footer lines."""
    columns = header.columns
    at = fast_rows.Columns(
        *(columns[key].index if key in columns else -1 for key in fast_rows.Columns._fields)
    )
    label = header.labels
    fen = columns["amount"].unit == "分"
    rows: list[BankRow] = []
    facts: list[summary.Fact] = []
    state = {"footer": False}

    def slow(row: int, values: Sequence[Cell]) -> bool:
        footer = _general_row(table.path, at, label, fen, rows, facts, row, values, state)
        return footer

    fast_rows.plain_rows(
        table.rows[header.position + 1 :], at, fen, read_status, BankRow, rows, slow
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
            raise InputError(
                path, "a detail row below the 合计 or summary line", row, label["card"]
            )
        facts.extend(summary.in_row(row, values, footer=True))
        if not footer and amount_i < n and values[amount_i] != "":
            unit = "分" if fen else ""
            facts.append(
                summary.Fact("total", values[amount_i], row, label["amount"], unit)
            )
        state["footer"] = True
        return True
    if summary.is_summary_line(values):
        # `成功笔数：1,成功金额：450.00,…` below the details:
        # its facts; only summary lines may follow.
        facts.extend(summary.in_row(row, values))
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
            status = read_status(values[status_i] if status_i < n else "")
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
