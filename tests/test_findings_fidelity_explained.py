"""SPEC §3 fidelity: `explained` names a finding's case or the account it is about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from ledgers import PRELUDE

from cli.main import main as cli_main
from ledger.audit import audit
from ledger.books import Books
from ledger.checks import advances
from ledger.checks import payments
from ledger.checks import transit
from ledger.findings import Finding

Load = Callable[..., Books]

RESERVE = "Assets:Reserve:Yingze:Liuxiang"
TRANSIT = "Assets:InTransit:Yingze:Liuxiang"
ADVANCES = "Assets:Advances:Yingze:Liuxiang"

MISUSE = PRELUDE + f"""
2018-03-05 * "x" "misuse"
  {RESERVE}  -100.00 CNY
  Equity:Opening-Balances  100.00 CNY
"""
IN_TRANSIT = PRELUDE + f"""
2018-03-06 * "x" "request"
  batch: "B002"
  {TRANSIT}  100.00 CNY
  {RESERVE}
"""


def _explained(code: str, subject: str) -> str:
    return f'2018-07-01 custom "explained" "{code}" "{subject}"\n  reason: "r"\n  by: "b"\n'


def _one(books: Books, family: str, code: str) -> Finding:
    [found] = [f for f in audit(books, [family]) if f.code == code]
    return found


@pytest.mark.parametrize(
    ("text", "family", "code", "account", "other"),
    [
        (MISUSE, "reserve", "RESERVE-MISUSE", RESERVE, "Assets:Reserve:Yingze:Qiaodong"),
        (IN_TRANSIT, "transit", "TRANSIT-OVERDUE", TRANSIT, "Assets:InTransit:Yingze:Qiaodong"),
    ],
)
def test_caseless_finding_is_explained_by_its_account(
    books_from: Load, text: str, family: str, code: str, account: str, other: str
) -> None:
    found = _one(books_from(text, "2018-12-31"), family, code)
    assert (found.case, found.key, found.explained) == ("", account, False)
    found = _one(books_from(text + _explained(code, account), "2018-12-31"), family, code)
    assert found.explained
    found = _one(books_from(text + _explained(code, other), "2018-12-31"), family, code)
    assert not found.explained


def test_finding_with_a_case_is_explained_by_case_or_account(books_from: Load) -> None:
    text = IN_TRANSIT.replace('batch: "B002"', 'batch: "B002"\n  case: "YZ-7"')
    code = "TRANSIT-OVERDUE"
    assert not _one(books_from(text, "2018-12-31"), "transit", code).explained
    for subject in ("YZ-7", TRANSIT):
        found = _one(books_from(text + _explained(code, subject), "2018-12-31"), "transit", code)
        assert (found.case, found.explained) == ("YZ-7", True)


def test_reissue_overdue_key_is_the_in_transit_account(books_from: Load) -> None:
    text = IN_TRANSIT + f"""
2018-03-08 * "x" "failed"
  batch: "B002"
  bank-status: "failed"
  {RESERVE}  100.00 CNY
  {TRANSIT}
"""
    [found] = [f for f in transit.check(books_from(text, "2018-12-31")) if f.code == "REISSUE-OVERDUE"]
    assert (found.case, found.key, found.date) == ("", TRANSIT, "2018-03-08")


def test_advance_unlinked_key_is_the_advances_account(books_from: Load) -> None:
    text = PRELUDE + f"""
2018-03-05 * "x" "advance without a link"
  {ADVANCES}  200.00 CNY
  {RESERVE}
"""
    [found] = advances.unlinked(books_from(text, "2018-12-31"))
    assert (found.code, found.case, found.key) == ("ADVANCE-UNLINKED", "", ADVANCES)


def test_payee_mismatch_key_is_the_paying_account(books_from: Load) -> None:
    text = PRELUDE + f"""
2018-03-05 * "周建国" "代发"
  source-sha256: "{"a" * 64}"
  holder: "李四"
  Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY
  {RESERVE}  -450.00 CNY
"""
    [found] = payments.payee_mismatches(books_from(text, "2018-12-31"))
    assert (found.code, found.case, found.key, found.line) == (
        "PAYEE-MISMATCH", "", RESERVE, PRELUDE.count("\n") + 2
    )


def test_an_explanation_without_reason_or_by_explains_nothing(
    books_from: Load, tmp_path: Path
) -> None:
    unsigned = f'2018-07-01 custom "explained" "RESERVE-MISUSE" "{RESERVE}"\n  reason: "r"\n'
    found = _one(books_from(MISUSE + unsigned, "2018-12-31"), "reserve", "RESERVE-MISUSE")
    assert not found.explained
    main = tmp_path / "main.beancount"
    main.write_text(MISUSE + unsigned, encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["audit", str(main), "--as-of", "2018-12-31"])
    assert result.exit_code == 1
    assert 'this custom "explained" explains nothing: it needs both reason: and by:' in (
        result.output
    )
    assert f"main.beancount:{MISUSE.count(chr(10)) + 1}: this custom" in result.output
    json_out = CliRunner().invoke(
        cli_main, ["audit", str(main), "--as-of", "2018-12-31", "--format", "json"]
    )
    assert json_out.output.lstrip().startswith("[")  # JSON stays the list alone
