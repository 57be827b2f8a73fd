from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from ledgers import PRELUDE

from ledger import books as books_mod
from ledger.books import Books
from ledger.checks import cases
from ledger.checks import payments
from ledger.findings import Finding

Load = Callable[..., Books]
R1 = "r-1a2b3c4d5e6f7081"
R2 = "r-0000000000000002"
CARD = "c-0123456789abcdef"
NAMES = {"Liuxiang": "柳巷街道", "Qiaodong": "桥东街道", "Xinghua": "兴华街道"}
COUNTY = {"Liuxiang": "Yingze", "Qiaodong": "Yingze", "Xinghua": "Wanbailin"}


def pay(
    date: str,
    number: str,
    case: str,
    township: str = "Liuxiang",
    leaf: str = "Small",
    level: str = "township",
    recipient: str = R1,
    head: str = "",
    payee_name: str = "周建国",
    **meta: str,
) -> str:
    """Return a relief payment from the county treasury with complete approval keys."""
    county = COUNTY[township]
    lines = [
        f'{date} * "{payee_name}" "临时救助"{head}',
        f'  case: "{case}"',
        f'  recipient: "{recipient}"',
        f'  approval: "{level}"',
        '  approver: "审批人"',
        f"  approved: {date}",
    ]
    lines += [f'  {key.replace("_", "-")}: "{value}"' for key, value in meta.items()]
    lines += [f"  Expenses:Relief:{county}:{township}:{leaf}  {number} CNY",
              f"  Assets:Treasury:{county}", ""]
    return "\n".join(lines) + "\n"


def advance(date: str, number: str, case: str, township: str = "Liuxiang") -> str:
    county = COUNTY[township]
    return (
        f'{date} * "周建国" "先行救助" ^{cases.advance_link(case)}\n'
        f'  case: "{case}"\n  recipient: "{R1}"\n'
        f"  Assets:Advances:{county}:{township}  {number} CNY\n"
        f"  Assets:Treasury:{county}\n\n"
    )


def settle(date: str, number: str, case: str, township: str = "Liuxiang") -> str:
    county = COUNTY[township]
    return (
        f'{date} * "周建国" "补办审批" ^{cases.advance_link(case)}\n'
        f'  case: "{case}"\n  recipient: "{R1}"\n  approval: "township"\n'
        f'  approver: "审批人"\n  approved: {date}\n'
        f"  Expenses:Relief:{county}:{township}:Emergency  {number} CNY\n"
        f"  Assets:Advances:{county}:{township}\n\n"
    )


def reverse(date: str, original: str, number: str, case: str) -> str:
    return (
        f'{date} * "周建国" "冲销" #reversal\n  reverses: "{original} {case}"\n'
        f"  Expenses:Relief:Yingze:Liuxiang:Small  -{number} CNY\n"
        f"  Assets:Treasury:Yingze\n\n"
    )


def run(books_from: Load, text: str, code: str, as_of: str = "2026-01-01") -> list[Finding]:
    return [f for f in payments.check(books_from(PRELUDE + text, as_of)) if f.code == code]


def assert_one(found: list[Finding], code: str, case: str, amount: str,
               township: str = "Liuxiang") -> Finding:
    assert [f.code for f in found] == [code], [f.message for f in found]
    f = found[0]
    assert (f.case, f.amount, f.township, f.township_name) == (
        case, Decimal(amount), township, NAMES[township]
    )
    assert f.message.startswith(f"{code} {NAMES[township]} case {case}: ")
    assert f.file.endswith("main.beancount") and f.line > 0
    return f


# SPLIT-PAYMENT


def test_split_one_fen_over_the_ceiling(books_from: Load) -> None:
    text = pay("2018-03-01", "300.00", "A") + pay("2018-03-30", "200.01", "B")
    f = assert_one(run(books_from, text, "SPLIT-PAYMENT"), "SPLIT-PAYMENT", "B", "500.01")
    assert "case(s) A within 30 days" in f.message
    assert "over the township ceiling 500.00 CNY (policy of 2015-06-01)" in f.message


def test_split_summing_to_the_ceiling_passes(books_from: Load) -> None:
    text = pay("2018-03-01", "300.00", "A") + pay("2018-03-30", "200.00", "B")
    assert run(books_from, text, "SPLIT-PAYMENT") == []


@pytest.mark.parametrize(("second", "expected"), [("2018-03-30", 1), ("2018-03-31", 0)])
def test_split_window_is_half_open(books_from: Load, second: str, expected: int) -> None:
    text = pay("2018-03-01", "300.00", "A") + pay(second, "300.00", "B")
    assert len(run(books_from, text, "SPLIT-PAYMENT")) == expected


def test_split_one_finding_per_payment_over(books_from: Load) -> None:
    text = "".join(pay(f"2018-03-0{d}", "200.00", f"C{d}") for d in (1, 2, 3, 4))
    found = run(books_from, text, "SPLIT-PAYMENT")
    assert [(f.case, f.amount) for f in found] == [
        ("C3", Decimal("600.00")), ("C4", Decimal("800.00"))
    ]


def test_no_split_across_levels_counties_or_recipients(books_from: Load) -> None:
    text = (
        pay("2018-03-01", "300.00", "A")
        + pay("2018-03-02", "300.00", "B", leaf="General", level="county", ratio="1.5")
        + pay("2018-03-03", "300.00", "C", township="Xinghua")
        + pay("2018-03-04", "300.00", "D", recipient=R2)
    )
    assert run(books_from, text, "SPLIT-PAYMENT") == []


def test_reversed_payment_no_longer_counts_for_a_split(books_from: Load) -> None:
    text = (pay("2018-03-01", "300.00", "A") + reverse("2018-03-02", "2018-03-01", "300.00", "A")
            + pay("2018-03-10", "300.00", "B"))
    assert run(books_from, text, "SPLIT-PAYMENT") == []


def test_advance_and_settlement_are_one_payment_dated_at_the_advance(books_from: Load) -> None:
    text = (advance("2018-03-01", "300.00", "E") + settle("2018-04-20", "300.00", "E")
            + pay("2018-03-10", "300.00", "F"))
    assert_one(run(books_from, text, "SPLIT-PAYMENT"), "SPLIT-PAYMENT", "F", "600.00")
    alone = advance("2018-03-01", "300.00", "E") + settle("2018-03-20", "300.00", "E")
    assert run(books_from, alone, "SPLIT-PAYMENT") == []


# DUPLICATE-CASE


def test_case_paid_twice(books_from: Load) -> None:
    text = pay("2018-03-05", "450.00", "YZ-1") + pay("2018-03-09", "450.00", "YZ-1")
    f = assert_one(run(books_from, text, "DUPLICATE-CASE"), "DUPLICATE-CASE", "YZ-1", "450.00")
    assert f.date == "2018-03-09" and "already paid 450.00 CNY on 2018-03-05" in f.message


def test_reversed_then_rebooked_is_no_duplicate(books_from: Load) -> None:
    text = (pay("2018-03-05", "450.00", "YZ-1") + reverse("2018-03-06", "2018-03-05", "450.00",
                                                          "YZ-1")
            + pay("2018-03-06", "400.00", "YZ-1"))
    assert run(books_from, text, "DUPLICATE-CASE") == []


def test_returned_then_paid_again_is_no_duplicate(books_from: Load) -> None:
    returned = (
        '2018-03-08 * "周建国" "退票"\n  case: "YZ-1"\n  bank-status: "returned"\n'
        "  Expenses:Relief:Yingze:Liuxiang:Small  -450.00 CNY\n  Assets:Treasury:Yingze\n\n"
    )
    text = pay("2018-03-05", "450.00", "YZ-1") + returned + pay("2018-03-12", "450.00", "YZ-1")
    assert run(books_from, text, "DUPLICATE-CASE") == []


def test_a_reversed_return_undoes_nothing(books_from: Load) -> None:
    returned = (
        '2018-03-08 * "周建国" "退票"\n  case: "YZ-1"\n  bank-status: "returned"\n'
        "  Expenses:Relief:Yingze:Liuxiang:Small  -450.00 CNY\n  Assets:Treasury:Yingze\n\n"
    )
    # The return was booked in error and reversed: the first payment is in effect again.
    undone = (
        '2018-03-10 * "周建国" "冲销退票" #reversal\n  reverses: "2018-03-08 YZ-1"\n'
        "  Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY\n"
        "  Assets:Treasury:Yingze  -450.00 CNY\n\n"
    )
    text = pay("2018-03-05", "450.00", "YZ-1") + returned + undone + pay(
        "2018-03-12", "450.00", "YZ-1")
    f = assert_one(run(books_from, text, "DUPLICATE-CASE"), "DUPLICATE-CASE", "YZ-1", "450.00")
    assert f.date == "2018-03-12" and "already paid 450.00 CNY on 2018-03-05" in f.message


def test_instalments_are_one_unless_repeated(books_from: Load) -> None:
    ok = pay("2018-03-05", "200.00", "YZ-1", instalment="1/2") + pay(
        "2018-04-05", "200.00", "YZ-1", instalment="2/2")
    assert run(books_from, ok, "DUPLICATE-CASE") == []
    again = ok + pay("2018-04-06", "200.00", "YZ-1", instalment="2/2")
    f = assert_one(run(books_from, again, "DUPLICATE-CASE"), "DUPLICATE-CASE", "YZ-1", "200.00")
    assert f.date == "2018-04-06"


def test_advance_and_settlement_are_one(books_from: Load) -> None:
    text = advance("2018-03-01", "300.00", "E") + settle("2018-03-20", "300.00", "E")
    assert run(books_from, text, "DUPLICATE-CASE") == []
    twice = text + pay("2018-03-25", "300.00", "E", leaf="Emergency")
    assert_one(run(books_from, twice, "DUPLICATE-CASE"), "DUPLICATE-CASE", "E", "300.00")


def test_same_case_number_in_two_counties(books_from: Load) -> None:
    text = pay("2018-03-05", "450.00", "YZ-1") + pay("2018-03-05", "450.00", "YZ-1",
                                                      township="Xinghua")
    assert run(books_from, text, "DUPLICATE-CASE") == []


# PAYEE-MISMATCH


def imported(holder: str, payee_name: str = "阿依古丽·买买提", **meta: str) -> str:
    keys = {"source_sha256": "ab" * 32, "batch": "B1", "card": CARD, "bank_status": "paid",
            "holder": holder}
    keys.update(meta)
    return pay("2018-03-05", "450.00", "YZ-1", payee_name=payee_name, **keys)


def test_holder_differs_from_payee(books_from: Load) -> None:
    f = assert_one(run(books_from, imported("李四"), "PAYEE-MISMATCH"), "PAYEE-MISMATCH",
                   "YZ-1", "450.00")
    assert "held by 李四" in f.message


@pytest.mark.parametrize("holder", ["阿依古丽•买买提", "阿依古丽 买买提", "阿依古丽·买买提 "])
def test_holder_equal_after_normalisation(books_from: Load, holder: str) -> None:
    assert run(books_from, imported(holder), "PAYEE-MISMATCH") == []


def test_nfkc_folds_full_width_letters() -> None:
    assert payments.normalise("ＺＨＡＮＧ　Ｓａｎ") == payments.normalise("ZHANG San") == "ZHANGSan"


def test_agent_or_a_hand_booked_row_is_no_mismatch(books_from: Load) -> None:
    assert run(books_from, imported("李四", agent="李四，监护人"), "PAYEE-MISMATCH") == []
    by_hand = pay("2018-03-05", "450.00", "YZ-1", holder="李四")
    assert run(books_from, by_hand, "PAYEE-MISMATCH") == []


# RECIPIENT-REPEAT


@pytest.mark.parametrize(("second", "expected"), [("2018-03-30", 1), ("2018-03-31", 0)])
def test_recipient_paid_by_another_township(books_from: Load, second: str, expected: int) -> None:
    text = pay("2018-03-01", "200.00", "A") + pay(second, "300.00", "B", township="Qiaodong")
    found = run(books_from, text, "RECIPIENT-REPEAT")
    assert len(found) == expected
    if expected:
        f = assert_one(found, "RECIPIENT-REPEAT", "B", "300.00", "Qiaodong")
        assert f.severity == "warning" and "柳巷街道 paid 200.00 CNY on 2018-03-01" in f.message


def test_same_township_is_no_repeat(books_from: Load) -> None:
    text = pay("2018-03-01", "200.00", "A") + pay("2018-03-05", "200.00", "B")
    assert run(books_from, text, "RECIPIENT-REPEAT") == []


# Many payments: one pass, windows by bisection (the speed is measured in benchmarks/).


def test_many_payments_find_every_split() -> None:
    # 50 recipients, each paid 100.00 on 120 consecutive days: from the sixth payment on,
    # the payment and the ones before it in the 30-day window exceed the 500.00 ceiling.
    lines = [PRELUDE]
    start = datetime.date(2018, 1, 1)
    for i in range(6000):
        date = start + datetime.timedelta(days=i // 50)
        lines.append(pay(date.isoformat(), "100.00", f"P-{i}", recipient=f"r-{i % 50:016x}"))
    entries, options = _parse("".join(lines))
    books = books_mod.from_entries(entries, options, datetime.date(2019, 1, 1))
    found = [f for f in payments.check(books) if f.code == "SPLIT-PAYMENT"]
    assert len(found) == 50 * (120 - 5)
    assert {f.case for f in found} == {f"P-{i}" for i in range(5 * 50, 6000)}


def _parse(text: str) -> tuple[list[data.Directive], dict[str, Any]]:
    entries, errors, options = loader.load_string(text)
    assert not errors
    return entries, options
