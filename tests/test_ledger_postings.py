"""The shared postings view (`books.postings`) and the views built on it: balances, transit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ledgers import PRELUDE

from ledger import balances
from ledger import in_transit
from ledger.books import Books

Load = Callable[..., Books]
LIUXIANG = "Assets:Reserve:Yingze:Liuxiang"
TRANSIT = "Assets:InTransit:Yingze:Liuxiang"

BOOKS = (
    PRELUDE
    + f"""
2024-01-05 * "柳巷街道" "报盘" ^adv-YZ-1
  case: "YZ-1"
  batch: "B1"
  bank-status: "pending"
  {TRANSIT}  100.00 CNY
  {LIUXIANG}
2024-01-05 * "柳巷街道" "报盘"
  case: "YZ-2"
  batch: "B1"
  {TRANSIT}  50.00 CNY
    case: "YZ-3"
  {LIUXIANG}
2024-01-06 * "周建国" "救助"
  case: "YZ-1"
  batch: "B1"
  bank-status: "failed"
  Expenses:Relief:Yingze:Liuxiang:Small  100.00 CNY
  {TRANSIT}
2024-01-06 * "外币" "USD"
  {LIUXIANG}  5.00 USD
  Equity:Opening-Balances
2026-02-01 * "以后" "after the audit date"
  {LIUXIANG}  1.00 CNY
  Equity:Opening-Balances
"""
)


def _reference_days(books: Books, account: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return end-of-day balances the plain way: a running sum per currency."""
    days: dict[str, list[tuple[Any, ...]]] = {}
    for entry in books.index.transactions:
        for posting in entry.postings:
            units = posting.units
            if posting.account != account or units is None or units.number is None:
                continue
            records = days.setdefault(units.currency, [])
            total = (records[-1][1] if records else Decimal(0)) + units.number
            if records and records[-1][0] == entry.date:
                records[-1] = (entry.date, total, entry)
            else:
                records.append((entry.date, total, entry))
    return days


def test_transactions_are_those_of_the_index(books_from: Load) -> None:
    books = books_from(BOOKS, "2025-12-31")
    assert books.postings.transactions == books.index.transactions
    assert all(e.date <= datetime.date(2025, 12, 31) for e in books.postings.transactions)
    assert [e.meta.get("case") for e in books.postings.linked] == ["YZ-1"]


def test_only_asset_postings_are_filed_in_book_order(books_from: Load) -> None:
    books = books_from(BOOKS, "2025-12-31")
    view = books.postings
    assert all(account.startswith("Assets:") for account in view.by_account)
    items = view.by_account[TRANSIT]
    assert [(number, currency) for _, _, _, number, currency, _ in items] == [
        (Decimal("100.00"), "CNY"),
        (Decimal("50.00"), "CNY"),
        (Decimal("-100.00"), "CNY"),
    ]
    for position, entry, posting, _, _, date in items:
        assert view.transactions[position] is entry
        assert posting in entry.postings
        assert date == entry.date
    assert view.touching([2, 0, 2]) == [view.transactions[0], view.transactions[2]]
    assert "Expenses:Relief:Yingze:Liuxiang:Small" not in view.by_account


def test_columns_read_metadata_by_position(books_from: Load) -> None:
    books = books_from(BOOKS, "2025-12-31")
    view = books.postings
    status, case = view.columns("bank-status", "case")
    assert len(status) == len(view.transactions)
    assert [s for s in status if s] == ["pending", "failed"]
    assert case == [e.meta.get("case") for e in view.transactions]
    assert view.columns("case")[0] is case  # Read once.


def test_customs_of_a_type(books_from: Load) -> None:
    books = books_from(
        PRELUDE + '2024-01-07 custom "payout-failed" "YZ-9" 10.00 CNY\n', "2025-12-31"
    )
    assert [c.values[0].value for c in books.postings.customs("payout-failed")] == ["YZ-9"]
    assert books.postings.customs("no-such-type") == []


def test_balances_match_a_plain_running_sum(books_from: Load) -> None:
    books = books_from(BOOKS, "2025-12-31")
    found = balances.of(books)
    for account in (LIUXIANG, TRANSIT, "Assets:Treasury:Yingze"):
        expected = _reference_days(books, account)
        for currency, records in expected.items():
            assert [tuple(day) for day in found.series(account, currency)] == records
    assert found.keys("reserve")[:2] == [(LIUXIANG, "CNY"), (LIUXIANG, "USD")]
    assert (LIUXIANG, "USD") in found.days
    assert found.on(LIUXIANG, "USD", datetime.date(2024, 1, 5)) == 0
    assert found.on(LIUXIANG, "USD", datetime.date(2024, 1, 6)) == Decimal("5.00")


def test_money_waiting_in_transit_by_batch_and_case(books_from: Load) -> None:
    books = books_from(BOOKS, "2025-12-31")
    waiting = in_transit.waiting(books)
    # YZ-1 went in and came out; the posting's own case (YZ-3) wins over the entry's.
    assert [(g.batch, g.case, g.balance) for g in waiting] == [
        ("B1", "YZ-3", Decimal("50.00"))
    ]
    (request,) = [e for e in books.postings.transactions if e.meta.get("case") == "YZ-2"]
    assert waiting[0].start is request


def test_money_waiting_comes_in_book_order_across_accounts(books_from: Load) -> None:
    other = "Assets:InTransit:Yingze:Qiaodong"

    def request(date: str, account: str, case: str, number: str) -> str:
        return f"""
{date} * "报盘" "request"
  case: "{case}"
  batch: "B2"
  {account}  {number} CNY
  Assets:Treasury:Yingze
"""

    text = (
        PRELUDE
        + request("2024-01-01", TRANSIT, "A-1", "10.00")
        + request("2024-01-02", TRANSIT, "A-1", "-10.00")
        + request("2024-01-03", other, "B-1", "20.00")
        + request("2024-01-04", TRANSIT, "A-2", "30.00")
    )
    waiting = in_transit.waiting(books_from(text, "2025-12-31"))
    assert [g.case for g in waiting] == ["B-1", "A-2"]
