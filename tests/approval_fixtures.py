"""Entries and assertions shared by the approval-check tests (ledger.checks.approval)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ledgers import PRELUDE

from ledger.books import Books
from ledger.checks import approval
from ledger.checks import cases
from ledger.findings import Finding

Load = Callable[..., Books]
R1 = "r-1a2b3c4d5e6f7081"
D = datetime.date


def txn(
    date: str,
    number: str,
    account: str = "Expenses:Relief:Yingze:Liuxiang:Small",
    source: str = "Assets:Treasury:Yingze",
    head: str = "",
    **meta: object,
) -> str:
    """Return a transaction; meta values: str quoted, dates and Decimals bare, None left out."""
    lines = [f'{date} * "周建国" "临时救助"{head}']
    for key, value in meta.items():
        if value is None:
            continue
        shown = f'"{value}"' if isinstance(value, str) else str(value)
        lines.append(f"  {key.replace('_', '-')}: {shown}")
    lines += [f"  {account}  {number} CNY", f"  {source}", ""]
    return "\n".join(lines) + "\n"


def small(date: str, number: str, case: str = "YZ-001", **meta: object) -> str:
    fields: dict[str, Any] = {
        "case": case,
        "recipient": R1,
        "approval": "township",
        "approver": "柳巷街道办事处",
        "approved": D.fromisoformat(date),
    }
    fields.update(meta)
    return txn(date, number, **fields)


def general(date: str, number: str, ratio: str, case: str = "YZ-G-1", **meta: object) -> str:
    fields: dict[str, Any] = {
        "case": case,
        "recipient": R1,
        "approval": "county",
        "approver": "迎泽区民政局",
        "approved": D.fromisoformat(date),
        "ratio": Decimal(ratio),
        "notice": D.fromisoformat(date) - datetime.timedelta(days=10),
    }
    fields.update(meta)
    return txn(date, number, "Expenses:Relief:Yingze:Liuxiang:General", **fields)


def advance(date: str, number: str, case: str = "YZ-A-1", county: str = "Yingze",
            township: str = "Liuxiang", **meta: object) -> str:
    fields: dict[str, Any] = {"case": case, "recipient": R1}
    fields.update(meta)
    return txn(
        date, number, f"Assets:Advances:{county}:{township}", f"Assets:Treasury:{county}",
        f" ^{cases.advance_link(case)}", **fields,
    )


def settle(date: str, number: str, case: str = "YZ-A-1", level: str = "township",
           county: str = "Yingze", township: str = "Liuxiang", link: str | None = None,
           **meta: object) -> str:
    fields: dict[str, Any] = {
        "case": case, "recipient": R1, "approval": level, "approver": "审批人",
        "approved": D.fromisoformat(date),
    }
    fields.update(meta)
    return txn(
        date, number, f"Expenses:Relief:{county}:{township}:Emergency",
        f"Assets:Advances:{county}:{township}", f" ^{link or cases.advance_link(case)}",
        **fields,
    )


def run(books_from: Load, text: str, as_of: str = "2026-01-01") -> list[Finding]:
    return approval.check(books_from(PRELUDE + text, as_of))


def assert_one(found: list[Finding], code: str, case: str, amount: str,
               township: str = "Liuxiang") -> Finding:
    assert [f.code for f in found] == [code], [f.message for f in found]
    f = found[0]
    names = {"Liuxiang": "柳巷街道", "Qiaodong": "桥东街道", "Xinghua": "兴华街道"}
    assert (f.case, f.amount, f.township, f.township_name) == (
        case, Decimal(amount), township, names[township]
    )
    assert f.message.startswith(f"{code} {names[township]} case {case}: ")
    assert f.file.endswith("main.beancount") and f.line > 0 and f.currency == "CNY"
    return f
