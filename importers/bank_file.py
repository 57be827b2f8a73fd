"""Read a bank request file (报盘) or result file (回盘) into validated rows (SPEC §10).

A file is a `BankFile` of `BankRow`s, or an `InputError` naming the file, row and column of
the first problem; nothing is returned for a file with any bad cell.

* Kind: a file with a status column (状态/处理结果/交易状态) is a result file, else a request.
* Statuses: 成功/S → paid, 失败/E → failed, 处理中/P → pending, 退票 → returned (and the
  usual variants in `STATUSES`); anything else is refused.
* Amounts: yuan, or whole fen where the amount header says 分 (`金额(分)`).
* Totals: 总笔数 and 总金额 (title, summary or footer line, or the amount column of the
  合计 line, `共3笔`) cover all detail rows; 成功笔数/成功金额 (`成功2笔`) cover the paid
  rows, 处理中笔数 (`处理中1笔`) the pending ones, and 失败笔数/失败金额 (`失败1笔`) the failed
  and returned rows (a returned payment did not reach the payee) — the failed rows alone
  when the file gives 退票 subtotals (退票笔数, `退票1笔`) of its own.
* Date: 代发日期 from a title line; else the earliest date of the status date column,
  since a batch is sent no later than its first processed row; else the file is refused.
* Batch: 批次号, else `file-` + the first 12 hex digits of the file's SHA-256.
* IDs: a file with an ID column needs a valid ID on every row; a file without one gives "".
* Lines below the header with no name, card or amount are notes or summary lines, and so is
  a line whose first cell is a total key (`成功笔数：1`, or `成功笔数` and its value in the
  next cell); below the 合计 line or such a summary line only summary lines may follow
  (`importers.bank_detail`).
* Personal numbers: a full ID or card number in a payee's name or a 失败原因 is masked,
  and so is the row's own card or ID however written (`importers.pii_text`, SPEC §6).

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
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from importers import cells
from importers import pii_text
from importers import summary
from importers.bank_detail import STATUSES as STATUSES
from importers.bank_detail import BankRow as BankRow
from importers.bank_detail import detail
from importers.columns import BANK_FIELDS
from importers.columns import Labelled
from importers.columns import find_header
from importers.errors import InputError
from importers.table import bulk
from importers.table import read_table


@dataclasses.dataclass(frozen=True)
class BankFile(Labelled):
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
    sent: bool = False  # the date is the file's 代发日期 (not the earliest status date)
    labels: tuple[tuple[str, str], ...] = ()  # (field, its header as written), for messages


def _figures(rows: Sequence[BankRow], kind: str, returns_apart: bool) -> dict[str, Decimal]:
    """Return each total key's figure: all rows, then (a result file) rows by status."""
    figures = {
        "count": Decimal(len(rows)),
        "total": sum((r.amount for r in rows), Decimal(0)),
    }
    if kind == "result":
        failed = ("failed",) if returns_apart else ("failed", "returned")
        for key, statuses in (
            ("paid", ("paid",)),
            ("failed", failed),
            ("pending", ("pending",)),
            ("returned", ("returned",)),
        ):
            amounts = [r.amount for r in rows if r.status in statuses]
            figures[f"{key}_count"] = Decimal(len(amounts))
            figures[f"{key}_total"] = sum(amounts, Decimal(0))
    return figures


def _date(
    path: str, facts: Sequence[summary.Fact], rows: Sequence[BankRow]
) -> tuple[datetime.date, bool]:
    """Return the file's date, and whether it is its 代发日期."""
    fact = summary.single(path, facts, "date")
    if fact is not None:
        try:
            found = cells.date(fact.value)
        except cells.CellError as exc:
            raise InputError(path, str(exc), fact.row, fact.label) from None
        if found is not None:
            return found, True
    dates = [r.date for r in rows if r.date is not None]
    if dates:
        return min(dates), False
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
    rows, footer_facts = detail(table, header)
    if pii_text.has_number(r.name for r in rows) or pii_text.has_number(
        r.fail_reason for r in rows
    ):  # Texts the books copy: a full number in them, the row's own first, is masked.
        mask = pii_text.mask_numbers
        rows = [
            r._replace(
                name=mask(r.name, (r.card, r.id_number)),
                fail_reason=mask(r.fail_reason, (r.card, r.id_number)),
            )
            for r in rows
        ]
    if not rows:
        raise InputError(table.path, "the file has a header but no detail rows", header.row)
    facts += footer_facts
    kind = "result" if "status" in header.columns else "request"
    summary.check(table.path, facts, _figures(rows, kind, summary.returns_apart(facts)))
    batch = summary.single(table.path, facts, "batch")
    payer = summary.single(table.path, facts, "payer")
    payer_account = ""
    if payer is not None:
        try:
            payer_account = cells.card(payer.value, "payer account", (6, 32))
        except cells.CellError as exc:
            raise InputError(table.path, str(exc), payer.row, payer.label) from None
    batch_text = cells.text(batch.value) if batch is not None else ""
    date, sent = _date(table.path, facts, rows)
    return BankFile(
        path=table.path,
        sha256=table.sha256,
        kind=kind,
        batch=batch_text or "file-" + table.sha256[:12],
        date=date,
        payer_account=payer_account,
        rows=tuple(rows),
        payer_row=payer.row if payer is not None else None,
        payer_label=payer.label if payer is not None else "",
        sent=sent,
        labels=tuple(header.labels.items()),
    )
