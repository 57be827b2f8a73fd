"""SPEC §5 fidelity: the audit date bounds Beancount's errors; one finding per (code, entry)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ledgers import PRELUDE

from cli.trust import with_trust
from ledger import signing
from ledger.audit import audit
from ledger.books import Books
from ledger.findings import Finding
from ledger.findings import unique

Load = Callable[..., Books]

LATE_BALANCE = PRELUDE + "2019-02-01 balance Assets:Treasury:Yingze  5.00 CNY\n"


def _codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# BEANCOUNT and the audit date ------------------------------------------------------------


def test_beancount_error_after_the_audit_date_is_left_out(books_from: Load) -> None:
    assert _codes(audit(books_from(LATE_BALANCE, "2018-06-30"), []), "BEANCOUNT") == []


def test_beancount_error_on_or_before_the_audit_date_is_kept(books_from: Load) -> None:
    [found] = _codes(audit(books_from(LATE_BALANCE, "2019-02-01"), []), "BEANCOUNT")
    assert (found.date, found.line) == ("2019-02-01", PRELUDE.count("\n") + 1)
    assert found.message.startswith("BEANCOUNT Balance failed for 'Assets:Treasury:Yingze'")


# unique ----------------------------------------------------------------------------------

OVERDRAW_BOTH = PRELUDE + """
2018-03-01 * "x" "overdraw both"
  Assets:Reserve:Yingze:Liuxiang  -10.00 CNY
  Assets:Cash:Yingze:Liuxiang  -5.00 CNY
  Expenses:Relief:Yingze:Liuxiang:Small  15.00 CNY
"""
LINE = PRELUDE.count("\n") + 2


def test_overdrawn_twice_at_one_transaction_is_one_finding(books_from: Load) -> None:
    [found] = _codes(audit(books_from(OVERDRAW_BOTH, "2018-12-31"), ["reserve"]), "RESERVE-OVERDRAWN")
    assert (found.line, found.date, found.key, found.amount) == (
        LINE, "2018-03-01", "Assets:Reserve:Yingze:Liuxiang", Decimal("-10.00")
    )
    assert found.message == (
        "RESERVE-OVERDRAWN 柳巷街道 Assets:Reserve:Yingze:Liuxiang: balance -10.00 CNY at the "
        "end of 2018-03-01, below zero; 柳巷街道 Assets:Cash:Yingze:Liuxiang: balance -5.00 CNY "
        "at the end of 2018-03-01, below zero"
    )


def _explained(code: str, subject: str) -> str:
    return f'2018-07-01 custom "explained" "{code}" "{subject}"\n  reason: "r"\n  by: "b"\n'


def test_merged_finding_is_explained_only_when_both_facts_are(books_from: Load) -> None:
    one = OVERDRAW_BOTH + _explained("RESERVE-OVERDRAWN", "Assets:Reserve:Yingze:Liuxiang")
    [found] = _codes(audit(books_from(one, "2018-12-31"), ["reserve"]), "RESERVE-OVERDRAWN")
    assert not found.explained
    both = one + _explained("RESERVE-OVERDRAWN", "Assets:Cash:Yingze:Liuxiang")
    [found] = _codes(audit(books_from(both, "2018-12-31"), ["reserve"]), "RESERVE-OVERDRAWN")
    assert found.explained


TWO_CASES = PRELUDE + """
2018-03-05 * "x" "request"
  batch: "B001"
  Assets:InTransit:Yingze:Liuxiang  100.00 CNY
    case: "YZ-1"
  Assets:InTransit:Yingze:Liuxiang  200.00 CNY
    case: "YZ-2"
  Assets:Reserve:Yingze:Liuxiang
"""


def test_transit_overdue_of_two_cases_at_one_request_is_one_finding(books_from: Load) -> None:
    [found] = _codes(audit(books_from(TWO_CASES, "2018-12-31"), ["transit"]), "TRANSIT-OVERDUE")
    assert (found.line, found.case, found.amount) == (LINE, "YZ-1", Decimal("100.00"))
    assert found.message == (
        "TRANSIT-OVERDUE 柳巷街道 case YZ-1: 100.00 CNY of batch B001 in "
        "Assets:InTransit:Yingze:Liuxiang since 2018-03-05, 301 days on 2018-12-31 "
        "(transit-deadline 15 days, policy of 2015-06-01); 柳巷街道 case YZ-2: 200.00 CNY of "
        "batch B001 in Assets:InTransit:Yingze:Liuxiang since 2018-03-05, 301 days on "
        "2018-12-31 (transit-deadline 15 days, policy of 2015-06-01)"
    )


def test_unique_keeps_year_level_findings_per_township_year() -> None:
    opened = object()
    first = Finding("RESERVE-IDLE", "RESERVE-IDLE 柳巷街道 2017: a", entry=opened, key="R 2017")
    second = Finding("RESERVE-IDLE", "RESERVE-IDLE 柳巷街道 2018: b", entry=opened, key="R 2018")
    again = Finding("RESERVE-IDLE", "RESERVE-IDLE 柳巷街道 2018: b", entry=opened, key="R 2018")
    assert unique([first, second, again]) == [first, second]


def test_unique_keeps_findings_without_an_entry_and_other_codes() -> None:
    entry = object()
    found = [
        Finding("BANK-UNMATCHED", "BANK-UNMATCHED a"),
        Finding("BANK-UNMATCHED", "BANK-UNMATCHED b"),
        Finding("RESERVE-MISUSE", "RESERVE-MISUSE x: y", entry=entry),
        Finding("RESERVE-OVERDRAWN", "RESERVE-OVERDRAWN x: y", entry=entry),
    ]
    assert unique(found) == found


# SEAL-BROKEN under --trust -----------------------------------------------------------------

BAD_SEAL = PRELUDE + f'2018-12-31 custom "seal" "v1:{"0" * 64}"\n'


def test_trust_merges_with_the_hash_finding_of_the_same_seal(
    books_from: Load, tmp_path: Path
) -> None:
    books = books_from(BAD_SEAL, "2019-01-01")
    key = tmp_path / "trusted.pub.pem"
    key.write_bytes(signing.public_pem(signing.generate().public_key()))
    [found] = _codes(with_trust(books, str(key), audit(books, ["seal"])), "SEAL-BROKEN")
    assert found.line == LINE - 1
    hashed, _, unsigned = found.message.partition("; ")
    assert hashed.startswith("SEAL-BROKEN seal of 2018-12-31: the ")
    assert hashed.endswith("not v1:000000000000… (an entry was edited, added or deleted)")
    assert unsigned.startswith("it has no signature (sig:), and the trusted key is ed25519:")
