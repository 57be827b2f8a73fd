from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from ledgers import PRELUDE

from ledger.books import Books
from ledger.checks import approval
from ledger.checks import cases
from ledger.findings import Finding

Load = Callable[..., Books]
R1 = "r-1a2b3c4d5e6f7081"
CARD = "c-0123456789abcdef"
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


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


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
    assert "below the lowest tier" in f.message


def test_ratio_at_the_highest_tier_needs_the_conference(books_from: Load) -> None:
    assert_one(run(books_from, general("2018-03-05", "7000.00", "4")),
               "TIER-MISMATCH", "YZ-G-1", "7000.00")
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
