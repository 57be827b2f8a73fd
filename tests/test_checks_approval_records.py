"""PAID-OVER-APPROVED: which approval record a case is held to (`BookIndex.over_approved`).

The records are filed by case number; a case paid within the one record of its number is
settled at once, and only the others have their records' townships read. These tests put the
rarer shapes through that split: one number in two counties, a record imported again, a
latest record without an amount, a record of an unknown township.
"""

from __future__ import annotations

from approval_fixtures import R1
from approval_fixtures import D
from approval_fixtures import Load
from approval_fixtures import assert_one
from approval_fixtures import run
from approval_fixtures import txn


def record(date: str, number: str, township: str = "Liuxiang", case: str = "C-1") -> str:
    amount = f" {number} CNY" if number else ' "no amount"'
    return (
        f'{date} custom "approval" "{case}"{amount}\n'
        f'  township: "{township}"\n  procedure: "small"\n  approval: "township"\n'
    )


def pay(date: str, number: str, township: str = "Liuxiang", case: str = "C-1") -> str:
    county = "Wanbailin" if township == "Xinghua" else "Yingze"
    return txn(
        date, number, f"Expenses:Relief:{county}:{township}:Small", f"Assets:Treasury:{county}",
        case=case, recipient=R1, approval="township", approver="审批人",
        approved=D.fromisoformat(date),
    )


def over(books_from: Load, text: str) -> list[str]:
    return [f.message for f in run(books_from, text) if f.code == "PAID-OVER-APPROVED"]


def test_one_number_in_two_counties_each_holds_its_own(books_from: Load) -> None:
    records = record("2018-03-01", "300.00") + record("2018-03-02", "450.00", "Xinghua")
    # Liuxiang (Yingze) is held to its 300.00, though Xinghua's later record allows 450.00.
    f = assert_one(run(books_from, records + pay("2018-03-05", "400.00")),
                   "PAID-OVER-APPROVED", "C-1", "400.00")
    assert "exceeds the 300.00 CNY of its approval record of 2018-03-01" in f.message
    # Xinghua (Wanbailin) is held to its 450.00, though Liuxiang's record allows only 300.00.
    assert over(books_from, records + pay("2018-03-05", "400.00", "Xinghua")) == []
    f = assert_one(run(books_from, records + pay("2018-03-05", "450.01", "Xinghua")),
                   "PAID-OVER-APPROVED", "C-1", "450.01", "Xinghua")
    assert "of its approval record of 2018-03-02" in f.message


def test_a_record_of_another_county_is_no_limit(books_from: Load) -> None:
    text = record("2018-03-01", "100.00", "Xinghua") + pay("2018-03-05", "400.00")
    assert over(books_from, text) == []


def test_a_record_imported_again_replaces_the_first(books_from: Load) -> None:
    records = record("2018-03-01", "300.00") + record("2018-03-03", "450.00")
    assert over(books_from, records + pay("2018-03-05", "400.00")) == []
    f = assert_one(run(books_from, records + pay("2018-03-05", "450.01")),
                   "PAID-OVER-APPROVED", "C-1", "450.01")
    assert "of its approval record of 2018-03-03" in f.message
    # A later record with a lower amount is the one in force.
    lowered = record("2018-03-01", "450.00") + record("2018-03-03", "300.00")
    f = assert_one(run(books_from, lowered + pay("2018-03-05", "400.00")),
                   "PAID-OVER-APPROVED", "C-1", "400.00")
    assert "exceeds the 300.00 CNY of its approval record of 2018-03-03" in f.message


def test_a_latest_record_without_an_amount_leaves_the_earlier_one(books_from: Load) -> None:
    records = record("2018-03-01", "300.00") + record("2018-03-03", "")
    f = assert_one(run(books_from, records + pay("2018-03-05", "300.01")),
                   "PAID-OVER-APPROVED", "C-1", "300.01")
    assert "of its approval record of 2018-03-01" in f.message


def test_a_lone_record_without_an_amount_or_township_is_no_limit(books_from: Load) -> None:
    assert over(books_from, record("2018-03-01", "") + pay("2018-03-05", "400.00")) == []
    unknown = record("2018-03-01", "100.00", "Nowhere") + pay("2018-03-05", "400.00")
    assert over(books_from, unknown) == []
