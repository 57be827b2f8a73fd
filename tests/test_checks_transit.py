from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ledgers import PRELUDE

from ledger.audit import audit
from ledger.books import Books
from ledger.checks import transit
from ledger.findings import Finding

Load = Callable[..., Books]

BASE = PRELUDE + """
2018-01-01 * "迎泽区民政局" "备用金拨付" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY
  Assets:Treasury:Yingze
"""
TRANSIT = "Assets:InTransit:Yingze:Liuxiang"
RESERVE = "Assets:Reserve:Yingze:Liuxiang"
SMALL = "Expenses:Relief:Yingze:Liuxiang:Small"


def row(
    date: str, case: str, batch: str, to: str, source: str, status: str = "",
    number: str = "450.00", reason: str = "",
) -> str:
    lines = [
        f'{date} * "周建国" "代发"',
        f'  case: "{case}"',
        f'  batch: "{batch}"',
        '  recipient: "r-1a2b3c4d5e6f7081"',
    ]
    if status:
        lines.append(f'  bank-status: "{status}"')
    if reason:
        lines.append(f'  fail-reason: "{reason}"')
    lines += [f"  {to}  {number} CNY", f"  {source}"]
    return "\n" + "\n".join(lines) + "\n"


def request(date: str, case: str = "YZ-1", batch: str = "B001", number: str = "450.00") -> str:
    return row(date, case, batch, TRANSIT, RESERVE, number=number)


def paid(date: str, case: str = "YZ-1", batch: str = "B001", source: str = TRANSIT) -> str:
    return row(date, case, batch, SMALL, source, "paid")


def failed(date: str, case: str = "YZ-1", batch: str = "B001") -> str:
    return row(date, case, batch, RESERVE, TRANSIT, "failed", reason="账户已销户")


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# TRANSIT-OVERDUE -------------------------------------------------------------------------


def test_in_transit_past_the_deadline(books_from: Load) -> None:
    [found] = transit.check(books_from(BASE + request("2018-03-05"), "2018-03-21"))
    assert (found.code, found.case, found.amount, found.date) == (
        "TRANSIT-OVERDUE", "YZ-1", Decimal("450.00"), "2018-03-05"
    )
    assert found.message == (
        "TRANSIT-OVERDUE 柳巷街道 case YZ-1: 450.00 CNY of batch B001 in "
        "Assets:InTransit:Yingze:Liuxiang since 2018-03-05, 16 days on 2018-03-21 "
        "(transit-deadline 15 days, policy of 2015-06-01)"
    )


def test_in_transit_on_the_deadline_is_not_overdue(books_from: Load) -> None:
    assert transit.check(books_from(BASE + request("2018-03-05"), "2018-03-20")) == []


def test_resolved_by_a_later_entry_of_the_same_batch_and_case(books_from: Load) -> None:
    text = BASE + request("2018-03-05") + paid("2018-03-10")
    assert transit.check(books_from(text, "2018-06-01")) == []


def test_not_resolved_by_another_batch_or_case_of_the_same_amount(books_from: Load) -> None:
    text = (
        BASE
        + request("2018-03-05", "YZ-1")
        + request("2018-03-05", "YZ-2")
        + paid("2018-03-10", "YZ-1", batch="B002")  # Same case, other batch.
        + paid("2018-03-10", "YZ-3")  # Same batch, other case.
    )
    found = codes(transit.check(books_from(text, "2018-06-01")), "TRANSIT-OVERDUE")
    assert sorted(f.case for f in found) == ["YZ-1", "YZ-2"]


def test_deadline_of_the_county_on_the_day_it_went_in(books_from: Load) -> None:
    policy = """
2018-03-01 custom "transit-deadline" 30
  county: "Yingze"
"""
    text = BASE + policy + request("2018-03-05")
    assert transit.check(books_from(text, "2018-04-04")) == []
    [found] = transit.check(books_from(text, "2018-04-05"))
    assert "(transit-deadline 30 days, policy of 2018-03-01)" in found.message


# REISSUE-OVERDUE -------------------------------------------------------------------------

FAILED = BASE + request("2018-03-05") + failed("2018-03-10")


def test_failed_and_not_reissued(books_from: Load) -> None:
    [found] = transit.check(books_from(FAILED, "2018-03-26"))
    assert (found.code, found.case, found.amount, found.date) == (
        "REISSUE-OVERDUE", "YZ-1", Decimal("450.00"), "2018-03-10"
    )
    assert found.message == (
        "REISSUE-OVERDUE 柳巷街道 case YZ-1: 450.00 CNY failed on 2018-03-10 (账户已销户), "
        "not paid again by 2018-03-25 (transit-deadline 15 days, policy of 2015-06-01)"
    )


def test_failed_on_its_deadline_is_not_overdue(books_from: Load) -> None:
    assert transit.check(books_from(FAILED, "2018-03-25")) == []


def test_reissued_in_time(books_from: Load) -> None:
    text = FAILED + paid("2018-03-25", batch="B002", source=RESERVE)
    assert transit.check(books_from(text, "2018-06-01")) == []


def test_reissued_too_late(books_from: Load) -> None:
    text = FAILED + paid("2018-03-26", batch="B002", source=RESERVE)
    [found] = transit.check(books_from(text, "2018-06-01"))
    assert found.code == "REISSUE-OVERDUE"


def test_reissue_sent_but_not_paid_by_the_deadline(books_from: Load) -> None:
    text = FAILED + request("2018-03-20", batch="B002") + paid("2018-03-30", batch="B002")
    found = transit.check(books_from(text, "2018-06-01"))
    assert [f.code for f in found] == ["REISSUE-OVERDUE"]


def test_another_case_paid_is_no_reissue(books_from: Load) -> None:
    text = FAILED + paid("2018-03-20", "YZ-9", batch="B002", source=RESERVE)
    [found] = transit.check(books_from(text, "2018-06-01"))
    assert (found.code, found.case) == ("REISSUE-OVERDUE", "YZ-1")


def test_returned_payment_must_be_paid_again(books_from: Load) -> None:
    returned = row("2018-04-01", "YZ-1", "B001", RESERVE, SMALL, "returned", reason="户名不符")
    text = BASE + request("2018-03-05") + paid("2018-03-10") + returned
    [found] = transit.check(books_from(text, "2018-04-17"))
    assert "returned on 2018-04-01 (户名不符), not paid again by 2018-04-16" in found.message
    assert transit.check(books_from(text, "2018-04-16")) == []


PAYOUT_FAILED = BASE + """
2018-03-01 custom "approval" "YZ-3" 300.00 CNY
  township: "Liuxiang"
  procedure: "small"
  approval: "township"

2018-03-10 custom "payout-failed" "YZ-3" 300.00 CNY
  batch: "B009"
  fail-reason: "卡号错误"
"""


def test_payout_failed_record_not_reissued(books_from: Load) -> None:
    [found] = transit.check(books_from(PAYOUT_FAILED, "2018-03-26"))
    assert (found.code, found.case, found.amount, found.township_name) == (
        "REISSUE-OVERDUE", "YZ-3", Decimal("300.00"), "柳巷街道"
    )
    assert found.line > 0


def test_payout_failed_paid_the_same_day_in_another_batch(books_from: Load) -> None:
    same_batch = paid("2018-03-10", "YZ-3", batch="B009", source=RESERVE)
    assert transit.check(books_from(PAYOUT_FAILED + same_batch, "2018-03-26")) != []
    other_batch = paid("2018-03-10", "YZ-3", batch="B010", source=RESERVE)
    assert transit.check(books_from(PAYOUT_FAILED + other_batch, "2018-03-26")) == []


def test_explained_reissue_is_marked_by_the_audit(books_from: Load) -> None:
    text = FAILED + """
2018-04-01 custom "explained" "REISSUE-OVERDUE" "YZ-1"
  reason: "受助人已迁出，撤销救助"
  by: "张审计"
"""
    [found] = codes(audit(books_from(text, "2018-06-01"), ["transit"]), "REISSUE-OVERDUE")
    assert found.explained


def test_plugin_raises_both_codes(tmp_path: Path) -> None:
    from beancount import loader

    plugin = "plugin \"plugins.transit\" \"{'as_of': '2018-04-01'}\"\n"
    text = plugin + FAILED + request("2018-03-01", "YZ-2", "B003")
    path = tmp_path / "books.beancount"
    path.write_text(text, encoding="utf-8")
    _, errors, _ = loader.load_file(str(path))
    assert sorted(e.message.split(" ")[0] for e in errors) == [
        "REISSUE-OVERDUE", "TRANSIT-OVERDUE"
    ]
