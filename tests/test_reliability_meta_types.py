"""No check crashes on metadata of an unexpected type (SPEC §5: an ill-typed input is a gap).

Every key a check reads is set, one at a time, to values of each type Beancount can parse
(an amount, a boolean, a number, a date, an account-like text) on each kind of entry the checks
look at; every family must run and return findings, never raise. Beancount's `Amount` raises
when compared with `==` (or `in` a tuple) to anything but an amount, so a check comparing a
value with a text must look at its type first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ledgers import PRELUDE

from cli.main import main as cli_main
from ledger import audit
from ledger import checks
from ledger.books import Books
from ledger.checks import FAMILIES

Load = Callable[..., Books]

KEYS = (
    "case", "recipient", "approval", "approver", "approved", "ratio", "decision", "notice",
    "id-masked", "card-masked", "card", "category", "applied", "instalment", "agent",
    "voucher", "batch", "bank-row", "bank-status", "fail-reason", "holder", "source-sha256",
    "reverses", "period", "township", "procedure", "reason", "by",
)
VALUES = ("1.50 CNY", "TRUE", "7", "2016-02-03")
BASE = {
    "case": '"YZ-1"',
    "recipient": '"r-00000000000000ab"',
    "approval": '"township"',
    "approver": '"a"',
    "approved": "2016-02-01",
    "source-sha256": '"ab"',
    "batch": '"B1"',
    "bank-status": '"paid"',
    "bank-row": "1",
    "card": '"c-00000000000000cd"',
    "holder": '"李四"',
}
RESERVE = "Assets:Reserve:Yingze:Liuxiang"
TEMPLATES: dict[str, str] = {
    "expense": '2016-02-10 * "张三" "y"\n{m}\n  Expenses:Relief:Yingze:Liuxiang:Small  100.00 CNY\n'
    f"  {RESERVE}\n",
    "general": '2016-02-10 * "张三" "y"\n{m}\n'
    f"  Expenses:Relief:Yingze:Liuxiang:General  100.00 CNY\n  {RESERVE}\n",
    "advance": '2016-02-10 * "张三" "y" ^adv-YZ-1\n{m}\n'
    f"  Assets:Advances:Yingze:Liuxiang  100.00 CNY\n  {RESERVE}\n",
    "settlement": '2016-02-10 * "张三" "y" ^adv-YZ-1\n{m}\n'
    f"  Assets:Advances:Yingze:Liuxiang  100.00 CNY\n  {RESERVE}\n"
    '2016-02-20 * "张三" "settle" ^adv-YZ-1\n{m}\n'
    "  Expenses:Relief:Yingze:Liuxiang:Emergency  100.00 CNY\n"
    "  Assets:Advances:Yingze:Liuxiang\n",
    "request": '2016-02-10 * "张三" "y"\n{m}\n'
    f"  Assets:InTransit:Yingze:Liuxiang  100.00 CNY\n  {RESERVE}\n",
    "returned": '2016-02-10 * "张三" "y"\n{m}\n  Expenses:Relief:Yingze:Liuxiang:Small  100.00 CNY\n'
    f"  {RESERVE}\n"
    '2016-02-15 * "张三" "returned"\n{m}\n'
    f"  {RESERVE}  100.00 CNY\n  Expenses:Relief:Yingze:Liuxiang:Small\n",
    "reversal": '2016-02-10 * "张三" "y"\n{m}\n  Expenses:Relief:Yingze:Liuxiang:Small  100.00 CNY\n'
    f"  {RESERVE}\n"
    '2016-02-11 * "张三" "y" #reversal\n{m}\n  reverses: "2016-02-10 YZ-1"\n'
    f"  Expenses:Relief:Yingze:Liuxiang:Small  -100.00 CNY\n  {RESERVE}\n",
    "record": '2016-02-01 custom "approval" "YZ-1" 100.00 CNY\n{m}\n',
    "payout-failed": '2016-02-01 custom "payout-failed" "YZ-1" 100.00 CNY\n{m}\n',
    "explained": '2016-02-05 custom "explained" "APPROVAL-MISSING" "YZ-1"\n{m}\n',
    "allocation": '2016-01-01 * "拨付" #allocation\n{m}\n'
    f"  Assets:Treasury:Yingze  -40000.00 CNY\n  {RESERVE}\n",
}


def _ledger(template: str, key: str, value: str) -> str:
    meta = dict(BASE, township='"Liuxiang"', procedure='"small"', reason='"r"', by='"b"')
    if template == "general":
        meta.update(approval='"county"', ratio="1.5", notice="2016-01-20")
    meta[key] = value
    text = TEMPLATES[template]
    if key == "reverses":  # The reversal's own `reverses` gives way to the value tried.
        text = text.replace('  reverses: "2016-02-10 YZ-1"\n', "")
    lines = "\n".join(f"  {k}: {v}" for k, v in meta.items())
    return PRELUDE + text.replace("{m}", lines)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("value", VALUES)
def test_no_family_raises_on_an_ill_typed_value(
    books_from: Load, template: str, value: str
) -> None:
    for key in KEYS:
        books = books_from(_ledger(template, key, value), "2016-12-31")
        found = audit.audit(books, list(FAMILIES))  # Raises if a family does.
        assert all(f.code for f in found), (template, key, value)


def test_an_amount_as_the_approval_level_is_approval_missing(books_from: Load) -> None:
    books = books_from(_ledger("expense", "approval", "500.00 CNY"), "2016-12-31")
    found = [f for f in audit.audit(books, ["approval"]) if f.code == "APPROVAL-MISSING"]
    assert len(found) == 1 and "approval 500.00 CNY is not township" in found[0].message
    assert found[0].date == datetime.date(2016, 2, 10).isoformat()


def test_a_family_that_raises_stops_the_audit_with_a_message(
    books_from: Load, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(books: Books) -> list[Any]:
        raise AttributeError("'str' object has no attribute 'number'")

    real = checks.family_check
    monkeypatch.setattr(
        checks, "family_check", lambda family: broken if family == "payments" else real(family)
    )
    main = tmp_path / "main.beancount"
    main.write_text(_ledger("expense", "case", '"YZ-1"'), encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["audit", str(main), "--as-of", "2016-12-31"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "the payments checks failed on these books (AttributeError" in result.output
