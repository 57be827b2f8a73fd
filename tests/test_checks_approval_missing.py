"""APPROVAL-MISSING: the approval fields each kind of disbursement must carry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from approval_fixtures import Load
from approval_fixtures import advance
from approval_fixtures import assert_one
from approval_fixtures import general
from approval_fixtures import run
from approval_fixtures import settle
from approval_fixtures import small
from approval_fixtures import txn

from ledger.checks import cases

CARD = "c-0123456789abcdef"


# APPROVAL-MISSING


def test_small_relief_without_approver(books_from: Load) -> None:
    f = assert_one(run(books_from, small("2018-03-05", "450.00", approver=None)),
                   "APPROVAL-MISSING", "YZ-001", "450.00")
    assert "lacks approver" in f.message


def test_complete_small_relief_passes(books_from: Load) -> None:
    assert run(books_from, small("2018-03-05", "450.00")) == []


def test_gaps_of_one_entry_are_one_finding(books_from: Load) -> None:
    text = small("2018-03-05", "450.00", approval="city", approver=None, approved=None)
    f = assert_one(run(books_from, text), "APPROVAL-MISSING", "YZ-001", "450.00")
    assert "lacks approver, approved" in f.message
    assert "approval 'city' is not township, county or conference" in f.message


def test_recipient_not_hashed_is_not_echoed(books_from: Load) -> None:
    f = assert_one(run(books_from, small("2018-03-05", "450.00", recipient="周建国")),
                   "APPROVAL-MISSING", "YZ-001", "450.00")
    assert "周建国" not in f.message.split(":", 1)[1]


def test_advance_needs_case_and_recipient_only(books_from: Load) -> None:
    assert run(books_from, advance("2018-03-05", "800.00")) == []
    f = assert_one(run(books_from, advance("2018-03-05", "800.00", recipient=None)),
                   "APPROVAL-MISSING", "YZ-A-1", "800.00")
    assert "advance lacks recipient" in f.message


def test_settlement_by_county_needs_ratio(books_from: Load) -> None:
    base = advance("2018-03-01", "2000.00")
    found = run(books_from, base + settle("2018-03-20", "2000.00", level="county"))
    f = assert_one(found, "APPROVAL-MISSING", "YZ-A-1", "2000.00")
    assert "emergency settlement lacks ratio" in f.message
    assert run(books_from, base + settle("2018-03-20", "800.00", level="county",
                                         ratio=Decimal("1.5"))) == []


def test_conference_needs_decision(books_from: Load) -> None:
    text = general("2018-03-05", "9000.00", "4.5", approval="conference")
    f = assert_one(run(books_from, text), "APPROVAL-MISSING", "YZ-G-1", "9000.00")
    assert "lacks decision" in f.message
    assert run(books_from, general("2018-03-05", "9000.00", "4.5", approval="conference",
                                   decision="迎民联〔2018〕3号")) == []


def test_settlement_link_naming_another_case(books_from: Load) -> None:
    text = advance("2018-03-01", "300.00") + settle("2018-03-20", "300.00", link="adv-YZ-A-9")
    f = assert_one(run(books_from, text), "APPROVAL-MISSING", "YZ-A-1", "300.00")
    assert "^adv-YZ-A-9 names another case" in f.message


def test_settlement_link_hashed_for_a_case_a_link_cannot_hold(books_from: Load) -> None:
    case = "迎泽 A 1"
    assert cases.advance_link(case).startswith("adv-") and len(cases.advance_link(case)) == 16
    text = advance("2018-03-01", "300.00", case=case) + settle("2018-03-20", "300.00", case=case)
    assert run(books_from, text) == []


def test_imported_row_needs_bank_keys(books_from: Load) -> None:
    keys: dict[str, Any] = {"source_sha256": "ab" * 32, "batch": "B1", "bank_row": Decimal(3),
            "bank_status": "paid"}
    f = assert_one(run(books_from, small("2018-03-05", "450.00", **keys)),
                   "APPROVAL-MISSING", "YZ-001", "450.00")
    assert "lacks card" in f.message
    assert run(books_from, small("2018-03-05", "450.00", card=CARD, **keys)) == []


def test_reversed_payment_is_not_checked(books_from: Load) -> None:
    wrong = small("2018-03-05", "450.00", approver=None)
    reversal = txn("2018-03-06", "-450.00", head=" #reversal", reverses="2018-03-05 YZ-001")
    assert run(books_from, wrong + reversal + small("2018-03-06", "450.00")) == []


def test_entries_after_the_audit_date_are_ignored(books_from: Load) -> None:
    text = small("2018-03-05", "450.00", approver=None)
    assert run(books_from, text, "2018-03-04") == []
