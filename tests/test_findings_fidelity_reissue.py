"""REISSUE-OVERDUE of a `payout-failed` record without an approval record: its `township:`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from ledgers import PRELUDE

from ledger.audit import audit
from ledger.books import Books
from ledger.checks import transit

Load = Callable[..., Books]

RECORD = PRELUDE + """
2018-03-05 custom "payout-failed" "YZ-LX-9" 450.00 CNY
  township: "{township}"
  batch: "B9"
  card: "c-0123456789abcdef"
  recipient: "r-1a2b3c4d5e6f7081"
  fail-reason: "账户已销户"
"""


@pytest.mark.parametrize("township", ["Liuxiang", "柳巷街道", "Xinghua"])
def test_record_place_from_its_township(books_from: Load, township: str) -> None:
    [found] = transit.check(books_from(RECORD.format(township=township), "2018-12-31"))
    county, component, name = {
        "Xinghua": ("Wanbailin", "Xinghua", "兴华街道"),
    }.get(township, ("Yingze", "Liuxiang", "柳巷街道"))
    assert (found.code, found.county, found.township, found.township_name) == (
        "REISSUE-OVERDUE", county, component, name
    )
    assert (found.case, found.amount, found.line, found.key) == (
        "YZ-LX-9", Decimal("450.00"), PRELUDE.count("\n") + 2,
        f"Assets:InTransit:{county}:{component}",
    )
    assert found.message == (
        f"REISSUE-OVERDUE {name} case YZ-LX-9: 450.00 CNY failed on 2018-03-05 (账户已销户), "
        "not paid again by 2018-03-20 (transit-deadline 15 days, policy of 2015-06-01)"
    )


def test_record_json_names_the_county(books_from: Load) -> None:
    books = books_from(RECORD.format(township="Liuxiang"), "2018-12-31")
    [found] = [f.to_json() for f in audit(books, ["transit"])]
    assert (found["county"], found["township"], found["township_name"], found["case"]) == (
        "Yingze", "Liuxiang", "柳巷街道", "YZ-LX-9"
    )


def test_record_without_township_takes_its_approval_record(books_from: Load) -> None:
    text = PRELUDE + """
2018-03-01 custom "approval" "YZ-LX-9" 450.00 CNY
  township: "Liuxiang"
  procedure: "small"
2018-03-05 custom "payout-failed" "YZ-LX-9" 450.00 CNY
  batch: "B9"
"""
    [found] = transit.check(books_from(text, "2018-12-31"))
    assert (found.county, found.township, found.township_name, found.case) == (
        "Yingze", "Liuxiang", "柳巷街道", "YZ-LX-9"
    )


def test_record_with_its_case_in_metadata(books_from: Load) -> None:
    text = PRELUDE + """
2018-03-05 custom "payout-failed" 450.00 CNY
  case: "YZ-LX-9"
  township: "Liuxiang"
"""
    [found] = transit.check(books_from(text, "2018-12-31"))
    assert (found.case, found.amount, found.county) == ("YZ-LX-9", Decimal("450.00"), "Yingze")
    assert found.message.startswith("REISSUE-OVERDUE 柳巷街道 case YZ-LX-9: 450.00 CNY failed")
