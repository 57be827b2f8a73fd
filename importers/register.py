"""Read an approval register (审批台账) into validated rows (SPEC §10), and identify files.

Each row becomes a `RegisterRow`, later booked as a `custom "approval"` record. A row is
well formed when its case number is unique in the file, its procedure (小额/一般/紧急) and
approval level (乡镇/县级/联席会议) are known, its amount is positive with two decimals at
most, its ratio is a number (required for the general procedure), a conference row has a
决议文号, and its dates are dates. 审批日期 is required except on an emergency row, where an
empty one means the payment is an advance. 困难类型 maps to a category by its first
characters; any other text is `other` and is kept in `category_text` (empty for the mapped
categories). The first bad cell is raised as an `InputError`. A full ID or card number in
a free text the books copy (name, approver, 决议文号, 困难类型) is masked; in a case number,
which is kept whole and joins bank rows, it is refused (SPEC §6, `importers.pii_text`).
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from decimal import Decimal
from pathlib import Path

from importers import cells
from importers.columns import BANK_FIELDS
from importers.columns import FOOTER_WORDS
from importers.columns import HEADER_SEARCH
from importers.columns import REGISTER_FIELDS
from importers.columns import Labelled
from importers.columns import find_header
from importers.errors import InputError
from importers.pii_text import full_number
from importers.pii_text import mask_numbers
from importers.register_conflict import repeated
from importers.table import Cell
from importers.table import bulk
from importers.table import read_table

PROCEDURES: dict[str, str] = {
    **dict.fromkeys(("小额", "小额救助", "小额临时救助", "SMALL"), "small"),
    **dict.fromkeys(("一般", "一般程序", "一般救助", "GENERAL"), "general"),
    **dict.fromkeys(("紧急", "紧急程序", "紧急救助", "先行救助", "EMERGENCY"), "emergency"),
}
APPROVALS: dict[str, str] = {
    **dict.fromkeys(
        ("乡镇", "街道", "乡镇(街道)", "乡镇街道", "乡镇级", "TOWNSHIP"), "township"
    ),
    **dict.fromkeys(("县级", "区级", "县(区)级", "县区级", "县", "区", "COUNTY"), "county"),
    **dict.fromkeys(("联席会议", "县级联席会议", "局长办公会", "CONFERENCE"), "conference"),
}
#: 困难类型 by its first characters (SPEC §10); the first match wins.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("因病", "illness"),
    ("因灾", "disaster"),
    ("意外", "accident"),
    ("因意外", "accident"),
    ("因学", "education"),
    ("就学", "education"),
    ("因就学", "education"),
)


@dataclasses.dataclass(frozen=True)
class RegisterRow:
    """One approval of the register."""

    row: int
    case: str
    name: str
    id_number: str  # canonical 18 characters
    township: str  # as written: a Chinese name or an account component
    procedure: str  # "small" | "general" | "emergency"
    approval: str  # "township" | "county" | "conference"
    approver: str
    approved: datetime.date | None  # None only on an emergency row: an advance
    amount: Decimal
    ratio: Decimal | None
    notice: datetime.date | None
    decision: str
    category: str  # "illness" | "disaster" | "accident" | "education" | "other" | ""
    category_text: str  # the 困难类型 as written, for `other` only
    applied: datetime.date | None


@dataclasses.dataclass(frozen=True)
class Register(Labelled):
    """An approval register, validated."""

    path: str
    sha256: str
    rows: tuple[RegisterRow, ...]
    labels: tuple[tuple[str, str], ...] = ()  # (field, its header as written)


class _Bad(Exception):
    """A bad cell of a register row, with the column's header."""

    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def category(written: str) -> tuple[str, str]:
    """Return (category, category_text) of a 困难类型: `因病住院` → (`illness`, ``)."""
    if not written:
        return "", ""
    for prefix, key in CATEGORIES:
        if written.startswith(prefix):
            return key, ""
    return "other", written


def _choice(cell: Cell, choices: dict[str, str], what: str) -> str:
    written = cells.text(cell)
    found = choices.get(unicodedata.normalize("NFKC", written).replace(" ", "").upper())
    if found is None:
        known = "/".join(dict.fromkeys(k for k in choices if not k.isascii()))
        if not written:
            raise cells.CellError(f"{what} is empty")
        raise cells.CellError(f"unknown {what} {written!r}: expected one of {known}")
    return found


def _required(cell: Cell, what: str) -> str:
    value = cells.text(cell)
    if not value:
        raise cells.CellError(f"{what} is empty")
    return value


def _row(row: int, cell: dict[str, Cell], label: dict[str, str], fen: bool) -> RegisterRow:
    """Return one register row from its cells by field.

    Raises:
      _Bad: the first bad cell, with its column's header.

    """
    column = label["case"]
    try:
        case = _required(cell["case"], "case number")
        if (exposed := full_number(case)) is not None:  # a case is kept whole: refused
            raise cells.CellError(
                f"case number {mask_numbers(case)} holds a full {exposed}, which the books "
                "never hold (SPEC §6); number the case without it"
            )
        column = label["name"]
        name = _required(cell["name"], "name")
        column = label["id_number"]
        id_number = cells.id_number(cell["id_number"])
        column = label["township"]
        township = _required(cell["township"], "township")
        column = label["procedure"]
        procedure = _choice(cell["procedure"], PROCEDURES, "procedure")
        column = label["approval"]
        approval = _choice(cell["approval"], APPROVALS, "approval level")
        column = label["approved"]
        approved = cells.date(cell["approved"])
        if approved is None and procedure != "emergency":
            raise cells.CellError(
                "approval date is empty (only an emergency advance may lack one)"
            )
        column = label["approver"]
        approver = cells.text(cell["approver"])
        if not approver and approved is not None:
            raise cells.CellError("approver is empty")
        column = label["amount"]
        amount = cells.amount(cell["amount"], fen)
        column = label.get("ratio", "支出倍数")
        ratio = cells.ratio(cell.get("ratio", ""))
        if ratio is None and procedure == "general":
            raise cells.CellError("a general-procedure row needs its ratio (支出倍数)")
        column = label.get("notice", "公示日期")
        notice = cells.date(cell.get("notice", ""))
        column = label.get("decision", "决议文号")
        decision = cells.text(cell.get("decision", ""))
        if not decision and approval == "conference":
            raise cells.CellError("a joint-conference approval needs its 决议文号")
        column = label.get("applied", "申请日期")
        applied = cells.date(cell.get("applied", ""))
    except cells.CellError as exc:
        raise _Bad(str(exc), column) from None
    own = (id_number,)  # the row's own ID, however written, is masked too
    if mask_numbers(case, own) != case:
        raise _Bad(
            "case number holds the row's ID number, which the books never hold (SPEC §6); "
            "number the case without it",
            label["case"],
        )
    kind, kind_text = category(mask_numbers(cells.text(cell.get("category", "")), own))
    return RegisterRow(
        row=row,
        case=case,
        name=mask_numbers(name, own),  # free texts the books copy (SPEC §6)
        id_number=id_number,
        township=township,
        procedure=procedure,
        approval=approval,
        approver=mask_numbers(approver, own),
        approved=approved,
        amount=amount,
        ratio=ratio,
        notice=notice,
        decision=mask_numbers(decision, own),
        category=kind,
        category_text=kind_text,
        applied=applied,
    )


def read_register(path: str | Path) -> Register:
    """Return an approval register, every row validated.

    Raises:
      InputError: unreadable or empty file, no header, a missing or doubled column, a bad
        cell, a row not well formed, or a case number used twice.

    """
    with bulk():
        return _read(path)


def _read(path: str | Path) -> Register:
    table = read_table(path)
    header = find_header(table, REGISTER_FIELDS, "an approval register")
    if header is None:
        raise InputError(
            table.path,
            "no header row found: an approval register needs the columns 案件编号, 姓名, "
            "身份证号, 乡镇(街道), 救助程序, 审批层级, 审批人, 审批日期 and 救助金额",
        )
    at = {key: column.index for key, column in header.columns.items()}
    label = header.labels
    fen = header.columns["amount"].unit == "分"
    seen: dict[str, int] = {}  # case → its position in rows
    rows: list[RegisterRow] = []
    for row, values in table.rows[header.position + 1 :]:
        first = next((c for c in values if c != ""), "")
        if isinstance(first, str) and first.strip().startswith(FOOTER_WORDS):
            break  # a 合计 line ends the register
        cell = {key: values[i] if i < len(values) else "" for key, i in at.items()}
        if not any(cells.text(cell[key]) for key in ("name", "id_number", "amount")):
            continue  # a note line: no person and no amount
        try:
            parsed = _row(row, cell, label, fen)
        except _Bad as exc:
            raise InputError(table.path, exc.message, row, exc.column) from None
        if parsed.case in seen:
            raise InputError(
                table.path,
                repeated(rows[seen[parsed.case]], parsed, label),
                row,
                label["case"],
            )
        seen[parsed.case] = len(rows)
        rows.append(parsed)
    if not rows:
        raise InputError(table.path, "the register has a header but no rows", header.row)
    return Register(
        path=table.path, sha256=table.sha256, rows=tuple(rows), labels=tuple(label.items())
    )


def identify(path: str | Path) -> str | None:
    """Return what a file is by its header: "register", "request", "result" or None."""
    try:
        table = read_table(path, limit=HEADER_SEARCH)
    except InputError:
        return None
    register = find_header(table, REGISTER_FIELDS, "", strict=False)
    if register is not None and {"case", "procedure", "approval"} & register.columns.keys():
        return "register"  # a bank file's 姓名 and 身份证号 alone do not make a register
    header = find_header(table, BANK_FIELDS, "", strict=False)
    if header is None:
        return None
    return "result" if "status" in header.columns else "request"
