from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from ledgers import PRELUDE

from ledger.audit import audit
from ledger.books import Books
from ledger.checks import reserve
from ledger.findings import Finding

Load = Callable[..., Books]
LIUXIANG = "Assets:Reserve:Yingze:Liuxiang"


def allocate(date: str, number: str, township: str = "Liuxiang", period: str = "") -> str:
    period_line = f'  period: "{period}"\n' if period else ""
    return f"""
{date} * "迎泽区民政局" "备用金拨付" #allocation
{period_line}  Assets:Reserve:Yingze:{township}  {number} CNY
  Assets:Treasury:Yingze
"""


def give_back(date: str, number: str, period: str, township: str = "Liuxiang") -> str:
    return f"""
{date} * "柳巷街道" "备用金结余上缴" #reserve-return
  period: "{period}"
  Assets:Treasury:Yingze  {number} CNY
  Assets:Reserve:Yingze:{township}
"""


def pay(date: str, number: str, to: str, source: str = LIUXIANG, case: str = "YZ-1") -> str:
    return f"""
{date} * "周建国" "救助"
  case: "{case}"
  {to}  {number} CNY
  {source}
"""


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


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


# RESERVE-OVERDRAWN -----------------------------------------------------------------------


def test_overdrawn_only_at_the_end_of_the_day(books_from: Load, tmp_path: Path) -> None:
    # The payment sits on line 1 of the included file, so Beancount sorts it before the
    # allocation of the same day in the main file: the balance dips below zero during the day.
    (tmp_path / "payments.beancount").write_text(
        pay("2018-03-05", "1200.00", "Expenses:Relief:Yingze:Liuxiang:Small"), encoding="utf-8"
    )
    text = 'include "payments.beancount"\n' + PRELUDE + allocate("2018-03-05", "40000.00")
    assert codes(reserve.check(books_from(text, "2018-12-01")), "RESERVE-OVERDRAWN") == []


def test_overdrawn_once_per_day_at_its_last_entry(books_from: Load, tmp_path: Path) -> None:
    (tmp_path / "payments.beancount").write_text(
        pay("2018-03-05", "700.00", "Expenses:Relief:Yingze:Liuxiang:Small", case="A")
        + pay("2018-03-06", "10.00", "Expenses:Relief:Yingze:Liuxiang:Small", case="C"),
        encoding="utf-8",
    )
    text = (
        'include "payments.beancount"\n'
        + PRELUDE
        + allocate("2018-03-01", "1000.00")
        + pay("2018-03-05", "500.00", "Expenses:Relief:Yingze:Liuxiang:Small", case="B")
    )
    found = codes(reserve.check(books_from(text, "2018-12-01")), "RESERVE-OVERDRAWN")
    assert [(f.date, f.amount, f.key) for f in found] == [
        ("2018-03-05", Decimal("-200.00"), LIUXIANG),
        ("2018-03-06", Decimal("-210.00"), LIUXIANG),
    ]
    assert found[0].file.endswith("main.beancount")  # The main file's entry sorts last.
    assert found[0].case == ""


def test_treasury_and_cash_overdrawn(books_from: Load) -> None:
    text = PRELUDE + allocate("2018-01-01", "1000001.00") + pay(
        "2018-02-01", "5.00", "Expenses:Relief:Yingze:Qiaodong:Small",
        source="Assets:Cash:Yingze:Qiaodong",
    )
    found = codes(reserve.check(books_from(text, "2018-12-01")), "RESERVE-OVERDRAWN")
    assert [(f.key, f.amount) for f in found] == [
        ("Assets:Treasury:Yingze", Decimal("-1.00")),
        ("Assets:Cash:Yingze:Qiaodong", Decimal("-5.00")),
    ]
    assert found[0].township_name == "迎泽区民政局"


def test_entries_after_the_audit_date_do_not_overdraw(books_from: Load) -> None:
    text = PRELUDE + allocate("2018-01-01", "100.00") + pay(
        "2018-06-01", "500.00", "Expenses:Relief:Yingze:Liuxiang:Small"
    )
    assert codes(reserve.check(books_from(text, "2018-05-31")), "RESERVE-OVERDRAWN") == []


# RESERVE-MISUSE --------------------------------------------------------------------------

ALLOWED = [
    "Expenses:Relief:Yingze:Liuxiang:Small",
    "Expenses:Relief:Yingze:Liuxiang:General",
    "Expenses:Relief:Yingze:Liuxiang:Emergency",
    "Assets:Advances:Yingze:Liuxiang",
    "Assets:InTransit:Yingze:Liuxiang",
    "Assets:Suspense:Yingze:Liuxiang",
    "Assets:Cash:Yingze:Liuxiang",
    "Expenses:BankFees:Yingze:Liuxiang",
    "Assets:Treasury:Yingze",
]
FORBIDDEN = [
    "Expenses:Admin:Office",
    "Expenses:Relief:Yingze:Qiaodong:Small",
    "Assets:Reserve:Yingze:Qiaodong",
    "Assets:Advances:Wanbailin:Xinghua",
    "Assets:Treasury:Wanbailin",
    "Equity:Opening-Balances",
]
MISUSE_BASE = PRELUDE + "2015-01-01 open Expenses:Admin:Office CNY\n" + allocate(
    "2018-01-01", "40000.00"
) + allocate("2018-01-01", "40000.00", "Qiaodong")


@pytest.mark.parametrize("to", ALLOWED)
@pytest.mark.parametrize("source", [LIUXIANG, "Assets:Cash:Yingze:Liuxiang"])
def test_allowed_outflows(books_from: Load, to: str, source: str) -> None:
    text = MISUSE_BASE + pay("2018-02-01", "100.00", "Assets:Cash:Yingze:Liuxiang")
    text += pay("2018-03-01", "50.00", to, source=source)
    assert codes(reserve.check(books_from(text, "2018-06-01")), "RESERVE-MISUSE") == []


@pytest.mark.parametrize("to", FORBIDDEN)
@pytest.mark.parametrize("source", [LIUXIANG, "Assets:Cash:Yingze:Liuxiang"])
def test_forbidden_outflows(books_from: Load, to: str, source: str) -> None:
    text = MISUSE_BASE + pay("2018-02-01", "100.00", "Assets:Cash:Yingze:Liuxiang")
    text += pay("2018-03-01", "50.00", to, source=source, case="YZ-9")
    [found] = codes(reserve.check(books_from(text, "2018-06-01")), "RESERVE-MISUSE")
    assert (found.amount, found.case, found.township, found.date) == (
        Decimal("50.00"), "YZ-9", "Liuxiang", "2018-03-01"
    )
    assert found.message.startswith(f"RESERVE-MISUSE 柳巷街道 case YZ-9: 50.00 CNY paid out of {source} to {to};")


def test_money_into_the_reserve_is_no_misuse(books_from: Load) -> None:
    text = MISUSE_BASE + pay(
        "2018-03-01", "50.00", LIUXIANG, source="Income:Interest:Yingze:Liuxiang"
    )
    assert codes(reserve.check(books_from(text, "2018-06-01")), "RESERVE-MISUSE") == []


# SUSPENSE-OPEN ---------------------------------------------------------------------------

SUSPENSE = "Assets:Suspense:Yingze:Liuxiang"


def test_suspense_open_on_the_audit_date(books_from: Load) -> None:
    text = PRELUDE + allocate("2018-01-01", "40000.00") + pay("2018-03-05", "450.00", SUSPENSE)
    text += pay("2018-04-01", "450.00", "Expenses:Relief:Yingze:Liuxiang:Small", source=SUSPENSE)
    [found] = codes(reserve.check(books_from(text, "2018-03-31")), "SUSPENSE-OPEN")
    assert (found.key, found.amount, found.case, found.date) == (
        SUSPENSE, Decimal("450.00"), "", "2018-03-05"
    )
    assert "since 2018-03-05, not cleared on 2018-03-31" in found.message
    assert codes(reserve.check(books_from(text, "2018-04-01")), "SUSPENSE-OPEN") == []


def test_explained_suspense_is_marked_by_the_audit(books_from: Load) -> None:
    text = PRELUDE + allocate("2018-01-01", "40000.00") + pay("2018-03-05", "450.00", SUSPENSE)
    text += f"""
2018-04-01 custom "explained" "SUSPENSE-OPEN" "{SUSPENSE}"
  reason: "银行退回，待查"
  by: "张审计"
"""
    [found] = codes(audit(books_from(text, "2018-06-01"), ["reserve"]), "SUSPENSE-OPEN")
    assert found.explained


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


def test_plugin_raises_errors_but_not_warnings(tmp_path: Path) -> None:
    from beancount import loader

    plugin = "plugin \"plugins.reserve\" \"{'as_of': '2018-06-01'}\"\n"
    text = plugin + PRELUDE + allocate("2017-01-01", "40000.00") + allocate(
        "2018-01-01", "40000.00"
    )  # 2017 ends idle (a warning), nothing else is wrong.
    text += pay("2018-02-01", "10.00", "Equity:Opening-Balances", case="YZ-5")
    path = tmp_path / "books.beancount"
    path.write_text(text, encoding="utf-8")
    _, errors, _ = loader.load_file(str(path))
    assert [e.message.split(" ")[0] for e in errors] == ["RESERVE-MISUSE"]
