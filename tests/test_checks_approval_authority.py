"""WRONG-LEVEL, OVER-AUTHORITY, TIER-MISMATCH, PAID-OVER-APPROVED: who may approve how much."""

from __future__ import annotations

from decimal import Decimal

import pytest
from approval_fixtures import D
from approval_fixtures import Load
from approval_fixtures import advance
from approval_fixtures import assert_one
from approval_fixtures import general
from approval_fixtures import run
from approval_fixtures import settle
from approval_fixtures import small
from approval_fixtures import txn

from ledger.findings import Finding


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# WRONG-LEVEL


@pytest.mark.parametrize(
    ("text", "case"),
    [
        (small("2018-03-05", "450.00", approval="county"), "YZ-001"),
        (general("2018-03-05", "2000.00", "1.5", approval="township"), "YZ-G-1"),
    ],
)
def test_wrong_level(books_from: Load, text: str, case: str) -> None:
    found = only(run(books_from, text), "WRONG-LEVEL")
    assert_one(found, "WRONG-LEVEL", case, "450.00" if case == "YZ-001" else "2000.00")


def test_right_levels_pass(books_from: Load) -> None:
    text = small("2018-03-05", "450.00") + general("2018-03-05", "2000.00", "1.5")
    assert run(books_from, text) == []


# OVER-AUTHORITY


def test_one_fen_over_the_township_ceiling(books_from: Load) -> None:
    f = assert_one(run(books_from, small("2018-03-05", "500.01")),
                   "OVER-AUTHORITY", "YZ-001", "500.01")
    assert f.message == (
        "OVER-AUTHORITY 柳巷街道 case YZ-001: 500.01 CNY exceeds the township ceiling "
        "500.00 CNY (policy of 2015-06-01)"
    )


def test_payment_equal_to_the_ceiling_passes(books_from: Load) -> None:
    assert run(books_from, small("2018-03-05", "500.00")) == []


def test_case_amount_is_summed_at_its_last_payment(books_from: Load) -> None:
    text = small("2018-03-05", "300.00", instalment="1/2") + small(
        "2018-04-05", "300.00", instalment="2/2")
    f = assert_one(run(books_from, text), "OVER-AUTHORITY", "YZ-001", "600.00")
    assert f.date == "2018-04-05"


def test_case_amount_is_net_of_reversals_and_returns(books_from: Load) -> None:
    paid = small("2018-03-05", "650.00")
    reversal = txn("2018-03-06", "-650.00", head=" #reversal", reverses="2018-03-05 YZ-001")
    assert run(books_from, paid + reversal + small("2018-03-06", "450.00")) == []
    returned = txn("2018-03-09", "-200.00", case="YZ-001", bank_status="returned")
    assert run(books_from, paid + returned) == []


POLICY = """
2017-01-01 custom "relief-authority" "township" 1000.00 CNY
  county: "Wanbailin"
  procedure: "emergency"
"""


def test_emergency_township_ceiling_from_a_county_override(books_from: Load) -> None:
    def case(number: str) -> str:
        where = {"county": "Wanbailin", "township": "Xinghua"}
        return advance("2018-03-01", number, **where) + settle("2018-03-20", number, **where)

    assert run(books_from, POLICY + case("1000.00")) == []
    f = assert_one(run(books_from, POLICY + case("1000.01")), "OVER-AUTHORITY", "YZ-A-1",
                   "1000.01", "Xinghua")
    assert f.message.endswith("exceeds the township ceiling 1000.00 CNY (policy of 2017-01-01)")


def test_ceiling_in_force_on_the_approved_date(books_from: Load) -> None:
    where = {"county": "Wanbailin", "township": "Xinghua"}
    text = POLICY + advance("2016-12-01", "800.00", **where) + settle(
        "2017-01-10", "800.00", approved=D(2016, 12, 30), **where)
    assert_one(run(books_from, text), "OVER-AUTHORITY", "YZ-A-1", "800.00", "Xinghua")


def test_conference_has_no_ceiling(books_from: Load) -> None:
    text = general("2018-03-05", "20000.00", "4.5", approval="conference", decision="D-1")
    assert run(books_from, text) == []


# TIER-MISMATCH


def test_ratio_exactly_two_is_tier_two(books_from: Load) -> None:
    f = assert_one(run(books_from, general("2018-03-05", "2999.99", "2")),
                   "TIER-MISMATCH", "YZ-G-1", "2999.99")
    assert "outside the band 3000.00–5000.00 CNY of tier 2–3 (policy of 2015-06-01)" in f.message
    assert run(books_from, general("2018-03-05", "3000.00", "2")) == []


def test_band_maximum_is_inclusive(books_from: Load) -> None:
    assert run(books_from, general("2018-03-05", "3000.00", "1.99")) == []
    assert_one(run(books_from, general("2018-03-05", "3000.01", "1.99")),
               "TIER-MISMATCH", "YZ-G-1", "3000.01")


def test_ratio_below_the_lowest_tier(books_from: Load) -> None:
    f = assert_one(run(books_from, general("2018-03-05", "1000.00", "0.8")),
                   "TIER-MISMATCH", "YZ-G-1", "1000.00")
    assert "1000.00 CNY at ratio 0.8: the ratio is below the lowest tier" in f.message


def test_ratio_at_the_highest_tier_needs_the_conference(books_from: Load) -> None:
    f = assert_one(run(books_from, general("2018-03-05", "7000.00", "4")),
                   "TIER-MISMATCH", "YZ-G-1", "7000.00")
    assert "7000.00 CNY at ratio 4: a ratio at or above 4 only the joint conference" in f.message
    text = general("2018-03-05", "7000.00", "4", approval="conference", decision="D-1")
    assert run(books_from, text) == []


def test_settlement_by_county_is_tier_checked(books_from: Load) -> None:
    base = advance("2018-03-01", "2000.00")
    found = run(books_from, base + settle("2018-03-20", "2000.00", level="county",
                                          ratio=Decimal("2.5")))
    assert_one(found, "TIER-MISMATCH", "YZ-A-1", "2000.00")


def test_settlement_by_township_is_not_tier_checked(books_from: Load) -> None:
    text = advance("2018-03-01", "400.00") + settle("2018-03-20", "400.00",
                                                    ratio=Decimal("3.5"))
    assert run(books_from, text) == []


# PAID-OVER-APPROVED


RECORD = """
2018-03-02 custom "approval" "YZ-001" 450.00 CNY
  township: "Liuxiang"
  procedure: "small"
  approval: "township"
  approver: "柳巷街道办事处"
  recipient: "r-1a2b3c4d5e6f7081"
"""


def test_paid_one_fen_over_the_approval_record(books_from: Load) -> None:
    f = assert_one(run(books_from, RECORD + small("2018-03-05", "450.01")),
                   "PAID-OVER-APPROVED", "YZ-001", "450.01")
    assert "exceeds the 450.00 CNY of its approval record of 2018-03-02" in f.message
    assert run(books_from, RECORD + small("2018-03-05", "450.00")) == []


def test_instalments_are_summed_against_the_record(books_from: Load) -> None:
    text = RECORD + small("2018-03-05", "200.00", instalment="1/2") + small(
        "2018-04-05", "250.00", instalment="2/2")
    assert run(books_from, text) == []
