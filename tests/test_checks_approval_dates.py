"""PAID-BEFORE-APPROVAL and NOTICE-MISSING: the dates of payment, approval and notice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from approval_fixtures import D
from approval_fixtures import Load
from approval_fixtures import assert_one
from approval_fixtures import general
from approval_fixtures import run
from approval_fixtures import small
from approval_fixtures import txn
from ledgers import PRELUDE

from ledger.checks import approval

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


def test_findings_do_not_depend_on_the_rounds(
    books_from: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "".join(
        small(f"2018-03-{day:02d}", amount, case=f"YZ-{day:03d}", approved=D(2018, 3, approved))
        for day, amount, approved in (
            (5, "450.00", 6), (6, "5000.00", 6), (7, "100.00", 7), (8, "9000.00", 9), (9, "1.00", 9)
        )
    ) + general("2018-03-10", "2000.00", "1.5", notice=D(2018, 3, 8))
    books = books_from(PRELUDE + text)
    findings = approval.check(books)
    assert {f.code for f in findings} == {  # Per payment and per case.
        "PAID-BEFORE-APPROVAL", "OVER-AUTHORITY", "NOTICE-MISSING"
    }
    found = [repr(f) for f in findings]
    for size in (1, 2, 3):
        monkeypatch.setattr(approval, "ROUND", size)
        assert [repr(f) for f in approval.check(books_from(PRELUDE + text))] == found


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
