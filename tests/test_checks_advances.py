from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from beancount.core import amount
from beancount.core import data
from ledgers import PRELUDE

from ledger import advance_match
from ledger import advances
from ledger import books as books_mod
from ledger.audit import audit
from ledger.books import Books
from ledger.checks import advances as check_mod
from ledger.findings import Finding

Load = Callable[..., Books]

FUNDED = PRELUDE + """
2018-01-01 * "县民政局" "2018年备用金" #allocation
  period: "2018"
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY
  Assets:Treasury:Yingze
"""

ADVANCE = """
2018-03-02 * "周建国" "先行救助" ^adv-YZ-A-002
  case: "YZ-A-002"
  recipient: "r-1a2b3c4d5e6f7081"
  Assets:Advances:Yingze:Liuxiang  800.00 CNY
  Assets:Reserve:Yingze:Liuxiang
"""


def settle(date: str, number: str, case: str = "YZ-A-002") -> str:
    return f"""
{date} * "周建国" "补办审批" ^adv-{case}
  case: "{case}"
  recipient: "r-1a2b3c4d5e6f7081"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: {date}
  Expenses:Relief:Yingze:Liuxiang:Emergency  {number} CNY
  Assets:Advances:Yingze:Liuxiang
"""


def recover(date: str, number: str, case: str = "YZ-A-002") -> str:
    return f"""
{date} * "周建国" "收回垫付" ^adv-{case}
  case: "{case}"
  Assets:Reserve:Yingze:Liuxiang  {number} CNY
  Assets:Advances:Yingze:Liuxiang
"""


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_overdue_the_day_after_the_due_date(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE, "2018-04-02")
    [found] = codes(check_mod.check(books), "ADVANCE-OVERDUE")
    assert found.message == (
        "ADVANCE-OVERDUE 柳巷街道 case YZ-A-002: 800.00 CNY of 800.00 CNY advanced on "
        "2018-03-02 still outstanding, due 2018-04-01 (advance-deadline 30 days, policy of 2015-06-01)"
    )
    assert (found.amount, found.case, found.township, found.date) == (
        Decimal("800.00"), "YZ-A-002", "Liuxiang", "2018-03-02"
    )
    assert found.line > 0 and found.file.endswith("main.beancount")


def test_not_overdue_on_the_due_date(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE, "2018-04-01")
    assert check_mod.check(books) == []


def test_partly_settled_advance_is_overdue_for_the_rest(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE + settle("2018-03-20", "500.00"), "2018-05-01")
    [found] = check_mod.check(books)
    assert (found.code, found.amount) == ("ADVANCE-OVERDUE", Decimal("300.00"))


def test_settled_and_recovered_in_time_is_clean(books_from: Load) -> None:
    text = FUNDED + ADVANCE + settle("2018-03-20", "500.00") + recover("2018-04-01", "300.00")
    assert check_mod.check(books_from(text, "2019-01-01")) == []


def test_county_deadline_in_force_on_the_advance_date(books_from: Load) -> None:
    policy = """
2018-01-01 custom "advance-deadline" 60
  county: "Yingze"
2018-03-10 custom "advance-deadline" 10
  county: "Yingze"
"""
    books = books_from(FUNDED + policy + ADVANCE, "2018-05-01")
    assert check_mod.check(books) == []
    [found] = check_mod.check(books_from(FUNDED + policy + ADVANCE, "2018-05-02"))
    assert "due 2018-05-01 (advance-deadline 60 days, policy of 2018-01-01)" in found.message


def test_late_settlement_is_a_warning(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE + settle("2018-04-05", "800.00"), "2019-01-01")
    [found] = check_mod.check(books)
    assert found.code == "ADVANCE-LATE"
    assert found.severity == "warning"
    assert "settled on 2018-04-05, 4 days after its due date 2018-04-01" in found.message
    assert found.date == "2018-04-05"


def test_settlement_on_the_due_date_is_not_late(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE + settle("2018-04-01", "800.00"), "2019-01-01")
    assert check_mod.check(books) == []


def test_oversettled(books_from: Load) -> None:
    text = FUNDED + ADVANCE + settle("2018-03-20", "500.00") + recover("2018-03-25", "400.00")
    [found] = check_mod.check(books_from(text, "2019-01-01"))
    assert found.code == "ADVANCE-OVERSETTLED"
    assert found.amount == Decimal("100.00")
    assert found.date == "2018-03-25"


def test_settlement_without_advance_is_oversettled(books_from: Load) -> None:
    [found] = check_mod.check(books_from(FUNDED + settle("2018-03-20", "500.00"), "2019-01-01"))
    assert (found.code, found.amount, found.case) == (
        "ADVANCE-OVERSETTLED", Decimal("500.00"), "YZ-A-002"
    )


def test_unlinked_and_doubly_linked(books_from: Load) -> None:
    text = FUNDED + """
2018-03-02 * "甲" "先行救助"
  case: "YZ-A-010"
  Assets:Advances:Yingze:Liuxiang  600.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2018-03-03 * "乙" "先行救助" ^adv-YZ-A-011 ^adv-YZ-A-012
  case: "YZ-A-011"
  Assets:Advances:Yingze:Liuxiang  700.00 CNY
  Assets:Reserve:Yingze:Liuxiang
"""
    found = codes(check_mod.check(books_from(text, "2018-03-05")), "ADVANCE-UNLINKED")
    assert [(f.case, f.amount) for f in found] == [
        ("YZ-A-010", Decimal("600.00")),
        ("YZ-A-011", Decimal("700.00")),
    ]
    assert "no ^adv- link" in found[0].message
    assert "2 ^adv- links" in found[1].message


def test_one_link_among_others_is_linked(books_from: Load) -> None:
    text = FUNDED + ADVANCE.replace("^adv-YZ-A-002", "^adv-YZ-A-002 ^batch-7")
    assert check_mod.check(books_from(text, "2018-03-05")) == []


def test_same_day_settlement_in_another_file(books_from: Load, tmp_path: Path) -> None:
    (tmp_path / "later.beancount").write_text(
        settle("2018-03-02", "800.00"), encoding="utf-8"
    )
    text = 'include "later.beancount"\n' + FUNDED + ADVANCE
    books = books_from(text, "2019-01-01")
    assert check_mod.check(books) == []
    [row] = advances.all_advances(books)
    assert row.settled_on == datetime.date(2018, 3, 2)
    assert row.outstanding == 0


def test_reversed_advance_is_not_outstanding(books_from: Load) -> None:
    reversal = """
2018-03-05 * "周建国" "冲销" #reversal ^adv-YZ-A-002
  reverses: "2018-03-02 YZ-A-002"
  Assets:Advances:Yingze:Liuxiang  -800.00 CNY
  Assets:Reserve:Yingze:Liuxiang
"""
    books = books_from(FUNDED + ADVANCE + reversal, "2019-01-01")
    assert check_mod.check(books) == []
    [row] = advances.all_advances(books)
    assert (row.advanced, row.recovered) == (Decimal(0), Decimal(0))


def test_entries_after_the_audit_date_do_not_count(books_from: Load) -> None:
    books = books_from(FUNDED + ADVANCE + settle("2018-06-01", "800.00"), "2018-05-01")
    [found] = check_mod.check(books)
    assert (found.code, found.amount) == ("ADVANCE-OVERDUE", Decimal("800.00"))


def test_explained_overdue_is_marked_by_the_audit(books_from: Load) -> None:
    explained = """
2018-07-01 custom "explained" "ADVANCE-OVERDUE" "YZ-A-002"
  reason: "受助人住院，补办材料延后"
  by: "张审计"
"""
    books = books_from(FUNDED + ADVANCE + explained, "2018-08-01")
    [found] = codes(audit(books, ["advances"]), "ADVANCE-OVERDUE")
    assert found.explained


def _synthetic(count: int) -> Books:
    """Books of `count` advances of 500.00 CNY each, every other one settled."""
    meta = data.new_metadata("<bench>", 1)
    entries: list[data.Directive] = []
    day = datetime.date(2018, 1, 1)
    account = "Assets:Advances:Yingze:Liuxiang"
    for i in range(count):
        link = frozenset({f"adv-C-{i}"})
        units = amount.Amount(Decimal("500.00"), "CNY")
        back = amount.Amount(Decimal("-500.00"), "CNY")
        date = day + datetime.timedelta(days=i % 300)
        entries.append(
            data.Transaction(
                dict(meta, case=f"C-{i}"), date, "*", None, "", frozenset(), link,
                [
                    data.Posting(account, units, None, None, None, None),
                    data.Posting("Assets:Reserve:Yingze:Liuxiang", back, None, None, None, None),
                ],
            )
        )
        if i % 2:
            entries.append(
                data.Transaction(
                    dict(meta, case=f"C-{i}"), date + datetime.timedelta(days=5), "*", None,
                    "", frozenset(), link,
                    [
                        data.Posting(
                            "Expenses:Relief:Yingze:Liuxiang:Emergency", units, None, None,
                            None, None,
                        ),
                        data.Posting(account, back, None, None, None, None),
                    ],
                )
            )
    entries.sort(key=data.entry_sortkey)
    return books_mod.from_entries(entries, {}, datetime.date(2019, 6, 1))


def test_matching_10k_colliding_advances() -> None:
    # Matching by link, whatever the amounts: the speed is measured in benchmarks/.
    books = _synthetic(10_000)
    rows = advance_match.compute(books)
    assert len(rows) == 10_000
    assert sum(1 for r in rows if r.outstanding) == 5_000
    assert all(r.case == r.link.removeprefix("adv-") for r in rows)


def test_plugin_raises_errors_but_not_warnings(tmp_path: Path) -> None:
    from beancount import loader

    plugin = "plugin \"plugins.advances\" \"{'as_of': '2019-01-01'}\"\n"
    late = ADVANCE + settle("2018-04-05", "800.00")
    overdue = ADVANCE.replace("YZ-A-002", "YZ-A-009")
    path = tmp_path / "books.beancount"
    path.write_text(plugin + FUNDED + late + overdue, encoding="utf-8")
    _, errors, _ = loader.load_file(str(path))
    messages = [e.message for e in errors]
    assert [m.split(" ")[0] for m in messages] == ["ADVANCE-OVERDUE"]
    assert "case YZ-A-009" in messages[0]
    assert errors[0].source["filename"] == str(path) and errors[0].source["lineno"] > 0
