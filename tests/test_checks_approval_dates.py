"""PAID-BEFORE-APPROVAL and NOTICE-MISSING: the dates of payment, approval and notice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from approval_fixtures import D
from approval_fixtures import Load
from approval_fixtures import advance
from approval_fixtures import assert_one
from approval_fixtures import general
from approval_fixtures import run
from approval_fixtures import settle
from approval_fixtures import small
from approval_fixtures import txn
from ledgers import PRELUDE

from ledger.checks import approval
from ledger.checks import approval_case

# PAID-BEFORE-APPROVAL


def test_paid_the_day_before_approval(books_from: Load) -> None:
    text = small("2018-03-05", "450.00", approved=D(2018, 3, 6))
    f = assert_one(run(books_from, text), "PAID-BEFORE-APPROVAL", "YZ-001", "450.00")
    assert "1 day(s) before its approval of 2018-03-06" in f.message
    assert run(books_from, small("2018-03-05", "450.00", approved=D(2018, 3, 5))) == []


def request(date: str, case: str = "YZ-001") -> str:
    return txn(date, "450.00", "Assets:InTransit:Yingze:Liuxiang", case=case, batch="B1")


def test_bank_round_trip_dates_by_the_request(books_from: Load) -> None:
    paid = small("2018-03-10", "450.00", approved=D(2018, 3, 5), batch="B1")
    paid = paid.replace("Assets:Treasury:Yingze", "Assets:InTransit:Yingze:Liuxiang")
    f = assert_one(run(books_from, request("2018-03-01") + paid),
                   "PAID-BEFORE-APPROVAL", "YZ-001", "450.00")
    assert "sent to the bank on 2018-03-01" in f.message
    assert run(books_from, request("2018-03-05") + paid) == []


def test_payment_cleared_from_suspense_dates_by_the_bank_row(books_from: Load) -> None:
    row: dict[str, Any] = {"batch": "B2", "bank_row": Decimal(4)}
    into = txn("2018-03-01", "450.00", "Assets:Suspense:Yingze:Liuxiang", **row)
    cleared = small("2018-03-10", "450.00", approved=D(2018, 3, 8), **row).replace(
        "Assets:Treasury:Yingze", "Assets:Suspense:Yingze:Liuxiang")
    assert_one(run(books_from, into + cleared), "PAID-BEFORE-APPROVAL", "YZ-001", "450.00")
    assert run(books_from, cleared) == []


def test_an_earlier_row_of_the_batch_for_another_case_does_not_date_the_payment(
    books_from: Load,
) -> None:
    # The batch left before the approval (the short cut cannot vouch), its own row did not.
    paid = small("2018-03-10", "450.00", approved=D(2018, 3, 5), batch="B1")
    paid = paid.replace("Assets:Treasury:Yingze", "Assets:InTransit:Yingze:Liuxiang")
    assert run(books_from, request("2018-03-01", case="YZ-002") + request("2018-03-05") + paid) == []
    f = assert_one(run(books_from, request("2018-03-02") + request("2018-03-06", "YZ-002") + paid),
                   "PAID-BEFORE-APPROVAL", "YZ-001", "450.00")
    assert "sent to the bank on 2018-03-02" in f.message


def test_case_rules_are_asked_at_every_cases_last_relief_payment(books_from: Load) -> None:
    """The approval loop asks the case rules as it meets a case's last relief payment.

    `approval_case.check` asks them of every case of the case view directly: both must find
    the same, whatever the last payment is (vouched or not, a settlement, after a reversal).
    """
    reversed_first = small("2018-03-05", "650.00", case="YZ-003") + txn(
        "2018-03-06", "-650.00", head=" #reversal", reverses="2018-03-05 YZ-003"
    ) + small("2018-03-06", "600.00", case="YZ-003")
    text = (
        small("2018-03-05", "300.00", instalment="1/2")  # Not vouched: an instalment.
        + small("2018-04-05", "300.00", instalment="2/2")
        + small("2018-03-05", "650.00", case="YZ-002")
        + reversed_first
        + advance("2018-03-01", "2000.00")
        + settle("2018-03-20", "2000.00", level="county", ratio=Decimal("2.5"))
        + general("2018-03-10", "2000.00", "2.5", notice=D(2018, 3, 1))
    )
    books = books_from(PRELUDE + text)
    codes = {"OVER-AUTHORITY", "TIER-MISMATCH", "PAID-OVER-APPROVED"}
    found = [f for f in approval.check(books) if f.code in codes]
    assert sorted((f.code, f.case, f.date) for f in found) == [
        ("OVER-AUTHORITY", "YZ-001", "2018-04-05"),
        ("OVER-AUTHORITY", "YZ-002", "2018-03-05"),
        ("OVER-AUTHORITY", "YZ-003", "2018-03-06"),
        ("TIER-MISMATCH", "YZ-A-1", "2018-03-20"),
        ("TIER-MISMATCH", "YZ-G-1", "2018-03-10"),
    ]
    assert sorted(map(repr, found)) == sorted(map(repr, approval_case.check(books)))


# NOTICE-MISSING


def test_general_relief_without_notice(books_from: Load) -> None:
    f = assert_one(run(books_from, general("2018-03-05", "2000.00", "1.5", notice=None)),
                   "NOTICE-MISSING", "YZ-G-1", "2000.00")
    assert "lacks notice" in f.message


def test_notice_days_boundary(books_from: Load) -> None:
    short = general("2018-03-07", "2000.00", "1.5", notice=D(2018, 3, 1))
    f = assert_one(run(books_from, short), "NOTICE-MISSING", "YZ-G-1", "2000.00")
    assert "6 day(s) after the notice of 2018-03-01, fewer than the 7 notice days" in f.message
    assert run(books_from, general("2018-03-08", "2000.00", "1.5", notice=D(2018, 3, 1))) == []
