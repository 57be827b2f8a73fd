"""Column headers: which header names mean which field, and finding the header row.

The tables below are the whole vocabulary (SPEC §10): each field lists its usual Chinese
names. A header cell is compared after NFKC (full-width brackets and colons become ASCII),
with whitespace, `*` markers and a trailing colon removed. An amount header may carry a unit,
`金额(元)` or `金额(分)`; `分` means the column holds whole fen.

A header row is the first row, among the first `HEADER_SEARCH` filled rows, that names every
required field; rows above it are title lines. Two cells naming one field (`金额` twice, or
`户名` beside `姓名`) are refused. A *secondary* synonym (备注 for the failure reason) is used
only when no primary one is present.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Sequence

from importers.errors import InputError
from importers.table import Cell
from importers.table import Table

#: How many filled rows from the top may hold title lines before the header.
HEADER_SEARCH = 30

_SPACE = re.compile(r"\s+")
_UNIT = re.compile(r"^(.+?)[(\[/]?(?:单位:)?(元|分|人民币元)[)\]]?$")


@dataclasses.dataclass(frozen=True)
class Field:
    """One logical column: its key, the names that mean it, and whether it must be there."""

    key: str
    names: tuple[str, ...]
    required: bool = False
    secondary: tuple[str, ...] = ()
    unit: bool = False

    @property
    def label(self) -> str:
        """Return the field's names for a message, e.g. `卡号/账号/收款账号`."""
        return "/".join(self.names)


BANK_FIELDS: tuple[Field, ...] = (
    Field("seq", ("序号", "编号", "行号")),
    Field(
        "name",
        ("姓名", "户名", "收款人", "收款人姓名", "收款户名", "账户名称"),
        required=True,
    ),
    Field("id_number", ("身份证号", "证件号码", "身份证号码", "证件号", "身份证")),
    Field(
        "card",
        ("卡号", "账号", "收款账号", "银行卡号", "收款卡号", "收款人账号"),
        required=True,
    ),
    Field("amount", ("金额", "代发金额", "交易金额", "发放金额"), required=True, unit=True),
    Field("memo", ("摘要", "用途", "附言")),
    Field("status", ("状态", "处理结果", "交易状态", "处理状态")),
    Field("fail_reason", ("失败原因", "错误原因", "退票原因"), secondary=("备注",)),
    Field("date", ("处理日期", "交易日期", "入账日期", "完成日期", "代发日期")),
)

REGISTER_FIELDS: tuple[Field, ...] = (
    Field("case", ("案件编号", "案件号", "审批编号"), required=True),
    Field("name", ("姓名", "申请人", "救助对象"), required=True),
    Field("id_number", ("身份证号", "证件号码", "身份证号码"), required=True),
    Field(
        "township", ("乡镇(街道)", "乡镇", "街道", "乡镇街道", "乡镇/街道"), required=True
    ),
    Field("procedure", ("救助程序", "程序"), required=True),
    Field("approval", ("审批层级", "层级"), required=True),
    Field("approver", ("审批人", "审批单位", "审批机关"), required=True),
    Field("approved", ("审批日期",), required=True),
    Field("amount", ("救助金额", "审批金额"), required=True, unit=True),
    Field("ratio", ("支出倍数", "倍数")),
    Field("notice", ("公示日期",)),
    Field("decision", ("决议文号", "会议决议文号", "会议纪要文号")),
    Field("category", ("困难类型", "救助类别")),
    Field("applied", ("申请日期",)),
)


@dataclasses.dataclass(frozen=True)
class Column:
    """A field found in the header row: its position, its header as written, its unit."""

    index: int
    header: str
    unit: str = ""  # "", "元" or "分"


@dataclasses.dataclass(frozen=True)
class Header:
    """The header row of a table and the fields it names."""

    row: int
    position: int  # index of the header in Table.rows
    columns: dict[str, Column]

    @property
    def labels(self) -> dict[str, str]:
        """Return each field's header as written (for messages naming a column)."""
        return {key: column.header for key, column in self.columns.items()}


class Labelled:
    """A validated file that names its columns as its header wrote them (`labels`)."""

    labels: tuple[tuple[str, str], ...]  # (field, its header as written)

    def label(self, field: str, default: str) -> str:
        """Return the header of a field's column as written, else default."""
        return dict(self.labels).get(field, default)


def normalise(text: str) -> str:
    """Return a header or title key as compared: NFKC, no whitespace, `*` or end colon."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return text.strip("*").rstrip(":")


@functools.cache
def _lookup(fields: tuple[Field, ...]) -> dict[str, tuple[Field, bool]]:
    table: dict[str, tuple[Field, bool]] = {}
    for field in fields:
        for name in field.names:
            table[normalise(name)] = (field, False)
        for name in field.secondary:
            table[normalise(name)] = (field, True)
    return table


def split_unit(text: str) -> tuple[str, str]:
    """Return (name, unit) of a normalised header: `金额(分)` → (`金额`, `分`)."""
    match = _UNIT.match(text)
    if match is None:
        return text, ""
    return match.group(1), "分" if match.group(2) == "分" else "元"


def match_cell(
    cell: Cell, lookup: dict[str, tuple[Field, bool]]
) -> tuple[Field, bool, str] | None:
    """Return (field, secondary, unit) named by a header cell, or None."""
    if not isinstance(cell, str) or not cell:
        return None
    text = normalise(cell)
    found = lookup.get(text)
    if found is not None:
        return found[0], found[1], ""
    name, unit = split_unit(text)
    if unit:
        found = lookup.get(name)
        if found is not None and found[0].unit:
            return found[0], found[1], unit
    return None


def _matches(cells: Sequence[Cell], lookup: dict[str, tuple[Field, bool]]) -> set[str]:
    keys = set()
    for cell in cells:
        found = match_cell(cell, lookup)
        if found is not None:
            keys.add(found[0].key)
    return keys


def _columns(
    table: Table, row: int, cells: Sequence[Cell], fields: tuple[Field, ...], strict: bool
) -> dict[str, Column]:
    lookup = _lookup(fields)
    primary: dict[str, Column] = {}
    secondary: dict[str, Column] = {}
    for index, cell in enumerate(cells):
        found = match_cell(cell, lookup)
        if found is None:
            continue
        field, is_secondary, unit = found
        target = secondary if is_secondary else primary
        header = str(cell).strip()
        if field.key in target:
            if not strict:
                continue
            raise InputError(
                table.path,
                f"two columns give {field.label}: {target[field.key].header} and {header}",
                row,
                header,
            )
        target[field.key] = Column(index, header, unit)
    for key, column in secondary.items():
        primary.setdefault(key, column)
    return primary


def find_header(
    table: Table, fields: tuple[Field, ...], what: str, strict: bool = True
) -> Header | None:
    """Return the header row of a table, or None when no row looks like a header.

    Args:
      table: the rows read.
      fields: BANK_FIELDS or REGISTER_FIELDS.
      what: the kind of file, for messages ("a bank file").
      strict: raise for a header with a required column missing or a field named twice;
        when False (for identifying a file), return the best candidate instead.

    Raises:
      InputError: (strict) the best candidate row names at least three fields but misses
        a required one, or names a field twice.

    """
    lookup = _lookup(fields)
    required = {field.key for field in fields if field.required}
    best: tuple[int, int, set[str]] | None = None
    for position, (row, cells) in enumerate(table.rows[:HEADER_SEARCH]):
        keys = _matches(cells, lookup)
        if required <= keys:
            return Header(row, position, _columns(table, row, cells, fields, strict))
        if len(keys) >= 3 and (best is None or len(keys) > len(best[2])):
            best = (position, row, keys)
    if best is None:
        return None
    position, row, keys = best
    if not strict:
        return Header(
            row, position, _columns(table, row, table.rows[position][1], fields, False)
        )
    missing = [field for field in fields if field.required and field.key not in keys]
    raise InputError(
        table.path,
        f"{what} needs a column {missing[0].label}; the header has none",
        row,
        missing[0].names[0],
    )


#: Keys of title lines above the header, a TXT summary line and footer lines, by meaning.
#: A key may carry a unit (`总金额(分)`).
TITLE_KEYS: dict[str, str] = {
    "批次号": "batch",
    "批次": "batch",
    "批次编号": "batch",
    "代发日期": "date",
    "发放日期": "date",
    "付款账号": "payer",
    "付款账户": "payer",
    "付款人账号": "payer",
    "出款账号": "payer",
    "总笔数": "count",
    "笔数": "count",
    "合计笔数": "count",
    "总金额": "total",
    "合计金额": "total",
    "成功笔数": "paid_count",
    "成功金额": "paid_total",
    "失败笔数": "failed_count",
    "失败金额": "failed_total",
    "处理中笔数": "pending_count",
    "处理中金额": "pending_total",
    "退票笔数": "returned_count",
    "退票金额": "returned_total",
}

#: Keys that mean a total only on a footer line (`合计 笔数: 3 金额: 1350.00`).
FOOTER_KEYS: dict[str, str] = {"金额": "total"}

#: A footer line starts with one of these.
FOOTER_WORDS = ("合计", "汇总", "总计", "共计")
