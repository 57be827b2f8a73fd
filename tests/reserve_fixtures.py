"""Ledger snippets shared by the reserve-check tests: allocations, payments, codes."""

from __future__ import annotations

from collections.abc import Callable

from ledger.books import Books
from ledger.findings import Finding

Load = Callable[..., Books]
LIUXIANG = "Assets:Reserve:Yingze:Liuxiang"


def allocate(date: str, number: str, township: str = "Liuxiang", period: str = "") -> str:
    period_line = f'  period: "{period}"\n' if period else ""
    return f"""
{date} * "迎泽区民政局" "备用金拨付" #allocation
{period_line}  Assets:Reserve:Yingze:{township}  {number} CNY
  Assets:Treasury:Yingze
"""


def pay(date: str, number: str, to: str, source: str = LIUXIANG, case: str = "YZ-1") -> str:
    return f"""
{date} * "周建国" "救助"
  case: "{case}"
  {to}  {number} CNY
  {source}
"""


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]
