"""RESERVE-OVERDRAWN, RESERVE-MISUSE, SUSPENSE-OPEN: money out of a reserve; the plugin."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from ledgers import PRELUDE
from reserve_fixtures import LIUXIANG
from reserve_fixtures import Load
from reserve_fixtures import allocate
from reserve_fixtures import codes
from reserve_fixtures import pay

from ledger.audit import audit
from ledger.checks import reserve

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
