"""A case number recorded twice: the same approval again, or a different one (bad input).

Approval records are known by (county, case) (SPEC §3). A register row whose case is already
recorded — in the books, or by a register earlier in the same command — is skipped when it
says what the record says (a re-import); when any field differs it is bad input: exit 2,
nothing written, the message naming both places and the first field that differs. Within
one register a case is listed once (`repeated`). A field the books' record lacks (books
kept by hand may omit keys) is not compared.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from importers.drafts import Approval
from ledger import recipients

if TYPE_CHECKING:
    from importers.register import Register
    from importers.register import RegisterRow

#: The fields compared, in the order checked, with their usual headers.
FIELDS: tuple[tuple[str, str], ...] = (
    ("township", "乡镇(街道)"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("procedure", "救助程序"),
    ("approval", "审批层级"),
    ("approver", "审批人"),
    ("approved", "审批日期"),
    ("amount", "救助金额"),
    ("ratio", "支出倍数"),
    ("notice", "公示日期"),
    ("decision", "决议文号"),
    ("category", "困难类型"),
    ("applied", "申请日期"),
)

#: A field's value compared, and as shown (an ID by its masked form).
Field = tuple[Any, str]


def _field(value: Any, shown: str | None = None) -> Field:
    if isinstance(value, str):
        value = value.strip()
    if value == "":
        value = None
    if shown is None:
        if value is None:
            shown = "(empty)"
        elif isinstance(value, datetime.date):
            shown = value.isoformat()
        else:
            shown = str(value)
    return value, shown


def row_fields(row: RegisterRow) -> dict[str, Field]:
    """Return a register row's fields as compared."""
    return {
        "township": _field(row.township),
        "name": _field(row.name),
        "id_number": _field(row.id_number, recipients.mask(row.id_number)),
        "procedure": _field(row.procedure),
        "approval": _field(row.approval),
        "approver": _field(row.approver),
        "approved": _field(row.approved),
        "amount": _field(row.amount),
        "ratio": _field(row.ratio),
        "notice": _field(row.notice),
        "decision": _field(row.decision),
        "category": _field(row.category_text or row.category),
        "applied": _field(row.applied),
    }


def approval_fields(approval: Approval) -> dict[str, Field]:
    """Return an approval record's fields as compared (its ID by its keyed hash)."""
    keys = dict(approval.keys)
    shown_id = approval.id_masked or approval.recipient
    return {
        "township": _field(approval.township),
        "name": _field(approval.name),
        "id_number": _field(approval.recipient, shown_id or None),
        "procedure": _field(approval.procedure),
        "approval": _field(keys.get("approval")),
        "approver": _field(keys.get("approver")),
        "approved": _field(approval.approved),
        "amount": _field(approval.amount),
        "ratio": _field(keys.get("ratio")),
        "notice": _field(keys.get("notice")),
        "decision": _field(keys.get("decision")),
        "category": _field(keys.get("category")),
        "applied": _field(keys.get("applied")),
    }


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal | int) and isinstance(new, Decimal | int):
        return Decimal(old) == Decimal(new)
    return bool(old == new)


def difference(
    old: dict[str, Field], new: dict[str, Field], lenient: bool = False
) -> str | None:
    """Return the first field whose values differ (lenient: one old lacks is no difference)."""
    for field, _ in FIELDS:
        before, now = old[field][0], new[field][0]
        if lenient and before is None:
            continue
        if not _same(before, now):
            return field
    return None


def _label(labels: dict[str, str], field: str) -> str:
    return labels.get(field) or dict(FIELDS)[field]


def repeated(first: RegisterRow, again: RegisterRow, labels: dict[str, str]) -> str:
    """Return the message for a case listed twice in one register."""
    old, new = row_fields(first), row_fields(again)
    field = difference(old, new)
    if field is None:
        what = "the same approval written twice"
    else:
        label = _label(labels, field)
        what = f"{label} {old[field][1]} there, {new[field][1]} here"
    return (
        f"case {again.case} is already on row {first.row} ({what}); a register lists "
        "each case once"
    )


def conflict(
    existing: Approval, new: Approval, register: Register
) -> tuple[str, str] | None:
    """Return (message, column) when a row recorded already differs from its record.

    None when it says what the record says: the row is then skipped as a re-import.
    """
    old, fields = approval_fields(existing), approval_fields(new)
    field = difference(old, fields, lenient=existing.recorded)
    if field is None:
        return None
    label = register.label(field, dict(FIELDS)[field])
    if existing.recorded:
        where = f"in the books ({existing.where or 'an approval record'})"
    else:
        where = f"by {existing.where} of this import"
    return (
        f"case {new.case} of {new.county} is already recorded {where} with {label} "
        f"{old[field][1]}; this row says {fields[field][1]}. A case is approved once: "
        "correct the register (or the books), or give a new approval its own case number",
        label,
    )

