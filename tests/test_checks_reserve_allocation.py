"""ALLOCATION-RANGE and RESERVE-IDLE: each year's allocation, and what it leaves unspent."""

from __future__ import annotations

from decimal import Decimal

from ledgers import PRELUDE
from reserve_fixtures import LIUXIANG
from reserve_fixtures import Load
from reserve_fixtures import allocate
from reserve_fixtures import codes
from reserve_fixtures import pay

from ledger.checks import reserve
from ledger.findings import Finding


def give_back(date: str, number: str, period: str, township: str = "Liuxiang") -> str:
    return f"""
{date} * "柳巷街道" "备用金结余上缴" #reserve-return
  period: "{period}"
  Assets:Treasury:Yingze  {number} CNY
  Assets:Reserve:Yingze:{township}
"""


def years(findings: list[Finding]) -> list[tuple[str, str, Decimal | None]]:
    return [
        (f.township, f.date[:4], f.amount) for f in codes(findings, "ALLOCATION-RANGE")
    ]


# ALLOCATION-RANGE ------------------------------------------------------------------------


def test_years_from_first_allocation_through_last_completed(books_from: Load) -> None:
    text = (
        PRELUDE
        + allocate("2016-01-01", "40000.00")
        + allocate("2017-01-01", "25000.00")
        + allocate("2017-01-01", "40000.00", "Qiaodong")
    )
    found = reserve.check(books_from(text, "2018-06-01"))
    # Qiaodong's 2016 is before its first allocation; 2018 is not completed and not over.
    assert years(found) == [("Liuxiang", "2017", Decimal("25000.00"))]
    [finding] = codes(found, "ALLOCATION-RANGE")
    assert finding.message == (
        "ALLOCATION-RANGE 柳巷街道 2017: 25000.00 CNY allocated for 2017, below the minimum "
        "of the range 30000.00–50000.00 CNY (reserve-allocation, policy of 2015-06-01)"
    )
    assert finding.key == f"{LIUXIANG} 2017"
    assert finding.line == 11  # The township's reserve `open` in the prelude.
    assert finding.file.endswith("main.beancount")


def test_completed_year_with_no_allocation(books_from: Load) -> None:
    text = PRELUDE + allocate("2016-01-01", "40000.00") + allocate(
        "2017-01-01", "40000.00", "Qiaodong"
    )
    found = reserve.check(books_from(text, "2018-06-01"))
    assert years(found) == [("Liuxiang", "2017", Decimal(0))]


def test_books_that_end_early_count_no_later_years(books_from: Load) -> None:
    text = PRELUDE + allocate("2016-01-01", "40000.00")
    found = reserve.check(books_from(text, "2019-03-01"))
    assert years(found) == []


def test_the_year_ends_on_31_december(books_from: Load) -> None:
    text = PRELUDE + allocate("2016-01-01", "40000.00") + pay(
        "2017-06-01", "100.00", "Expenses:Relief:Yingze:Liuxiang:Small"
    )
    assert years(reserve.check(books_from(text, "2017-12-30"))) == []
    assert years(reserve.check(books_from(text, "2017-12-31"))) == [
        ("Liuxiang", "2017", Decimal(0))
    ]


def test_current_year_only_once_over_the_maximum(books_from: Load) -> None:
    base = PRELUDE + allocate("2017-01-01", "40000.00")
    at_max = allocate("2018-01-01", "30000.00", period="2018Q1") + allocate(
        "2018-04-01", "20000.00", period="2018Q2"
    )
    assert years(reserve.check(books_from(base + at_max, "2018-06-01"))) == []
    over = at_max + allocate("2018-05-01", "0.01", period="2018Q2")
    found = reserve.check(books_from(base + over, "2018-06-01"))
    assert years(found) == [("Liuxiang", "2018", Decimal("50000.01"))]
    assert "above the maximum" in codes(found, "ALLOCATION-RANGE")[0].message


def test_period_decides_the_year_and_returns_do_not_reduce_it(books_from: Load) -> None:
    text = (
        PRELUDE
        + allocate("2016-12-28", "40000.00", period="2017")
        + allocate("2017-12-28", "40000.00", period="2018")
        + give_back("2018-01-05", "38000.00", period="2017")
        + pay("2019-01-02", "10.00", "Expenses:Relief:Yingze:Liuxiang:Small")
    )
    found = reserve.check(books_from(text, "2019-06-01"))
    assert years(found) == []


def test_range_in_force_on_31_december(books_from: Load) -> None:
    policy = """
2017-07-01 custom "reserve-allocation" 20000.00 CNY 30000.00 CNY
  county: "Yingze"
"""
    text = PRELUDE + policy + allocate("2017-01-01", "25000.00")
    text += pay("2018-02-01", "10.00", "Expenses:Relief:Yingze:Liuxiang:Small")
    assert years(reserve.check(books_from(text, "2018-06-01"))) == []
    text = PRELUDE + policy + allocate("2017-01-01", "40000.00")
    text += pay("2018-02-01", "10.00", "Expenses:Relief:Yingze:Liuxiang:Small")
    [found] = codes(reserve.check(books_from(text, "2018-06-01")), "ALLOCATION-RANGE")
    assert "(reserve-allocation, policy of 2017-07-01)" in found.message


# RESERVE-IDLE ----------------------------------------------------------------------------


def idle(findings: list[Finding]) -> list[tuple[str, Decimal | None]]:
    return [(f.date[:4], f.amount) for f in codes(findings, "RESERVE-IDLE")]


def test_idle_reserve_at_the_end_of_a_completed_year(books_from: Load) -> None:
    text = PRELUDE + allocate("2017-01-01", "40000.00") + pay(
        "2017-05-01", "19999.99", "Expenses:Relief:Yingze:Liuxiang:Small"
    )
    text += allocate("2018-01-01", "40000.00")
    found = reserve.check(books_from(text, "2018-06-01"))
    assert idle(found) == [("2017", Decimal("20000.01"))]
    assert codes(found, "RESERVE-IDLE")[0].severity == "warning"
    assert "over 0.5 of the 40000.00 CNY allocated = 20000.00 CNY" in found[-1].message


def test_not_idle_at_exactly_the_share(books_from: Load) -> None:
    text = PRELUDE + allocate("2017-01-01", "40000.00") + pay(
        "2017-05-01", "20000.00", "Expenses:Relief:Yingze:Liuxiang:Small"
    )
    text += allocate("2018-01-01", "40000.00")
    assert idle(reserve.check(books_from(text, "2018-06-01"))) == []


def test_return_for_the_year_counts_even_when_dated_later(books_from: Load) -> None:
    text = PRELUDE + allocate("2017-01-01", "40000.00") + give_back(
        "2018-01-10", "25000.00", period="2017"
    )
    text += allocate("2018-01-01", "40000.00")
    assert idle(reserve.check(books_from(text, "2018-06-01"))) == []
    # Before the return is booked, the audit date does not see it.
    assert idle(reserve.check(books_from(text, "2018-01-09"))) == [("2017", Decimal("40000.00"))]


def test_idle_with_no_allocation_is_above_zero(books_from: Load) -> None:
    text = (
        PRELUDE
        + allocate("2016-01-01", "40000.00")
        + pay("2016-02-01", "40000.00", "Expenses:Relief:Yingze:Liuxiang:Small")
        + pay("2017-02-01", "0.01", LIUXIANG, source="Income:Interest:Yingze:Liuxiang")
        + allocate("2018-01-01", "40000.00")
    )
    found = reserve.check(books_from(text, "2018-06-01"))
    assert idle(found) == [("2017", Decimal("0.01"))]
    assert "with nothing allocated for the year" in codes(found, "RESERVE-IDLE")[0].message


def test_current_year_is_never_idle(books_from: Load) -> None:
    text = PRELUDE + allocate("2018-01-01", "40000.00")
    assert idle(reserve.check(books_from(text, "2018-12-30"))) == []
