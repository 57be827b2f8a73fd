from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from ledgers import PRELUDE
from report_books import TEXT

from ledger import report_format
from ledger import reports
from ledger.books import Books
from ledger.report_rows import Report
from ledger.report_rows import Row

SNAPSHOTS = Path(__file__).parent / "snapshots"
D = Decimal


@pytest.fixture
def sample(books_from: Callable[..., Books]) -> Books:
    return books_from(TEXT, "2026-06-30")


def _row(report: Report, township: str) -> Row:
    return next(r for r in report.townships if r.township == township)


def test_year_report_per_township(sample: Books) -> None:
    report = reports.year_report(sample, 2025)
    liuxiang = _row(report, "Liuxiang")
    # 450 + 300 - 300 (reversed) + 350 - 350 (returned by the bank) + 200.
    assert (liuxiang.allocated, liuxiang.small, liuxiang.general) == (D(40000), D(650), D(3000))
    assert liuxiang.balance == D("39350.00")
    # The general payment left the county treasury: not the township's use.
    assert liuxiang.used == D(650) and liuxiang.use_percent == D("1.6")
    # 101, 104 and 201 are in effect; 102 was reversed, 103 returned.
    assert (liuxiang.person_times, liuxiang.recipients) == (3, 2)
    assert liuxiang.median_days == D("8.0")  # 3, 8 and 26 days
    qiaodong = _row(report, "Qiaodong")
    # The return booked on 2026-01-10 has period 2025.
    assert qiaodong.returned == D(5000) and qiaodong.balance == D(28000)
    # The advance and its settlement are one payment; the settlement moves no reserve.
    assert (qiaodong.emergency, qiaodong.used, qiaodong.person_times) == (D(2000), D(2000), 1)
    xinghua = _row(report, "Xinghua")
    assert (xinghua.advances, xinghua.in_transit, xinghua.balance) == (D(1500), D(800), D(47700))
    assert xinghua.median_days is None


def test_totals_and_city_summary(sample: Books) -> None:
    report = reports.year_report(sample, 2025)
    yingze = next(r for r in report.counties if r.county == "Yingze")
    assert (yingze.allocated, yingze.returned, yingze.person_times) == (D(70000), D(5000), 4)
    assert yingze.recipients == 3 and yingze.median_days == D("5.5")
    assert report.city.summary() == "5 人次，0.72 万元"
    assert report.city.use_percent == D("3.5")  # 4150 / 120000
    assert [r.level for r in report.rows()][-1] == "city"


def test_return_counts_in_its_period_not_its_date(sample: Books) -> None:
    report = reports.year_report(sample, 2026)
    qiaodong = _row(report, "Qiaodong")
    assert qiaodong.returned == 0 and qiaodong.balance == D(23000)
    assert qiaodong.use_percent is None


def test_range_cancels_only_by_entries_up_to_its_end(sample: Books) -> None:
    early = reports.township_report(
        sample, datetime.date(2025, 3, 1), datetime.date(2025, 3, 10)
    )
    assert _row(early, "Liuxiang").person_times == 2  # the reversal is on 2025-03-20
    assert _row(early, "Liuxiang").small == D(750)
    march = reports.township_report(
        sample, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
    )
    assert _row(march, "Liuxiang").person_times == 1
    assert _row(march, "Liuxiang").allocated == 0
    assert march.label == "2025-03-01..2025-03-31"


def test_township_money_through_the_bank_is_use(books_from: Callable[..., Books]) -> None:
    books = books_from(
        PRELUDE
        + """
2025-01-01 * "迎泽区民政局" "拨付" #allocation
  period: "2025"
  Assets:Treasury:Yingze  -30000.00 CNY
  Assets:Reserve:Yingze:Liuxiang  30000.00 CNY

2025-02-01 * "报盘"
  batch: "B1"
  case: "C1"
  Assets:InTransit:Yingze:Liuxiang  600.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-02-03 * "周某" "回盘"
  batch: "B1"
  case: "C1"
  recipient: "r-0000000000000001"
  Expenses:Relief:Yingze:Liuxiang:Small  600.00 CNY
  Assets:InTransit:Yingze:Liuxiang
"""
    )
    row = _row(reports.year_report(books, 2025), "Liuxiang")
    assert (row.used, row.small, row.in_transit, row.person_times) == (D(600), D(600), D(0), 1)
    assert row.use_percent == D("2.0")


def test_period_bounds() -> None:
    assert reports.period_bounds("2025Q4") == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert reports.period_bounds("2024Q1") == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert reports.period_bounds("2025Q5") is None
    assert reports.period_bounds("25") is None


PERSONAL = re.compile(r"r-[0-9a-f]{16}|c-[0-9a-f]{16}|[A-Z]{2}-[A-Z]{2}-\d{4}-\d{3}")
NAMES = ("周建国", "李秀英", "王芳", "赵磊", "孙丽", "钱伟", "吴静")


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_public_form_has_no_personal_field(sample: Books, fmt: str) -> None:
    out = report_format.render(reports.year_report(sample, 2025), fmt, public=True)
    assert not PERSONAL.search(out)
    assert not any(name in out for name in NAMES)
    assert "<3" in out


def test_public_json_hides_small_counts_and_medians(sample: Books) -> None:
    payload = json.loads(report_format.as_json(reports.year_report(sample, 2025), True))
    by_township = {r["township"]: r for r in payload["townships"]}
    assert by_township["Liuxiang"]["person_times"] == 3
    assert by_township["Liuxiang"]["recipients"] == "<3"
    assert by_township["Qiaodong"]["person_times"] == "<3"
    assert by_township["Qiaodong"]["median_days"] is None  # one payment only
    assert payload["city"]["summary"] == "5 人次，0.72 万元"
    full = json.loads(report_format.as_json(reports.year_report(sample, 2025), False))
    assert full["townships"][2]["median_days"] == "1.0"


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("RESERVE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    elif not path.exists():
        pytest.fail(f"{path} is missing: run with RESERVE_UPDATE_SNAPSHOTS=1")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_snapshot(sample: Books, fmt: str, public: bool) -> None:
    text = report_format.render(reports.year_report(sample, 2025), fmt, public)
    suffix = "-public" if public else ""
    _snapshot(f"report-2025{suffix}.{'txt' if fmt == 'text' else 'json'}", text)


def _advance(date: str, n: int, amount: str) -> str:
    """Return an advance of case E-n to recipient n, from the Liuxiang reserve."""
    return (
        f'{date} * "甲" "advance" ^adv-E-{n}\n  case: "E-{n}"\n  recipient: "r-000000000000000{n}"\n'
        f"  Assets:Advances:Yingze:Liuxiang  {amount} CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
    )


def test_applied_of_an_advance_written_on_its_settlement(books_from: Callable[..., Books]) -> None:
    # An advance and its settlement are one payment, made on the advance's date; hand-kept
    # books write `applied` with the other approval keys, on the settlement.
    text = (
        PRELUDE
        + _advance("2018-04-01", 1, "400.00")
        + '2018-04-20 * "甲" "settle" ^adv-E-1\n  case: "E-1"\n  recipient: "r-0000000000000001"\n'
        + '  approval: "township"\n  approver: "x"\n  approved: 2018-04-19\n'
        + "  applied: 2018-03-30\n"
        + "  Expenses:Relief:Yingze:Liuxiang:Emergency  400.00 CNY\n"
        + "  Assets:Advances:Yingze:Liuxiang\n"
    )
    report = reports.year_report(books_from(text, "2018-12-31"), 2018)
    liuxiang = _row(report, "Liuxiang")
    assert (liuxiang.person_times, liuxiang.median_days) == (1, D("2.0"))


def test_a_recovered_advance_counts_net(books_from: Callable[..., Books]) -> None:
    # 1000 advanced and 600 of it recovered, 500 advanced: 900 stayed given.
    text = (
        PRELUDE
        + _advance("2018-04-01", 1, "1000.00")
        + '2018-04-20 * "甲" "recovery" ^adv-E-1\n  case: "E-1"\n'
        + "  Assets:Reserve:Yingze:Liuxiang  600.00 CNY\n  Assets:Advances:Yingze:Liuxiang\n"
        + _advance("2018-05-01", 2, "500.00")
    )
    report = reports.year_report(books_from(text, "2018-12-31"), 2018)
    liuxiang = _row(report, "Liuxiang")
    assert (liuxiang.person_times, liuxiang.disbursed) == (2, D("900.00"))
    assert report.city.summary() == "2 人次，0.09 万元"
